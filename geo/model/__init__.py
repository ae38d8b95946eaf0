"""The claim model: vocabularies, schemas, feature types, citation and filters. No I/O, no HTML."""
