"""Export formats: naming, GeoJSON, GDAL formats, KML, standalone HTML and sources."""
