"""The verb `ladder simulate`: a scenario against its baseline over a cohort, month by month."""
