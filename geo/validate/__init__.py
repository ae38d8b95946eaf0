"""Validation of GeoJSON documents, claim properties, the case folder and imports, in plain words."""
