"""The case folder: the only code that opens it."""
