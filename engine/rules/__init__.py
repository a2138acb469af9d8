"""The rule language: the one table of operators and the three-valued meaning of a condition."""
