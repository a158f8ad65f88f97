"""API fuzzing with schemathesis: every operation of the published OpenAPI schema (/api/schema/) is
called with generated requests, as a court account and as agency staff, against the WSGI application
on the test database. No answer may be a 500, and every answer must match the schema (status code
documented, body of the documented shape, content type).

The number of examples per operation is bounded (FUZZ_EXAMPLES, default 12) so that CI time stays a
minute or two; raise it locally to search harder: FUZZ_EXAMPLES=500 pytest tests/security/test_api_fuzz.py"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from legalaid.wsgi import application

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

# What the issue asks (no 500s; every response as the schema says), plus: an operation that declares
# authentication refuses a call without it. Not run: "every schema-valid request is accepted" (the API
# rightly refuses, e.g., a region code that does not exist or a date in the future: rules a schema
# cannot state), "every schema-invalid request is refused" (an empty query parameter, `?status=`, means
# no filter, as in every Django filter), and the stateful checks.
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance, checks.ignored_auth]


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
    """A court account's and a staff member's keys, and a notice each may read, so that generated
    ids sometimes hit a real notice."""
    from cases.tests.factories import receive
    from conftest import token_client

    receive(world)
    return {"court": token_client(world.court_user).raw_token, "staff": token_client(world.staff).raw_token}


@pytest.mark.parametrize("who", ["court", "staff"])
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_the_api_answers_every_generated_request_as_its_schema_says(case, tokens, who):
    case.call_and_validate(headers={"Authorization": f"Token {tokens[who]}"}, checks=CHECKS)
