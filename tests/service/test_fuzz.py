"""Schemathesis fuzzes every operation of the OpenAPI document: no input may cause a 5xx."""
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.conftest import make_app

app = make_app("sqlite://")
schema = schemathesis.openapi.from_wsgi("/v1/openapi.json", app)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    case.call_and_validate(checks=[not_a_server_error])
