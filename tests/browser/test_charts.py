"""The charts and the map in a real browser: they draw from the tables' data, a click on a bar or a
country opens the filtered list, the timeline zooms to a period, no serious accessibility
violation, nothing blocked by the Content-Security-Policy, and screenshots at desktop and phone
widths."""

import pytest

from networks.charts import activities_per_year, country_counts, partners_by_kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CHARTS = ("activities-per-year", "partners-by-kind", "participations-by-role")


def drawn(page, selector) -> int:
    page.wait_for_selector(f"{selector}[data-drawn]")
    return int(page.locator(selector).get_attribute("data-drawn"))


def test_the_home_charts_draw_a_mark_for_every_figure_of_their_tables(page, site):
    page.goto(site + "/")
    years = activities_per_year()
    # The grid draws a cell for each non-zero count, the year's total included.
    assert drawn(page, "#chart-activities-per-year") == sum(
        sum(1 for c in row.cells if c.value) + (1 if row.total else 0) for row in years.rows
    )
    kinds = partners_by_kind()
    assert drawn(page, "#chart-partners-by-kind") == sum(1 for r in kinds.rows for c in r.cells if c.value)
    assert drawn(page, "#chart-participations-by-role") > 0
    # Drawn, the tables fold away (one click opens them); the map draws (and links) every country
    # of its table, those outside the region's frame included.
    assert page.locator("#chart-partners-by-kind-h ~ details.chart-table").get_attribute("open") is None
    assert drawn(page, "#home-map") == len(country_counts()) == page.locator("#home-map a.map-link").count()


def test_clicking_a_bar_opens_the_list_it_counts(page, site):
    page.goto(site + "/")
    page.wait_for_selector("#chart-partners-by-kind[data-drawn]")
    row = partners_by_kind().rows[0]
    cell = next(c for c in row.cells if c.value)
    page.locator(f'#chart-partners-by-kind a[href="{cell.url}"]').first.click()
    page.wait_for_url("**/partners/?*")
    assert page.url.endswith(cell.url)
    assert f"{cell.value} partner" in page.locator("h2.result-count, .result-count").first.inner_text()


def test_clicking_a_country_on_the_map_opens_its_activities(page, site):
    page.goto(site + "/map/")
    assert drawn(page, "#map") > 0
    page.locator('#map a.map-link[data-code="XK"]').first.click()
    page.wait_for_url("**/activities/?country=XK")
    kosovo = next(c for c in country_counts() if c["code"] == "XK")
    assert str(kosovo["activities"]) in page.locator(".result-count").first.inner_text()


def test_the_map_colours_by_the_measure_chosen(page, site):
    page.goto(site + "/map/?measure=partners")
    drawn(page, "#map")
    href = page.locator('#map a.map-link[data-code="XK"]').first.get_attribute("href")
    assert href == "/partners/?country=XK"


def test_without_javascript_the_tables_are_open_and_complete(no_js_page, site):
    no_js_page.goto(site + "/")
    for key in CHARTS:
        assert no_js_page.locator(f"#chart-{key}-h ~ details.chart-table").get_attribute("open") is not None
    assert no_js_page.locator("#chart-partners-by-kind-h ~ details table tbody tr").count() == len(
        partners_by_kind().rows
    )
    no_js_page.goto(site + "/map/")
    assert no_js_page.locator("#map-table tbody tr").count() == len(country_counts())


def test_the_timeline_zooms_to_a_period_and_back(page, site):
    page.goto(site + "/timeline/")
    page.wait_for_selector("#timeline-chart[data-drawn]")
    everything = int(page.locator("#timeline-chart").get_attribute("data-drawn"))
    page.locator("#timeline-zoom-from").fill("2008")
    page.locator("#timeline-zoom-to").fill("2009")
    page.locator("#timeline-zoom-to").dispatch_event("change")
    page.wait_for_function("document.querySelector('#timeline-chart').dataset.period === '2008-2009'")
    zoomed = int(page.locator("#timeline-chart").get_attribute("data-drawn"))
    assert 0 < zoomed < everything
    page.locator("#timeline-zoom-reset").click()
    page.wait_for_function("!document.querySelector('#timeline-chart').dataset.period")
    assert int(page.locator("#timeline-chart").get_attribute("data-drawn")) == everything


@pytest.mark.parametrize("path", ["/", "/map/", "/countries/XK/", "/timeline/"])
def test_no_serious_or_critical_accessibility_violation(page, phone_page, site, run_axe, path):
    for tab in (page, phone_page):
        tab.goto(site + path)
        tab.wait_for_load_state("networkidle")
        assert run_axe(tab) == [], path


@pytest.mark.parametrize("path,name", [("/", "home"), ("/map/", "map"), ("/countries/XK/", "country-xk")])
def test_chart_and_map_screenshots_at_desktop_and_phone_width(
    page, phone_page, site, screenshot_dir, path, name
):
    for tab, label in ((page, "1280"), (phone_page, "375")):
        tab.goto(site + path)
        tab.wait_for_load_state("networkidle")
        assert tab.evaluate("document.documentElement.scrollWidth") <= tab.viewport_size["width"], path
        tab.screenshot(path=str(screenshot_dir / f"{name}-{label}-full.png"), full_page=True)
