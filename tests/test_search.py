"""The site-wide search page: one box for every kind of record."""

import pytest
from django.urls import reverse
from django.utils import translation

from activities.models import Activity
from casestudies.models import Approach, CaseStudy, Lesson
from partners.models import Partner
from wps_portal.search import refresh_search_text

pytestmark = pytest.mark.django_db

SEARCH_BUDGET = 40  # vocabulary, match, the page's records per kind with their search prefetches


def search(client, q):
    return client.get(reverse("search"), {"q": q}).content.decode()


@pytest.fixture
def zene_zenama():
    partner = Partner.objects.create(
        name="Žene Ženama Test", slug="zene-zenama-test", acronym="ZZT", kind="womens-ngo", scope="national",
        status="published",
    )  # fmt: skip
    partner.aliases.create(name="Women to Women Test", kind="local")
    refresh_search_text([Partner])
    return partner


def test_search_is_case_and_diacritic_insensitive(client, zene_zenama):
    for query in ("zene zenama test", "ŽENE ŽENAMA TEST", "Zene Zenama Test"):
        assert zene_zenama.get_absolute_url() in search(client, query), query


def test_search_finds_partners_by_acronym_and_alias(client, zene_zenama):
    assert zene_zenama.get_absolute_url() in search(client, "ZZT")
    assert zene_zenama.get_absolute_url() in search(client, "women to women test")


def test_search_finds_kwn_by_its_acronym_in_the_corpus(client):
    kwn = Partner.objects.published().filter(acronym="KWN").first()
    if kwn is None:
        pytest.skip("the corpus has no partner with acronym KWN")
    text = search(client, "KWN")
    assert kwn.get_absolute_url() in text


def test_search_groups_results_by_type_with_counts(client):
    text = search(client, "kosovo")
    for model, key in ((Partner, "partner"), (Activity, "activity"), (CaseStudy, "casestudy")):
        count = model.objects.published().search("kosovo").count()
        if count:
            assert f"kind={key}" in text
            assert f'<span class="count">{count}</span>' in text


def test_search_covers_lessons_approaches_and_issue_boxes(client):
    lesson = Lesson.objects.published().select_related("case_study", "approach").first()
    lesson.text = "Quuxification matters for sustainable networks."
    lesson.save()
    approach = Approach.objects.published().first()
    approach.summary = "Quuxification of partnerships."
    approach.save()
    box = approach.issue_boxes.create(
        title="Quuxification box", slug="quux-box", body="Body", status="published"
    )
    refresh_search_text()
    text = search(client, "quuxification")
    assert lesson.get_absolute_url() in text
    assert approach.get_absolute_url() in text
    assert box.get_absolute_url() in text


def test_search_ranks_a_name_match_before_a_mention_in_a_description(client):
    Partner.objects.create(
        name="Other body", slug="other-body", kind="ngo", scope="local", status="published",
        description="Works with the Flibbertigibbet Institute on many things.",
    )  # fmt: skip
    Partner.objects.create(
        name="Flibbertigibbet Institute", slug="flibbertigibbet-institute", kind="academic", scope="local",
        status="published",
    )  # fmt: skip
    refresh_search_text([Partner])
    text = search(client, "flibbertigibbet")
    assert text.index("/partners/flibbertigibbet-institute/") < text.index("/partners/other-body/")


def test_search_links_each_group_to_the_filtered_list(client):
    text = search(client, "police")
    if Partner.objects.published().search("police").exists():
        assert f"{reverse('partners:list')}?q=police" in text


def test_search_with_no_match_says_so_and_offers_the_lists(client):
    text = search(client, "xqzvbnmwq")
    assert "0 results" in text
    assert "Nothing matches" in text
    assert f'href="{reverse("partners:list")}"' in text


def test_empty_search_shows_the_box_and_no_results(client):
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert b'name="q"' in response.content
    assert b"results for" not in response.content


def test_search_accepts_the_search_spelling_of_the_parameter(client, zene_zenama):
    text = client.get(reverse("search"), {"search": "zene zenama test"}).content.decode()
    assert zene_zenama.get_absolute_url() in text


def test_search_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for query in ("a", "kosovo", "women network", "police"):
        with django_assert_max_num_queries(SEARCH_BUDGET):
            client.get(reverse("search"), {"q": query})


def test_search_escapes_the_query(client):
    text = search(client, "<img src=x onerror=alert(1)>")
    assert "<img src=x" not in text


@pytest.mark.django_db
def test_postgresql_search_is_served_by_the_full_text_index():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only; SQLite searches its FTS5 table")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the corpus is small enough for a seq scan
        cursor.execute(
            "EXPLAIN SELECT id FROM wps_portal_searchentry WHERE search_vector @@ to_tsquery('simple', 'zene')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "wps_portal_searchentry_vector_gin" in plan


# -- the language of each hit's title and snippet ---------------------------------------------


def hits(client, path, q) -> dict[str, tuple]:
    """{result URL: (the title link, the snippet paragraph or None)} of a search page, parsed."""
    import lxml.html

    page = lxml.html.fromstring(client.get(path, {"q": q}).content.decode())
    found = {}
    for item in page.xpath('//ol[@class="search-results"]/li[contains(@class, "search-hit")]'):
        link = item.xpath("./a")[0]
        snippets = item.xpath('./p[@class="snippet"]')
        found[link.get("href").split("?")[0]] = (link, snippets[0] if snippets else None)
    return found


def english_url(record) -> str:
    with translation.override("en"):
        return record.get_absolute_url()


def reindex(django_capture_on_commit_callbacks, *models):
    with django_capture_on_commit_callbacks(execute=True):  # cached rankings go at the commit
        refresh_search_text(list(models) or None)


def test_an_english_only_hit_is_marked_english_on_a_page_in_another_language(
    client, django_capture_on_commit_callbacks
):
    activity = Activity.objects.published().first()
    activity.summary = "Training on the Zorblaxian method for community mediators."
    activity.save()
    reindex(django_capture_on_commit_callbacks, Activity)
    url = english_url(activity)
    for prefix in ("/sq", "/sr", "/sr-latn", "/bs"):
        link, snippet = hits(client, f"{prefix}/search/", "zorblaxian")[prefix + url]
        assert link.get("lang") == "en" and link.text_content() == activity.title, prefix
        assert snippet.get("lang") == "en" and "Zorblaxian" in snippet.text_content(), prefix
    link, snippet = hits(client, "/search/", "zorblaxian")[url]
    assert link.get("lang") is None and snippet.get("lang") is None  # English page: nothing to mark


def test_a_translated_hit_carries_its_language_and_an_english_fallback_is_marked(
    client, django_capture_on_commit_callbacks
):
    case = CaseStudy.objects.published().first()
    case.title_sq = "Rasti i provës Vrundalit"
    case.summary_en = "The Vrundal network met monthly in Prishtina."
    case.summary_sq = ""  # no Albanian summary: shown in English
    case.title_sr = "Студија Врундал"
    case.summary_sr = "Мрежа Врундал се састајала сваког месеца."
    case.title_bs = case.summary_bs = ""
    case.save()
    reindex(django_capture_on_commit_callbacks, CaseStudy)
    url = english_url(case)

    link, snippet = hits(client, "/sq/search/", "vrundal")[f"/sq{url}"]
    assert (link.get("lang"), link.text_content()) == ("sq", "Rasti i provës Vrundalit")
    assert snippet.get("lang") == "en" and "Vrundal network" in snippet.text_content()
    assert "Врундал" not in snippet.text_content()  # the English summary, not the Serbian one

    link, snippet = hits(client, "/sr/search/", "vrundal")[f"/sr{url}"]
    assert (link.get("lang"), link.text_content()) == ("sr", "Студија Врундал")
    assert snippet.get("lang") == "sr" and "Мрежа Врундал" in snippet.text_content()

    # Serbian Latin: the title's generated column, the snippet transliterated, both tagged sr-latn
    link, snippet = hits(client, "/sr-latn/search/", "vrundal")[f"/sr-latn{url}"]
    assert (link.get("lang"), link.text_content()) == ("sr-latn", "Studija Vrundal")
    assert snippet.get("lang") == "sr-latn" and "Mreža Vrundal" in snippet.text_content()

    # Bosnian has neither: title and snippet in English, marked so
    link, snippet = hits(client, "/bs/search/", "vrundal")[f"/bs{url}"]
    assert (link.get("lang"), link.text_content()) == ("en", case.title_en)
    assert snippet.get("lang") == "en"

    # On the English page the English texts are unmarked; a snippet cut from a translation is not
    link, snippet = hits(client, "/search/", "vrundal")[url]
    assert link.get("lang") is None and link.text_content() == case.title_en
    assert snippet.get("lang") is None
    _link, serbian = hits(client, "/search/", "месеца")[url]
    assert serbian.get("lang") == "sr" and "месеца" in serbian.text_content()


def test_a_partners_name_is_not_tagged_but_its_english_description_is(
    client, django_capture_on_commit_callbacks, zene_zenama
):
    zene_zenama.description = "A network of women's groups in the Glorvian valley."
    zene_zenama.save()
    reindex(django_capture_on_commit_callbacks, Partner)
    link, snippet = hits(client, "/sq/search/", "glorvian")["/sq" + english_url(zene_zenama)]
    assert link.get("lang") is None  # a name, in the language it chose (as on the partner's page)
    assert snippet.get("lang") == "en"
