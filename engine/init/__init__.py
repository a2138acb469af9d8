"""`ladder init`: a municipality's own content folder, made from the shipped content."""
