"""Hostile uploads cannot grow the server's memory: every cache on the import path is bounded."""

from __future__ import annotations

from geo.schema import geometry_validator


def test_unknown_geometry_types_share_one_validator():
    assert geometry_validator("Junk-a") is geometry_validator("Junk-b") is geometry_validator(None)
    assert geometry_validator("Point") is not geometry_validator("Junk-a")
