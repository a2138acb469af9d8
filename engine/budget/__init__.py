"""`ladder budget`: a catalogue of proposals added up into the municipality's overview."""
