"""`ladder keyfigures`: cost per inhabitant of an age band and per case, per year, from cohorts and a population."""
