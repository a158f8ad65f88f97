"""API fuzzing with schemathesis: every operation of the published OpenAPI schema (/api/schema/) is
called with generated requests — as a court account, as agency staff and as a lawyer — against the
WSGI application on the test database, with every check schemathesis has (the Python API's
equivalent of `--checks all`). No answer may be a 500, and every answer must match the schema
(status code documented, body of the documented shape, content type, headers).

Two checks are told what this API answers, since a schema cannot say everything:
- positive_data_acceptance: a schema-valid request may still be refused by a rule no schema states
  (400: a region code that does not exist, a date in the future; 403: a role that may not act; 404:
  an id that is not the caller's; 409: a state that forbids it) — but never a 5xx;
- negative_data_rejection: a schema-invalid request must be refused (400, 401, 403, 404, 405, 406,
  413, 415, 422).

The number of examples per operation is bounded (FUZZ_EXAMPLES, default 8) so that CI time stays a
few minutes for the three accounts; raise it locally to search harder:
FUZZ_EXAMPLES=500 pytest tests/security/test_api_fuzz.py"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from legalaid.wsgi import application

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))

CONFIG = SchemathesisConfig.from_dict({"checks": {
    "positive_data_acceptance": {"expected-statuses": ["2XX", "400", "403", "404", "409"]},
    "negative_data_rejection": {"expected-statuses": ["400", "401", "403", "404", "405", "406", "413", "415", "422"]},
}})
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)

load_all_checks()
ALL_CHECKS = CHECKS.get_all()


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """schemathesis calls the raw WSGI handler, whose request signals close a database connection
    found inside a transaction: the test's own, on PostgreSQL. Django's test client unhooks them for
    the same reason; so do we, for the length of the test."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world):
    """A court account's, a staff member's and a lawyer's keys, and a designated notice each may
    read, so that generated ids sometimes hit a real one."""
    from assignments.tests import factories as f
    from cases.tests.factories import receive
    from conftest import token_client

    notice = receive(world)
    lawyer = f.lawyer(world, account=True)
    f.designate(world, notice, lawyer)
    receive(world)
    return {"court": token_client(world.court_user).raw_token, "staff": token_client(world.staff).raw_token,
            "lawyer": token_client(lawyer.user).raw_token}


@pytest.mark.parametrize("who", ["court", "staff", "lawyer"])
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_the_api_answers_every_generated_request_as_its_schema_says(case, tokens, who):
    case.call_and_validate(headers={"Authorization": f"Token {tokens[who]}"}, checks=ALL_CHECKS)
