"""Opaque cursors: base64url JSON of the last row's sort key. Clients pass them back as is."""
from __future__ import annotations

import base64
import binascii
import json

from flask_smorest import abort


def encode_cursor(*key) -> str:
    raw = json.dumps(list(key), separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, arity: int) -> list | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        key = None
    if not isinstance(key, list) or len(key) != arity or not all(isinstance(k, str) for k in key):
        message = "not a cursor this service issued"
        abort(400, message=f"`cursor` is {message}.", errors={"cursor": [message]})
    return key


def page(rows: list, limit: int, key_of) -> tuple[list, str | None]:
    """Rows were fetched with ``limit + 1``: the extra one tells whether a next page exists."""
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_cursor(*key_of(rows[-1]))
    return rows, None
