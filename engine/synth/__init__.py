"""The verb `ladder synth`: synthetic anonymised cohorts."""
