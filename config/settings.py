"""Settings, one class per environment; secrets and deployment choices come from the environment."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("QUOTES_VAR_DIR", PROJECT_DIR / "var"))


def _api_keys_from_env() -> tuple[str, ...]:
    raw = os.environ.get("QUOTES_API_KEYS", "")
    return tuple(k.strip() for k in raw.split(",") if k.strip())


def _list_from_env(name: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in os.environ.get(name, "").split(",") if v.strip())


class Config:
    # flask-smorest / OpenAPI
    API_TITLE = "Quote attribution and stance tracking"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    # Every API operation takes `Authorization: Bearer <key>` when keys are configured; health
    # and metrics say `security: []` (the docs page and this document are open too).
    API_SPEC_OPTIONS = {
        "components": {"securitySchemes": {"bearerAuth": {
            "type": "http", "scheme": "bearer",
            "description": "An API key (`flask keys create`, or QUOTES_API_KEYS), required "
                           "by every operation that lists this scheme once any key is "
                           "configured; health, metrics, /docs and this document stay open",
        }}},
        "security": [{"bearerAuth": []}],
    }

    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'quotes.db'}")
    API_KEYS = _api_keys_from_env()

    # Bad input is refused early: the whole request body, and the article text within it.
    MAX_CONTENT_LENGTH = int(os.environ.get("QUOTES_MAX_REQUEST_BYTES", 2 * 1024 * 1024))
    MAX_TEXT_CHARS = int(os.environ.get("QUOTES_MAX_TEXT_CHARS", 200_000))
    MAX_BATCH_ARTICLES = 100

    # Which analysis pipeline to build ("full" = the shipped models; tests inject fakes).
    PIPELINE = os.environ.get("QUOTES_PIPELINE", "full")
    # Load the models in a background thread at start-up so /readyz turns 200 without a first
    # request paying for it.
    PRELOAD_MODELS = os.environ.get("QUOTES_PRELOAD_MODELS", "1") == "1"
    TOPICS_FILE = PROJECT_DIR / "config" / "topics.json"
    PEOPLE_FILE = PROJECT_DIR / "config" / "people.json"  # seeds /v1/people

    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    JSON_LOGS = True
    TESTING = False

    # Background work: jobs (mode=async, batches) and webhook deliveries. "inline" runs it in
    # threads of the web process, so the embedded default needs no broker; "celery" sends it
    # to Celery workers (`make worker`) through Redis, and more workers scale it out.
    JOBS_EXECUTOR = os.environ.get("QUOTES_JOBS_EXECUTOR", "inline")
    JOBS_INLINE_THREADS = int(os.environ.get("QUOTES_JOBS_THREADS", 2))
    # An article whose worker died this many times is marked failed instead of retried again.
    JOBS_MAX_ATTEMPTS = int(os.environ.get("QUOTES_JOBS_MAX_ATTEMPTS", 3))
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    CELERY_QUEUE = os.environ.get("QUOTES_CELERY_QUEUE", "quotes")
    # Prefix of every Redis key Celery uses, so that several deployments (or test runs) can
    # share one Redis database without taking each other's messages.
    CELERY_KEY_PREFIX = os.environ.get("QUOTES_CELERY_KEY_PREFIX", "")
    # Redis hands a task nobody acknowledged within this time to another worker: it must
    # exceed the longest analysis and the longest webhook retry delay.
    CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("QUOTES_CELERY_VISIBILITY_TIMEOUT", 3600))

    # Webhooks: seconds to wait before each retry of a failed delivery, the per-attempt
    # timeout, and (when set) the only hosts endpoints may point at (".example.org" = subdomains).
    WEBHOOK_RETRY_DELAYS = (5, 60, 300, 1800)
    WEBHOOK_TIMEOUT = float(os.environ.get("QUOTES_WEBHOOK_TIMEOUT", 10))
    WEBHOOK_ALLOWED_HOSTS = _list_from_env("QUOTES_WEBHOOK_ALLOWED_HOSTS")


class DevelopmentConfig(Config):
    JSON_LOGS = os.environ.get("QUOTES_JSON_LOGS", "1") == "1"


class ProductionConfig(Config):
    pass


class TestingConfig(Config):
    TESTING = True
    DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    API_KEYS = ()
    PRELOAD_MODELS = False
    JSON_LOGS = False
    LOG_LEVEL = "WARNING"
    JOBS_INLINE_THREADS = 0  # jobs and deliveries run within the request: deterministic
    WEBHOOK_RETRY_DELAYS = (0.05, 0.1)
    WEBHOOK_ALLOWED_HOSTS = ("127.0.0.1",)  # tests never deliver anywhere but loopback


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def config_for(name: str | None) -> type[Config]:
    return CONFIGS[name or os.environ.get("QUOTES_ENV", "development")]
