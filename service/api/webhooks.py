import json

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from service.api.deps import database
from service.db import webhooks_repository as repo
from service.pagination import decode_cursor, page
from service.schemas import PageArgsSchema
from service.webhooks.schemas import (
    DeliveryListSchema,
    WebhookCreatedSchema,
    WebhookInSchema,
    WebhookListSchema,
    WebhookSchema,
)
from service.webhooks.signing import new_secret

blp = Blueprint(
    "webhooks", __name__, url_prefix="/v1/webhooks",
    description="Endpoints notified of `article.analyzed` and `job.completed`, with signed "
                "deliveries (Standard Webhooks) and a delivery log",
)


def webhook_view(endpoint) -> dict:
    return {"id": endpoint.id, "url": endpoint.url, "events": list(endpoint.events),
            "description": endpoint.description, "created_at": endpoint.created_at}


def delivery_view(delivery) -> dict:
    return {
        "id": delivery.id, "event_type": delivery.event_type, "status": delivery.status,
        "attempts": [{"number": a.number, "attempted_at": a.attempted_at,
                      "status_code": a.status_code, "error": a.error,
                      "duration_ms": a.duration_ms} for a in delivery.attempt_log],
        "next_attempt_at": delivery.next_attempt_at if delivery.status == "pending" else None,
        "created_at": delivery.created_at, "delivered_at": delivery.delivered_at,
        "payload": json.loads(delivery.payload),
    }


@blp.route("")
class Webhooks(MethodView):
    @blp.arguments(WebhookInSchema)
    @blp.response(201, WebhookCreatedSchema)
    def post(self, payload):
        """Register an endpoint. The answer holds its signing secret, shown only this once.

        Each delivery is a POST of `{"type", "timestamp", "data"}` with the headers
        `webhook-id` (the same on every retry: drop duplicates by it), `webhook-timestamp` and
        `webhook-signature` (Standard Webhooks, HMAC-SHA256 with the secret). Any 2xx answer
        is a success; anything else, or no answer within the timeout, is retried with
        growing delays, then given up. Redirects are not followed.
        """
        secret = new_secret()
        with database().transaction() as session:
            endpoint = repo.create_endpoint(session, payload["url"], sorted(set(payload["events"])),
                                            payload["description"], secret)
            view = webhook_view(endpoint)
        return {**view, "secret": secret}, 201, {"Location": f"/v1/webhooks/{view['id']}"}

    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, WebhookListSchema)
    def get(self, args):
        """The registered endpoints (without their secrets)."""
        after = decode_cursor(args["cursor"], 1)
        with database().session() as session:
            rows = repo.list_endpoints(session, after[0] if after else None, args["limit"] + 1)
            rows, cursor = page(rows, args["limit"], lambda e: (e.id,))
            return {"items": [webhook_view(e) for e in rows], "next_cursor": cursor}


@blp.route("/<string:webhook_id>")
class WebhookById(MethodView):
    @blp.response(200, WebhookSchema)
    def get(self, webhook_id):
        """One endpoint (without its secret)."""
        with database().session() as session:
            endpoint = repo.get_endpoint(session, webhook_id)
            if endpoint is None:
                abort(404, message=f"No webhook {webhook_id!r}.")
            return webhook_view(endpoint)

    @blp.response(204)
    def delete(self, webhook_id):
        """Unregister an endpoint: nothing more is delivered to it, and its log goes with it."""
        with database().transaction() as session:
            if not repo.delete_endpoint(session, webhook_id):
                abort(404, message=f"No webhook {webhook_id!r}.")


@blp.route("/<string:webhook_id>/deliveries")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, DeliveryListSchema)
def list_deliveries(args, webhook_id):
    """The endpoint's delivery log, newest first: each event, its attempts and their answers."""
    before = decode_cursor(args["cursor"], 1)
    with database().session() as session:
        if repo.get_endpoint(session, webhook_id) is None:
            abort(404, message=f"No webhook {webhook_id!r}.")
        rows = repo.list_deliveries(session, webhook_id, before[0] if before else None,
                                    args["limit"] + 1)
        rows, cursor = page(rows, args["limit"], lambda d: (d.id,))
        return {"items": [delivery_view(d) for d in rows], "next_cursor": cursor}
