"""Analysing an article: deduplicate, predict, then write everything in one transaction.

Prediction (the pipeline, slow, no database) is kept apart from writing (the repository, fast,
one transaction), so that a failure in either leaves nothing half-written. Used by the API and
the CLI alike; nothing here knows about HTTP.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass

from sqlalchemy.exc import IntegrityError

from models.pipeline import Pipeline
from models.types import Document, Entity, Quote, SpeakerAssignment, Span
from service.db import Database
from service.db import repository as repo
from service.db.tables import Article

log = logging.getLogger(__name__)


class IdempotencyConflict(Exception):
    """The Idempotency-Key was already used with a different request."""


@dataclass
class Submission:
    article: Article
    created: bool  # a new analysis was stored (a new article or a revision); else read back


def request_fingerprint(fields: repo.ArticleFields) -> str:
    payload = {k: str(v) if v is not None else None for k, v in asdict(fields).items()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def predict(pipeline: Pipeline, fields: repo.ArticleFields, topics, people=None) -> Document:
    document = Document(text=fields.text, title=fields.title, published_at=fields.published_at)
    return pipeline.analyze(document, topics, people)


def submit_article(
    db: Database,
    pipeline: Pipeline,
    fields: repo.ArticleFields,
    idempotency_key: str | None = None,
) -> Submission:
    fingerprint = request_fingerprint(fields)
    stored, replace = _stored_result(db, pipeline.version, fields, idempotency_key, fingerprint)
    if stored is not None:
        return Submission(stored, created=False)

    with db.session() as session:
        topics = repo.as_pipeline_topics(repo.list_topics(session))
        stored_people = repo.list_people(session)
        # none stored (a database never seeded): the speaker stage keeps config/people.json
        people = repo.as_people_registry(stored_people) if stored_people else None
    document = predict(pipeline, fields, topics, people)

    for attempt in (1, 2):
        try:
            article_id = _save(db, pipeline, fields, document, replace, idempotency_key, fingerprint)
            break
        except IntegrityError:
            # Another request stored the same article (or used the same key) meanwhile: answer
            # with what it stored, exactly as if we had come second.
            log.info("concurrent duplicate submission", extra={"external_id": fields.external_id})
            stored, _ = _stored_result(db, pipeline.version, fields, idempotency_key, fingerprint)
            if stored is not None:
                return Submission(stored, created=False)
            if attempt == 2:
                raise
            # Else a speaker it links to was retracted meanwhile: linking again creates it anew.

    with db.session() as session:
        # A revision keeps its article id, but its analysis is new: 201, as the contract says
        # (200 is only for an answer read back from storage).
        return Submission(repo.get_article(session, article_id), created=True)


def _save(db, pipeline, fields, document, replace, idempotency_key, fingerprint) -> str:
    with db.transaction() as session:
        if replace is not None:
            replace = session.get(Article, replace.id)
        article = repo.save_analysis(session, fields, document, pipeline.version, replace)
        if idempotency_key:
            repo.record_idempotency(session, idempotency_key, fingerprint, article.id)
        return article.id


# What the CMS may change about a story without its analysis changing: the pipeline never
# reads them, so a new value is written in place (a new text, title or date is analysed again).
CMS_ONLY_FIELDS = ("url", "source")


def _take_cms_fields(db, article_id: str, fields: repo.ArticleFields) -> Article:
    """The stored story, as the CMS now describes it under its own id: a story first posted
    without an id takes the CMS's (so that a correction posted under it replaces this
    analysis instead of adding a second one), and a url or source sent replaces the old (one
    left out is kept: the schema cannot tell it from null)."""
    try:
        with db.transaction() as session:
            article = session.get(Article, article_id)
            if article is not None and article.external_id in (None, fields.external_id):
                article.external_id = fields.external_id
                for name in CMS_ONLY_FIELDS:
                    if getattr(fields, name) is not None:
                        setattr(article, name, getattr(fields, name))
    except IntegrityError:  # the id was given to another story meanwhile: keep ours as it was
        pass
    with db.session() as session:
        return repo.get_article(session, article_id)


def _stored_result(db, model_version, fields, idempotency_key, fingerprint):
    """(stored article to return as is, stored article to replace) — at most one is set.

    A key seen before answers with the article it was recorded with, as that article is now
    (revised since, perhaps): nothing is analysed or written again. A stored analysis found
    otherwise takes the CMS's id, url and source, and becomes the key's result, so that a
    replay finds it and another body under the key is refused, exactly as after a new analysis.
    """
    if idempotency_key:
        replayed = _replayed_article(db, idempotency_key, fingerprint)
        if replayed is not None:
            return replayed, None
    stored, replace = _stored_analysis(db, model_version, fields)
    if stored is not None and fields.external_id:
        stored = _take_cms_fields(db, stored.id, fields)
    if stored is not None and idempotency_key:
        _record_key(db, idempotency_key, fingerprint, stored.id)
    return stored, replace


def _replayed_article(db, idempotency_key, fingerprint) -> Article | None:
    with db.session() as session:
        record = repo.get_idempotency(session, idempotency_key)
        if record is None:
            return None
        if record.request_sha256 != fingerprint:
            raise IdempotencyConflict(idempotency_key)
        return repo.get_article(session, record.article_id)


def _record_key(db, idempotency_key, fingerprint, article_id: str) -> None:
    try:
        with db.transaction() as session:
            repo.record_idempotency(session, idempotency_key, fingerprint, article_id)
    except IntegrityError:
        # The key was recorded meanwhile by a concurrent request: a conflict if that one came
        # with another body. (Or the article was retracted meanwhile: nothing to record.)
        _replayed_article(db, idempotency_key, fingerprint)


def _stored_analysis(db, model_version, fields):
    """(stored article to return as is, stored article to replace), by external id or text."""
    with db.session() as session:
        if fields.external_id:
            existing = repo.find_article_by_external_id(session, fields.external_id)
            if existing is not None:
                # A revised story (or a newer model) replaces the stored analysis.
                return ((existing, None) if _analysed_from(existing, fields, model_version)
                        else (None, existing))
        # The same text under another (or no) external id is the same story: its stored
        # analysis is the answer, so that its quotes count once in every history.
        existing = repo.find_article_by_text(session, fields.text, model_version)
        if (existing is not None and fields.external_id and existing.external_id is None
                and not _analysed_from(existing, fields, model_version)):
            # a story posted without an id, now under the CMS's id with another headline or
            # date: analysed again, as it will be when posted again under that id
            return None, existing
        return existing, None


def _analysed_from(article: Article, fields: repo.ArticleFields, model_version: str) -> bool:
    """Whether the stored analysis read what the pipeline would read now: the same text,
    headline (for topics) and date (for roles and histories), by the same model version."""
    return (article.text_sha256 == repo.sha256(fields.text)
            and article.model_version == model_version
            and article.title == fields.title
            and article.published_at == fields.published_at)


def stored_document(article: Article) -> Document:
    """A stored article as pipeline input for re-labelling: its quotes and speakers, unlabelled."""
    entities, quotes = {}, []
    for row in article.quotes:
        if row.speaker is not None:
            entities[row.speaker.id] = Entity(row.speaker.id, row.speaker.name, row.speaker.kind)
        quotes.append(Quote(
            type=row.type,
            content=Span.of(article.text, row.content_start, row.content_end),
            content_fragments=tuple(Span.of(article.text, s, e) for s, e in row.content_fragments or []),
            cue=Span.of(article.text, row.cue_start, row.cue_end) if row.cue_start is not None else None,
            source=(Span.of(article.text, row.source_start, row.source_end)
                    if row.source_start is not None else None),
            speaker=(SpeakerAssignment(row.speaker.id, row.speaker_confidence or 0.0)
                     if row.speaker is not None else None),
            reported_earlier=row.reported_earlier,
            said_on=row.said_on,
        ))
    return Document(article.text, article.title, article.published_at, quotes, list(entities.values()))


def retag_articles(db: Database, pipeline: Pipeline, batch_size: int = 16):
    """Re-tag topics and stances of every stored quote with the current catalogue.

    Yields the number of articles done after each batch; each batch is its own transaction.
    """
    with db.session() as session:
        topics = repo.as_pipeline_topics(repo.list_topics(session))
    after = None
    while True:
        with db.session() as session:
            articles = repo.list_articles(session, after, batch_size)
        if not articles:
            return
        documents = pipeline.relabel([stored_document(a) for a in articles], topics)
        with db.transaction() as session:
            for article, document in zip(articles, documents):
                repo.update_labels(session, article.id, document.quotes)
        after = articles[-1].id
        yield len(articles)
