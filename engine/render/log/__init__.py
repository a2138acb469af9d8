"""Output forms of `ladder log`: lists, entries and statistics."""
