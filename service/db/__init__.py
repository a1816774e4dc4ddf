"""Persistence: engine and sessions, usable with or without Flask (workers use it bare)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            # An in-memory database lives as long as its one connection.
            poolclass=StaticPool if in_memory else None,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # cascades on DELETE need it
    cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the writer
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class Database:
    """Holds the engine and the session factory; attached to an app with ``init_app``."""

    def __init__(self, url: str | None = None):
        self.engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        if url:
            self.connect(url)

    def init_app(self, app) -> None:
        """Give the app its own connected ``Database`` (each app may point elsewhere)."""
        app.extensions["database"] = type(self)(app.config["DATABASE_URL"])

    def connect(self, url: str) -> None:
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        assert self._sessions is not None, "Database is not connected"
        with self._sessions() as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed as one transaction, or not at all."""
        assert self._sessions is not None, "Database is not connected"
        with self._sessions() as session, session.begin():
            yield session

    def create_all(self) -> None:
        from service.db.tables import Base

        Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
