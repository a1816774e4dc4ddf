from flask_smorest import Blueprint, abort

from service.api.deps import database
from service.db import jobs_repository as jobs_repo
from service.jobs.presenters import job_view
from service.jobs.schemas import JobSchema

blp = Blueprint("jobs", __name__, url_prefix="/v1/jobs",
                description="Background analysis: status and progress of accepted articles")


@blp.route("/<string:job_id>")
@blp.response(200, JobSchema)
def get_job(job_id):
    """A job: its status, its progress, and what became of each of its articles.

    Poll it, or register a webhook for `job.completed`. Each item links to its article once
    analysed (`article_id`), or says why it could not be (`error`, a problem object).
    """
    with database().session() as session:
        job = jobs_repo.get_job(session, job_id)
        if job is None:
            abort(404, message=f"No job {job_id!r}.")
        return job_view(job)
