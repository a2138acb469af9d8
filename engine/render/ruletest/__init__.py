"""Output forms of `ladder test`: report, JSON, JUnit XML."""
