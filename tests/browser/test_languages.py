"""The pages in each of the portal's other languages in a real browser: axe-core finds no serious
or critical violation (the English pages are checked in test_site.py); the one script that
writes words, the excerpt's counter, writes them in the page's language and plural form."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection  # noqa: F401 (the skip condition)
from django.templatetags.static import static
from django.utils import translation

from casestudies.models import CaseStudy
from partners.models import Partner
from wps_portal.forms import ExcerptWidget

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


# (characters left, what the counter says) in each language's plural forms: Serbian "one" for 1
# and 21 but not 11, "few" for 2 to 4 and 22, "other" for the rest.
COUNTER_TEXTS = {
    "en": [(300, "300 / 300 characters left"), (1, "1 / 300 character left"), (0, "0 / 300 characters left")],
    "sq": [(1, "Ka mbetur 1 karakter nga 300"), (2, "Kanë mbetur 2 karaktere nga 300")],
    "sr": [
        (1, "Преостао је 1 знак од 300"),
        (21, "Преостао је 21 знак од 300"),
        (11, "Преостало је 11 знакова од 300"),
        (3, "Преостала су 3 знака од 300"),
        (22, "Преостала су 22 знака од 300"),
        (0, "Преостало је 0 знакова од 300"),
    ],
    "bs": [
        (1, "Preostao je 1 znak od 300"),
        (4, "Preostala su 4 znaka od 300"),
        (5, "Preostalo je 5 znakova od 300"),
    ],
}


@pytest.mark.parametrize("code", COUNTER_TEXTS)
def test_the_excerpt_counter_speaks_the_pages_language_in_its_plural_forms(page, site, code):
    """The widget as the admin renders it, in a page of the portal (its CSP applies), with the
    script loaded as a file."""
    with translation.override(code):
        html = ExcerptWidget().render("excerpt", "")
    page.goto(site + ("/" if code == "en" else f"/{code}/"))
    page.evaluate("html => document.querySelector('main').insertAdjacentHTML('beforeend', html)", html)
    page.add_script_tag(url=site + static("js/char-counter.js"))
    page.evaluate("document.dispatchEvent(new Event('formset:added'))")
    area, counter = page.locator("textarea[data-char-counter]"), page.locator(".char-counter")
    for left, text in COUNTER_TEXTS[code]:
        area.fill("x" * (300 - left))
        assert counter.inner_text() == text


@pytest.mark.skipif(
    "connection.vendor == 'postgresql'",
    reason="the live server reads committed rows only, and the curator this test signs in as is not",
)
def test_the_admins_excerpt_box_counts_down_in_words(page, site):
    get_user_model().objects.create_superuser("curator", "curator@example.org", "a long test password")
    partner = Partner.objects.published().filter(citations__isnull=False).first() or Partner.objects.first()
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", "a long test password")
    page.click("input[type=submit]")
    page.goto(site + f"/admin/partners/partner/{partner.pk}/change/")
    area = page.locator("textarea[data-char-counter]").first
    area.fill("x" * 299)
    assert page.locator(".char-counter").first.inner_text() == "1 / 300 character left"
