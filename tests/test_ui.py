"""The query UI in a real browser: headless Chromium (Debian's, ``scripts/install-browser.sh``)
driven by Playwright, against the app under uvicorn with the default content preloaded.

The page must come from the app alone (no request to another origin), accept a typed query,
run it against ``/sparql`` and show the results; the example queries must return rows.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import App, running_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# CI (CMKG_REQUIRE_SERVERS=1) installs Chromium: there a missing browser fails the test.
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and os.environ.get("CMKG_REQUIRE_SERVERS") != "1",
    reason="no Chromium: run scripts/install-browser.sh (Debian chromium + chromium-driver)",
)


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    with tempfile.TemporaryDirectory(prefix="cmkg-ui-") as folder:
        settings = {
            "CMKG_STORE": "embedded",
            "CMKG_STORE_PATH": str(Path(folder) / "store"),
            "CMKG_PRELOAD": "true",
        }
        with running_app(settings, startup_timeout=180) as running:
            yield running


@pytest.fixture
def page(app: App):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context()
            page = context.new_page()
            page.requests = []  # type: ignore[attr-defined]
            page.console_errors = []  # type: ignore[attr-defined]
            page.on("request", lambda request: page.requests.append(request.url))
            page.on(
                "response",
                lambda r: (
                    page.console_errors.append(f"{r.status} {r.url}") if r.status >= 400 else None
                ),
            )
            page.on(
                "console",
                lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None,
            )
            page.goto(f"{app.url}/sparql")
            page.wait_for_selector(".yasqe .CodeMirror", timeout=30_000)
            yield page
        finally:
            browser.close()


def _run_and_read_table(page) -> str:
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr .dataTable tbody tr", timeout=30_000)
    return page.inner_text(".yasr .dataTable")


def test_a_typed_query_runs_and_its_results_are_shown(app: App, page) -> None:
    query = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        'SELECT ?label WHERE { ?m skos:prefLabel ?label FILTER (STR(?label) = "lithium") }'
    )
    page.click(".yasqe .CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(query)
    typed = page.evaluate("window.cmkgYasgui.getTab().getQuery()")
    assert " ".join(typed.split()) == " ".join(query.split())
    table = _run_and_read_table(page)
    assert "lithium" in table
    foreign = [url for url in page.requests if not url.startswith(app.url)]
    assert foreign == []
    assert page.console_errors == []


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        ("Top producers of a mineral", "Australia"),
        ("Dependency of a country", "gallium"),
        ("Agreements of a year", "2025"),
    ],
)
def test_the_example_queries_return_rows(app: App, page, example: str, expected: str) -> None:
    page.select_option("#examples", label=example)
    table = _run_and_read_table(page)
    assert expected in table
    foreign = [url for url in page.requests if not url.startswith(app.url)]
    assert foreign == []
