"""The officer's daily agenda, the supervisor's team agenda and the iCalendar feed."""
