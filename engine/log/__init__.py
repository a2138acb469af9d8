"""The verbs `ladder log` and `suggest --log`: the hash-chained decision log."""
