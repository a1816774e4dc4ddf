from flask_smorest import Blueprint, abort

from service.api.deps import database
from service.api.intake import (
    IDEMPOTENCY_HEADER,
    accept_job,
    analyse_now,
    idempotency_key,
    validated_fields,
)
from service.db import repository as repo
from service.jobs.schemas import JobSchema
from service.ninjs import NinjsInSchema, NinjsSchema, article_payload, article_to_ninjs
from service.schemas import ArticleCreateArgsSchema

blp = Blueprint("ninjs", __name__, url_prefix="/v1",
                description="IPTC ninjs in and out, for content management systems")


@blp.route("/ninjs", methods=["POST"])
@blp.arguments(NinjsInSchema)
@blp.arguments(ArticleCreateArgsSchema, location="query")
@blp.response(201, NinjsSchema)
@blp.alt_response(200, schema=NinjsSchema, description="already analysed: the stored result")
@blp.alt_response(202, schema=JobSchema, description="mode=async: accepted; follow the job")
@blp.doc(parameters=[IDEMPOTENCY_HEADER])
def post_ninjs(doc, args):
    """Analyse a story sent as a ninjs document; answers with the story as ninjs, analysed.

    `uri` becomes the article's `external_id`, `headline` its title, `body_text` (or
    `body_html`, converted to text) its text, `firstcreated` (or `versioncreated`) its date,
    `copyrightholder` its source. The answer carries the speakers in `person`, the topics in
    `subject` and the quotes, with offsets into `body_text`, in `x_quotes`. Send it as
    `application/json` or `application/ninjs+json`.
    """
    key = idempotency_key()
    name = "body_text" if doc.get("body_text") else "body_html"
    fields = validated_fields(article_payload(doc), text_field=name)
    if args["mode"] == "async":
        return accept_job("article", [fields], key)
    result = analyse_now(fields, key)
    return (article_to_ninjs(result.article), 201 if result.created else 200,
            {"Location": f"/v1/articles/{result.article.id}"})


@blp.route("/articles/<string:article_id>/ninjs")
@blp.response(200, NinjsSchema)
def get_article_ninjs(article_id):
    """An analysed article as ninjs, to store beside the story in the CMS."""
    with database().session() as session:
        article = repo.get_article(session, article_id)
        if article is None:
            abort(404, message=f"No article {article_id!r}.")
        return article_to_ninjs(article)
