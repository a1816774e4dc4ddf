"""Settings, one class per environment; secrets and deployment choices come from the environment."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("QUOTES_VAR_DIR", PROJECT_DIR / "var"))


def _api_keys_from_env() -> tuple[str, ...]:
    raw = os.environ.get("QUOTES_API_KEYS", "")
    return tuple(k.strip() for k in raw.split(",") if k.strip())


class Config:
    # flask-smorest / OpenAPI
    API_TITLE = "Quote attribution and stance tracking"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/v1"
    OPENAPI_JSON_PATH = "openapi.json"

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

    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    JSON_LOGS = True
    TESTING = False


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


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def config_for(name: str | None) -> type[Config]:
    return CONFIGS[name or os.environ.get("QUOTES_ENV", "development")]
