"""Schemathesis against the OGC API: every request it derives from /ogc/api must get an answer
the document describes, and never a server error.

The app is built as tests/webapp/test_ogc.py builds it (the layers in tests/gis/data/layers) and
called in-process through WSGI. Each operation gets positive and negative cases (values its
schema allows, and values it does not) from Hypothesis, derandomized and without an example
database, so every run sends the same requests. Checks: no 5xx, documented status codes and
content types, and JSON bodies valid against the response schemas.

Schemathesis leaves out the operation that serves the document itself (GET /api);
tests/webapp/test_hardening_params.py checks its formats.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from geo.settings import Settings
from webapp import create_app

LAYERS = Path(__file__).resolve().parents[1] / "gis" / "data" / "layers"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_MODE = 80  # x 2 modes x 8 operations: 1,280 requests
MIN_REQUESTS = 1_000
# The WSGI test client does not decompress: ask for bodies as they are.
HEADERS = {"Accept-Encoding": "identity"}


def _run(operation, mode: GenerationMode, sent: Counter, failures: list[str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case) -> None:
        sent[operation.label] += 1
        try:
            response = case.call_and_validate(headers=HEADERS, checks=CHECKS)
        except (AssertionError, FailureGroup) as failure:  # every failure, not only the first
            failures.append(f"{case.as_curl_command()}\n{failure}")
        else:
            sent[response.status_code] += 1

    fuzz()


def test_ogc_api_conforms_to_its_openapi_document():
    app = create_app(Settings(layers_dir=LAYERS), config={"TESTING": False})
    schema = schemathesis.openapi.from_wsgi("/ogc/api", app)
    sent: Counter = Counter()
    failures: list[str] = []
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8, [op.label for op in operations]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run(operation, mode, sent, failures)
    requests = sum(n for key, n in sent.items() if isinstance(key, str))
    elapsed = time.monotonic() - started
    statuses = {k: n for k, n in sorted(sent.items(), key=str) if isinstance(k, int)}
    summary = f"{requests} requests in {elapsed:.1f} s, statuses {statuses}"
    print(summary)
    assert not failures, f"{len(failures)} failures ({summary}):\n\n" + "\n\n".join(failures[:5])
    assert requests >= MIN_REQUESTS, summary
    assert 500 not in statuses, summary
    assert statuses.get(200, 0) > 100, summary  # not only refusals
