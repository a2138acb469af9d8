"""Output forms, one folder per verb and one module per form; nothing in the engine imports a renderer."""
