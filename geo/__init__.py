"""Claim Map: map what news reporting claims about troop movements."""

__version__ = "0.1.0"
