"""marshmallow schemas: the request and response shapes of the API, and so its OpenAPI document."""
from __future__ import annotations

import datetime as dt
import re

from marshmallow import (
    EXCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates,
    validates_schema,
)

from models.speakers.registry import name_key

STANCES = ("favor", "against", "neutral")
QUOTE_TYPES = ("direct", "indirect", "mixed")


class StrictSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # clients may send CMS fields we don't use; they are ignored


# --- common -----------------------------------------------------------------------------------


def not_blank(value: str) -> None:
    """A validator: whitespace alone is no label, target or keyword."""
    if not value.strip():
        raise ValidationError("must not be blank")


class CalendarDate(fields.Date):
    """An ISO 8601 date, or a full ISO 8601 date-time of which the calendar date is kept as
    written (a CMS's "2018-04-18T23:30:00-04:00" is 18 April where the story was published)."""

    def _deserialize(self, value, attr, data, **kwargs) -> dt.date:
        if isinstance(value, str) and "T" in value:
            try:
                return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
            except ValueError:
                raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE) from None
        return super()._deserialize(value, attr, data, **kwargs)


class SpanSchema(Schema):
    text = fields.String(required=True)
    start = fields.Integer(required=True, metadata={"description": "code-point offset, inclusive"})
    end = fields.Integer(required=True, metadata={"description": "code-point offset, exclusive"})


class SpeakerRefSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    confidence = fields.Float(required=True)


class TopicRefSchema(Schema):
    id = fields.String(required=True)
    label = fields.String(required=True)
    confidence = fields.Float(required=True)


class StanceRefSchema(Schema):
    label = fields.String(required=True, validate=validate.OneOf(STANCES))
    confidence = fields.Float(required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Float())


class QuoteSchema(Schema):
    id = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(QUOTE_TYPES))
    content = fields.Nested(SpanSchema, required=True)
    content_fragments = fields.List(
        fields.Nested(SpanSchema),
        metadata={"description": "the pieces of a discontinuous content, in order"},
    )
    cue = fields.Nested(SpanSchema, allow_none=True)
    source = fields.Nested(SpanSchema, allow_none=True)
    reported_earlier = fields.Boolean(
        metadata={"description": "the article reports a statement made earlier "
                  "(\"last week, he said ...\"): not what the speaker says as of publication"}
    )
    said_on = fields.Date(
        allow_none=True, metadata={"description": "the estimated day of an earlier statement"}
    )
    speaker = fields.Nested(SpeakerRefSchema, allow_none=True)
    topic = fields.Nested(TopicRefSchema, allow_none=True)
    stance = fields.Nested(StanceRefSchema, allow_none=True)


class PageArgsSchema(StrictSchema):
    cursor = fields.String(load_default=None, validate=validate.Length(max=512))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


# --- articles ---------------------------------------------------------------------------------


class ArticleInSchema(StrictSchema):
    text = fields.String(
        required=True,
        metadata={
            "description": "plain article text; HTML is converted to plain text, and the "
            "article then says so in `converted_from_html`"
        },
    )
    title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))
    url = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    published_at = CalendarDate(
        load_default=None, allow_none=True,
        metadata={"description": "a date, or a date-time whose calendar date is kept"})
    source = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=255))
    external_id = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=255)
    )
    language = fields.String(load_default="en", validate=validate.OneOf(["en"]))

    @validates("text")
    def _text_is_prose(self, value: str, **_kw) -> None:
        if not value.strip():
            raise ValidationError("text is empty")
        if "\x00" in value or re.search(r"[\x01-\x08\x0e-\x1f]", value):
            raise ValidationError("text contains control characters: is it a binary file?")


class ArticleCreateArgsSchema(StrictSchema):
    mode = fields.String(
        load_default="sync",
        validate=validate.OneOf(["sync", "async"]),
        metadata={"description": "`sync` analyses within the request; `async` answers 202 "
                                 "at once with a job to follow (`GET /v1/jobs/{id}`)"},
    )


class ArticleRefSchema(Schema):
    id = fields.String(required=True)
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    published_at = fields.Date(allow_none=True)


class ArticleSchema(Schema):
    id = fields.String(required=True)
    external_id = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    language = fields.String()
    published_at = fields.Date(allow_none=True)
    created_at = fields.DateTime()
    text = fields.String(required=True)
    converted_from_html = fields.Boolean(
        metadata={"description": "true when the posted text was HTML and was converted"}
    )
    model_version = fields.String(required=True)
    quotes = fields.List(fields.Nested(QuoteSchema), required=True)
    speakers = fields.List(
        fields.Nested(lambda: SpeakerBriefSchema()),
        metadata={"description": "the speakers quoted in this article"},
    )


class ArticleSummarySchema(Schema):
    id = fields.String(required=True)
    external_id = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    published_at = fields.Date(allow_none=True)
    created_at = fields.DateTime()
    model_version = fields.String(required=True)
    quote_count = fields.Integer()


class ArticleListSchema(Schema):
    items = fields.List(fields.Nested(ArticleSummarySchema))
    next_cursor = fields.String(allow_none=True)


# --- speakers ---------------------------------------------------------------------------------


class SpeakerBriefSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)


class SpeakerSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String()
    aliases = fields.List(fields.String(), required=True)
    quote_count = fields.Integer(required=True)


class SpeakerSearchArgsSchema(PageArgsSchema):
    q = fields.String(load_default=None, validate=validate.Length(max=200))


class SpeakerListSchema(Schema):
    items = fields.List(fields.Nested(SpeakerSchema))
    next_cursor = fields.String(allow_none=True)


class HistoryArgsSchema(PageArgsSchema):
    topic = fields.String(load_default=None, validate=validate.Length(max=64))
    since = CalendarDate(load_default=None)
    until = CalendarDate(load_default=None)


class TopicBriefSchema(Schema):
    id = fields.String(required=True)
    label = fields.String(required=True)


class StanceCountsSchema(Schema):
    favor = fields.Integer(required=True)
    against = fields.Integer(required=True)
    neutral = fields.Integer(required=True)


class TopicSummarySchema(Schema):
    topic = fields.Nested(TopicBriefSchema, required=True)
    counts = fields.Nested(StanceCountsSchema, required=True)
    majority = fields.String(allow_none=True, validate=validate.OneOf(STANCES),
                             metadata={"description": "null on a tie"})
    latest = fields.String(required=True, validate=validate.OneOf(STANCES))
    first_seen = fields.Date(required=True)
    last_seen = fields.Date(required=True)


class HistoryItemSchema(Schema):
    date = fields.Date(required=True)
    topic = fields.Nested(TopicBriefSchema, required=True)
    stance = fields.String(required=True, validate=validate.OneOf(STANCES))
    confidence = fields.Float(required=True)
    quote = fields.Nested(QuoteSchema, required=True)
    article = fields.Nested(ArticleRefSchema, required=True)


class PeriodSchema(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    majority = fields.String(required=True, validate=validate.OneOf(STANCES))
    counts = fields.Nested(StanceCountsSchema, required=True)


class ShiftSchema(Schema):
    topic = fields.Nested(TopicBriefSchema, required=True)
    date = fields.Date(required=True, metadata={"description": "first day of the new position"})
    before = fields.Nested(PeriodSchema, required=True)
    after = fields.Nested(PeriodSchema, required=True)
    quote_ids = fields.List(
        fields.String(), metadata={"description": "the quotes that carry the new position"}
    )
    explanation = fields.String()


class HistorySchema(Schema):
    speaker = fields.Nested(SpeakerBriefSchema, required=True)
    summary = fields.List(fields.Nested(TopicSummarySchema), required=True)
    shifts = fields.List(fields.Nested(ShiftSchema))
    items = fields.List(fields.Nested(HistoryItemSchema), required=True)
    next_cursor = fields.String(allow_none=True)


# --- topics and stance ------------------------------------------------------------------------


class TopicSchema(StrictSchema):
    id = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^[a-z0-9][a-z0-9_-]{0,63}$", error="lower-case letters, digits, - and _ (max 64)"
        ),
    )
    label = fields.String(required=True, validate=[validate.Length(min=1, max=255), not_blank])
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    keywords = fields.List(
        fields.String(validate=[validate.Length(min=1, max=100), not_blank]),
        load_default=list,
        validate=validate.Length(max=100),
    )


class TopicPageArgsSchema(PageArgsSchema):
    limit = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=100),
        metadata={"description": "topics per page; without it, the whole catalogue at once"})


class TopicListSchema(Schema):
    items = fields.List(fields.Nested(TopicSchema))
    next_cursor = fields.String(allow_none=True)


# --- known people -------------------------------------------------------------------------------


class RoleSchema(Schema):
    """A role news copy calls the person by, and the days it held: from inclusive, to
    exclusive (the day the successor took over); either may be open."""

    class Meta:
        unknown = RAISE  # a misspelt "form" would leave the role open on every date

    as_ = fields.String(required=True, data_key="as", validate=validate.Length(min=1, max=200),
                        metadata={"example": "Russian president"})
    from_ = fields.Date(data_key="from", load_default=None, allow_none=True)
    to = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def from_before_to(self, data, **_):
        if not data["as_"].strip():
            raise ValidationError("a role needs words", "as")
        if data["from_"] and data["to"] and data["from_"] >= data["to"]:
            raise ValidationError("must be after 'from'", "to")


class PersonSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.String(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=255),
                         metadata={"example": "Vladimir Putin"})
    aliases = fields.List(fields.String(validate=validate.Length(min=1, max=255)),
                          load_default=list, validate=validate.Length(max=50),
                          metadata={"description": "other full names of the person"})
    female = fields.Boolean(load_default=None, allow_none=True)
    by_surname = fields.Boolean(
        load_default=False,
        metadata={"description": "the one news copy means by the bare surname ('Trump' alone)"})
    roles = fields.List(fields.Nested(RoleSchema), required=True, validate=validate.Length(max=200))

    @validates("name")
    def full_name(self, value, **_):
        if name_key(value) is None:
            raise ValidationError("give the full name: first name and surname, no title alone")

    @validates("aliases")
    def full_aliases(self, value, **_):
        if any(name_key(alias) is None for alias in value):
            raise ValidationError("each alias is a full name: first name and surname")


class PersonListSchema(Schema):
    items = fields.List(fields.Nested(PersonSchema))


class StanceInSchema(StrictSchema):
    text = fields.String(required=True, validate=[validate.Length(min=1, max=20_000), not_blank])
    target = fields.String(required=True, validate=[validate.Length(min=1, max=500), not_blank])


class StanceOutSchema(Schema):
    label = fields.String(required=True, validate=validate.OneOf(STANCES))
    confidence = fields.Float(required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    model_version = fields.String()


class HealthSchema(Schema):
    status = fields.String(required=True)
    checks = fields.Dict(keys=fields.String(), values=fields.String())
