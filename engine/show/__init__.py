"""The verb `ladder show`: a ladder with its rungs and offers, ready to draw."""
