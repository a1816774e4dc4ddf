"""The stance-history export: every stance-bearing quote with its speaker, topic and article,
read in keyset pages ordered by (speaker, date, quote)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from service.db.tables import Article, Quote, Speaker, Topic


@dataclass(frozen=True)
class ExportFilter:
    speaker_ids: tuple[str, ...] = ()
    topic_id: str | None = None
    since: date | None = None
    until: date | None = None

    def as_dict(self) -> dict:
        return {"speakers": list(self.speaker_ids), "topic": self.topic_id,
                "since": self.since, "until": self.until}


def stance_rows(session: Session, flt: ExportFilter, after: tuple | None, limit: int) -> list:
    query = (
        select(
            Quote.speaker_id, Speaker.name.label("speaker_name"), Quote.date,
            Quote.topic_id, Topic.label.label("topic_label"), Quote.stance,
            Quote.stance_confidence.label("confidence"), Quote.id.label("quote_id"),
            Quote.type.label("quote_type"), Quote.content_text.label("quote_text"),
            Article.id.label("article_id"), Article.external_id.label("article_external_id"),
            Article.title.label("article_title"), Article.url.label("article_url"),
            Article.published_at,
        )
        .join(Speaker, Speaker.id == Quote.speaker_id)
        .join(Topic, Topic.id == Quote.topic_id)
        .join(Article, Article.id == Quote.article_id)
        .where(Quote.stance.is_not(None))
        .order_by(Quote.speaker_id, Quote.date, Quote.id)
        .limit(limit)
    )
    if flt.speaker_ids:
        query = query.where(Quote.speaker_id.in_(flt.speaker_ids))
    if flt.topic_id:
        query = query.where(Quote.topic_id == flt.topic_id)
    if flt.since:
        query = query.where(Quote.date >= flt.since)
    if flt.until:
        query = query.where(Quote.date <= flt.until)
    if after:
        speaker_id, day, quote_id = after
        query = query.where(or_(
            Quote.speaker_id > speaker_id,
            and_(Quote.speaker_id == speaker_id,
                 or_(Quote.date > day, and_(Quote.date == day, Quote.id > quote_id))),
        ))
    return list(session.execute(query))
