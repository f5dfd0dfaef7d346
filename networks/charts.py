"""The charts of the home page and the country pages, and the map's counts: computed here from
published records only, each as rows of cells with the link to the filtered list that holds them.

A chart is drawn by ``static/js/charts.js`` from the same data the page prints as its table (the
table is the content without JavaScript and for screen readers; the picture is hidden from them).
Every figure is cached in the count cache (``wps_portal.cache``, invalidated by every write), so a
warm page costs no query for its charts.

The counts agree with the lists they link to:

- activities per year: an activity counts in every year its dates overlap (one without an end
  lasted its start period), as the lists' ``year_from``/``year_to`` select it;
- partners by kind and country: a partner's kind and the country it is based in;
- participations by role: a partner taking part in an activity or a case study in a role, counted
  when both are published (``published_q``); a bar opens the activities or case studies with a
  participant in that role.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from itertools import groupby
from operator import itemgetter

from django.db.models import Count
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Participation
from casestudies.models import CaseStudy, CaseStudyPartner
from partners.choices import PartnerKind, Role
from partners.models import Country, Partner
from wps_portal import cache
from wps_portal.models import published_q

# Part of every cache key here: change it when the cached data's shape changes, so a shared cache
# (Redis) never hands a new release the old shape.
SHAPE = 1


@dataclass
class Cell:
    value: int
    url: str = ""


@dataclass
class Row:
    label: str
    url: str
    cells: list[Cell]
    total: int = 0


@dataclass
class Chart:
    """Rows (years, kinds, roles) of cells, one per series (countries, record kinds)."""

    key: str
    title: str
    caption: str
    row_heading: str
    series: list[str]
    rows: list[Row]
    total_heading: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum(row.total for row in self.rows)

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        rows = [Row(r["label"], r["url"], [Cell(**c) for c in r["cells"]], r["total"]) for r in data["rows"]]
        return cls(**{**data, "rows": rows})


def list_url(name: str, **params) -> str:
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if value not in (None, ""):
            query.setlist(key, value if isinstance(value, list | tuple) else [value])
    url = reverse(name)
    return f"{url}?{query.urlencode()}" if query else url


def countries_by_code() -> dict[str, Country]:
    return {c.code: c for c in Country.objects.all()}


def _cached(name, country, compute):
    code = country.code if country else ""
    data = cache.cached(("chart", SHAPE, name, code, get_language()), lambda: compute().as_dict())
    return Chart.from_dict(data)


# -- activities per year, by country --------------------------------------------------------


def activities_per_year(country: Country | None = None) -> Chart:
    return _cached("activities-per-year", country, lambda: _activities_per_year(country))


def _activities_per_year(country):
    """Two queries: the activities' dates with their countries, and the countries' names. The rows
    stream in primary-key order, an activity's countries together, and only the counters stay:
    at 200,000 activities, holding each one's years and countries took 170 MB per request."""
    activities = Activity.objects.published()
    if country is not None:
        activities = activities.filter(countries=country)
    rows = activities.order_by("pk").values_list("pk", "start_date", "end_date", "countries__code")
    per_year_country: Counter = Counter()
    per_year: Counter = Counter()
    used: Counter = Counter()  # activities per country, among the dated
    undated = 0
    for _pk, group in groupby(rows.iterator(chunk_size=5000), key=itemgetter(0)):
        _pk, start, end, code = first = next(group)
        if start is None:
            undated += 1
            continue
        codes = {c for *_, c in (first, *group) if c and (country is None or c == country.code)}
        used.update(codes)
        for year in range(start.year, (end or start).year + 1):
            per_year[year] += 1
            for c in codes:
                per_year_country[year, c] += 1
    names = countries_by_code()
    codes = sorted(used, key=lambda c: (-used[c], names[c].name))
    here = country.code if country else None
    chart_rows = []
    if per_year:
        for year in range(min(per_year), max(per_year) + 1):
            cells = [
                Cell(
                    per_year_country[year, code],
                    list_url("activities:list", country=code, year_from=year, year_to=year),
                )
                for code in codes
            ]
            chart_rows.append(
                Row(
                    str(year),
                    list_url("activities:list", country=here, year_from=year, year_to=year),
                    cells,
                    per_year[year],
                )
            )
    note = ""
    if undated:
        note = ngettext(
            "%(count)d activity has no date and is in no year.",
            "%(count)d activities have no date and are in no year.",
            undated,
        ) % {"count": undated}
    return Chart(
        key="activities-per-year",
        title=gettext("Activities per year") if country else gettext("Activities per year, by country"),
        caption=gettext(
            "Activities under way each year: an activity over several years counts in each, and "
            "one held in several countries in each of them (once in the year's total)."
        ),
        row_heading=gettext("Year"),
        series=[names[c].display_name for c in codes],
        rows=chart_rows,
        total_heading=gettext("Activities"),
        note=note,
        extra={
            # the countries' counts do not add up to the year's: drawn as a grid, not stacked
            "heatmap": True,
            "codes": codes,
            "undated": undated,
            "undated_url": list_url("activities:list", country=here, sort="-start_date") if undated else "",
        },
    )


# -- partners by kind and country -------------------------------------------------------------


def partners_by_kind(country: Country | None = None) -> Chart:
    return _cached("partners-by-kind", country, lambda: _partners_by_kind(country))


def _partners_by_kind(country):
    """Two queries: partners counted by kind and country, and the countries' names."""
    partners = Partner.objects.published()
    if country is not None:
        partners = partners.filter(country=country)
    counts = Counter()
    for kind, code, n in (
        partners.order_by().values_list("kind", "country__code").annotate(n=Count("pk")).order_by()
    ):
        counts[kind, code or ""] += n
    names = countries_by_code()
    used = Counter()
    for (_kind, code), n in counts.items():
        used[code] += n
    codes = sorted((c for c in used if c), key=lambda c: (-used[c], names[c].name))
    if "" in used:
        codes.append("")  # partners based in no country (international bodies), last
    here = country.code if country else None
    rows = []
    for kind, label in PartnerKind.choices:
        total = sum(counts[kind, code] for code in codes)
        if not total:
            continue
        cells = [
            Cell(counts[kind, code], list_url("partners:list", kind=kind, country=code) if code else "")
            for code in codes
        ]
        rows.append(Row(str(label), list_url("partners:list", kind=kind, country=here), cells, total))
    return Chart(
        key="partners-by-kind",
        title=gettext("Partners by kind") if country else gettext("Partners by kind and country"),
        caption=gettext("Partners by their kind and the country they are based in."),
        row_heading=gettext("Kind"),
        series=[names[c].display_name if c else gettext("No country") for c in codes],
        rows=rows,
        total_heading=gettext("Partners"),
    )


# -- participations by role -----------------------------------------------------------------


def participations_by_role(country: Country | None = None) -> Chart:
    return _cached("participations-by-role", country, lambda: _participations_by_role(country))


def _participations_by_role(country):
    """Two queries: participations in activities and in case studies, counted by role."""
    in_activities = Participation.objects.filter(published_q(Participation, ["activity", "partner"]))
    in_case_studies = CaseStudyPartner.objects.filter(
        published_q(CaseStudyPartner, ["case_study", "partner"])
    )
    if country is not None:
        in_activities = in_activities.filter(activity__countries=country)
        in_case_studies = in_case_studies.filter(case_study__country=country)
    activity_roles = dict(in_activities.order_by().values_list("role").annotate(n=Count("pk")).order_by())
    case_study_roles = dict(in_case_studies.order_by().values_list("role").annotate(n=Count("pk")).order_by())
    here = country.code if country else None
    rows = []
    for role, label in Role.choices:
        a, c = activity_roles.get(role, 0), case_study_roles.get(role, 0)
        if not a + c:
            continue
        rows.append(
            Row(
                str(label),
                "",
                [
                    Cell(a, list_url("activities:list", role=role, country=here) if a else ""),
                    Cell(c, list_url("casestudies:list", role=role, country=here) if c else ""),
                ],
                a + c,
            )
        )
    return Chart(
        key="participations-by-role",
        title=gettext("Participations by role"),
        caption=gettext(
            "A participation is one partner taking part in one activity or case study in one role. "
            "A bar opens the activities or case studies with a partner in that role."
        ),
        row_heading=gettext("Role"),
        series=[gettext("Activities"), gettext("Case studies")],
        rows=rows,
        total_heading=gettext("Participations"),
    )


# -- the map's counts -------------------------------------------------------------------------

MAP_MEASURES = {
    "activities": _("Activities"),
    "partners": _("Partners"),
    "case_studies": _("Case studies"),
}


def country_counts() -> list[dict]:
    return cache.cached(("map", SHAPE, get_language()), _country_counts)


def _country_counts():
    """Three queries: published activities, partners and case studies counted by country (the
    countries' names come with them)."""
    measures = {
        "activities": Activity.objects.published().values_list("countries__code"),
        "partners": Partner.objects.published().values_list("country__code"),
        "case_studies": CaseStudy.objects.published().values_list("country__code"),
    }
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for measure, rows in measures.items():
        for code, n in rows.order_by().annotate(n=Count("pk", distinct=True)).order_by():
            if code:
                counts[code][measure] = n
    names = countries_by_code()
    result = []
    for code in sorted(counts, key=lambda c: (-counts[c].get("activities", 0), names[c].name)):
        country = names[code]
        result.append(
            {
                "code": code,
                "name": country.display_name,
                "region": country.region,
                "plain_name": country.name,
                "note": country.note,
                "atlas": atlas_key(code),
                "url": country.get_absolute_url(),
                **{m: counts[code].get(m, 0) for m in MAP_MEASURES},
                "links": {
                    "activities": list_url("activities:list", country=code),
                    "partners": list_url("partners:list", country=code),
                    "case_studies": list_url("casestudies:list", country=code),
                },
            }
        )
    return result


# world-atlas names its countries by ISO 3166-1 numeric code; Kosovo has none (XK is a
# user-assigned alpha-2 code), and the atlas leaves its feature without an id, under its name.
ATLAS_NAMES = {"XK": "Kosovo"}


def atlas_key(code: str) -> str:
    """How static/js/map.js finds a country in world-atlas: ``"688"`` or ``"name:Kosovo"``."""
    import pycountry

    if code in ATLAS_NAMES:
        return f"name:{ATLAS_NAMES[code]}"
    country = pycountry.countries.get(alpha_2=code)
    return country.numeric if country else ""


# The region the portal is about: the map's first view fits its countries.
MAP_REGION = "Western Balkans"


def map_context(measure: str) -> dict:
    """What the map's picture and table need: the countries with their counts and links (cached,
    see ``country_counts``), and the data the script draws."""
    countries = country_counts()
    for country in countries:
        country["cells"] = [(m, country[m], country["links"][m]) for m in MAP_MEASURES]
    return {
        "countries": countries,
        "measures": [(key, str(label)) for key, label in MAP_MEASURES.items()],
        "measure": measure,
        "footnotes": [c for c in countries if c["note"]],
        "map_data": {
            "region": MAP_REGION,
            "measure": measure,
            "labels": {key: str(label) for key, label in MAP_MEASURES.items()},
            "countries": [
                {k: c[k] for k in ("code", "name", "region", "atlas", "links", *MAP_MEASURES)}
                for c in countries
            ],
        },
    }


def places() -> list[dict]:
    """The places activities name (free text, grouped ignoring case), with their countries and
    activities (cached; two queries: the activities, the countries' names)."""
    return cache.cached(("places", SHAPE, get_language()), _places)


def _places():
    rows = (
        Activity.objects.published()
        .exclude(location="")
        .order_by("location", "title")
        .values_list("location", "title", "slug", "countries__code")
    )
    names = countries_by_code()
    grouped: dict[str, dict] = {}
    for location, title, slug, code in rows:
        place = grouped.setdefault(
            location.strip().casefold(), {"name": location.strip(), "countries": [], "activities": {}}
        )
        if code and names[code].display_name not in place["countries"]:
            place["countries"].append(names[code].display_name)
        place["activities"][slug] = (title, reverse("activities:detail", kwargs={"slug": slug}))
    result = sorted(grouped.values(), key=lambda p: (-len(p["activities"]), p["name"].casefold()))
    for place in result:
        place["activities"] = list(place["activities"].values())
    return result
