"""The web service: an app factory in the Flask tutorial's style."""
from __future__ import annotations

import logging

from flask import Flask

from config.logging_setup import configure_logging
from config.settings import config_for


def create_app(config: str | type | None = None, pipeline=None, **overrides) -> Flask:
    """Build the app. ``config`` is an environment name or a config class; ``pipeline`` lets
    tests inject a small fake in place of the shipped models."""
    app = Flask(__name__)
    app.config.from_object(config_for(config) if config is None or isinstance(config, str) else config)
    app.config.update(overrides)
    configure_logging(app.config["LOG_LEVEL"], app.config["JSON_LOGS"])

    from service import auth, cli, requests, web
    from service.api import BLUEPRINTS
    from service.docs import blp as docs_blueprint
    from service.errors import ProblemApi
    from service.extensions import analyzer, database

    database.init_app(app)
    analyzer.init_app(app, pipeline)
    api = ProblemApi(app)
    app.extensions["api"] = api
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs_blueprint)
    app.register_blueprint(web.blp)
    requests.init_app(app)
    auth.init_app(app)
    requests.init_body_checks(app)
    cli.init_app(app)
    if not app.config["TESTING"]:
        auth.log_auth_mode(app)
    logging.getLogger(__name__).info("app created", extra={"database": _safe_url(app)})
    return app


def _safe_url(app: Flask) -> str:
    from sqlalchemy.engine import make_url

    return make_url(app.config["DATABASE_URL"]).render_as_string(hide_password=True)
