"""Translated content: titles, summaries and lessons per language, each with its translation status
(wps_portal/translations.py, wps_portal/corpus_translations.py): loaded from
fixtures/translations/<code>.yaml under the ownership rule, Serbian Latin generated from Cyrillic,
shown to readers with its lang and status, given by the API, searched, exported."""

import re

import pytest
import yaml
from django.urls import reverse
from django.utils import translation

from casestudies.models import Approach, CaseStudy, Lesson
from wps_portal import languages, services
from wps_portal.corpus import CorpusError, export_corpus, load_corpus
from wps_portal.translations import MISSING, to_latin, translated

pytestmark = pytest.mark.django_db

CASE = "regional-womens-lobby"
SQ_TITLE = "Lobi Rajonal i Grave (RWL)"
SQ_SUMMARY = "Partneriteti strategjik i UN Women me Lobin Rajonal të Grave."
SR_TITLE = "Регионални женски лоби (RWL)"


def write(directory, code, document):
    folder = directory / "translations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{code}.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return directory


def albanian(**extra):
    return {
        "language": "sq",
        "status": "machine-assisted",
        "case-studies": {CASE: {"title": SQ_TITLE, "summary": SQ_SUMMARY}},
        **extra,
    }


@pytest.fixture(autouse=True)
def untranslated():
    """Each test starts from content nobody has translated: the corpus loaded for the session
    carries fixtures/translations, so its columns and statuses are emptied here and its loads of
    translations forgotten (all rolled back with the test)."""
    from modeltranslation.translator import translator

    from wps_portal.models import LoadedRecord

    codes = [code.replace("-", "_") for code, _name in languages.ALL_LANGUAGES if code != "en"]
    for model in (CaseStudy, Approach, Lesson):
        fields = translator.get_options_for_model(model).fields
        model.objects.update(translation_status={}, **{f"{f}_{c}": "" for f in fields for c in codes})
    LoadedRecord.objects.filter(kind__contains=" translation ").delete()


@pytest.fixture
def all_languages(settings):
    settings.LANGUAGES = list(languages.ALL_LANGUAGES)


def test_loading_a_translation_file_fills_the_columns_with_their_status(tmp_path):
    lesson = Lesson.objects.filter(approach__isnull=False).first()
    document = albanian(
        approaches={"acting-as-a-facilitator": {"title": "Të vepruarit si lehtësues", "status": "reviewed"}},
        lessons={lesson.slug: {"text": "Mësim i përkthyer.", "status": {"text": "reviewed"}}},
    )
    report = load_corpus(write(tmp_path, "sq", document))
    case = CaseStudy.objects.get(slug=CASE)
    assert (case.title_sq, case.summary_sq) == (SQ_TITLE, SQ_SUMMARY)
    assert case.title_en == "Regional Women's Lobby (RWL)"  # English untouched
    assert case.translation_status["sq"] == {"title": "machine-assisted", "summary": "machine-assisted"}
    approach = Approach.objects.get(slug="acting-as-a-facilitator")
    assert (
        approach.title_sq == "Të vepruarit si lehtësues" and approach.status_of("title", "sq") == "reviewed"
    )
    assert approach.status_of("summary", "sq") == MISSING
    lesson.refresh_from_db()
    assert lesson.text_sq == "Mësim i përkthyer." and lesson.status_of("text", "sq") == "reviewed"
    assert {d.field for d in report.updated_fields} >= {"title [sq]", "summary [sq]", "text [sq]"}
    again = load_corpus(tmp_path)  # idempotent: nothing written the second time
    assert again.changed == 0 and not again.updated_fields and not again.kept


def test_a_curators_edit_survives_a_second_load_and_is_reported(tmp_path):
    load_corpus(write(tmp_path, "sq", albanian()))
    case = CaseStudy.objects.get(slug=CASE)
    with services.writing(services.Via.ADMIN):
        case.title_sq = "Lobi Rajonal i Grave"
        case.set_status("sq", "title", languages.REVIEWED)
        services.save(case)
    improved = albanian()
    improved["case-studies"][CASE] = {
        "title": "Lobi Rajonal i Grave (LRG)",
        "summary": SQ_SUMMARY + " Ndryshuar.",
    }
    report = load_corpus(write(tmp_path, "sq", improved))
    case.refresh_from_db()
    assert case.title_sq == "Lobi Rajonal i Grave" and case.status_of("title", "sq") == "reviewed"
    assert case.summary_sq == SQ_SUMMARY + " Ndryshuar."  # nobody edited it: follows the file
    kept = [d for d in report.kept if d.label == CASE]
    assert [d.field for d in kept] == ["title [sq]"]
    assert "Lobi Rajonal i Grave (reviewed)" in kept[0].describe()
    overwritten = load_corpus(tmp_path, overwrite=True)
    case.refresh_from_db()
    assert case.title_sq == "Lobi Rajonal i Grave (LRG)"
    assert [d.field for d in overwritten.overwritten] == ["title [sq]"]


def test_serbian_latin_is_generated_from_serbian_cyrillic_with_the_same_status(tmp_path):
    load_corpus(write(tmp_path, "sr", {"language": "sr", "case-studies": {CASE: {"title": SR_TITLE}}}))
    case = CaseStudy.objects.get(slug=CASE)
    assert case.title_sr_latn == to_latin(SR_TITLE) == "Regionalni ženski lobi (RWL)"
    assert (
        case.translation_status["sr-latn"] == case.translation_status["sr"] == {"title": "machine-assisted"}
    )
    with services.writing(services.Via.ADMIN):  # any write through services keeps them in step
        case.title_sr = "Регионални лоби жена"
        case.set_status("sr", "title", languages.REVIEWED)
        case.title_sr_latn = "typed by hand"
        services.save(case)
    case.refresh_from_db()
    assert case.title_sr_latn == "Regionalni lobi žena"
    assert case.translation_status["sr-latn"] == {"title": "reviewed"}
    with translation.override("sr-latn"):
        text = translated(case, "title")
    assert (text.text, text.language, text.status) == ("Regionalni lobi žena", "sr-latn", "reviewed")


def test_a_page_in_albanian_shows_the_translation_with_its_lang_and_status(client, tmp_path, all_languages):
    load_corpus(write(tmp_path, "sq", albanian()))
    with translation.override("sq"):
        url = reverse("casestudies:detail", kwargs={"slug": CASE})
        list_url = reverse("casestudies:list")
    assert url.startswith("/sq/")
    html = client.get(url).content.decode()
    assert f'<span lang="sq">{SQ_TITLE}</span>' in html
    assert f'<p class="lede" lang="sq">{SQ_SUMMARY}</p>' in html
    assert 'class="translation-note small" data-status="machine-assisted"' in html
    assert 'data-status="missing"' not in html.split('id="results"')[0]
    listing = client.get(list_url).content.decode()
    assert f'<span lang="sq">{SQ_TITLE}</span>' in listing
    with translation.override("en"):
        english = client.get(reverse("casestudies:detail", kwargs={"slug": CASE})).content.decode()
    assert SQ_TITLE not in english and "translation-note" not in english
    assert "<span>Regional Women&#x27;s Lobby (RWL)</span>" in english


def test_a_missing_translation_falls_back_to_english_marked_as_such(client, tmp_path, all_languages):
    load_corpus(write(tmp_path, "sq", albanian(**{"case-studies": {CASE: {"title": SQ_TITLE}}})))
    case = CaseStudy.objects.get(slug=CASE)
    with translation.override("sq"):
        html = client.get(reverse("casestudies:detail", kwargs={"slug": CASE})).content.decode()
        other = CaseStudy.objects.exclude(slug=CASE).first()
        untranslated = client.get(other.get_absolute_url()).content.decode()
    assert f'<p class="lede" lang="en">{case.summary_en[:40]}' in html.replace("&#x27;", "'")
    with translation.override("sq"):  # the notes are in the page's language
        missing = translation.gettext("Not yet translated: shown in English")
        unreviewed = translation.gettext("Machine-assisted translation, not yet reviewed")
    assert f'data-status="missing">{missing}</p>' in html
    assert '<span lang="en">' in untranslated and missing in untranslated
    assert unreviewed not in untranslated


def test_the_api_gives_each_text_in_the_language_asked_with_its_language_and_status(
    client, tmp_path, all_languages
):
    load_corpus(write(tmp_path, "sq", albanian(**{"case-studies": {CASE: {"title": SQ_TITLE}}})))
    url = f"/api/v1/case-studies/{CASE}/"
    english = client.get(url).json()
    assert english["title"] == "Regional Women's Lobby (RWL)"  # the default is unchanged
    assert english["translations"]["title"] == {"language": "en", "status": None}
    albanian_page = client.get(url + "?lang=sq").json()
    assert albanian_page["title"] == SQ_TITLE
    assert albanian_page["translations"] == {
        "title": {"language": "sq", "status": "machine-assisted"},
        "summary": {"language": "en", "status": "missing"},
    }
    assert albanian_page["summary"] == english["summary"]
    by_header = client.get("/api/v1/case-studies/?fields=slug,title,translations", HTTP_ACCEPT_LANGUAGE="sq")
    row = next(r for r in by_header.json()["results"] if r["slug"] == CASE)
    assert row["translations"]["title"]["language"] == "sq"
    lessons = client.get("/api/v1/lessons/?lang=bs").json()["results"]
    assert lessons[0]["translations"]["text"] == {"language": "en", "status": "missing"}


def test_the_schema_documents_the_language_and_status_of_each_text(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    case_study = schema["components"]["schemas"]["CaseStudy"]["properties"]["translations"]
    entry = case_study["additionalProperties"]
    assert set(entry["properties"]) == {"language", "status"}
    assert entry["properties"]["status"]["enum"] == ["machine-assisted", "reviewed", "missing"]
    assert "Accept-Language" in case_study["description"]


def test_the_translations_are_searchable(client, tmp_path, django_capture_on_commit_callbacks):
    query = "/api/v1/case-studies/?q=gjithëpërfshirës"
    assert CASE not in [r["slug"] for r in client.get(query).json()["results"]]
    document = albanian()
    document["case-studies"][CASE]["summary"] = "Një rrjet gjithëpërfshirës i grave politikane."
    with django_capture_on_commit_callbacks(execute=True):  # the load commits: cached rankings go
        load_corpus(write(tmp_path, "sq", document))
    found = [r["slug"] for r in client.get(query).json()["results"]]
    assert found[0] == CASE
    folded = [r["slug"] for r in client.get("/api/v1/case-studies/?q=gjitheperfshires").json()["results"]]
    assert folded[0] == CASE


def test_the_export_writes_the_translations_back(tmp_path):
    document = albanian()
    document["case-studies"][CASE]["status"] = {"summary": "reviewed"}
    load_corpus(write(tmp_path / "in", "sq", document))
    export_corpus(tmp_path / "out")
    exported = yaml.safe_load((tmp_path / "out" / "translations" / "sq.yaml").read_text(encoding="utf-8"))
    assert exported == document
    assert not (tmp_path / "out" / "translations" / "sr.yaml").exists()


@pytest.mark.parametrize(
    ("document", "record", "field", "message"),
    [
        (
            {"case-studies": {"no-such-case": {"title": "X"}}},
            "slug=no-such-case",
            "case-studies",
            "no case study",
        ),
        (
            {"case-studies": {CASE: {"title": "X", "background": "Y"}}},
            f"slug={CASE}",
            "background",
            "unknown field",
        ),
        (
            {"case-studies": {CASE: {"title": "X", "status": "checked"}}},
            f"slug={CASE}",
            "status",
            "not a translation status",
        ),
        (
            {"case-studies": {CASE: {"title": "X", "status": {"title": "done"}}}},
            f"slug={CASE}",
            "status.title",
            "not a translation status",
        ),
        ({"case-studies": {CASE: {"title": ["X"]}}}, f"slug={CASE}", "title", "must be text"),
        ({"status": "perfect"}, "", "status", "not a translation status"),
        ({"language": "de"}, "", "language", "not a language"),
        ({"people": {}}, "", "people", "unknown section"),
    ],
)
def test_a_bad_file_fails_naming_file_record_and_field_and_rolls_back(
    tmp_path, document, record, field, message
):
    # bs.yaml is read first and is good: its translation is applied, then rolled back with the rest.
    write(
        tmp_path,
        "bs",
        {"language": "bs", "approaches": {"acting-as-a-facilitator": {"title": "Olakšavanje"}}},
    )
    write(tmp_path, "sq", {"language": "sq", **document})
    with pytest.raises(CorpusError) as caught:
        load_corpus(tmp_path)
    error = caught.value
    assert error.file == "translations/sq.yaml" and error.record == record and error.field == field
    assert message in error.message
    assert "translations/sq.yaml" in str(error) and repr(field) in str(error)
    assert not Approach.objects.get(slug="acting-as-a-facilitator").title_bs  # rolled back


def test_a_file_named_for_another_language_is_refused(tmp_path):
    write(tmp_path, "sq", {"language": "bs"})
    with pytest.raises(CorpusError, match="translations/bs.yaml"):
        load_corpus(tmp_path)


def test_the_history_keeps_translations_and_a_revert_brings_them_back():
    case = CaseStudy.objects.get(slug=CASE)
    with services.writing(services.Via.ADMIN, reason="Albanian title"):
        case.title_sq = SQ_TITLE
        services.save(case)
        case.title_sq = "Një tjetër titull"
        services.save(case)
    latest, earlier = case.history.order_by("-history_date", "-history_id")[:2]
    assert (earlier.title_sq, latest.title_sq) == (SQ_TITLE, "Një tjetër titull")
    assert [c.field for c in latest.diff_against(earlier).changes] == ["title_sq"]
    with services.writing(services.Via.ADMIN, reason="Revert"):
        reverted = earlier.instance
        reverted._state.adding = False  # as the admin's revert does
        services.save(reverted)
    case.refresh_from_db()
    assert case.title_sq == SQ_TITLE and case.title_en == "Regional Women's Lobby (RWL)"


def test_staff_edit_a_translation_and_its_status_in_the_admin(admin_client):
    lesson = Lesson.objects.filter(approach__isnull=False).first()
    english = lesson.text_en
    url = reverse("admin:casestudies_lesson_change", args=[lesson.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="text_sq"' in page and 'name="translation_status_text_sq"' in page
    assert 'name="text_sr_latn"' not in page  # generated, shown read-only
    data = {
        "approach": lesson.approach_id,
        "case_study": "",
        "order": lesson.order,
        "slug": lesson.slug,
        "title_en": lesson.title_en or "",
        "text_en": lesson.text_en,
        "text_sq": "Mësimi i përkthyer.",
        "translation_status_text_sq": "reviewed",
        "text_sr": "Преведена лекција.",
        "status": lesson.status,
        "last_verified": lesson.last_verified or "",
        "change_reason": "Albanian and Serbian text",
        "wps_portal-citation-content_type-object_id-TOTAL_FORMS": 0,
        "wps_portal-citation-content_type-object_id-INITIAL_FORMS": 0,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    lesson.refresh_from_db()
    assert lesson.text_sq == "Mësimi i përkthyer." and lesson.status_of("text", "sq") == "reviewed"
    assert (
        lesson.text_sr_latn == "Prevedena lekcija."
        and lesson.status_of("text", "sr-latn") == "machine-assisted"
    )
    assert lesson.text_en == english
    assert lesson.history.first().history_change_reason == "Albanian and Serbian text"


def test_an_api_write_in_another_language_sets_the_english_text(tmp_path, all_languages):
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

    load_corpus(write(tmp_path, "sq", albanian()))
    client = APIClient()
    client.force_authenticate(User.objects.create_superuser("translator", password="x"))
    response = client.patch(
        f"/api/v1/case-studies/{CASE}/?lang=sq", {"title": "Regional Women's Lobby"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == SQ_TITLE  # answered in Albanian
    case = CaseStudy.objects.get(slug=CASE)
    assert (case.title_en, case.title_sq) == ("Regional Women's Lobby", SQ_TITLE)


def test_facets_name_approaches_and_case_studies_in_the_pages_language(client, tmp_path, all_languages):
    sq_approach = "Zhvillimi i kapaciteteve"
    load_corpus(write(tmp_path, "sq", albanian(approaches={"capacity-development": {"title": sq_approach}})))
    english_approach = Approach.objects.get(slug="capacity-development").title_en

    def label(html, name, value):
        start = html.index(f'name="{name}" value="{value}"')
        return re.match(r'[^>]*> (<span class="facet-label"[^>]*>[^<]*)</span>', html[start:]).group(1)

    with translation.override("sq"):
        case_studies = client.get(reverse("casestudies:list")).content.decode()
        lessons = client.get(reverse("lessons:list")).content.decode()
        other = (
            Approach.objects.exclude(slug="capacity-development").filter(case_studies__isnull=False).first()
        )
    assert (
        label(case_studies, "approach", "capacity-development") == f'<span class="facet-label">{sq_approach}'
    )
    assert label(lessons, "case_study", CASE) == f'<span class="facet-label">{SQ_TITLE}'
    assert label(case_studies, "approach", other.slug) == '<span class="facet-label" lang="en">' + (
        other.title_en.replace("'", "&#x27;")
    )  # no translation: shown in English, and marked so
    with translation.override("en"):
        english = client.get(reverse("casestudies:list")).content.decode()
    assert (
        label(english, "approach", "capacity-development") == f'<span class="facet-label">{english_approach}'
    )
