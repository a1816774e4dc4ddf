"""One flask-smorest blueprint per resource."""
from service.api.articles import blp as articles
from service.api.health import blp as health
from service.api.speakers import blp as speakers
from service.api.stance import blp as stance
from service.api.topics import blp as topics

BLUEPRINTS = (health, articles, speakers, topics, stance)
