"""``{% partner_network partner %}``: a partner's links (one step) and its metrics, for its page.

A tag rather than context from the partner's view, so the partners app stays below this one."""

from django import template

from ..graph import full_network
from ..views import edge_rows, picture_data

register = template.Library()


@register.inclusion_tag("networks/ego.html")
def partner_network(partner):
    network = full_network()
    node = network.node(partner.slug)
    if node is None:
        return {"node": None}
    ego = network.ego(partner.slug)
    return {
        "node": node,
        "total": len(network.nodes),
        "links": edge_rows(ego),
        "picture": picture_data(ego, focus=partner.slug),
        "slug": partner.slug,
    }
