from datetime import date

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from service import history
from service.api.deps import database
from service.db import repository as repo
from service.pagination import decode_cursor, page
from service.presenters import article_ref, quote_view
from service.schemas import (
    HistoryArgsSchema,
    HistorySchema,
    SpeakerListSchema,
    SpeakerSchema,
    SpeakerSearchArgsSchema,
)

blp = Blueprint("speakers", __name__, url_prefix="/v1/speakers",
                description="Speakers and their stance history")


def speaker_view(speaker, quote_count: int) -> dict:
    aliases = sorted({a.alias for a in speaker.aliases} - {speaker.name})
    return {"id": speaker.id, "name": speaker.name, "kind": speaker.kind, "aliases": aliases,
            "quote_count": quote_count}


@blp.route("")
class Speakers(MethodView):
    @blp.arguments(SpeakerSearchArgsSchema, location="query")
    @blp.response(200, SpeakerListSchema)
    def get(self, args):
        """Search speakers by name or alias (`q`), or list them all. Exact matches of the name
        or an alias come first ("trump" finds Donald Trump before the Trump administration)."""
        after = decode_cursor(args["cursor"], 2)
        with database().session() as session:
            rows = repo.search_speakers(session, args["q"], after, args["limit"] + 1)
            rows, cursor = page(rows, args["limit"], lambda row: (row[1], row[0].id))
            speakers = [speaker for speaker, _rank in rows]
            counts = repo.quote_counts(session, [s.id for s in speakers])
            return {"items": [speaker_view(s, counts.get(s.id, 0)) for s in speakers],
                    "next_cursor": cursor}


@blp.route("/<string:speaker_id>")
@blp.response(200, SpeakerSchema)
def get_speaker(speaker_id):
    """One speaker with its aliases."""
    with database().session() as session:
        speaker = repo.get_speaker(session, speaker_id)
        if speaker is None:
            abort(404, message=f"No speaker {speaker_id!r}.")
        return speaker_view(speaker, repo.quote_counts(session, [speaker_id]).get(speaker_id, 0))


@blp.route("/<string:speaker_id>/stances")
@blp.arguments(HistoryArgsSchema, location="query")
@blp.response(200, HistorySchema)
def stance_history(args, speaker_id):
    """The speaker's stance history: per-topic summary, shifts, and the quotes, newest first.

    `shifts` lists each change of majority position between consecutive months, with the
    quotes that carry the new position.
    """
    if args["since"] and args["until"] and args["since"] > args["until"]:
        abort(422, errors={"since": ["must not be after `until`"]})
    after = decode_cursor(args["cursor"], 2)
    with database().session() as session:
        speaker = repo.get_speaker(session, speaker_id)
        if speaker is None:
            abort(404, message=f"No speaker {speaker_id!r}.")
        flt = repo.HistoryFilter(speaker_id, args["topic"], args["since"], args["until"])
        topics = {t.id: {"id": t.id, "label": t.label} for t in repo.list_topics(session)}
        if args["topic"] and args["topic"] not in topics:
            abort(404, message=f"No topic {args['topic']!r}.")
        try:
            cursor_key = (date.fromisoformat(after[0]), after[1]) if after else None
        except ValueError:
            abort(400, message="`cursor` is not one this service issued.")
        rows = repo.stance_items(session, flt, cursor_key, args["limit"] + 1)
        rows, next_cursor = page(rows, args["limit"], lambda q: (q.date.isoformat(), q.id))
        return {
            "speaker": {"id": speaker.id, "name": speaker.name},
            "summary": _summary(session, flt, topics),
            "shifts": _shifts(session, flt, topics, speaker.name),
            "items": [_item(q, topics) for q in rows],
            "next_cursor": next_cursor,
        }


def _item(quote, topics) -> dict:
    return {"date": quote.date, "topic": topics[quote.topic_id], "stance": quote.stance,
            "confidence": round(quote.stance_confidence or 0.0, 4),
            "quote": quote_view(quote, quote.article.text), "article": article_ref(quote.article)}


def _summary(session, flt, topics) -> list[dict]:
    counts = repo.stance_counts(session, flt)
    latest = repo.latest_stances(session, flt, [c.topic_id for c in counts])
    summary = []
    for c in counts:
        period = history.Period(c.first_seen, c.last_seen)
        period.counts.update({"favor": c.favor, "against": c.against, "neutral": c.neutral})
        summary.append({
            "topic": topics[c.topic_id],
            "counts": {"favor": c.favor, "against": c.against, "neutral": c.neutral},
            "majority": period.majority,
            "latest": latest[c.topic_id],
            "first_seen": c.first_seen,
            "last_seen": c.last_seen,
        })
    return summary


MAX_SHIFTS = 20  # the most recent ones; a long, noisy history could have hundreds


def _shifts(session, flt, topics, speaker_name) -> list[dict]:
    by_topic: dict[str, list] = {}
    for topic_id, first, last, stance, n in repo.stance_month_counts(session, flt):
        by_topic.setdefault(topic_id, []).append((first, last, stance, n))
    found = [
        (shift, topic_id)
        for topic_id, day_counts in by_topic.items()
        for shift in history.detect_shifts(history.bucket(day_counts))
    ]
    found.sort(key=lambda pair: (pair[0].after.start, pair[1]), reverse=True)
    return [_shift_view(session, flt, topics, speaker_name, topic_id, shift)
            for shift, topic_id in found[:MAX_SHIFTS]]


def _shift_view(session, flt, topics, speaker_name, topic_id, shift) -> dict:
    after = shift.after
    return {
        "topic": topics[topic_id],
        "date": after.start,
        "before": shift.before.as_dict(),
        "after": after.as_dict(),
        "quote_ids": repo.quote_ids_between(session, flt, topic_id, after.start, after.end,
                                            after.majority),
        "explanation": shift.explanation(speaker_name, topics[topic_id]["label"]),
    }
