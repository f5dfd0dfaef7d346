"""The API reads JSON only, nested at most API_MAX_JSON_DEPTH levels deep (a deeper document is a
400, not the RecursionError a 200,000-deep one caused)."""

from django.conf import settings
from django.utils.translation import ngettext
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def depth(value) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_JSON_DEPTH
        message = ngettext(
            "JSON parse error - nested deeper than %(limit)d level.",
            "JSON parse error - nested deeper than %(limit)d levels.",
            limit,
        ) % {"limit": limit}
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(message) from None
        if depth(data) > limit:
            raise ParseError(message)
        return data
