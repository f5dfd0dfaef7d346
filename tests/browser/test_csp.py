"""The Content-Security-Policy in a real browser: no page, API documentation or admin page does
anything the policy blocks, and the policy does block inline script."""

import pytest

from .conftest import DESKTOP, _page, csp_violations
from .test_site import pages_of_every_kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Nothing is expected to be blocked: Redoc's "by Redocly" logo, once drawn from its makers' CDN, is
# served by the portal (wps_portal/api/docs.py).
EXPECTED_BLOCKS = ()

# (name, path, a selector that appears once the page's scripts have done their work)
SCRIPTED_PAGES = [
    ("swagger-ui", "/api/v1/docs/", ".swagger-ui .opblock"),
    ("redoc", "/api/v1/redoc/", "[role=search], .api-content"),
    ("browsable-api", "/api/v1/partners/?page_size=2", "#content"),
    ("admin-login", "/admin/login/", "#login-form"),
]


def test_no_csp_violation_on_any_kind_of_page(page, site):
    failures = {}
    for name, path in pages_of_every_kind():
        response = page.goto(site + path)
        assert "script-src 'self'" in response.headers["content-security-policy"], name
        page.wait_for_load_state("load")
        if violations := csp_violations(page):
            failures[name] = violations
    assert not failures, failures


@pytest.mark.parametrize(("name", "path", "ready"), SCRIPTED_PAGES, ids=[p[0] for p in SCRIPTED_PAGES])
def test_api_docs_and_admin_run_under_the_policy(page, site, name, path, ready):
    response = page.goto(site + path)
    assert (
        "'unsafe-inline'"
        not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    )
    page.locator(ready).first.wait_for(state="attached", timeout=30_000)
    violations = [v for v in csp_violations(page) if not any(e in v for e in EXPECTED_BLOCKS)]
    assert not violations
    page.csp_violations.clear()  # the expected ones, checked above


def test_admin_sign_in_error_page_runs_under_the_policy(page, site):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong")
    page.click("input[type=submit]")
    page.locator(".errornote").wait_for()
    assert not csp_violations(page)


def test_the_policy_blocks_inline_script_and_the_check_sees_it(chromium_browser, site):
    context, page = _page(chromium_browser, DESKTOP)
    try:
        page.goto(site + "/")
        page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "window.injected = true";
              document.body.appendChild(script);
            }"""
        )
        page.wait_for_function("window.__cspViolations.length > 0")
        assert page.evaluate("window.injected === undefined")
        assert any("script-src" in v for v in csp_violations(page)), csp_violations(page)
    finally:
        context.close()
