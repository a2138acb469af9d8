"""The file formats, one module each, and the typed output of the verbs; they import only engine.text."""
