"""Helpers shared by every feature: money, identity numbers, phones, dates, pagination."""
