"""Credit monitoring: facilities, positions, collectibility, watchlist, monitoring visits."""
