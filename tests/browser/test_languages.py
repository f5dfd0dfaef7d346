"""The pages in each of the portal's other languages in a real browser: axe-core finds no serious
or critical violation (the English pages are checked in test_site.py)."""

import pytest
from django.utils import translation

from casestudies.models import CaseStudy
from partners.models import Partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

OTHER_LANGUAGES = ["sq", "sr", "sr-latn", "bs"]


def pages_in(code: str) -> list[tuple[str, str]]:
    """(name, path) of the representative pages in language ``code``: the URLs are reversed in it,
    so each carries its prefix (/sq/…, /sr-latn/…)."""
    partner = Partner.objects.published().filter(acronym="KWN").first() or Partner.objects.published().first()
    with translation.override(code):
        return [
            ("home", f"/{code}/"),
            ("activities", f"/{code}/activities/"),
            ("partners-filtered", f"/{code}/partners/?country=XK&kind=womens-ngo"),
            ("lessons", f"/{code}/lessons/"),
            ("partner", partner.get_absolute_url()),
            ("case-study", CaseStudy.objects.published().first().get_absolute_url()),
            ("search", f"/{code}/search/?q=zene+zenama"),
        ]


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_no_serious_or_critical_accessibility_violation_in_each_language(page, site, run_axe, code):
    failures = {}
    for name, path in pages_in(code):
        assert path.startswith(f"/{code}/"), path
        page.goto(site + path)
        assert page.evaluate("document.documentElement.lang") == code, path
        if violations := run_axe(page):
            failures[name] = violations
        # axe's landmark-unique (moderate): the header's search and the page's each have a name
        names = page.evaluate(
            """[...document.querySelectorAll("[role=search]")].map(
                (form) => document.getElementById(form.getAttribute("aria-labelledby"))?.textContent.trim())"""
        )
        assert all(names) and len(set(names)) == len(names), (path, names)
    assert not failures, failures
