from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from service.api.deps import database
from service.api.intake import IDEMPOTENCY_HEADER, accept_job, analyse_now, idempotency_key
from service.db import repository as repo
from service.jobs.schemas import JobSchema
from service.pagination import decode_cursor, page
from service.presenters import article_summary, article_view
from service.schemas import (
    ArticleCreateArgsSchema,
    ArticleInSchema,
    ArticleListSchema,
    ArticleSchema,
    PageArgsSchema,
)
from service.text_input import normalize_article_text

blp = Blueprint("articles", __name__, url_prefix="/v1/articles", description="Analysed articles")


def fields_from(payload: dict) -> repo.ArticleFields:
    text, converted = normalize_article_text(payload["text"])
    limit = current_app.config["MAX_TEXT_CHARS"]
    if not text.strip():
        abort(422, errors={"text": ["text is empty once its HTML markup is removed"]})
    if len(text) > limit:
        abort(422, errors={"text": [f"text is longer than {limit} characters"]})
    return repo.ArticleFields(
        text=text,
        title=payload.get("title"),
        url=payload.get("url"),
        source=payload.get("source"),
        published_at=payload.get("published_at"),
        external_id=payload.get("external_id"),
        language=payload.get("language") or "en",
        converted_from_html=converted,
    )


@blp.route("")
class Articles(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ArticleListSchema)
    def get(self, args):
        """List analysed articles, newest first."""
        after = decode_cursor(args["cursor"], 1)
        with database().session() as session:
            rows = repo.list_articles(session, after[0] if after else None, args["limit"] + 1)
            rows, cursor = page(rows, args["limit"], lambda a: (a.id,))
            return {"items": [article_summary(a) for a in rows], "next_cursor": cursor}

    @blp.arguments(ArticleInSchema)
    @blp.arguments(ArticleCreateArgsSchema, location="query")
    @blp.response(201, ArticleSchema)
    @blp.alt_response(200, schema=ArticleSchema, description="already analysed: the stored result")
    @blp.alt_response(202, schema=JobSchema, description="mode=async: accepted; follow the job")
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    def post(self, payload, args):
        """Analyse an article: its quotes, speakers, topics and stances.

        Posting the same `external_id` (same text) or the same text again returns the stored
        analysis with 200 (a new `url` or `source` under the same `external_id` is written in
        place); a changed text, title or `published_at` under a known `external_id` is
        analysed again and replaces the analysis (201, same id).
        With `mode=async` the answer is 202 with a job to follow (`Location: /v1/jobs/{id}`).
        """
        key = idempotency_key()
        fields = fields_from(payload)
        if args["mode"] == "async":
            return accept_job("article", [fields], key)
        result = analyse_now(fields, key)
        view = article_view(result.article)
        return view, 201 if result.created else 200, {"Location": f"/v1/articles/{view['id']}"}


@blp.route("/<string:article_id>")
class ArticleById(MethodView):
    @blp.response(200, ArticleSchema)
    def get(self, article_id):
        """One analysed article with its quotes."""
        with database().session() as session:
            article = repo.get_article(session, article_id)
            if article is None:
                abort(404, message=f"No article {article_id!r}.")
            return article_view(article)

    @blp.response(204)
    def delete(self, article_id):
        """Remove an article and everything derived from it (a retraction)."""
        with database().transaction() as session:
            if not repo.delete_article(session, article_id):
                abort(404, message=f"No article {article_id!r}.")
