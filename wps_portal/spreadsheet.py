"""Cells that are safe to open in a spreadsheet: one rule for every CSV the portal writes.

A cell whose text starts with =, +, -, @ (or a tab or carriage return, which some spreadsheets skip
before reading a formula) is run as a formula by Excel, LibreOffice and Google Sheets ("CSV
injection", OWASP). Such a text gets a leading apostrophe, which spreadsheets show as text and
never execute. Numbers are written as numbers, so a negative number is not touched.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value as a CSV cell that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
