from flask import current_app
from flask_smorest import Blueprint
from sqlalchemy import text

from service.api.deps import database
from service.schemas import HealthSchema

blp = Blueprint("health", __name__, description="Liveness and readiness")


@blp.route("/healthz")
@blp.doc(security=[])  # open even when API keys are configured
@blp.response(200, HealthSchema)
def healthz():
    """The process is up."""
    return {"status": "ok"}


@blp.route("/readyz")
@blp.doc(security=[])
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="models still loading or database down")
def readyz():
    """Ready to analyse: the models are loaded and the database answers."""
    checks = {}
    analyzer = current_app.extensions["analyzer"]
    checks["models"] = "ok" if analyzer.ready else (analyzer.error or "loading")
    try:
        with database().session() as session:
            session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any failure to answer means not ready
        checks["database"] = type(exc).__name__
    ready = all(v == "ok" for v in checks.values())
    return {"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503
