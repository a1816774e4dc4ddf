"""marshmallow schemas of jobs and batches."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates

from service.errors import ProblemSchema
from service.schemas import ArticleInSchema, StrictSchema

JOB_STATUSES = ("queued", "running", "succeeded", "failed")
ITEM_STATUSES = ("queued", "running", "succeeded", "failed")


class BatchInSchema(StrictSchema):
    articles = fields.List(
        fields.Nested(ArticleInSchema), required=True,
        metadata={"description": "the articles to analyse (at most `MAX_BATCH_ARTICLES`, "
                                 "100 by default), each as for `POST /v1/articles`"},
    )

    @validates("articles")
    def _size(self, value: list, **_kw) -> None:
        from flask import current_app

        limit = current_app.config["MAX_BATCH_ARTICLES"]
        if not 1 <= len(value) <= limit:
            raise ValidationError(f"send between 1 and {limit} articles")


class JobProgressSchema(Schema):
    total = fields.Integer(required=True)
    done = fields.Integer(required=True, metadata={"description": "succeeded + failed"})
    succeeded = fields.Integer(required=True)
    failed = fields.Integer(required=True)
    percent = fields.Float(required=True)


class JobItemSchema(Schema):
    position = fields.Integer(required=True, metadata={"description": "index in the request"})
    status = fields.String(required=True, validate=validate.OneOf(ITEM_STATUSES))
    external_id = fields.String(allow_none=True)
    article_id = fields.String(
        allow_none=True, metadata={"description": "the analysed article, once succeeded"}
    )
    created = fields.Boolean(
        allow_none=True,
        metadata={"description": "true: a new analysis; false: the stored one was returned"},
    )
    attempts = fields.Integer()
    error = fields.Nested(ProblemSchema, allow_none=True)


class JobLinksSchema(Schema):
    self = fields.String(data_key="self")


class JobSchema(Schema):
    id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["article", "batch"]))
    status = fields.String(
        required=True, validate=validate.OneOf(JOB_STATUSES),
        metadata={"description": "queued -> running -> succeeded (every article stored) or "
                                 "failed (at least one could not be analysed: see `items`)"},
    )
    progress = fields.Nested(JobProgressSchema, required=True)
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    items = fields.List(fields.Nested(JobItemSchema), required=True)
    links = fields.Nested(JobLinksSchema)
