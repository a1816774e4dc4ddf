"""Standard Webhooks signing: a ``whsec_`` secret per endpoint, HMAC-SHA256 over
``{webhook-id}.{webhook-timestamp}.{body}``."""
from __future__ import annotations

import base64
import secrets
from datetime import datetime, timezone

from standardwebhooks.webhooks import Webhook

USER_AGENT = "quotes-webhooks/1"


def new_secret() -> str:
    """A fresh signing secret: 32 random bytes, base64, with the spec's ``whsec_`` prefix."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def signed_headers(secret: str, message_id: str, body: str, now: datetime | None = None) -> dict:
    """The headers of one attempt. The id stays the same across retries; the timestamp (and
    so the signature) is that of the attempt, so receivers can refuse stale replays."""
    now = now or datetime.now(timezone.utc)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, now, body),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
