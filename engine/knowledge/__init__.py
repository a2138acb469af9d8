"""Rule and catalogue folders assembled into one checked knowledge base, and what is read from it."""
