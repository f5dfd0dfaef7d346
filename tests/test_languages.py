"""The portal's languages: which are offered, how a page and an API call choose one, dates in each,
and the catalogues (Serbian Latin generated from Cyrillic, only complete catalogues compiled).

The tests that need a given set of languages set ``settings.LANGUAGES``; the URL scheme, switcher
and API behave the same for any language offered. The last tests read the committed catalogues.
"""

import datetime
import gettext
import re

import polib
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from wps_portal import languages
from wps_portal.dates import human_partial

pytestmark = pytest.mark.django_db

WITH_SERBIAN = [("en", "English"), ("sr", "Српски"), ("sr-latn", "Srpski (latinica)")]


def test_only_english_and_languages_with_a_compiled_catalogue_are_offered(tmp_path, settings):
    assert languages.languages() == settings.LANGUAGES
    assert languages.languages(tmp_path) == [("en", "English")]
    mo = tmp_path / "sr" / "LC_MESSAGES" / "django.mo"
    mo.parent.mkdir(parents=True)
    mo.write_bytes(polib.POFile().to_binary())
    assert languages.languages(tmp_path) == [("en", "English"), ("sr", "Српски")]
    assert languages.locale_name("sr-latn") == "sr_Latn"


def test_with_one_language_pages_are_english_with_no_switcher(client, settings):
    settings.LANGUAGES = [("en", "English")]
    page = client.get("/partners/", HTTP_ACCEPT_LANGUAGE="sr")
    html = page.content.decode()
    assert page["Content-Language"] == "en" and '<html lang="en">' in html
    assert "hreflang" not in html and "language-switcher" not in html


def test_each_language_has_its_own_url_and_english_keeps_the_unprefixed_one(client, settings):
    settings.LANGUAGES = WITH_SERBIAN
    english = client.get("/partners/?country=XK")
    serbian = client.get("/sr/partners/?country=XK")
    assert english.status_code == serbian.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="sr">' in serbian.content.decode() and serbian["Content-Language"] == "sr"
    assert client.get("/sr-latn/partners/").status_code == 200
    assert client.get("/xx/partners/").status_code == 404


def test_the_switcher_and_hreflang_keep_the_page_and_its_query(client, settings):
    settings.LANGUAGES = WITH_SERBIAN
    html = client.get("/sr/partners/?country=XK").content.decode()
    switcher = html.split('class="language-switcher"')[1].split("</nav>")[0]
    assert 'href="/partners/?country=XK" hreflang="en" lang="en"' in switcher
    assert 'href="/sr-latn/partners/?country=XK"' in switcher
    assert 'href="/sr/partners/?country=XK" hreflang="sr" lang="sr" aria-current="true"' in switcher
    head = html.split("</head>")[0]
    assert '<link rel="alternate" hreflang="sr" href="http://testserver/sr/partners/?country=XK">' in head
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/partners/?country=XK">' in head


def test_a_translation_nobody_has_reviewed_says_so(client, settings, tmp_path):
    settings.LANGUAGES = WITH_SERBIAN
    notice = 'class="translation-status'
    assert notice in client.get("/sr/partners/").content.decode()
    assert notice not in client.get("/partners/").content.decode()
    for status, expected in (("reviewed", "reviewed"), ("machine-assisted", "machine-assisted"), ("", None)):
        path = write_catalogue(tmp_path / status, "sq", {"Partners": "Partnerët"})
        catalogue = polib.pofile(str(path))
        catalogue.metadata["X-Translation-Status"] = status
        catalogue.save()
        found = languages.translation_status("sq", tmp_path / status)
        assert found == (expected or "machine-assisted")  # a catalogue that does not say is not "reviewed"
    assert languages.translation_status("en") is None


def test_the_browsers_language_is_offered_not_forced(client, settings):
    settings.LANGUAGES = WITH_SERBIAN
    page = client.get("/partners/", HTTP_ACCEPT_LANGUAGE="sr,en;q=0.5")
    html = page.content.decode()
    assert '<html lang="en">' in html  # a shared English link reads in English for everyone
    assert 'class="language-suggestion" lang="sr"><a href="/partners/' not in html
    assert 'class="language-suggestion" lang="sr"><a href="/sr/partners/" hreflang="sr">' in html
    assert "Accept-Language" in page["Vary"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the reader chose: no more suggestion
    assert "language-suggestion" not in client.get("/partners/", HTTP_ACCEPT_LANGUAGE="sr").content.decode()


def test_the_api_answers_in_the_language_asked(client, settings):
    settings.LANGUAGES = WITH_SERBIAN
    assert client.get("/api/v1/partners/", HTTP_ACCEPT_LANGUAGE="sr")["Content-Language"] == "sr"
    assert (
        client.get("/api/v1/partners/?lang=sr-latn", HTTP_ACCEPT_LANGUAGE="sr")["Content-Language"]
        == "sr-latn"
    )
    assert client.get("/api/v1/partners/")["Content-Language"] == "en"
    refused = client.get("/api/v1/partners/?lang=klingon")
    assert refused.status_code == 400
    assert "klingon" in refused.json()["lang"][0] and "sr-latn" in refused.json()["lang"][0]


@pytest.mark.parametrize(
    ("code", "month", "day"),
    [
        ("en", "June 2010", "15 June 2010"),
        ("sq", "qershor 2010", "15 qershor 2010"),
        ("sr", "јун 2010", "15. јун 2010."),
        ("sr-latn", "jun 2010", "15. jun 2010."),
        ("bs", "juni 2010", "15. juni 2010."),
    ],
)
def test_dates_read_at_their_precision_in_each_language(code, month, day):
    date = datetime.date(2010, 6, 15)
    with translation.override(code):
        assert human_partial(date, "year") == "2010"
        assert human_partial(date, "month") == month
        assert human_partial(date, "day") == day


# -- catalogues ------------------------------------------------------------------------------------


def write_catalogue(root, code, entries, fuzzy=()):
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": code}
    for msgid, msgstr in entries.items():
        entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
        if msgid in fuzzy:
            entry.flags.append("fuzzy")
        catalogue.append(entry)
    path = root / languages.locale_name(code) / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(path))
    return path


def test_serbian_latin_is_generated_from_cyrillic_and_both_are_compiled(tmp_path):
    write_catalogue(
        tmp_path, "sr", {"Partners": "Партнери", "%(n)s activities in Kosovo": "%(n)s активности на Косову"}
    )
    call_command("build_catalogues", locale_dir=str(tmp_path))
    latin = polib.pofile(str(tmp_path / "sr_Latn" / "LC_MESSAGES" / "django.po"))
    assert {e.msgid: e.msgstr for e in latin} == {
        "Partners": "Partneri",
        "%(n)s activities in Kosovo": "%(n)s aktivnosti na Kosovu",  # placeholders untouched
    }
    for folder, expected in (("sr", "Партнери"), ("sr_Latn", "Partneri")):
        with (tmp_path / folder / "LC_MESSAGES" / "django.mo").open("rb") as mo:
            assert gettext.GNUTranslations(mo).gettext("Partners") == expected
    call_command("build_catalogues", "--check", locale_dir=str(tmp_path))  # up to date


def test_the_check_names_a_stale_latin_catalogue_and_an_uncompiled_one(tmp_path, capsys):
    source = write_catalogue(tmp_path, "sr", {"Partners": "Партнери"})
    call_command("build_catalogues", locale_dir=str(tmp_path))
    write_catalogue(tmp_path, "sr", {"Partners": "Партнери", "Lessons": "Поуке"})
    with pytest.raises(CommandError):
        call_command("build_catalogues", "--check", locale_dir=str(tmp_path))
    err = capsys.readouterr().err
    assert "sr_Latn/LC_MESSAGES/django.po: not the transliteration of" in err and str(source) in err
    assert "sr/LC_MESSAGES/django.mo: not compiled from django.po" in err


def test_an_incomplete_or_fuzzy_catalogue_is_named_and_never_compiled(tmp_path, capsys):
    write_catalogue(
        tmp_path, "sq", {"Partners": "Partnerët", "Lessons": "", "Sources": "Burime"}, fuzzy={"Sources"}
    )
    with pytest.raises(CommandError):
        call_command("build_catalogues", locale_dir=str(tmp_path))
    err = capsys.readouterr().err
    assert "sq/LC_MESSAGES/django.po: 1 untranslated (first: 'Lessons')" in err
    assert "1 fuzzy (first: 'Sources')" in err
    assert not (tmp_path / "sq" / "LC_MESSAGES" / "django.mo").exists()
    assert languages.languages(tmp_path) == [("en", "English")]


def test_the_committed_catalogues_are_complete_and_compiled():
    """Every catalogue under locale/: complete, no fuzzy message, compiled, and Serbian Latin the
    transliteration of Cyrillic."""
    call_command("build_catalogues", "--check")


@pytest.mark.parametrize(
    ("code", "kosovo", "north_macedonia"),
    [
        ("en", "Kosovo*", "North Macedonia"),
        ("sq", "Kosovë*", "Maqedonia e Veriut"),
        ("sr", "Косово*", "Северна Македонија"),
        ("sr-latn", "Kosovo*", "Severna Makedonija"),
        ("bs", "Kosovo*", "Sjeverna Makedonija"),
    ],
)
def test_countries_are_named_in_the_readers_language(code, kosovo, north_macedonia):
    from partners.models import Country

    xk, mk = Country.objects.get(code="XK"), Country.objects.get(code="MK")
    with translation.override(code):
        assert (xk.display_name, mk.display_name) == (kosovo, north_macedonia)
    assert xk.name == "Kosovo"  # the record keeps its curated English name


def test_a_country_page_names_it_in_the_pages_language(client, settings):
    settings.LANGUAGES = WITH_SERBIAN
    assert "Србија" in client.get("/sr/countries/RS/").content.decode()
    assert "Srbija" in client.get("/sr-latn/countries/RS/").content.decode()


def test_the_country_facet_names_countries_in_the_pages_language(client, settings):
    settings.LANGUAGES = WITH_SERBIAN
    page = client.get("/sr/activities/").content.decode()
    assert (
        '<input type="checkbox" id="f-country-xk" name="country" value="XK"> <span class="facet-label">Косово</span>'
        in page
    )


def test_every_region_language_is_offered_with_its_pages_translated(client):
    from django.conf import settings

    assert [code for code, _ in settings.LANGUAGES] == [code for code, _ in languages.ALL_LANGUAGES]
    expected = {"sq": "Partnerët", "sr": "Партнери", "sr-latn": "Partneri", "bs": "Partneri"}
    for code, word in expected.items():
        with translation.override(code):
            assert translation.gettext("Partners") == word
        html = client.get(f"/{code}/partners/").content.decode()
        assert f'<html lang="{code}">' in html and f"<h1>{word}" in html, code
        assert 'class="translation-status' in html  # machine-assisted: the reader is told


def test_a_partner_page_gives_its_established_name_in_the_pages_language(client):
    page = client.get("/sq/partners/kosovo-womens-network/").content.decode()
    assert '<p class="local-name" lang="sq">Rrjeti i Grave të Kosovës</p>' in page
    # Serbian Cyrillic from the recorded Latin name, and the reverse
    assert (
        '<p class="local-name" lang="sr-Cyrl">Жене у црном</p>'
        in client.get("/sr/partners/women-in-black/").content.decode()
    )
    latin = client.get("/sr-latn/partners/kosovo-police/").content.decode()
    assert '<p class="local-name" lang="sr-Latn">Kosovska policija</p>' in latin
    assert '<span lang="sq">Policia e Kosovës</span>' in latin  # each alias in its own language
    assert 'class="local-name"' not in client.get("/partners/kosovo-womens-network/").content.decode()
    assert 'class="local-name"' not in client.get("/bs/partners/kosovo-womens-network/").content.decode()


def test_english_only_record_text_is_marked_english_on_other_language_pages(client):
    from activities.models import Activity

    activity = Activity.objects.published().exclude(summary="").first()
    serbian = client.get(f"/sr/activities/{activity.slug}/").content.decode()
    assert '<h1 id="record-title"><span lang="en">' in serbian
    assert '<div class="prose" lang="en">' in serbian
    english = client.get(f"/activities/{activity.slug}/").content.decode()
    assert 'lang="en">' not in english.split("<body")[1]  # the page is English: nothing to mark
    assert '<p class="summary" lang="en">' in client.get("/sq/partners/").content.decode()


def facet_labels(html: str, name: str) -> dict[str, str]:
    """{value: the label's opening tag} of the facet ``name`` on a list page."""
    found = re.findall(
        rf'name="{name}" value="([^"]+)"[^>]*> (<span class="facet-label"[^>]*>)',
        html,
    )
    return dict(found)


def test_a_facet_label_shown_in_english_for_want_of_a_translation_is_marked_english(client):
    from casestudies.models import Approach

    untranslated, translated_one = (
        Approach.objects.published().filter(case_studies__isnull=False).distinct()[:2]
    )
    untranslated.title_sq = ""
    untranslated.save()
    html = client.get("/sq/case-studies/").content.decode()
    labels = facet_labels(html, "approach")
    assert labels[untranslated.slug] == '<span class="facet-label" lang="en">'
    assert labels[translated_one.slug] == '<span class="facet-label">'  # Albanian, the page's
    assert f'<span class="facet-label" lang="en">{untranslated.title_en}</span>' in html
    # and the facet's vocabulary labels, from the catalogue, are in the page's language
    assert set(facet_labels(html, "section").values()) == {'<span class="facet-label">'}
    english = client.get("/case-studies/").content.decode()
    assert set(facet_labels(english, "approach").values()) == {'<span class="facet-label">'}


def test_facets_of_english_only_records_are_marked_english_and_so_is_their_active_filter(client):
    from activities.models import Activity

    programme = Activity.objects.published().exclude(programme=None).first().programme
    html = client.get(f"/sr/activities/?programme={programme.slug}").content.decode()
    assert facet_labels(html, "programme")[programme.slug] == '<span class="facet-label" lang="en">'
    assert set(facet_labels(html, "type").values()) == {'<span class="facet-label">'}  # translated
    assert set(facet_labels(html, "country").values()) == {'<span class="facet-label">'}  # CLDR
    chip = html.split('class="active-filters"')[1].split("</ul>")[0]
    assert f'<span lang="en">{programme.short_name}</span>' in chip
    english = client.get(f"/activities/?programme={programme.slug}").content.decode()
    assert set(facet_labels(english, "programme").values()) == {'<span class="facet-label">'}


def test_programme_phase_and_area_names_are_marked_english_on_other_language_pages(client):
    from activities.models import Activity

    activity = Activity.objects.published().exclude(programme=None).exclude(phase=None).first()
    programme, phase = activity.programme, activity.phase
    page = client.get(f"/bs/programmes/{programme.slug}/").content.decode()
    assert f'<h1 id="record-title"><span lang="en">{programme.name}</span>' in page
    assert f'<h3><span lang="en">{phase.name}</span>' in page
    detail = client.get(f"/sq/activities/{activity.slug}/").content.decode()
    assert f'lang="en">{phase.name}</a>' in detail
    card = f'<p class="meta small" lang="en">{programme}'
    assert card in client.get(f"/sr/activities/?programme={programme.slug}").content.decode()
    assert card not in client.get(f"/activities/?programme={programme.slug}").content.decode()


@pytest.mark.parametrize(
    ("code", "forms"),
    [
        (
            "en",
            {"one": "%(left)s / %(limit)s character left", "other": "%(left)s / %(limit)s characters left"},
        ),
        (
            "sq",
            {
                "one": "Ka mbetur %(left)s karakter nga %(limit)s",
                "other": "Kanë mbetur %(left)s karaktere nga %(limit)s",
            },
        ),
        (
            "sr",
            {
                "one": "Преостао је %(left)s знак од %(limit)s",
                "few": "Преостала су %(left)s знака од %(limit)s",
                "other": "Преостало је %(left)s знакова од %(limit)s",
            },
        ),
        (
            "sr-latn",
            {
                "one": "Preostao je %(left)s znak od %(limit)s",
                "few": "Preostala su %(left)s znaka od %(limit)s",
                "other": "Preostalo je %(left)s znakova od %(limit)s",
            },
        ),
        (
            "bs",
            {
                "one": "Preostao je %(left)s znak od %(limit)s",
                "few": "Preostala su %(left)s znaka od %(limit)s",
                "other": "Preostalo je %(left)s znakova od %(limit)s",
            },
        ),
    ],
)
def test_the_excerpt_counter_gets_its_words_in_each_plural_form_of_the_language(code, forms):
    import json
    from html import unescape

    from wps_portal.forms import ExcerptWidget

    with translation.override(code):
        html = ExcerptWidget().render("excerpt", "")
    counter = json.loads(unescape(re.search(r'data-char-counter="([^"]*)"', html).group(1)))
    assert counter == {"language": code, "forms": forms}
