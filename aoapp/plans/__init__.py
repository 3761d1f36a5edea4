"""Account plans: a customer's yearly plan, its measurable goals and their computed progress."""
