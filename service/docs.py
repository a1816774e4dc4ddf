"""`GET /docs`: the OpenAPI document rendered as a plain HTML page, with no CDN (works offline)."""
from flask import Blueprint, current_app, render_template

blp = Blueprint("docs", __name__, template_folder="templates")


@blp.route("/docs")
def docs():
    spec = current_app.extensions["api"].spec.to_dict()
    return render_template("docs.html", spec=spec)
