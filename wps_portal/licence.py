"""The terms under which the portal's own text and data are published: defined once here.

The portal's records (their wording, structure and links) are the portal's own work and are
published under CC BY 4.0. The source documents keep their own terms: the portal quotes short
excerpts of them as evidence and links to them, it does not relicense them. Every surface that
states a licence (footer, API root and schema, data package, CSV download page, releases) reads it
from here.
"""

from django.utils.translation import gettext_lazy as _

LICENCE = {
    "id": "CC-BY-4.0",  # SPDX identifier (Frictionless, CITATION.cff, schema.org use it)
    "name": "Creative Commons Attribution 4.0 International",
    "title": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}

# Shown beside the licence wherever it is stated.
LICENCE_SCOPE = _(
    "The portal's own text and data are published under CC BY 4.0: reuse them freely, citing the "
    "WPS Portal. The source documents keep their publishers' own terms; the portal quotes short "
    "excerpts of them as evidence."
)

ATTRIBUTION = "WPS Portal — women, peace and security in the Western Balkans"


def licence_context(request):
    """Template context processor: the licence on every page (the footer states it)."""
    return {"licence": LICENCE, "licence_scope": LICENCE_SCOPE}
