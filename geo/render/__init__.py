"""HTML and JavaScript: escaping, styles, legend, map, panel and browser assets."""
