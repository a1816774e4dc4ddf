"""Stored rows -> the plain dicts that the response schemas dump (the contract's shapes)."""
from __future__ import annotations

from service.db.tables import Article, Quote


def span(text: str, start: int | None, end: int | None) -> dict | None:
    if start is None or end is None:
        return None
    return {"text": text[start:end], "start": start, "end": end}


def quote_view(quote: Quote, text: str) -> dict:
    return {
        "id": quote.id,
        "type": quote.type,
        "content": span(text, quote.content_start, quote.content_end),
        "content_fragments": [span(text, s, e) for s, e in quote.content_fragments or []],
        "cue": span(text, quote.cue_start, quote.cue_end),
        "source": span(text, quote.source_start, quote.source_end),
        "reported_earlier": quote.reported_earlier,
        "said_on": quote.said_on,
        "speaker": (
            {"id": quote.speaker.id, "name": quote.speaker.name,
             "confidence": round(quote.speaker_confidence or 0.0, 4)}
            if quote.speaker else None
        ),
        "topic": (
            {"id": quote.topic.id, "label": quote.topic.label,
             "confidence": round(quote.topic_confidence or 0.0, 4)}
            if quote.topic else None
        ),
        "stance": (
            {"label": quote.stance, "confidence": round(quote.stance_confidence or 0.0, 4),
             "scores": quote.stance_scores or {}}
            if quote.stance else None
        ),
    }


def article_ref(article: Article) -> dict:
    return {
        "id": article.id, "title": article.title, "url": article.url,
        "published_at": article.published_at,
    }


def article_summary(article: Article) -> dict:
    return {
        **article_ref(article),
        "external_id": article.external_id,
        "source": article.source,
        "created_at": article.created_at,
        "model_version": article.model_version,
        "quote_count": len(article.quotes),
    }


def article_view(article: Article) -> dict:
    speakers = {q.speaker.id: q.speaker for q in article.quotes if q.speaker}
    return {
        **article_ref(article),
        "external_id": article.external_id,
        "source": article.source,
        "language": article.language,
        "created_at": article.created_at,
        "text": article.text,
        "converted_from_html": article.converted_from_html,
        "model_version": article.model_version,
        "quotes": [quote_view(q, article.text) for q in article.quotes],
        "speakers": [{"id": s.id, "name": s.name} for s in speakers.values()],
    }
