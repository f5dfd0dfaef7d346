"""Browser tests: Playwright (Python) driving Debian's Chromium against pytest-django's live server.

Where Chromium, Playwright or axe-core is missing the tests skip with the reason, unless
REQUIRE_BROWSER=1 (CI), where they fail instead.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses database access from
# a thread with a running loop unless told that this is intended.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = HERE / "screenshots"
CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "").strip() in {"1", "true", "yes"}


def unavailable(reason: str):
    if required():
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    for candidate in [os.environ.get("CHROMIUM_PATH", ""), *CHROMIUM_CANDIDATES]:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium_browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    executable = find_chromium()
    if executable is None:
        unavailable("no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as error:  # a broken install: say why
        playwright.stop()
        unavailable(f"Chromium at {executable} did not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def site(request, db):
    """The base URL of pytest-django's live server, over the corpus loaded once per session.

    live_server is requested through getfixturevalue, not as an argument: pytest-django makes any
    test that names live_server transactional, and a transactional test ends by flushing the
    database — erasing the corpus that tests/conftest.py loads once for the whole session. With
    ``db`` the test runs in a transaction that is rolled back instead. The server sees the corpus
    either way: on SQLite it shares the test's connection, on PostgreSQL the corpus is committed.
    """
    return request.getfixturevalue("live_server").url


# Records every Content-Security-Policy violation the page reports. Init scripts are injected by
# the browser itself, so the policy they watch does not block them.
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile || document.URL}:${event.lineNumber}`
  );
});
"""


def _page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, **options)
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    # Chromium also logs each violation on the console ("Refused to … Content Security Policy").
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    return context, page


def csp_violations(page) -> list[str]:
    """What the page's policy blocked so far: console reports and securitypolicyviolation events."""
    try:
        events = page.evaluate("window.__cspViolations || []")
    except Exception:  # the page is closed or navigating
        events = []
    return [*page.csp_violations, *events]


@pytest.fixture
def page(chromium_browser):
    context, page = _page(chromium_browser, DESKTOP, accept_downloads=True)
    yield page
    context.close()
    assert not page.js_errors, page.js_errors
    assert not page.csp_violations, page.csp_violations


@pytest.fixture
def phone_page(chromium_browser):
    context, page = _page(chromium_browser, PHONE, is_mobile=True, has_touch=True)
    yield page
    context.close()
    assert not page.js_errors, page.js_errors
    assert not page.csp_violations, page.csp_violations


@pytest.fixture
def no_js_page(chromium_browser):
    context, page = _page(chromium_browser, DESKTOP, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        unavailable(f"axe-core not found at {AXE_JS} (run: npm ci --prefix tests/browser)")
    return AXE_JS.read_text()


@pytest.fixture
def run_axe(axe_source):
    """Runs axe-core on the page; returns the serious and critical violations."""

    def run(page):
        # Evaluated through the browser's DevTools protocol: an added <script> tag would be inline
        # script, which the Content-Security-Policy rightly blocks.
        page.evaluate(axe_source)
        result = page.evaluate("""async () => await axe.run(document, {resultTypes: ["violations"]})""")
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return run


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
