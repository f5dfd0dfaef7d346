"""``{% partner_network partner %}``: a partner's links (one step) and its metrics, for its page.

A tag rather than context from the partner's view, so the partners app stays below this one."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from wps_portal import cache

from .. import graph
from ..views import edge_rows, picture_data

register = template.Library()


@register.simple_tag
def partner_network(partner):
    """The page's network section, rendered once per partner, language and write generation (a
    hub's sixty links with their records are about 200 kB of HTML: 40 ms of template work on
    every view otherwise)."""

    def render():
        ego, node, links = graph.partner_network(partner)
        if node is None:
            return ""
        return render_to_string(
            "networks/ego.html",
            {
                "node": node,
                "link_count": links,
                "links": edge_rows(ego),
                "picture": picture_data(ego, focus=partner.slug),
                "slug": partner.slug,
            },
        )

    return mark_safe(cache.cached(("network section", partner.pk, get_language()), render))  # noqa: S308 (rendered by the template engine)


@register.inclusion_tag("networks/charts.html")
def record_charts(country=None, heading_level=2):
    """The three charts with their tables: the whole portal's (home page) or one country's."""
    from ..charts import activities_per_year, participations_by_role, partners_by_kind

    charts = [activities_per_year(country), partners_by_kind(country), participations_by_role(country)]
    return {
        "charts": [chart for chart in charts if chart.rows],
        "country": country,
        "pictures": [(f"chart-{chart.key}-data", chart.as_dict()) for chart in charts if chart.rows],
    }


@register.inclusion_tag("networks/map_small.html")
def country_map():
    """The map of the region's countries coloured by activities, small, linking to the map's page."""
    from ..charts import map_context

    return map_context("activities")
