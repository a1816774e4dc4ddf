"""The registry of public figures the speaker resolver reads descriptions with.

"The Russian leader said" is Vladimir Putin because the registry knows his roles and their
dates. It starts as ``config/people.json`` (seeded by ``flask db upgrade``); editors add people
and roles here, and the next analysed articles use them, without a deploy. Stored articles
keep the speakers they were analysed with.
"""
from datetime import date

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from service.api.deps import database
from service.db import repository as repo
from service.schemas import PersonListSchema, PersonSchema

blp = Blueprint("people", __name__, url_prefix="/v1/people",
                description="Public figures and their roles by date, for speaker resolution")


def person_view(row) -> dict:
    return {"id": row.id, "name": row.name, "aliases": list(row.aliases or []),
            "female": row.female, "by_surname": row.by_surname,
            "roles": [{"as_": r["as"], "from_": _day(r.get("from")), "to": _day(r.get("to"))}
                      for r in row.roles or []]}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def as_entry(payload: dict) -> dict:
    """The API's field names -> the registry's (those of config/people.json)."""
    return {**payload, "name": payload["name"].strip(),
            "roles": [{"as": r["as_"].strip(), "from": r["from_"], "to": r["to"]}
                      for r in payload["roles"]]}


@blp.route("")
class People(MethodView):
    @blp.response(200, PersonListSchema)
    def get(self):
        """Every known person, by name."""
        with database().session() as session:
            return {"items": [person_view(p) for p in repo.list_people(session)]}

    @blp.arguments(PersonSchema)
    @blp.response(201, PersonSchema)
    @blp.alt_response(409, description="a person with this name is known")
    def post(self, payload):
        """Add a person; the next analysed articles resolve descriptions with their roles."""
        entry = as_entry(payload)
        with database().transaction() as session:
            if repo.person_named(session, entry["name"]) is not None:
                abort(409, message=f"{entry['name']!r} is known already: PUT to change them.")
            return person_view(repo.save_person(session, entry))


@blp.route("/<string:person_id>")
class Person(MethodView):
    @blp.response(200, PersonSchema)
    def get(self, person_id):
        """One known person."""
        with database().session() as session:
            return person_view(_existing(session, person_id))

    @blp.arguments(PersonSchema)
    @blp.response(200, PersonSchema)
    @blp.alt_response(409, description="another person has this name")
    def put(self, payload, person_id):
        """Replace a person's name, aliases and roles (add the new office, close the old)."""
        entry = as_entry(payload)
        with database().transaction() as session:
            row = _existing(session, person_id)
            other = repo.person_named(session, entry["name"])
            if other is not None and other.id != row.id:
                abort(409, message=f"{entry['name']!r} is another known person.")
            return person_view(repo.save_person(session, entry, row))


def _existing(session, person_id: str):
    row = repo.get_person(session, person_id)
    if row is None:
        abort(404, message=f"No known person {person_id!r}.")
    return row
