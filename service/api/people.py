"""The registry of public figures the speaker resolver reads descriptions with.

"The Russian leader said" is Vladimir Putin because the registry knows his roles and their
dates. It starts as ``config/people.json`` (seeded by ``flask db upgrade``); editors add people
and roles here, and the next analysed articles use them, without a deploy. Stored articles
keep the speakers they were analysed with.
"""
from datetime import date

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy.exc import IntegrityError

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
            "aliases": [a.strip() for a in payload["aliases"]],
            "roles": [{"as": r["as_"].strip(), "from": r["from_"], "to": r["to"]}
                      for r in payload["roles"]]}


def _save(session, entry: dict, row=None):
    """Store the entry, unless another person is known by one of its names (409): two
    entries for one person would make every description of them ambiguous."""
    other = repo.person_with_names(session, [entry["name"], *entry["aliases"]])
    if other is not None and (row is None or other.id != row.id):
        abort(409, message=f"{other.name!r} ({other.id}) is known by that name already: "
                           "PUT to change them.")
    try:
        return repo.save_person(session, entry, row)
    except IntegrityError:  # a concurrent request stored the same name first
        abort(409, message=f"{entry['name']!r} is known already.")


@blp.route("")
class People(MethodView):
    @blp.response(200, PersonListSchema)
    def get(self):
        """Every known person, by name."""
        with database().session() as session:
            return {"items": [person_view(p) for p in repo.list_people(session)]}

    @blp.arguments(PersonSchema)
    @blp.response(201, PersonSchema)
    @blp.alt_response(409, description="a person is known by this name or an alias")
    def post(self, payload):
        """Add a person; the next analysed articles resolve descriptions with their roles."""
        with database().transaction() as session:
            return person_view(_save(session, as_entry(payload)))


@blp.route("/<string:person_id>")
class Person(MethodView):
    @blp.response(200, PersonSchema)
    def get(self, person_id):
        """One known person."""
        with database().session() as session:
            return person_view(_existing(session, person_id))

    @blp.arguments(PersonSchema)
    @blp.response(200, PersonSchema)
    @blp.alt_response(409, description="another person is known by this name or an alias")
    def put(self, payload, person_id):
        """Replace a person's name, aliases and roles (add the new office, close the old)."""
        with database().transaction() as session:
            return person_view(_save(session, as_entry(payload), _existing(session, person_id)))


def _existing(session, person_id: str):
    row = repo.get_person(session, person_id)
    if row is None:
        abort(404, message=f"No known person {person_id!r}.")
    return row
