"""IPTC ninjs (News in JSON) in and out, so that a CMS can speak its own format.

In: a ninjs document (1.x fields ``uri``, ``headline``, ``body_text`` or ``body_html``,
``versioncreated``/``firstcreated``, ``language``, ``copyrightholder``; the 2.x arrays
``headlines`` and ``bodies`` are understood too) becomes an article:

    uri -> external_id        headline -> title        body_text | body_html -> text
    firstcreated, else versioncreated -> published_at (its date)
    copyrightholder -> source language -> language (English only)

``uri`` becomes the ``external_id``, so re-posting a story (or a new version of it) behaves as
with ``POST /v1/articles``: the same text, headline and date return the stored analysis; a new
text, headline or date replaces it (so a ``versioncreated`` on another day, without
``firstcreated``, is a new date and analyses the story again).

Out: the analysed article as ninjs that a CMS can store beside the story. Standard fields carry
what ninjs has words for (the speakers quoted as ``person`` with ``rel: "quoted"``, the topics
as ``subject``); the quotes themselves, with offsets into ``body_text``, go in the extension
property ``x_quotes``.
"""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from service.db.tables import Article
from service.presenters import quote_view
from service.schemas import ArticleInSchema, QuoteSchema, StrictSchema

SPEAKER_SCHEME = "urn:quotes:speaker"
TOPIC_SCHEME = "urn:quotes:topic"


# --- in ---------------------------------------------------------------------------------------


class NinjsTextSchema(StrictSchema):
    """A member of ninjs 2.x ``headlines`` or ``bodies``."""

    value = fields.String(required=True)
    role = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    contenttype = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))


class NinjsInSchema(StrictSchema):
    uri = fields.String(
        required=True, validate=validate.Length(min=1, max=255),
        metadata={"description": "the story's identifier; stored as `external_id`",
                  "example": "urn:newsml:example.org:20180418:story-42"},
    )
    type = fields.String(load_default="text", validate=validate.OneOf(["text", "composite"]))
    headline = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))
    body_text = fields.String(load_default=None, allow_none=True)
    body_html = fields.String(load_default=None, allow_none=True)
    headlines = fields.List(fields.Nested(NinjsTextSchema), load_default=list,
                            validate=validate.Length(max=20))
    bodies = fields.List(fields.Nested(NinjsTextSchema), load_default=list,
                         validate=validate.Length(max=20))
    versioncreated = fields.DateTime(load_default=None, allow_none=True)
    firstcreated = fields.DateTime(load_default=None, allow_none=True)
    language = fields.String(load_default="en", allow_none=True, validate=validate.Length(max=35))
    copyrightholder = fields.String(load_default=None, allow_none=True,
                                    validate=validate.Length(max=255))

    @validates_schema
    def _has_english_text(self, data: dict, **_kw) -> None:
        name, text = body_of(data)
        if text is None:
            raise ValidationError("send the story in `body_text` or `body_html`", "body_text")
        try:  # the same checks as an article's `text`, reported under the field sent
            ArticleInSchema().load({"text": text})
        except ValidationError as exc:
            raise ValidationError(exc.messages.get("text", ["text is not valid"]), name)
        if not is_english(data.get("language")):
            raise ValidationError("only English (`en`) stories are analysed", "language")


def body_of(doc: dict) -> tuple[str, str | None]:
    """(field name, text) of the story's body: ``body_text``, else ``body_html``, else the
    first plain-text, then HTML member of ``bodies``."""
    if doc.get("body_text"):
        return "body_text", doc["body_text"]
    if doc.get("body_html"):
        return "body_html", doc["body_html"]
    for wanted in ("text/plain", "text/html", None):
        for i, body in enumerate(doc.get("bodies") or []):
            if (body.get("contenttype") or None) == wanted and body.get("value"):
                return f"bodies.{i}.value", body["value"]
    return "body_text", None


def headline_of(doc: dict) -> str | None:
    if doc.get("headline"):
        return doc["headline"]
    headlines = doc.get("headlines") or []
    main = [h for h in headlines if (h.get("role") or "main") == "main"] or headlines
    return main[0]["value"][:1000] if main else None


def is_english(language: str | None) -> bool:
    return not language or language.lower().replace("_", "-").split("-")[0] == "en"


def article_payload(doc: dict) -> dict:
    """A validated ninjs document -> the body `POST /v1/articles` would have received."""
    created = doc.get("firstcreated") or doc.get("versioncreated")
    return {
        "text": body_of(doc)[1],
        "title": headline_of(doc),
        "published_at": created.date() if created else None,
        "external_id": doc["uri"],
        "source": doc.get("copyrightholder"),
        "language": "en",
    }


# --- out --------------------------------------------------------------------------------------


class NinjsSubjectSchema(Schema):
    name = fields.String(required=True)
    rel = fields.String()
    scheme = fields.String()
    code = fields.String()


class QuoteAnalysisSchema(Schema):
    href = fields.String(required=True, metadata={"description": "the article in this API"})
    article_id = fields.String(required=True)
    model_version = fields.String(required=True)
    analysed_at = fields.DateTime()
    converted_from_html = fields.Boolean(
        metadata={"description": "true when the body was HTML: offsets refer to `body_text`"}
    )
    quotes = fields.List(fields.Nested(QuoteSchema), required=True)


class NinjsSchema(Schema):
    uri = fields.String(required=True)
    type = fields.String(required=True)
    representationtype = fields.String()
    language = fields.String()
    headline = fields.String(allow_none=True)
    body_text = fields.String(
        required=True, metadata={"description": "the analysed text: quote offsets refer to it"}
    )
    versioncreated = fields.DateTime()
    copyrightholder = fields.String(allow_none=True)
    person = fields.List(fields.Nested(NinjsSubjectSchema),
                         metadata={"description": "the speakers quoted (`rel`: `quoted`)"})
    subject = fields.List(fields.Nested(NinjsSubjectSchema),
                          metadata={"description": "the topics of the quotes"})
    x_quotes = fields.Nested(
        QuoteAnalysisSchema, required=True,
        metadata={"description": "extension property: the quotation analysis"},
    )


def article_to_ninjs(article: Article) -> dict:
    speakers = {q.speaker.id: q.speaker.name for q in article.quotes if q.speaker}
    topics = {q.topic.id: q.topic.label for q in article.quotes if q.topic}
    return {
        "uri": article.external_id or f"urn:quotes:article:{article.id}",
        "type": "text",
        "representationtype": "complete",
        "language": article.language,
        "headline": article.title,
        "body_text": article.text,
        "versioncreated": article.created_at,
        "copyrightholder": article.source,
        "person": [{"name": name, "rel": "quoted", "scheme": SPEAKER_SCHEME, "code": sid}
                   for sid, name in speakers.items()],
        "subject": [{"name": label, "rel": "about", "scheme": TOPIC_SCHEME, "code": tid}
                    for tid, label in topics.items()],
        "x_quotes": {
            "href": f"/v1/articles/{article.id}",
            "article_id": article.id,
            "model_version": article.model_version,
            "analysed_at": article.created_at,
            "converted_from_html": article.converted_from_html,
            "quotes": [quote_view(q, article.text) for q in article.quotes],
        },
    }
