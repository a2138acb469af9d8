"""The forms of `ladder budget`: table, markdown, xlsx and JSON."""
