"""The two evaluators of the rules: durable-rules for one case, numpy for cohorts; identical results."""
