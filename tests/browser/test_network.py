"""The network page in a real browser: the picture draws, a click opens the partner, a filter
changes the picture and the tables, the tables sort, accessibility, a strict Content-Security-Policy
and screenshots at desktop and phone widths."""

import re

import pytest

from partners.models import Partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# What the production CSP will allow: no inline script or style.
STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"


def drawn(page) -> int:
    page.wait_for_selector("#network-graph[data-drawn]")
    return int(page.locator("#network-graph").get_attribute("data-drawn"))


def table_rows(page, table) -> int:
    return page.locator(f"#{table} tbody tr").count()


def test_the_graph_draws_every_partner_of_the_table(page, site):
    page.goto(site + "/network/")
    assert drawn(page) == table_rows(page, "network-nodes") == Partner.objects.published().count()


def test_clicking_a_partner_opens_its_page(page, site):
    page.goto(site + "/network/?country=XK")
    drawn(page)
    slug = "kosovo-womens-network"
    position = page.evaluate(
        """slug => { const n = window.wpsNetwork.getElementById(slug); window.wpsNetwork.center(n);
                     const p = n.renderedPosition(); const box = document.getElementById('network-graph')
                     .getBoundingClientRect(); return {x: box.left + p.x, y: box.top + p.y}; }""",
        slug,
    )
    page.mouse.click(position["x"], position["y"])
    page.wait_for_url(re.compile(rf"/partners/{slug}/$"))
    assert page.locator("#ego-h").is_visible()


def test_selecting_a_link_lists_its_records(page, site):
    page.goto(site + "/network/?country=XK")
    drawn(page)
    page.evaluate("""() => window.wpsNetwork.edges('[kind = "activity"]')[0].emit('tap')""")
    assert page.locator("#network-info li a[href^='/activities/']").count() >= 1


def test_a_filter_changes_the_graph_and_the_tables(page, site):
    page.goto(site + "/network/")
    before = drawn(page)
    page.locator('#filters input[name="country"][value="XK"]').check()
    page.locator("#apply-filters").click()  # facets apply on the button, never on a change alone
    page.wait_for_url(re.compile(r"country=XK"))
    after = drawn(page)
    expected = Partner.objects.published().filter(country__code="XK").count()
    assert after == table_rows(page, "network-nodes") == expected < before


def test_the_metrics_table_sorts_by_a_column(page, site):
    page.goto(site + "/network/?country=XK")
    header = page.locator("#network-nodes thead th", has_text="Weighted")
    weighted = page.locator("#network-nodes tbody td:nth-child(6)")
    header.get_by_role("button").click()
    values = [int(v) for v in weighted.all_inner_texts()]
    assert values == sorted(values, reverse=True) and header.get_attribute("aria-sort") == "descending"
    header.get_by_role("button").click()
    values = [int(v) for v in weighted.all_inner_texts()]
    assert values == sorted(values) and header.get_attribute("aria-sort") == "ascending"


def test_tables_are_there_without_javascript(no_js_page, site):
    no_js_page.goto(site + "/network/?country=XK")
    assert table_rows(no_js_page, "network-nodes") > 0
    assert table_rows(no_js_page, "network-edges") > 0
    assert not no_js_page.locator("#network-graph").is_visible()


def test_the_picture_draws_under_a_strict_content_security_policy(page, site):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    def with_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route(re.compile(r".*/network/.*"), with_csp)
    page.goto(site + "/network/?country=XK")
    assert drawn(page) > 0
    assert violations == []


def test_no_serious_or_critical_accessibility_violation_on_the_network(page, phone_page, site, run_axe):
    partner = Partner.objects.published().get(slug="kosovo-womens-network")
    for tab in (page, phone_page):
        for path in ("/network/", partner.get_absolute_url()):
            tab.goto(site + path)
            drawn(tab)
            assert run_axe(tab) == [], path


def test_network_screenshots_at_desktop_and_phone_width(page, phone_page, site, screenshot_dir):
    for tab, label in ((page, "1280"), (phone_page, "375")):
        for name, path in (("network", "/network/"), ("network-partner", "/partners/kosovo-womens-network/")):
            tab.goto(site + path)
            drawn(tab)
            tab.wait_for_timeout(300)
            width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= tab.viewport_size["width"], (name, label, width)
            tab.screenshot(path=str(screenshot_dir / f"{name}-{label}.png"))
            tab.screenshot(path=str(screenshot_dir / f"{name}-{label}-full.png"), full_page=True)


def test_the_timeline_draws_a_bar_per_dated_activity_in_each_lane(
    page, phone_page, site, run_axe, screenshot_dir
):
    page.goto(site + "/timeline/?group=type")
    page.wait_for_selector("#timeline-chart[data-drawn]")
    bars = int(page.locator("#timeline-chart").get_attribute("data-drawn"))
    assert bars == page.locator("table.data-table tbody tr").count() > 0
    assert run_axe(page) == []
    page.screenshot(path=str(screenshot_dir / "timeline-1280.png"))
    phone_page.goto(site + "/timeline/")
    phone_page.wait_for_selector("#timeline-chart[data-drawn]")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    assert run_axe(phone_page) == []
    phone_page.screenshot(path=str(screenshot_dir / "timeline-375.png"))
