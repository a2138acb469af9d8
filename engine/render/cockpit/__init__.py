"""The cockpit's output forms: one self-contained HTML page, an xlsx workbook, JSON and a terminal table."""
