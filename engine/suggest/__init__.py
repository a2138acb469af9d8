"""The verb `ladder suggest`: the walk up the ladder and what each missing answer would change."""
