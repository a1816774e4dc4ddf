"""Extensions, created unbound and attached to each app with ``init_app``.

flask-smorest's ``Api`` holds one app's OpenAPI spec, so ``create_app`` makes one per app.
"""
from service.db import Database
from service.nlp import Analyzer

database = Database()
analyzer = Analyzer()
