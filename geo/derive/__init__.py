"""Build-time derivations: geometry recipes, layer building and base data. The running app never imports it."""
