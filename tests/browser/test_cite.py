"""'Cite this' in a real browser: the copy button copies the citation shown; without scripts the
citation is there as text and the downloads are links."""

import pytest

from partners.models import Partner

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_copy_button_copies_the_citation_shown(page, site):
    partner = Partner.objects.published().get(slug="kosovo-womens-network")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.goto(site + partner.get_absolute_url())
    shown = page.locator("#cite-text").inner_text().strip()
    assert shown.startswith("WPS Portal.") and partner.name in shown
    page.get_by_role("button", name="Copy citation").click()
    page.get_by_role("button", name="Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == shown
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator(".cite-this").screenshot(path=str(SCREENSHOTS / "cite-this.png"))


def test_without_javascript_the_citation_is_text_and_downloads_are_links(no_js_page, site):
    partner = Partner.objects.published().get(slug="kosovo-womens-network")
    no_js_page.goto(site + partner.get_absolute_url())
    assert no_js_page.locator("#cite-text").inner_text().startswith("WPS Portal.")
    assert no_js_page.get_by_role("button", name="Copy citation").count() == 0
    with no_js_page.expect_download() as download:
        no_js_page.locator(".cite-this").get_by_role("link", name="BibTeX").click()
    assert download.value.suggested_filename == "wps-partner-kosovo-womens-network.bib"
