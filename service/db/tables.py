"""The tables. SQLAlchemy 2 declarative models; the schema itself is owned by Alembic migrations."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator
from sqlalchemy.sql.expression import false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from service.ids import new_id


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A moment, always read back in UTC with its offset. PostgreSQL keeps the zone; SQLite
    stores no zone at all, and its values would come back naive ("2026-11-30T00:07:42")."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @staticmethod
    def _in_utc(value: datetime | None, dialect=None) -> datetime | None:
        """Naive is UTC (SQLite); an offset is converted (PostgreSQL answers in the session's
        zone)."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    process_bind_param = process_result_value = _in_utc


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("art"))
    external_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    # The same text analysed by the same model is the same analysis: looked up by its hash.
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(16), default="en")
    published_at: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    converted_from_html: Mapped[bool] = mapped_column(Boolean, default=False)
    model_version: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    quotes: Mapped[list["Quote"]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Quote.position",
    )


# Two requests with the same text and no external_id, at the same moment, would both miss the
# stored analysis and both insert it: this index lets one in, and the other answers with its
# row (``submit_article`` catches the IntegrityError and reads the stored result).
Index("uq_articles_text_sha256_model_version", Article.text_sha256, Article.model_version,
      unique=True, sqlite_where=Article.external_id.is_(None),
      postgresql_where=Article.external_id.is_(None))


class Speaker(Base):
    __tablename__ = "speakers"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("spk"))
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32), default="person")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    aliases: Mapped[list["SpeakerAlias"]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", order_by="SpeakerAlias.alias"
    )


class SpeakerAlias(Base):
    """Every surface name a speaker was given ("President Trump"), with its normalised form
    ("trump") for lookup."""

    __tablename__ = "speaker_aliases"
    __table_args__ = (UniqueConstraint("speaker_id", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    speaker_id: Mapped[str] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(255))
    normalized: Mapped[str] = mapped_column(String(255), index=True)
    # The last word of the normalised name, so that an article's bare "Trump" finds them.
    last_word: Mapped[str] = mapped_column(String(255), index=True)

    speaker: Mapped[Speaker] = relationship(back_populates="aliases")


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class KnownPerson(Base):
    """A public figure the speaker resolver knows by role ("the Russian leader" on a date):
    seeded from config/people.json, edited through /v1/people."""

    __tablename__ = "known_people"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("per"))
    name: Mapped[str] = mapped_column(String(255), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    female: Mapped[bool | None] = mapped_column(Boolean)
    by_surname: Mapped[bool] = mapped_column(Boolean, default=False)
    # [{"as": "Russian president", "from": "2012-05-07", "to": null}, ...]
    roles: Mapped[list[dict]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                 onupdate=utcnow)


class Quote(Base):
    __tablename__ = "quotes"
    __table_args__ = (
        # The stance history reads one speaker's quotes newest first, optionally per topic,
        # and pages by (date, id): both orders are served straight from these indexes.
        Index("ix_quotes_speaker_date", "speaker_id", "date", "id"),
        Index("ix_quotes_speaker_topic_date", "speaker_id", "topic_id", "date", "id"),
        # The summary and the shift detection count stances per topic and day: this index
        # covers them, so PostgreSQL answers from the index alone.
        Index("ix_quotes_speaker_topic_stance_date", "speaker_id", "topic_id", "stance", "date"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("qte"))
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16))
    content_start: Mapped[int] = mapped_column(Integer)
    content_end: Mapped[int] = mapped_column(Integer)
    content_text: Mapped[str] = mapped_column(Text)
    # [[start, end], ...] for discontinuous contents; empty when the content is one piece.
    content_fragments: Mapped[list] = mapped_column(JSON, default=list)
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    source_start: Mapped[int | None] = mapped_column(Integer)
    source_end: Mapped[int | None] = mapped_column(Integer)
    speaker_id: Mapped[str | None] = mapped_column(
        ForeignKey("speakers.id", ondelete="SET NULL")
    )
    speaker_confidence: Mapped[float | None] = mapped_column(Float)
    topic_id: Mapped[str | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    topic_confidence: Mapped[float | None] = mapped_column(Float)
    stance: Mapped[str | None] = mapped_column(String(16))
    stance_confidence: Mapped[float | None] = mapped_column(Float)
    stance_scores: Mapped[dict | None] = mapped_column(JSON)
    # The article's publication date (or its arrival date when it has none), copied here so
    # that the history query needs no join to order and filter.
    date: Mapped[date] = mapped_column(Date)
    # A statement the article reports as made earlier ("last week, he said ..."), and the day
    # it was made when the text tells it (models.temporal).
    reported_earlier: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    said_on: Mapped[date | None] = mapped_column(Date)

    article: Mapped[Article] = relationship(back_populates="quotes")
    speaker: Mapped[Speaker | None] = relationship()
    topic: Mapped[Topic | None] = relationship()


class ApiKey(Base):
    """API keys are stored as SHA-256 digests: the plain key is shown once, at creation."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class IdempotencyRecord(Base):
    """An ``Idempotency-Key`` seen on a POST, with the request it came with and its result."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_sha256: Mapped[str] = mapped_column(String(64))
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- background work and webhooks -------------------------------------------------------------


class Job(Base):
    """Articles accepted for analysis in the background (``mode=async``, batches).

    The articles themselves wait in ``job_items``: a queue message carries only ids, so that a
    broker never holds article text and a retried message finds its work in the database.
    """

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("job"))
    kind: Mapped[str] = mapped_column(String(16))  # "article" | "batch"
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    total: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    request_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    items: Mapped[list["JobItem"]] = relationship(
        back_populates="job", cascade="all, delete-orphan", passive_deletes=True,
        order_by="JobItem.position",
    )


class JobItem(Base):
    """One article of a job: what was posted, and what became of it."""

    __tablename__ = "job_items"
    __table_args__ = (UniqueConstraint("job_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    payload: Mapped[dict] = mapped_column(JSON)
    # Started attempts: a worker killed mid-article leaves it counted, so a poison article
    # that kills every worker is given up after JOBS_MAX_ATTEMPTS instead of looping.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    article_id: Mapped[str | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    created: Mapped[bool | None] = mapped_column(Boolean)  # new analysis (true) or stored one
    error: Mapped[dict | None] = mapped_column(JSON)  # a problem+json body
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    job: Mapped[Job] = relationship(back_populates="items")


class WebhookEndpoint(Base):
    """A URL that wants to hear about events. The secret signs deliveries (Standard Webhooks)."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("whk"))
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WebhookDelivery(Base):
    """One event for one endpoint. Its id is the ``webhook-id`` header, the same on every
    retry, so that receivers can drop duplicates."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_endpoint_id_id", "endpoint_id", "id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("msg"))
    endpoint_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # the exact body, signed again on each attempt
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    attempt_log: Mapped[list["WebhookAttempt"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="WebhookAttempt.number"
    )


class WebhookAttempt(Base):
    """One try at a delivery: what the endpoint answered, or why it could not be reached."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (UniqueConstraint("delivery_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[float] = mapped_column(Float)
