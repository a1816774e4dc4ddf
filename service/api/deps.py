"""What the views need from the app, in one place."""
from flask import current_app

from models.pipeline import Pipeline
from service.db import Database


def database() -> Database:
    return current_app.extensions["database"]


def pipeline() -> Pipeline:
    return current_app.extensions["analyzer"].pipeline
