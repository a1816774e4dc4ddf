"""marshmallow schemas of the webhook endpoints and their delivery log."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates

from service.schemas import StrictSchema
from service.webhooks import EVENT_TYPES


def check_url(url: str, allowed_hosts: tuple[str, ...]) -> None:
    """An endpoint URL is http(s), names a host, carries no credentials, and (when the
    deployment lists allowed hosts) points at one of them."""
    try:
        parts = urlsplit(url)
        parts.port  # raises ValueError on a port out of range
    except ValueError:
        raise ValidationError("not a valid URL")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("must be an http:// or https:// URL with a host")
    if parts.username or parts.password:
        raise ValidationError("must not carry credentials: deliveries are signed instead")
    if any(c.isspace() for c in url):
        raise ValidationError("must not contain whitespace")
    host = parts.hostname.lower()
    if allowed_hosts and not any(
        host == allowed or (allowed.startswith(".") and host.endswith(allowed))
        for allowed in (a.lower() for a in allowed_hosts)
    ):
        raise ValidationError(f"host {host!r} is not among the hosts this service may call")


class WebhookInSchema(StrictSchema):
    url = fields.String(
        required=True, validate=validate.Length(min=1, max=2000),
        metadata={"description": "where deliveries are POSTed (http or https)",
                  "example": "https://cms.example.org/hooks/quotes"},
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)),
        load_default=lambda: list(EVENT_TYPES),
        validate=validate.Length(min=1, max=len(EVENT_TYPES)),
        metadata={"description": "event types to receive (default: all)"},
    )
    description = fields.String(load_default=None, allow_none=True,
                                validate=validate.Length(max=500))

    @validates("url")
    def _url(self, value: str, **_kw) -> None:
        check_url(value, tuple(current_app.config["WEBHOOK_ALLOWED_HOSTS"]))


class WebhookSchema(Schema):
    id = fields.String(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.String(), required=True)
    description = fields.String(allow_none=True)
    created_at = fields.DateTime()


class WebhookCreatedSchema(WebhookSchema):
    secret = fields.String(
        required=True,
        metadata={"description": "the signing secret (`whsec_...`), shown only in this response"},
    )


class WebhookListSchema(Schema):
    items = fields.List(fields.Nested(WebhookSchema))
    next_cursor = fields.String(allow_none=True)


class AttemptSchema(Schema):
    number = fields.Integer(required=True)
    attempted_at = fields.DateTime(required=True)
    status_code = fields.Integer(allow_none=True, metadata={"description": "null: unreachable"})
    error = fields.String(allow_none=True)
    duration_ms = fields.Float()


class DeliverySchema(Schema):
    id = fields.String(required=True, metadata={"description": "the `webhook-id` header"})
    event_type = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["pending", "succeeded", "failed"]))
    attempts = fields.List(fields.Nested(AttemptSchema), required=True)
    next_attempt_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    delivered_at = fields.DateTime(allow_none=True)
    payload = fields.Raw(metadata={"description": "the delivered JSON body"})


class DeliveryListSchema(Schema):
    items = fields.List(fields.Nested(DeliverySchema))
    next_cursor = fields.String(allow_none=True)
