"""The public site's shared views: a filtered, faceted, paginated list; a detail page; the home
page, the search page and the source documents.

Each app's views.py declares its pages with a few lines on top of ``FilteredListView`` and
``RecordDetailView``. The filters are the app's FilterSet (the same one the API uses), so the page's
parameters are the API's: the "Download CSV" link is the API list URL with the same query string.
"""

from __future__ import annotations

import functools
import json

from django.apps import apps
from django.db.models import Count, Q
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import render
from django.urls import URLResolver, get_resolver, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy, npgettext, pgettext_lazy
from django.views.generic import DetailView, TemplateView

from . import cache, citing, linked_data
from .cache import CachedCountPaginator
from .choices import Status
from .filtersets import ORDERING_PARAMS, SEARCH_PARAMS, SourceDocumentFilterSet
from .models import Citation, SourceDocument

PAGE_SIZE = 25
# A facet shows this many values; the rest are behind "Show more".
FACET_VISIBLE = 8
# Parameters a list page controls itself, not through its filter form.
PAGE_PARAM = "page"
# Filters rendered as their own controls rather than as facet checkboxes.
RANGE_PARAMS = ("year_from", "year_to")


def api_list_url(resource: str, query: QueryDict) -> str:
    """The API list URL giving the same rows as CSV (same parameters, plus format=csv)."""
    params = query.copy()
    params.pop(PAGE_PARAM, None)
    params["format"] = "csv"
    return f"{reverse('api:root')}{resource}/?{params.urlencode()}"


class FilteredListView(TemplateView):
    """A list page: filters and facet counts from a FilterSet, free text, sorting, pagination.

    Every parameter the FilterSet refuses is dropped with a visible message, and the page is built
    from the remaining ones; a bad page number falls back to the nearest page. Never a 500.
    """

    filterset_class = None
    template_name = "list.html"
    item_template = None  # the partial that renders one record, e.g. "partners/cards.html#partner"
    api_resource = ""  # the API's name for the resource, for the CSV link
    # in sentences: "Search records", "No records match"
    plural = pgettext_lazy("list name in a sentence", "records")
    counted = ngettext_lazy("%(count)s record", "%(count)s records", "count")  # the count heading
    title = ""
    intro = ""
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        raise NotImplementedError

    def build_filterset(self, data):
        return self.filterset_class(data=data, queryset=self.get_queryset(), request=self.request)

    def clean_query(self):
        """(query without refused parameters, {parameter: message} for each refused one)."""
        data = self.request.GET.copy()
        for key in list(data):
            if not any(v.strip() for v in data.getlist(key)):
                del data[key]  # an empty box of a submitted form is not a filter
        filterset = self.build_filterset(data)
        ignored = filterset.invalid_params(browsable=lambda listing: bool(browse_page(listing)))
        if ignored:
            for name in ignored:
                data.pop(name, None)
            filterset = self.build_filterset(data)
        unknown = [key for key in data if key not in filterset.filters and key != PAGE_PARAM]
        return filterset, data, ignored, unknown

    def ignored_messages(self, filterset, ignored, unknown) -> list[Notice]:
        """The "Some parameters were ignored" notice: one line per refused or unknown parameter.

        The filters' messages are the API's, which name an API address listing the allowed values;
        a reader of the site is pointed to the page that lists them instead.
        """
        messages = []
        for name, reason in ignored.items():
            browse = browse_page(getattr(filterset.filters.get(name), "listing", ""))
            text = _("Ignored %(param)s=%(value)s: %(reason)s") % {
                "param": name,
                "value": ", ".join(self.request.GET.getlist(name)),
                "reason": reason,
            }
            messages.append(Notice(text, *browse))
        if unknown:
            messages.append(
                Notice(
                    ngettext(
                        "Ignored an unknown parameter: %(names)s.",
                        "Ignored unknown parameters: %(names)s.",
                        len(unknown),
                    )
                    % {"names": ", ".join(sorted(unknown))}
                )
            )
        return messages

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset, query, ignored, unknown = self.clean_query()
        messages = self.ignored_messages(filterset, ignored, unknown)
        for key in unknown:
            query.pop(key, None)
        page, page_message = paginate(filterset.qs, query.get(PAGE_PARAM), self.paginate_by)
        if page_message:
            messages.append(page_message)
            query.pop(PAGE_PARAM, None)
            if page.number > 1:
                query[PAGE_PARAM] = str(page.number)
        count = page.paginator.count
        facets = facet_panel(filterset, query)
        messages += [
            _("Counts for %(facet)s took too long and are not shown.")
            % {"facet": filterset.filters[name].label}
            for name in filterset.timed_out
        ]
        context.update(
            title=self.title,
            intro=self.intro,
            count_text=self.counted % {"count": count},
            plural=self.plural,
            filterset=filterset,
            page_obj=page,
            object_list=page.object_list,
            count=count,
            query=query,
            messages_ignored=messages,
            search_query=search_text_of(query),
            facets=facets,
            ranges=[filterset.form[name] for name in RANGE_PARAMS if name in filterset.filters],
            hidden_filters=hidden_filters(filterset, query),
            active_filters=active_filters(filterset, query, facets),
            sort_options=sort_options(filterset),
            current_sort=next((query.get(p) for p in ORDERING_PARAMS if query.get(p)), ""),
            csv_url=api_list_url(self.api_resource, query) if self.api_resource else "",
            item_template=self.item_template,
            list_url=self.request.path,
        )
        return context


class Notice(str):
    """A line of a notice, with an optional link to a page to browse (``browse_url``)."""

    def __new__(cls, text, browse_url="", browse_label=""):
        notice = super().__new__(cls, text)
        notice.browse_url, notice.browse_label = browse_url, browse_label
        return notice


@functools.cache
def _list_pages() -> dict[str, tuple[str, str]]:
    """{API resource: (site list URL, its title)}, read from the site's URL patterns: every list
    page names the API resource it mirrors (``api_resource``)."""
    pages = {}

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
                continue
            view = getattr(pattern.callback, "view_class", None)
            resource = getattr(view, "api_resource", "")
            if resource and pattern.name and not pattern.pattern.converters:
                pages.setdefault(resource, (reverse(namespace + pattern.name), view.title))

    walk(get_resolver().url_patterns)
    return pages


def browse_page(listing: str) -> tuple[str, str]:
    """(site URL, link text) of the page listing what an API ``listing`` address lists, e.g.
    "/api/v1/partners/?kind=network" → ("/partners/?kind=network", "Browse Partners"), or ()."""
    if not listing:
        return ()
    path, _sep, query = listing.partition("?")
    page = _list_pages().get(path.rstrip("/").rsplit("/", 1)[-1])
    if page is None:
        return ()
    url, title = page
    return (f"{url}?{query}" if query else url, _("Browse the known values: %(page)s") % {"page": title})


def paginate(queryset, number, per_page):
    """(page, message): a missing, malformed or out-of-range page number falls back, with a word."""
    if not queryset.ordered:
        queryset = queryset.order_by("pk")
    paginator = CachedCountPaginator(queryset, per_page, allow_empty_first_page=True)
    if number in (None, ""):
        return paginator.page(1), ""
    try:
        value = int(number)
    except (TypeError, ValueError):
        return paginator.page(1), _("Ignored page=%(value)s: not a page number; showing page 1.") % {
            "value": number
        }
    if value < 1:
        return paginator.page(1), _("Ignored page=%(value)s: pages start at 1; showing page 1.") % {
            "value": number
        }
    if value > paginator.num_pages:
        return paginator.page(paginator.num_pages), ngettext(
            "Ignored page=%(value)s: there is only %(n)d page; showing it.",
            "Ignored page=%(value)s: there are only %(n)d pages; showing the last.",
            paginator.num_pages,
        ) % {"value": number, "n": paginator.num_pages}
    return paginator.page(value), ""


def search_text_of(query: QueryDict) -> str:
    return next((query.get(p) for p in SEARCH_PARAMS if query.get(p)), "")


def facet_panel(filterset, query: QueryDict):
    """[(name, label, visible values, more values)] for the filter panel; a selected value keeps
    its checkbox (count 0) even when the other filters leave no record with it."""
    panel = []
    for name, values in filterset.facet_counts().items():
        shown = {v.value for v in values}
        selected = [v for v in query.getlist(name) if v not in shown]
        values = list(values) + [_Missing(value) for value in selected]
        ordered = [v for v in values if v.selected] + [v for v in values if not v.selected]
        label = filterset.filters[name].label
        if len(ordered) <= FACET_VISIBLE + 2:
            panel.append((name, label, ordered, []))
        else:
            panel.append((name, label, ordered[:FACET_VISIBLE], ordered[FACET_VISIBLE:]))
    return panel


class _Missing:
    language = None  # the value itself (a slug, a code): no language to mark

    def __init__(self, value):
        self.value = self.label = value
        self.count = 0
        self.selected = True


def hidden_filters(filterset, query: QueryDict):
    """Filters in the URL with no control on the page (e.g. ?partner=…): kept when the form is
    submitted again."""
    controlled = {*filterset.facets, *RANGE_PARAMS, *SEARCH_PARAMS, *ORDERING_PARAMS}
    return [
        (name, value)
        for name in query
        if name in filterset.filters and name not in controlled
        for value in query.getlist(name)
    ]


def active_filters(filterset, query: QueryDict, facets):
    """[(filter label, value label, query string without it, the value label's language when it
    is not the page's)] for the "remove" links."""
    labels = {name: {v.value: v for v in [*shown, *more]} for name, _l, shown, more in facets}
    result = []
    for name in query:
        if name not in filterset.filters or name in ORDERING_PARAMS:
            continue
        for value in query.getlist(name):
            rest = query.copy()
            rest.setlist(name, [v for v in query.getlist(name) if v != value])
            rest.pop(PAGE_PARAM, None)
            shown = labels.get(name, {}).get(value)
            label, language = (shown.label, shown.language) if shown else (value, None)
            result.append((filterset.filters[name].label, label, rest.urlencode(), language))
    return result


def sort_options(filterset):
    sort = filterset.filters.get("sort")
    if sort is None:
        return []
    return [(value, label) for value, label in sort.extra.get("choices", ()) if value]


class CitableDetailView(DetailView):
    """Any detail page: "Cite this" (the formatted citation, with ``?format=csl-json``,
    ``bibtex`` or ``ris`` downloads at the page's own address), the record's downloads (its API
    formats, the citation formats) with ``<link rel="alternate">`` in the head, and its
    schema.org JSON-LD. An unknown ``format`` is a 400 naming the parameter."""

    context_object_name = "object"

    def get(self, request, *args, **kwargs):
        wanted = request.GET.get(citing.FORMAT_PARAM)
        if wanted is None:
            return super().get(request, *args, **kwargs)
        if wanted not in citing.CITE_FORMATS:
            message = _("Ignored format=%(value)s: not a citation format; allowed: %(allowed)s.") % {
                "value": wanted,
                "allowed": ", ".join(citing.CITE_FORMATS),
            }
            return render(request, "request_refused.html", {"message": message}, status=400)
        self.object = self.get_object()
        if getattr(self.object, "is_published", True) is False:
            raise Http404(_("A draft has no citation: publish it first."))
        return citing.cite_response(self.object, request, wanted)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        references = citing.references(self.object, self.request)
        context.update(
            cite_text=citing.formatted(references[0]),
            cite_sources=[citing.formatted(ref) for ref in references[1:]],
            downloads=citing.record_downloads(self.object, self.request),
            linked_data=linked_data.script(linked_data.describe(self.object, self.request)),
        )
        return context


class RecordDetailView(CitableDetailView):
    """A record's page: published records for everyone, drafts too for staff who may view them in
    the admin (``visible_to``), on the same layout, under a "Draft — not public" banner. The
    queryset comes from the model's ``for_detail_page()``."""

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).for_detail_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["draft_preview"] = not self.object.is_published
        if context["draft_preview"]:
            # A draft is not public: nothing on its page tells machines about it or offers it.
            context.update(linked_data="", downloads=[], cite_text="", cite_sources=[])
        return context


# -- home, search, sources --------------------------------------------------------------------

# How each kind of record is shown in search results: (model label, heading, list URL name or "",
# related records to fetch with it). The kinds searched are the index's (search.indexed_models).
SEARCHED = [
    ("partners.Partner", _("Partners"), "partners:list", ("country",)),
    ("activities.Activity", _("Activities"), "activities:list", ("programme",)),
    ("casestudies.CaseStudy", _("Case studies"), "casestudies:list", ("country",)),
    ("casestudies.Lesson", _("Lessons"), "lessons:list", ("case_study", "approach")),
    ("casestudies.Approach", _("Approaches"), "approaches:list", ()),
    ("casestudies.IssueBox", _("Issue boxes"), "", ("approach",)),
    ("activities.Programme", _("Programmes"), "programmes:list", ()),
    ("wps_portal.SourceDocument", _("Source documents"), "sources:list", ()),
]
SEARCH_PAGE_SIZE = 20


def search(request):
    """The search page: thin over ``wps_portal.search.results``."""
    from .search.results import search_page

    context = search_page(request.GET, SEARCHED, SEARCH_PAGE_SIZE)
    return render(request, "search.html", context)


def _q(value: str) -> str:
    params = QueryDict(mutable=True)
    params["q"] = value
    return params.urlencode()


# The noun after each count on the home page ("<strong>12</strong> partners"), by list page, in
# the reader's language and agreeing with the number.
HOME_COUNT_NOUNS = {
    "partners:list": lambda n: npgettext("home page count", "partner", "partners", n),
    "activities:list": lambda n: npgettext("home page count", "activity", "activities", n),
    "casestudies:list": lambda n: npgettext("home page count", "case study", "case studies", n),
    "lessons:list": lambda n: npgettext("home page count", "lesson", "lessons", n),
    "approaches:list": lambda n: npgettext("home page count", "approach", "approaches", n),
    "sources:list": lambda n: npgettext("home page count", "citation", "citations", n),
}


def home(request):
    Partner = apps.get_model("partners.Partner")
    Country = apps.get_model("partners.Country")
    Activity = apps.get_model("activities.Activity")
    Programme = apps.get_model("activities.Programme")
    CaseStudy = apps.get_model("casestudies.CaseStudy")
    Lesson = apps.get_model("casestudies.Lesson")
    Approach = apps.get_model("casestudies.Approach")
    published_partners = Count("partners", filter=Q(partners__status=Status.PUBLISHED), distinct=True)
    # Counted once per write (the count cache): six COUNTs over every table took 110 ms a page
    # at 200,000 activities.
    totals = cache.cached(
        ("home counts",),
        lambda: [
            (Partner.objects.published().count(), "partners:list"),
            (Activity.objects.published().count(), "activities:list"),
            (CaseStudy.objects.published().count(), "casestudies:list"),
            (Lesson.objects.published().count(), "lessons:list"),
            (Approach.objects.published().count(), "approaches:list"),
            (Citation.objects.public().count(), "sources:list"),
        ],
    )
    counts = [(n, HOME_COUNT_NOUNS[url](n), url) for n, url in totals]
    approach_groups = {}  # {plural heading of a kind: its approaches}, in the approaches' order
    for approach in Approach.objects.published():
        approach_groups.setdefault(approach.kind_plural_display, []).append(approach)
    countries = list(
        Country.objects.annotate(partner_count=published_partners)
        .filter(partner_count__gt=0)
        .order_by("-partner_count", "name")
    )
    covered = sorted(countries, key=lambda country: country.name)
    context = {
        "linked_data": linked_data.script(
            linked_data.dataset(request, countries=covered, sources=SourceDocument.objects.all())
        ),
        "counts": counts,
        # The about text names the number of documents the records are drawn from.
        "source_count": SourceDocument.objects.count(),
        "countries": countries,
        "approach_groups": list(approach_groups.items()),
        "case_studies": CaseStudy.objects.published().with_related(),
        "programmes": Programme.objects.published().for_list_page(),
    }
    return render(request, "home.html", context)


class SourceListView(FilteredListView):
    filterset_class = SourceDocumentFilterSet
    item_template = "sources/items.html#source"
    api_resource = "sources"
    plural = pgettext_lazy("list name in a sentence", "source documents")
    counted = ngettext_lazy("%(count)s source document", "%(count)s source documents", "count")
    title = _("Source documents")
    intro = _(
        "The public documents this portal is built from. Every record quotes one of them, with an "
        "excerpt checked to occur verbatim in its text; one not yet checked is marked unverified."
    )

    def get_queryset(self):
        public = Q(citations__in=Citation.objects.public())
        return SourceDocument.objects.annotate(citation_count=Count("citations", filter=public)).order_by(
            "key"
        )


class SourceDetailView(CitableDetailView):
    """A source document's page: the records citing it, grouped by kind."""

    model = SourceDocument
    slug_field = slug_url_kwarg = "key"
    template_name = "sources/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = {}
        for citation in self.object.citations.with_records():
            meta = citation.content_type.model_class()._meta
            groups.setdefault(meta.verbose_name_plural, []).append(citation)
        context.update(
            groups=sorted(groups.items(), key=lambda item: str(item[0])),
            count=sum(len(g) for g in groups.values()),
            # A record quoting the document twice is one record citing it.
            record_count=len({(c.content_type_id, c.object_id) for g in groups.values() for c in g}),
        )
        return context


# -- whole-dataset releases (wps_portal.releases) --------------------------------------------------

RELEASE_MEDIA_TYPES = {
    ".zip": "application/zip",
    ".sqlite": "application/vnd.sqlite3",
    ".json": "application/json",
    ".cff": "text/plain; charset=utf-8",
    "": "text/plain; charset=utf-8",  # SHA256SUMS
}


def data_page(request):
    """What a release holds, its licence, how to cite it, and the current release's downloads."""
    from .releases import SUMS, current_release, file_names

    release = current_release()
    package = json.loads((release.directory / file_names(release.version)["datapackage"]).read_text())
    rows = {t["name"]: t["rows"] for t in release.manifest["tables"]}
    resources = [{**r, "rows": rows[r["name"]]} for r in package["resources"]]
    files = {f["kind"]: f for f in release.files}
    media_types = {
        "package": "application/zip",
        "sqlite": "application/vnd.sqlite3",
        "json": "application/json",
    }
    downloads = [
        {
            "@type": "DataDownload",
            "name": f["name"],
            "encodingFormat": media_types[f["kind"]],
            "contentUrl": request.build_absolute_uri(
                reverse("data-download", args=[release.version, f["name"]])
            ),
            "contentSize": f"{f['bytes']} B",
        }
        for f in release.files
        if f["kind"] in media_types
    ]
    dataset = linked_data.dataset(request, sources=SourceDocument.objects.all(), distributions=downloads)
    return render(
        request,
        "data.html",
        {
            "linked_data": linked_data.script(
                {**dataset, "version": release.version, "dateModified": release.manifest["date"]}
            ),
            "release": release,
            "package": package,
            "resources": resources,
            "files": files,
            "sums": SUMS,
            "api_url": reverse("api:root"),
            "citation": (release.directory / file_names(release.version)["citation"]).read_text(),
        },
    )


def data_download(request, version, name):
    """One file of the current release; an earlier version's URL says where the current one is."""
    from .releases import SUMS, current_release

    release = current_release()
    names = {f["name"] for f in release.files} | {SUMS}
    if version != release.version or name not in names:
        return render(
            request, "data_missing.html", {"version": version, "name": name, "release": release}, status=404
        )
    path = release.directory / name
    response = FileResponse(
        path.open("rb"),
        as_attachment=path.suffix in (".zip", ".sqlite"),
        filename=name,
        content_type=RELEASE_MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
