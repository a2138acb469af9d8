"""Output forms of `ladder simulate`: budget table, markdown, xlsx, chart."""
