"""The Alembic migrations build exactly the schema the tables declare, on both backends."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from config.settings import TestingConfig
from service import create_app
from service.cli import upgrade_database
from service.db.tables import Base
from tests.fakes import fake_pipeline


def test_upgrade_builds_the_declared_schema_and_seeds_topics(database_url):
    app = create_app(TestingConfig, pipeline=fake_pipeline(), DATABASE_URL=database_url)
    added = upgrade_database(app)
    assert added > 20
    assert upgrade_database(app) == 0  # idempotent
    engine = create_engine(database_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        assert "alembic_version" in inspect(connection).get_table_names()
    engine.dispose()
    app.extensions["database"].dispose()


def test_moments_are_read_back_in_utc_whatever_zone_the_database_answers_in():
    from datetime import datetime, timedelta, timezone

    from service.db.tables import UTCDateTime

    berlin = datetime(2026, 11, 30, 1, 27, tzinfo=timezone(timedelta(hours=1)))
    column = UTCDateTime()
    read = column.process_result_value(berlin, dialect=None)
    assert read == berlin and read.utcoffset() == timedelta(0)
    naive = column.process_result_value(datetime(2026, 11, 30, 0, 27), dialect=None)  # SQLite
    assert naive.tzinfo is timezone.utc and naive.hour == 0
