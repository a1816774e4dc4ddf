"""`flask ingest`, `flask export` and `flask jobs`: the newsroom's bulk doors.

    flask ingest archive/ extra.jsonl story.html     # analyse here, with a progress bar
    flask ingest --enqueue archive/                  # or queue them for the workers
    flask export --format csv --output stances.csv   # every speaker's stance history
    flask jobs requeue                               # hand unfinished work out again
"""
from __future__ import annotations

import csv
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from marshmallow import ValidationError
from tqdm import tqdm
from werkzeug.exceptions import HTTPException

from service.db import export_repository as export_repo
from service.jobs import services

TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}


# --- ingest -----------------------------------------------------------------------------------


@dataclass
class Record:
    origin: str  # "path" or "path:line", for the summary
    body: dict | None
    problem: str | None = None


def article_files(paths: tuple[Path, ...]) -> list[Path]:
    """The files to read: the paths given, and in folders every text, HTML or JSON file
    (recursively, in name order, hidden ones skipped)."""
    found = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | JSON_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ))
        else:
            found.append(path)
    return found


def read_records(path: Path) -> Iterator[Record]:
    """A .txt/.md/.html file is one article (its text); a .json file holds one article or a
    list; a .jsonl/.ndjson file one article per line. An article is either the body of
    `POST /v1/articles` or a ninjs document."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            items = data if isinstance(data, list) else [data]
            for i, item in enumerate(items):
                yield _record(f"{path}[{i}]" if isinstance(data, list) else str(path), item)
        elif suffix in (".jsonl", ".ndjson"):
            with path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, 1):
                    if line.strip():
                        try:
                            yield _record(f"{path}:{number}", json.loads(line))
                        except json.JSONDecodeError as exc:
                            yield Record(f"{path}:{number}", None, f"invalid JSON: {exc.msg}")
        else:
            yield Record(str(path), {"text": path.read_text(encoding="utf-8")})
    except (UnicodeDecodeError, json.JSONDecodeError, OSError) as exc:
        yield Record(str(path), None, f"unreadable: {exc}")


def _record(origin: str, item) -> Record:
    if not isinstance(item, dict):
        return Record(origin, None, "not a JSON object")
    return Record(origin, item)


def count_records(path: Path) -> int:
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            with path.open(encoding="utf-8", errors="replace") as lines:
                return sum(1 for line in lines if line.strip())
        if suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            return len(data) if isinstance(data, list) else 1
    except (ValueError, OSError):
        pass
    return 1


def article_fields(body: dict):
    """A record -> ``ArticleFields``, validated exactly as the API validates its bodies."""
    from service.api.articles import fields_from
    from service.ninjs import NinjsInSchema, article_payload
    from service.schemas import ArticleInSchema

    is_ninjs = "uri" in body and any(k in body for k in ("body_text", "body_html", "bodies"))
    payload = (article_payload(NinjsInSchema().load(body)) if is_ninjs
               else ArticleInSchema().load(body))
    return fields_from(payload)


@dataclass
class IngestSummary:
    files: int = 0
    outcomes: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)

    def failed(self, origin: str, why: str) -> None:
        self.outcomes["failed"] += 1
        self.problems.append(f"{origin}: {why}")

    def lines(self) -> list[str]:
        o = self.outcomes
        total = sum(o.values())
        out = [f"{self.files} files, {total} articles: {o['analysed']} analysed, "
               f"{o['stored']} already stored, {o['queued']} queued, {o['failed']} failed"]
        if self.jobs:
            out.append(f"jobs: {', '.join(self.jobs)} (follow them at /v1/jobs/<id>)")
        out.extend(f"  {p}" for p in self.problems[:20])
        if len(self.problems) > 20:
            out.append(f"  ... and {len(self.problems) - 20} more")
        return out


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--enqueue", is_flag=True,
              help="Queue the articles as jobs for the workers instead of analysing them here.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@with_appcontext
def ingest(paths, enqueue, quiet):
    """Analyse the articles in PATHS: files or folders of .txt, .md, .html (one article per
    file), .json (an article or a list) and .jsonl (one per line); articles as for
    POST /v1/articles, or ninjs documents. Ends with a summary; exit status 1 if any failed."""
    files = article_files(paths)
    summary = IngestSummary(files=len(files))
    total = sum(count_records(f) for f in files)
    batch, limit = [], int(current_app.config["MAX_BATCH_ARTICLES"])
    with tqdm(total=total, unit="article", disable=quiet, file=sys.stderr) as bar:
        for path in files:
            for record in read_records(path):
                fields = _validated(record, summary)
                if fields is not None and enqueue:
                    batch.append(fields)
                    if len(batch) == limit:
                        _enqueue(batch, summary)
                        batch = []
                elif fields is not None:
                    _analyse(record.origin, fields, summary)
                bar.update(1)
        if batch:
            _enqueue(batch, summary)
    for line in summary.lines():
        click.echo(line)
    if summary.outcomes["failed"]:
        sys.exit(1)


def _validated(record: Record, summary: IngestSummary):
    if record.body is None:
        summary.failed(record.origin, record.problem or "unreadable")
        return None
    try:
        return article_fields(record.body)
    except ValidationError as exc:
        summary.failed(record.origin, _messages(exc.messages))
    except HTTPException as exc:  # fields_from's own checks (empty once HTML is removed, ...)
        summary.failed(record.origin, _messages((getattr(exc, "data", None) or {}).get("errors")
                                                or exc.description))
    return None


def _analyse(origin: str, fields, summary: IngestSummary) -> None:
    from service.submissions import analyse_article

    try:
        result = analyse_article(services(current_app), fields, via="cli")
    except Exception as exc:
        summary.failed(origin, f"analysis failed: {type(exc).__name__}: {exc}")
        return
    summary.outcomes["analysed" if result.created else "stored"] += 1


def _enqueue(batch: list, summary: IngestSummary) -> None:
    from service.jobs.submit import QueueUnavailable, enqueue_job

    try:
        summary.jobs.append(enqueue_job(services(current_app), "batch", batch))
    except QueueUnavailable as exc:
        raise click.ClickException(f"the job queue is unavailable: {exc}")
    summary.outcomes["queued"] += len(batch)


def _messages(errors) -> str:
    if isinstance(errors, dict):
        return "; ".join(f"{k}: {_messages(v)}" for k, v in errors.items())
    if isinstance(errors, list):
        return ", ".join(_messages(e) for e in errors)
    return str(errors)


# --- export -----------------------------------------------------------------------------------

CSV_COLUMNS = (
    "speaker_id", "speaker_name", "date", "topic_id", "topic_label", "stance", "confidence",
    "quote_id", "quote_type", "quote_text", "article_id", "article_external_id",
    "article_title", "article_url", "published_at",
)


def history_rows(flt: export_repo.ExportFilter, page_size: int = 1000) -> Iterator[dict]:
    """Every stance-bearing quote in the filter, by speaker then date, read page by page."""
    db = current_app.extensions["database"]
    after = None
    while True:
        with db.session() as session:
            rows = export_repo.stance_rows(session, flt, after, page_size)
        yield from (row._asdict() for row in rows)
        if len(rows) < page_size:
            return
        last = rows[-1]
        after = (last.speaker_id, last.date, last.quote_id)


def write_csv(rows: Iterator[dict], out) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for n, row in enumerate(rows, 1):
        writer.writerow({k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()})
    return n


def write_json(rows: Iterator[dict], out, flt: export_repo.ExportFilter) -> int:
    """``{"exported_at", "filter", "speakers": [{"speaker", "summary", "items"}]}``, one
    speaker at a time (rows come grouped by speaker), so memory holds one history at most."""
    header = {"exported_at": datetime.now(timezone.utc).isoformat(), "filter": flt.as_dict()}
    out.write(json.dumps(header, default=str)[:-1] + ', "speakers": [')
    n, first, current, items = 0, True, None, []
    for row in rows:
        if current is not None and row["speaker_id"] != current[0]:
            out.write(("" if first else ",") + "\n" + _speaker_json(current, items))
            first, items = False, []
        current = (row["speaker_id"], row["speaker_name"])
        items.append(row)
        n += 1
    if current is not None:
        out.write(("" if first else ",") + "\n" + _speaker_json(current, items))
    out.write("\n]}\n")
    return n


def _speaker_json(speaker: tuple[str, str], rows: list[dict]) -> str:
    per_topic: dict[str, dict] = defaultdict(lambda: {"counts": Counter()})
    for row in rows:  # oldest first: the last one seen is the latest
        topic = per_topic[row["topic_id"]]
        topic["topic"] = {"id": row["topic_id"], "label": row["topic_label"]}
        topic["counts"][row["stance"]] += 1
        topic.setdefault("first_seen", row["date"])
        topic["last_seen"], topic["latest"] = row["date"], row["stance"]
    summary = [{**t, "counts": {s: t["counts"].get(s, 0) for s in ("favor", "against", "neutral")}}
               for _, t in sorted(per_topic.items())]
    items = [{
        "date": r["date"], "topic": {"id": r["topic_id"], "label": r["topic_label"]},
        "stance": r["stance"], "confidence": r["confidence"],
        "quote": {"id": r["quote_id"], "type": r["quote_type"], "text": r["quote_text"]},
        "article": {"id": r["article_id"], "external_id": r["article_external_id"],
                    "title": r["article_title"], "url": r["article_url"],
                    "published_at": r["published_at"]},
    } for r in rows]
    return json.dumps({"speaker": {"id": speaker[0], "name": speaker[1]}, "summary": summary,
                       "items": items}, default=str, ensure_ascii=False)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]),
              help="Default: from the output's extension, else csv.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
@click.option("--speaker", "speakers", multiple=True, help="Speaker id (repeatable; default all).")
@click.option("--topic", help="Topic id.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD).")
@with_appcontext
def export(fmt, output, speakers, topic, since, until):
    """Export stance histories: every quote with a stance, per speaker, oldest first, as CSV
    (one row per quote) or JSON (per speaker: a summary per topic, then the items)."""
    fmt = fmt or ("json" if output and output.suffix.lower() == ".json" else "csv")
    flt = export_repo.ExportFilter(tuple(speakers), topic, _day(since), _day(until))
    out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        rows = history_rows(flt)
        n = write_csv(rows, out) if fmt == "csv" else write_json(rows, out, flt)
    finally:
        if output:
            out.close()
    click.echo(f"{n} stance records exported" + (f" to {output}" if output else ""), err=True)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


# --- jobs -------------------------------------------------------------------------------------

jobs_cli = AppGroup("jobs", help="Background jobs and webhook deliveries.")


@jobs_cli.command("requeue")
def jobs_requeue():
    """Dispatch again every unfinished job and pending webhook delivery (after a crash; safe
    to repeat: what is done already is skipped)."""
    from service.jobs.submit import requeue_unfinished

    jobs, deliveries = requeue_unfinished(services(current_app))
    click.echo(f"{jobs} jobs and {deliveries} webhook deliveries dispatched again")


def init_app(app) -> None:
    for command in (ingest, export, jobs_cli):
        app.cli.add_command(command)
