"""schemathesis over every operation of the API (issue 16), signed in with a mediator's token
and an administrator's: no server error, every status, content type, header and body as the
OpenAPI document says. A few examples each (`make test` stays quick)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.helpers import bearer, case_json, token_for

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def signed_in(app, client, make_user):
    """A mediator's and an administrator's read-write tokens, and a case of each to read."""
    headers = {}
    for role, area in (("mediator", "GAO"), ("admin", None)):
        headers[role] = bearer(token_for(app, make_user(role, area=area)), "fr")
        # The WSGI transport of schemathesis does not decompress (flask-compress).
        headers[role]["Accept-Encoding"] = "identity"
        made = client.post("/api/v1/cases", json=case_json(app), headers=headers[role])
        assert made.status_code == 201
    return headers


SETTINGS = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_every_operation_conforms_for_a_mediator_and_an_administrator(app, seeded, signed_in):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19
    statuses: set[int] = set()
    for operation in operations:

        @given(case=operation.as_strategy())
        @SETTINGS
        def conforms(case):
            for headers in signed_in.values():
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                statuses.add(response.status_code)

        conforms()
    # Both kinds of answer were met: data, and refused input.
    assert {200, 422} <= statuses, statuses
