"""Output forms of `ladder show`: terminal, SVG, HTML."""
