"""The officer's and the supervisor's dashboards: figures from the one source, charted."""
