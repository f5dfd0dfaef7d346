"""IATI activity XML (IATI Standard 2.03) of the published programmes and activities.

Each programme is a parent activity (``hierarchy="1"``, a ``related-activity type="2"`` per
published activity) and each activity a child (``hierarchy="2"``, ``related-activity type="1"``
naming its programme); an activity without a programme stands alone (``hierarchy="1"``).
Elements follow the order of the 2.03 activity schema (``iati-activities-schema.xsd``), which the
tests validate every published record against. The choices that are the portal's own (who the
reporting organisation is, how roles, dates and sectors are mapped) are the constants below and
are described in the README ("IATI activity XML").
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db.models import Max, Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree

from partners.choices import PartnerKind, Role, Scope
from wps_portal.choices import DatePrecision, Status
from wps_portal.dates import human_partial, iso_partial, period_end
from wps_portal.models import Citation, published_prefetch

from .choices import ActivityType
from .models import Activity, Participation, Programme

VERSION = "2.03"
MEDIA_TYPE = "application/xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RECORD_LANGUAGE = "en"  # the records' own text (titles, summaries) is English

# The reporting organisation. The work is UNIFEM's / UN Women's, so the file is reported under UN
# Women's organisation identifier (XM-DAC-41146, OECD DAC code 41146; type 40, multilateral) with
# ``secondary-reporter="1"``: the portal republishes, from public documents, activities it is not
# responsible for. It is not UN Women's official IATI publication, and the identifiers below are
# the portal's, not UN Women's own. A deployment with an IATI organisation identifier of its own
# sets IATI_REPORTING_ORG in the settings.
REPORTING_ORG = {"ref": "XM-DAC-41146", "type": "40", "name": "UN Women", "secondary_reporter": True}
# iati-identifier = <reporting org ref>-WPS-<kind>-<slug>: the portal's keys, under the org prefix.
IDENTIFIER_INFIX = "WPS"

# The portal's roles as IATI OrganisationRole codes. IATI has four roles; a "partner" works with
# the lead on the activity, so it implements. Participants and beneficiaries have no IATI role:
# they are listed in the descriptions (target groups, other) unless nobody else took part, when
# those who took part carried it out (implementing).
ROLE_CODES = {
    Role.FUNDING: "1",
    Role.ACCOUNTABLE: "2",
    Role.EXTENDING: "3",
    Role.IMPLEMENTING: "4",
    Role.PARTNER: "4",
}
FALLBACK_ROLE = "4"

# Partner kinds as IATI OrganisationType codes; kinds with no clear counterpart (donor, media,
# other) are left without a type rather than guessed. NGOs and networks by their scope.
ORGANISATION_TYPES = {
    PartnerKind.GOVERNMENT: "10",
    PartnerKind.SECURITY: "10",
    PartnerKind.JUDICIARY: "10",
    PartnerKind.PARLIAMENT: "10",
    PartnerKind.MUNICIPAL: "11",
    PartnerKind.UN: "40",
    PartnerKind.INTERNATIONAL: "40",
    PartnerKind.EU_MISSION: "40",
    PartnerKind.ACADEMIC: "80",
}
NGO_KINDS = (PartnerKind.WOMENS_NGO, PartnerKind.NGO, PartnerKind.NETWORK)
NGO_TYPES = {Scope.LOCAL: "24", Scope.NATIONAL: "24", Scope.REGIONAL: "23", Scope.INTERNATIONAL: "21"}

# OECD DAC 5-digit purpose codes (sector vocabulary 1). An activity's sectors are the union of its
# thematic area's, its type's and those of the kinds of partner taking part, or else 15170; several
# sectors share 100 % equally.
WOMENS_RIGHTS = "15170"  # women's rights organisations and movements, and government institutions
ENDING_VIOLENCE = "15180"  # ending violence against women and girls
PEACE_BUILDING = "15220"  # civilian peace-building, conflict prevention and resolution
JUSTICE = "15130"  # legal and judicial development
SECURITY_SYSTEM = "15210"  # security system management and reform
SECTORS_BY_AREA = {  # the corpus's thematic areas (activities.ThematicArea slugs)
    "unifem-1325-see-monitoring": WOMENS_RIGHTS,
    "unifem-1325-see-inter-ethnic-dialogue": PEACE_BUILDING,
    "unifem-1325-see-minority-groups": WOMENS_RIGHTS,
    "unifem-1325-see-civil-society": WOMENS_RIGHTS,
    "unifem-1325-see-advocacy": WOMENS_RIGHTS,
    "unifem-1325-see-security-sector": SECURITY_SYSTEM,
    "unifem-1325-see-governmental-institutions": WOMENS_RIGHTS,
    "unifem-1325-see-regional": PEACE_BUILDING,
    "bih-1325-security-sector-2012-decision-making": SECURITY_SYSTEM,
    "bih-1325-security-sector-2012-military-police-training": SECURITY_SYSTEM,
    "bih-1325-security-sector-2012-human-rights-women-girls": ENDING_VIOLENCE,
    "bih-1325-security-sector-2012-cooperation-partnership": SECURITY_SYSTEM,
}
SECTORS_BY_TYPE = {ActivityType.DIALOGUE: PEACE_BUILDING, ActivityType.MECHANISM: WOMENS_RIGHTS}
SECTORS_BY_PARTNER_KIND = {PartnerKind.SECURITY: SECURITY_SYSTEM, PartnerKind.JUDICIARY: JUSTICE}
DEFAULT_SECTOR = WOMENS_RIGHTS

# Every record here works for gender equality as its principal objective: the OECD DAC gender
# equality policy marker (vocabulary 1, code 1), significance 2 (principal objective).
GENDER_MARKER = {"vocabulary": "1", "code": "1", "significance": "2"}

# Document categories: the cited sources (programme summaries and reports of what was done and
# achieved) are "results, outcomes and outputs"; the record's page on the portal is its web page.
SOURCE_CATEGORY = "A08"
WEB_PAGE_CATEGORY = "A12"

# ActivityDateType and ActivityStatus codes.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
IMPLEMENTATION, CLOSED = "2", "4"


def reporting_org() -> dict:
    return {**REPORTING_ORG, **getattr(settings, "IATI_REPORTING_ORG", {})}


def identifier(record) -> str:
    kind = "programme" if isinstance(record, Programme) else "activity"
    return f"{reporting_org()['ref']}-{IDENTIFIER_INFIX}-{kind}-{record.slug}"


# -- selecting the records ----------------------------------------------------------------------


def activities_for_iati(queryset):
    """``queryset``'s published activities with everything their IATI element shows."""
    return (
        queryset.published()
        .select_related("programme__lead", "phase", "thematic_area")
        .prefetch_related(
            "countries",
            "outputs",
            published_prefetch(
                "participations",
                Participation.objects.select_related("partner").order_by("role", "partner__name", "pk"),
                "partner",
            ),
            Prefetch("citations", queryset=Citation.objects.select_related("source").order_by("order", "pk")),
        )
        .order_by("pk")
    )


def programmes_for_iati(queryset):
    """``queryset``'s published programmes with their lead, countries, citations and the slugs of
    their published activities."""
    return (
        queryset.published()
        .select_related("lead")
        .prefetch_related(
            "countries",
            published_prefetch(
                "activities", Activity.objects.only("pk", "slug", "programme_id").order_by("pk")
            ),
            Prefetch("citations", queryset=Citation.objects.select_related("source").order_by("order", "pk")),
        )
        .order_by("pk")
    )


# -- the document ---------------------------------------------------------------------------------


def document(programmes, activities, url: Callable[[str], str], today: datetime.date | None = None) -> bytes:
    return b"".join(stream(programmes, activities, url, today))


def stream(
    programmes,
    activities,
    url: Callable[[str], str],
    today: datetime.date | None = None,
    chunk_size: int = 500,
) -> Iterator[bytes]:
    """``<iati-activities>`` holding ``programmes`` then ``activities`` (querysets from
    :func:`programmes_for_iati` and :func:`activities_for_iati`), written as it is read.

    ``url`` makes a path absolute. ``generated-datetime`` is the latest change of the records
    included, so the same records give the same bytes."""
    today = today or datetime.date.today()
    latest = [qs.aggregate(latest=Max("updated"))["latest"] for qs in (programmes, activities)]
    latest = max((t for t in latest if t), default=None)
    attributes = {"version": VERSION}
    if latest:
        attributes["generated-datetime"] = _datetime(latest)
    buffer = io.BytesIO()
    with etree.xmlfile(buffer, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("iati-activities", attributes):
            xf.write(etree.Comment(" " + _notice() + " "))
            for queryset, build in ((programmes, programme_element), (activities, activity_element)):
                for record in queryset.iterator(chunk_size=chunk_size):
                    xf.write(build(record, url, today), pretty_print=True)
                    if buffer.tell() > 64 * 1024:
                        yield buffer.getvalue()
                        buffer.seek(0)
                        buffer.truncate()
    yield buffer.getvalue()


def _notice() -> str:
    org = reporting_org()
    return _(
        "Republished by the WPS Portal from public documents, with %(name)s (%(ref)s) as the "
        "reporting organisation and secondary-reporter=1: this is not %(name)s's official IATI "
        "publication, and the identifiers are the portal's own."
    ) % {"name": org["name"], "ref": org["ref"]}


# -- one activity -----------------------------------------------------------------------------------


def activity_element(activity: Activity, url: Callable[[str], str], today: datetime.date) -> etree._Element:
    programme = activity.programme
    if programme is not None and programme.status != Status.PUBLISHED:
        programme = None
    element = _root(activity, url, hierarchy="2" if programme else "1")
    _text(element, "iati-identifier", identifier(activity))
    _reporting_org(element)
    _narrative(etree.SubElement(element, "title"), activity.title, RECORD_LANGUAGE)

    participations = list(activity.participations.all())
    _description(element, "1", activity.summary or activity.get_type_display(), RECORD_LANGUAGE)
    if activity.thematic_area_id:
        _description(element, "2", _("Thematic area: %(area)s") % {"area": activity.thematic_area})
    beneficiaries = [p for p in participations if p.role == Role.BENEFICIARY]
    if beneficiaries:
        _description(
            element, "3", _("Beneficiaries or targets: %(names)s") % {"names": _names(beneficiaries)}
        )
    other = _other_description(activity, participations)
    if other:
        _description(element, "4", other)

    roles = [(p, ROLE_CODES[p.role]) for p in participations if p.role in ROLE_CODES]
    if not roles:
        roles = [(p, FALLBACK_ROLE) for p in participations if p.role == Role.PARTICIPANT]
    if roles:
        for participation, code in roles:
            _participating_org(element, participation.partner, code)
    elif programme and programme.lead_id and programme.lead.status == Status.PUBLISHED:
        _participating_org(element, programme.lead, ROLE_CODES[Role.ACCOUNTABLE])
    else:
        _unknown_org(element)

    etree.SubElement(element, "other-identifier", ref=activity.slug, type="A1")
    dates = activity_dates(activity, today)
    _status(element, activity.last_day or max(date for _code, date, _note in dates), today)
    _dates(element, dates)
    _countries(element, [c.code for c in activity.countries.all()])
    if activity.location:
        location = etree.SubElement(element, "location")
        _narrative(etree.SubElement(location, "name"), activity.location, RECORD_LANGUAGE)
    _sectors(element, activity_sectors(activity, participations))
    etree.SubElement(element, "policy-marker", GENDER_MARKER)
    _document_links(element, activity, url)
    if programme:
        etree.SubElement(element, "related-activity", ref=identifier(programme), type="1")
    return element


def _other_description(activity, participations) -> str:
    parts = []
    participants = [p for p in participations if p.role == Role.PARTICIPANT]
    if participants:
        parts.append(_("Took part: %(names)s.") % {"names": _names(participants)})
    for p in participations:
        if p.note:
            parts.append(
                _("%(partner)s (%(role)s): %(note)s")
                % {"partner": p.partner, "role": p.get_role_display(), "note": p.note}
            )
    outputs = [f"{o}" + (f" ({o.note})" if o.note else "") for o in activity.outputs.all()]
    if outputs:
        parts.append(_("Outputs: %(outputs)s.") % {"outputs": "; ".join(outputs)})
    if activity.phase_id:
        parts.append(_("Phase: %(phase)s.") % {"phase": activity.phase.name})
    return " ".join(parts)


def activity_sectors(activity: Activity, participations) -> list[str]:
    codes = []
    for code in (
        SECTORS_BY_AREA.get(activity.thematic_area.slug) if activity.thematic_area_id else None,
        SECTORS_BY_TYPE.get(activity.type),
        *(SECTORS_BY_PARTNER_KIND.get(p.partner.kind) for p in participations),
    ):
        if code and code not in codes:
            codes.append(code)
    return sorted(codes) or [DEFAULT_SECTOR]


def activity_dates(activity: Activity, today: datetime.date) -> list[tuple[str, datetime.date, str]]:
    """[(ActivityDateType code, ISO date, narrative)] at the precision known.

    IATI wants whole dates: a start known to the month or year is the first day of that period, an
    end the last day, each with a narrative giving the precision. Dates past ``today`` are planned
    (1, 3), the others actual (2, 4). An activity with no date of its own gets the years of its
    phase or programme as planned start and end (it took place within them), else the date of the
    earliest source describing it as its actual start (it had begun by then), each said so."""
    dates = []
    if activity.start_date:
        dates.append(_dated(ACTUAL_START, activity.start_date, activity.start_precision, today))
        if activity.end_date:
            end = period_end(activity.end_date, activity.end_precision)
            dates.append(_dated(ACTUAL_END, end, activity.end_precision, today, activity.end_date))
        return dates
    period = activity.phase if activity.phase_id and activity.phase.start_year else activity.programme
    if period is not None and period.start_year:
        note = _("The activity's own dates are not known; it took place within %(period)s (%(years)s).") % {
            "period": period.name,
            "years": _years(period),
        }
        dates.append((PLANNED_START, datetime.date(period.start_year, 1, 1), note))
        if period.end_year:
            dates.append((PLANNED_END, datetime.date(period.end_year, 12, 31), note))
        return dates
    return [_source_date(activity)]


def _dated(code, date, precision, today, shown=None):
    if date > today:
        code = {ACTUAL_START: PLANNED_START, ACTUAL_END: PLANNED_END}[code]
    notes = {
        DatePrecision.YEAR: _("Known to the year only: %(date)s."),
        DatePrecision.MONTH: _("Known to the month only: %(date)s."),
    }
    note = notes[precision] % {"date": iso_partial(shown or date, precision)} if precision in notes else ""
    return (code, date, note)


def _source_date(record):
    sources = sorted(
        (c.source for c in record.citations.all() if c.source.date),
        key=lambda s: (s.date, s.key),
    )
    if sources:
        source = sources[0]
        note = _(
            "No date is known; this is the date of the earliest source describing it (%(source)s, "
            "%(date)s): it had begun by then."
        ) % {"source": source.title, "date": human_partial(source.date, source.date_precision)}
        return (ACTUAL_START, period_end(source.date, source.date_precision), note)
    note = _("No date is known; this is the date the record was added to the portal.")
    return (ACTUAL_START, record.created.date(), note)


def _years(period) -> str:
    if period.end_year and period.end_year != period.start_year:
        return f"{period.start_year}–{period.end_year}"
    return str(period.start_year)


# -- one programme -----------------------------------------------------------------------------------


def programme_element(
    programme: Programme, url: Callable[[str], str], today: datetime.date
) -> etree._Element:
    element = _root(programme, url, hierarchy="1")
    _text(element, "iati-identifier", identifier(programme))
    _reporting_org(element)
    _narrative(etree.SubElement(element, "title"), programme.name, RECORD_LANGUAGE)
    _description(element, "1", programme.description or programme.name, RECORD_LANGUAGE)
    if programme.lead_id and programme.lead.status == Status.PUBLISHED:
        _participating_org(element, programme.lead, ROLE_CODES[Role.ACCOUNTABLE])
    else:
        _unknown_org(element)
    etree.SubElement(element, "other-identifier", ref=programme.slug, type="A1")
    dates = programme_dates(programme, today)
    _status(element, max(date for _code, date, _note in dates), today)
    _dates(element, dates)
    _countries(element, [c.code for c in programme.countries.all()])
    _sectors(element, [DEFAULT_SECTOR])
    etree.SubElement(element, "policy-marker", GENDER_MARKER)
    _document_links(element, programme, url)
    for activity in programme.activities.all():
        etree.SubElement(element, "related-activity", ref=identifier(activity), type="2")
    return element


def programme_dates(programme: Programme, today: datetime.date):
    if not programme.start_year:
        return [_source_date(programme)]
    dates = [_dated(ACTUAL_START, datetime.date(programme.start_year, 1, 1), DatePrecision.YEAR, today)]
    if programme.end_year:
        end = datetime.date(programme.end_year, 12, 31)
        dates.append(
            _dated(ACTUAL_END, end, DatePrecision.YEAR, today, datetime.date(programme.end_year, 1, 1))
        )
    return dates


# -- shared pieces --------------------------------------------------------------------------------


def _root(record, url, hierarchy: str) -> etree._Element:
    return etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": _datetime(record.updated),
            XML_LANG: RECORD_LANGUAGE,
            "hierarchy": hierarchy,
            "linked-data-uri": url(record.get_absolute_url()),
        },
    )


def _datetime(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat()


def _text(parent, tag, text):
    child = etree.SubElement(parent, tag)
    child.text = text
    return child


def _narrative(parent, text: str, language: str | None = None):
    """A narrative in ``language`` (default: the language generated text is written in now)."""
    narrative = etree.SubElement(parent, "narrative")
    language = language or translation.get_language() or RECORD_LANGUAGE
    if language.split("-")[0] != RECORD_LANGUAGE:
        narrative.set(XML_LANG, language)
    narrative.text = str(text)
    return narrative


def _description(parent, code: str, text: str, language: str | None = None):
    _narrative(etree.SubElement(parent, "description", type=code), text, language)


def _reporting_org(parent):
    org = reporting_org()
    attributes = {"ref": org["ref"], "type": org["type"]}
    if org.get("secondary_reporter"):
        attributes["secondary-reporter"] = "1"
    _narrative(etree.SubElement(parent, "reporting-org", attributes), org["name"], RECORD_LANGUAGE)


def organisation_type(partner) -> str | None:
    if partner.kind in NGO_KINDS:
        return NGO_TYPES.get(partner.scope)
    return ORGANISATION_TYPES.get(partner.kind)


def _participating_org(parent, partner, role: str):
    attributes = {"role": role}
    kind = organisation_type(partner)
    if kind:
        attributes["type"] = kind
    _narrative(etree.SubElement(parent, "participating-org", attributes), partner.name, RECORD_LANGUAGE)


def _unknown_org(parent):
    """The schema wants a participating organisation; when the portal knows none, it says so."""
    org = etree.SubElement(parent, "participating-org", role=ROLE_CODES[Role.IMPLEMENTING])
    _narrative(org, _("Not recorded in the portal"))


def _status(parent, last_day: datetime.date, today: datetime.date):
    """Closed once the last day the record may have run (its end, or the end of its start's
    period: "2010" ran within 2010) has passed; in implementation until then."""
    etree.SubElement(parent, "activity-status", code=CLOSED if last_day < today else IMPLEMENTATION)


def _dates(parent, dates):
    for code, date, note in dates:
        element = etree.SubElement(parent, "activity-date", {"type": code, "iso-date": date.isoformat()})
        if note:
            _narrative(element, note)


def _shares(count: int) -> list[str]:
    """``count`` percentages that add up to exactly 100 (the last takes the rounding)."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    values = [share] * (count - 1) + [Decimal(100) - share * (count - 1)]
    return [f"{value.normalize():f}" for value in values]


def _countries(parent, codes: list[str]):
    for code, percentage in zip(codes, _shares(len(codes)) if codes else [], strict=True):
        attributes = {"code": code}
        if len(codes) > 1:
            attributes["percentage"] = percentage
        etree.SubElement(parent, "recipient-country", attributes)


def _sectors(parent, codes: list[str]):
    for code, percentage in zip(codes, _shares(len(codes)), strict=True):
        attributes = {"vocabulary": "1", "code": code}
        if len(codes) > 1:
            attributes["percentage"] = percentage
        etree.SubElement(parent, "sector", attributes)


def _document_links(parent, record, url):
    sources = {}
    for citation in record.citations.all():
        sources.setdefault(citation.source.key, citation.source)
    for source in sources.values():
        _document_link(parent, url(source.get_absolute_url()), source.title, SOURCE_CATEGORY, source)
    _document_link(parent, url(record.get_absolute_url()), str(record), WEB_PAGE_CATEGORY)


def _document_link(parent, href: str, title: str, category: str, source=None):
    link = etree.SubElement(parent, "document-link", url=href, format="text/html")
    _narrative(etree.SubElement(link, "title"), title, RECORD_LANGUAGE)
    etree.SubElement(link, "category", code=category)
    etree.SubElement(link, "language", code=RECORD_LANGUAGE)
    if source is not None and source.date:
        etree.SubElement(link, "document-date", {"iso-date": source.date.isoformat()})


def _names(participations: Iterable) -> str:
    return ", ".join(str(p.partner) for p in participations)
