"""Output forms of `ladder diff`: table and markdown."""
