"""Fuzz the whole API from its OpenAPI schema (schemathesis): no input may cause a 5xx.

The schema is the app's own (``create_app().openapi()``); every operation gets a bounded
number of generated requests, valid ones (positive) and invalid ones (negative), sent to the
app under uvicorn on loopback (embedded store, default content preloaded) with the API key, so
that write routes are exercised too. Examples are derandomized so that a failure reproduces.
The query deadline is generous so that a 503 can only mean a bug.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from servers import App, running_app

from cmkg.api.app import create_app
from cmkg.api.settings import Settings

API_KEY = "fuzz-test-key"
SCHEMA = schemathesis.openapi.from_dict(create_app(Settings(store="memory")).openapi())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
#: (operation, mode): invalid inputs only exist for operations that take some input
CASES = [(operation, GenerationMode.POSITIVE) for operation in OPERATIONS] + [
    (operation, GenerationMode.NEGATIVE)
    for operation in OPERATIONS
    if list(operation.iter_parameters()) or operation.get_request_payload_content_types()
]


@pytest.fixture(scope="module")
def fuzz_app() -> Iterator[App]:
    with tempfile.TemporaryDirectory(prefix="cmkg-fuzz-") as folder:
        env = {
            "CMKG_STORE": "embedded",
            "CMKG_STORE_PATH": str(Path(folder) / "store"),
            "CMKG_PRELOAD": "true",
            "CMKG_API_KEY": API_KEY,
            "CMKG_QUERY_TIMEOUT": "30",
        }
        with running_app(env, startup_timeout=180) as running:
            yield running


def test_the_schema_has_the_sparql_routes() -> None:
    labels = {operation.label for operation in OPERATIONS}
    assert {"GET /sparql", "POST /sparql", "POST /sparql/update", "PUT /rdf-graph-store"} <= labels


@pytest.mark.parametrize(
    ("operation", "mode"), CASES, ids=[f"{op.label} {mode.value}" for op, mode in CASES]
)
def test_no_input_causes_a_server_error(fuzz_app: App, operation, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:
        case.call_and_validate(
            base_url=fuzz_app.url,
            headers={"X-API-Key": API_KEY},
            checks=[not_a_server_error],
            timeout=60,
        )

    try:
        check()
    except Unsatisfiable:
        # raised before any request is sent: the schema admits no invalid value here (e.g. a
        # lone unconstrained path string), so there is nothing to send, and nothing hidden
        pytest.skip(f"{operation.label}: its schema admits no invalid input to generate")
