"""Output forms of `ladder suggest`: terminal table, markdown minutes, JSON."""
