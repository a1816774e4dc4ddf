from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.intake import IDEMPOTENCY_HEADER, accept_job, idempotency_key, validated_fields
from service.jobs.schemas import BatchInSchema, JobSchema

blp = Blueprint("batches", __name__, url_prefix="/v1/batches",
                description="Many articles in one request, analysed in the background")


@blp.route("")
class Batches(MethodView):
    @blp.arguments(BatchInSchema)
    @blp.response(202, JobSchema, headers={"Location": {"description": "the job",
                                                         "schema": {"type": "string"}}})
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    def post(self, payload):
        """Queue many articles for analysis; answers at once with the job to follow.

        Every article is validated first: if any is invalid, the whole batch is refused (422,
        errors named `articles.<index>.<field>`) and nothing is queued. Each article is then
        stored exactly as `POST /v1/articles` would store it (same deduplication), and the
        job's items say which article each became.
        """
        key = idempotency_key()
        articles = [validated_fields(a, f"articles.{i}.") for i, a in enumerate(payload["articles"])]
        return accept_job("batch", articles, key)
