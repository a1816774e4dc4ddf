"""One flask-smorest blueprint per resource."""
from service.api.articles import blp as articles
from service.api.batches import blp as batches
from service.api.health import blp as health
from service.api.jobs import blp as jobs
from service.api.ninjs import blp as ninjs
from service.api.people import blp as people
from service.api.speakers import blp as speakers
from service.api.stance import blp as stance
from service.api.topics import blp as topics
from service.api.webhooks import blp as webhooks
from service.metrics import blp as metrics

BLUEPRINTS = (health, articles, speakers, people, topics, stance, batches, jobs, webhooks, ninjs,
              metrics)
