"""The forms of `ladder keyfigures`: table, markdown and JSON."""
