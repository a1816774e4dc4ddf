from flask_smorest import Blueprint, abort

from service.api.deps import pipeline
from service.schemas import StanceInSchema, StanceOutSchema

blp = Blueprint("stance", __name__, url_prefix="/v1/stance", description="Stance of a text")


@blp.route("", methods=["POST"])
@blp.arguments(StanceInSchema)
@blp.response(200, StanceOutSchema)
def stance(payload):
    """The stance of `text` toward `target` (any target in plain words)."""
    model = pipeline().stance_model
    if model is None:
        abort(503, message="No stance model is loaded in this deployment.")
    [prediction] = model.predict([(payload["text"], payload["target"].strip())])
    return {"label": prediction.label, "confidence": round(prediction.confidence, 4),
            "scores": {k: round(v, 4) for k, v in prediction.scores.items()},
            "model_version": model.version}
