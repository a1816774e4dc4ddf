from flask.views import MethodView
from flask_smorest import Blueprint, abort

from models.types import Topic
from service.api.deps import database
from service.db import repository as repo
from service.pagination import decode_cursor, page
from service.schemas import TopicListSchema, TopicPageArgsSchema, TopicSchema

blp = Blueprint("topics", __name__, url_prefix="/v1/topics", description="The topic catalogue")


def topic_view(row) -> dict:
    return {"id": row.id, "label": row.label, "description": row.description or "",
            "keywords": list(row.keywords or [])}


@blp.route("")
class Topics(MethodView):
    @blp.arguments(TopicPageArgsSchema, location="query")
    @blp.response(200, TopicListSchema)
    def get(self, args):
        """Every topic quotes can be tagged with, by id; paged when `limit` is given."""
        after = decode_cursor(args["cursor"], 1)
        limit = args["limit"]
        with database().session() as session:
            rows = repo.list_topics(session, after[0] if after else None,
                                    None if limit is None else limit + 1)
            rows, cursor = page(rows, limit, lambda t: (t.id,)) if limit else (rows, None)
            return {"items": [topic_view(t) for t in rows], "next_cursor": cursor}

    @blp.arguments(TopicSchema)
    @blp.response(201, TopicSchema)
    @blp.alt_response(409, description="a topic with this id exists")
    def post(self, payload):
        """Add a topic; the next analysed articles are tagged with it, without retraining."""
        with database().transaction() as session:
            if repo.get_topic(session, payload["id"]) is not None:
                abort(409, message=f"Topic {payload['id']!r} already exists.")
            row = repo.add_topic(session, Topic(payload["id"], payload["label"].strip(),
                                                payload["description"], tuple(payload["keywords"])))
            return topic_view(row)


@blp.route("/<string:topic_id>")
@blp.response(200, TopicSchema)
def get_topic(topic_id):
    """One topic."""
    with database().session() as session:
        row = repo.get_topic(session, topic_id)
        if row is None:
            abort(404, message=f"No topic {topic_id!r}.")
        return topic_view(row)
