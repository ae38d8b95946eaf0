"""Cache keys made of the data itself: a digest of its pickle, far cheaper than Streamlit hashing the data."""

from __future__ import annotations

import hashlib
import pickle
from typing import Any


def fingerprint(value: Any) -> tuple[str, int]:
    """Return a digest of ``value`` and the size of its pickle, in bytes."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.blake2b(data, digest_size=16).hexdigest(), len(data)


def digest(value: Any) -> str:
    """Return a digest of ``value``'s pickle (``fingerprint`` without the size)."""
    return fingerprint(value)[0]
