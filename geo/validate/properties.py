"""Check a feature's claim properties and their links to the sources and the layer."""

from __future__ import annotations

from typing import Any

from geo.model.schema import claim_validator
from geo.validate.problems import Context, Note
from geo.validate.wording import messages, short


def claim_notes(properties: dict[str, Any], context: Context) -> list[Note]:
    """Return the problems of a feature's claim properties, its ``source_id`` and its ``layer``."""
    notes = messages(claim_validator().iter_errors(properties), "properties")
    source_id = properties.get("source_id")
    if context.sources is not None and isinstance(source_id, str) and source_id not in context.sources:
        notes.append(Note("properties.source_id", f"properties.source_id {short(source_id)} is not in sources.json"))
    layer = properties.get("layer")
    if context.layer is not None and layer is not None and layer != context.layer:
        message = f"properties.layer is {short(layer)} but the feature is in the file of layer {context.layer!r}"
        notes.append(Note("properties.layer", message))
    return notes
