"""ladder's engine: files to models to knowledge to evaluation to the verbs to rendering (docs/architecture.md)."""
