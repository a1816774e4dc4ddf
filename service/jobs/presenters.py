"""Stored jobs -> the dicts that ``JobSchema`` dumps."""
from __future__ import annotations

from service.db.tables import Job, JobItem


def progress(job: Job) -> dict:
    succeeded = sum(1 for i in job.items if i.status == "succeeded")
    failed = sum(1 for i in job.items if i.status == "failed")
    done = succeeded + failed
    return {"total": job.total, "done": done, "succeeded": succeeded, "failed": failed,
            "percent": round(100.0 * done / job.total, 1) if job.total else 100.0}


def item_view(item: JobItem) -> dict:
    return {
        "position": item.position,
        "status": item.status,
        "external_id": (item.payload or {}).get("external_id"),
        "article_id": item.article_id,
        "created": item.created,
        "attempts": item.attempts,
        "error": item.error,
    }


def job_view(job: Job) -> dict:
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": progress(job),
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "items": [item_view(i) for i in job.items],
        "links": {"self": f"/v1/jobs/{job.id}"},
    }
