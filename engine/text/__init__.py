"""Diagnostics, messages (da/en), privacy (find and mask) and money: the words; imports nothing else from engine."""
