"""The digest that names a text in the mining cache and in a generation's mining basis.

A module of its own, free of spaCy: the index run compares digests without loading it.
"""

from __future__ import annotations

import hashlib


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
