"""Partners' local-language names: a tag from the portal's own list (model, database, loader,
API, import), shown where partners are listed in that language's pages in one extra query, in the
API in the language asked, and found in the admin."""

from pathlib import Path

import lxml.html
import pytest
import tablib
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from casestudies.models import CaseStudy
from partners.choices import AliasLanguage
from partners.models import Alias, Partner
from partners.resources import PartnerResource
from tests.test_api_write import API, curator
from tests.test_corpus_loader import mini_corpus, write  # noqa: F401 (a fixture)
from tests.test_import import as_csv, sample_rows
from wps_portal import languages, synthetic
from wps_portal.corpus import CorpusError, CorpusLoader, load_corpus

pytestmark = pytest.mark.django_db

PORTAL_TAGS = ["sq", "sr-Cyrl", "sr-Latn", "bs"]  # written out: the oracle is not the code's list


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


def local_names(tree) -> list[tuple[str, str]]:
    return [(el.get("lang"), el.text_content().strip()) for el in tree.xpath('.//*[@class="local-name"]')]


# -- 1. the tag: one of the portal's languages, or none -----------------------------------------------


def test_an_alias_language_is_one_of_the_portals_tags_or_none():
    assert AliasLanguage.values == PORTAL_TAGS
    assert AliasLanguage.values == [languages.BCP47[c] for c, _ in languages.ALL_LANGUAGES if c != "en"]
    partner = Partner.objects.get(slug="kosovo-police")
    for bad in ("sr", "sr-latn", "en", "mk"):
        with pytest.raises(ValidationError) as error:
            Alias(partner=partner, name=f"Alias {bad}", kind="local", language=bad).full_clean()
        assert "language" in error.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():  # the database says no too
            Alias.objects.create(partner=partner, name=f"Alias {bad}", kind="local", language=bad)
    Alias(partner=partner, name="Untagged local name", kind="local", language="").full_clean()


def test_every_fixture_alias_language_is_a_portal_tag():
    found = []
    for path in sorted((Path(settings.CORPUS_DIR) / "partners").glob("*.yaml")):
        for record in yaml.load(path.read_text(encoding="utf-8"), Loader=CorpusLoader) or []:  # noqa: S506
            for alias in record.get("aliases") or []:
                if isinstance(alias, dict) and alias.get("language"):
                    found.append(alias["language"])
    assert found and set(found) <= set(PORTAL_TAGS), set(found) - set(PORTAL_TAGS)


@pytest.mark.parametrize("bad", ["sr", "sr-latn", "english"])
def test_the_loader_refuses_a_bad_tag_naming_file_record_and_field(mini_corpus, bad):  # noqa: F811
    write(
        mini_corpus,
        "partners/zz-bad.yaml",
        "- {slug: bad-tag, name: Bad Tag, kind: ngo, scope: local,"
        f" aliases: [Other name, {{name: Lokalno ime, kind: local, language: {bad}}}]}}\n",
    )
    with pytest.raises(CorpusError) as error:
        load_corpus(mini_corpus)
    assert (error.value.file, error.value.record, error.value.field) == (
        "partners/zz-bad.yaml",
        "slug=bad-tag",
        "aliases[1].language",
    )
    assert "sr-Latn" in str(error.value)  # the message lists the tags allowed
    with pytest.raises(CommandError) as command_error:
        call_command("load_corpus", str(mini_corpus))
    assert "partners/zz-bad.yaml" in str(command_error.value) and "slug=bad-tag" in str(command_error.value)


def test_the_api_refuses_a_bad_tag_naming_the_alias_and_field():
    client = curator("change_partner")
    aliases = [{"name": "Other name"}, {"name": "Lokalno ime", "kind": "local", "language": "sr"}]
    response = client.patch(f"{API}partners/kosovo-police/", {"aliases": aliases}, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["aliases"]
    assert errors[0] == {} and "language" in errors[1]
    assert Partner.objects.get(slug="kosovo-police").aliases.filter(language="sr-Cyrl").exists()  # unchanged
    aliases[1]["language"] = "sr-Latn"
    assert (
        client.patch(f"{API}partners/kosovo-police/", {"aliases": aliases}, format="json").status_code == 200
    )
    assert Alias.objects.get(name="Lokalno ime").language == "sr-Latn"


def test_an_import_gives_a_local_names_tag_after_its_kind_and_refuses_a_bad_one():
    rows = sample_rows()[:3]
    rows[0]["aliases"] = "Uzorak organizacija [local sr-latn]|Organizata shembull [Local-language name sq]"
    rows[1]["aliases"] = "Uzorak [local sr]"
    result = PartnerResource().import_data(tablib.Dataset().load(as_csv(rows).decode(), format="csv"))
    assert [(row.number, list(row.field_specific_errors)) for row in result.invalid_rows] == [
        (2, ["aliases"])
    ]
    assert "sr-Latn" in str(result.invalid_rows[0].field_specific_errors["aliases"])

    rows[1]["aliases"] = "Uzorak [local]"
    result = PartnerResource().import_data(tablib.Dataset().load(as_csv(rows).decode(), format="csv"))
    assert not result.has_validation_errors() and not result.has_errors()
    partner = Partner.objects.get(slug=rows[0]["slug"])
    assert sorted(partner.aliases.values_list("name", "kind", "language")) == [
        ("Organizata shembull", "local", "sq"),
        ("Uzorak organizacija", "local", "sr-Latn"),  # the tag as the portal writes it
    ]
    assert Partner.objects.get(slug=rows[1]["slug"]).aliases.get().language == ""
    exported = PartnerResource().dehydrate_aliases(partner)
    assert exported == "Organizata shembull [local sq]|Uzorak organizacija [local sr-Latn]"


# -- 2. shown where partners are listed, in one extra query ----------------------------------------


def test_partner_cards_give_the_local_name_in_the_pages_language():
    from django.test import Client

    client = Client()
    url = "/partners/?country=XK&page_size=100"
    assert ("sq", "Policia e Kosovës") in local_names(page(client, f"/sq{url}"))
    serbian = local_names(page(client, f"/sr{url}"))
    assert ("sr-Cyrl", "Косовска полиција") in serbian
    assert ("sr-Cyrl", "Скупштина Косова") in serbian  # transliterated from the Latin name
    assert ("sr-Latn", "Kosovska policija") in local_names(page(client, f"/sr-latn{url}"))
    assert local_names(page(client, url)) == []  # English: nothing changes
    card = page(client, f"/sq{url}").xpath('//article[.//a[@href="/sq/partners/kosovo-police/"]]')[0]
    assert card.xpath('string(.//p[@class="local-name"])') == "Policia e Kosovës"


def test_participants_on_activity_and_case_study_pages_give_their_local_names(client):
    activity = Activity.objects.published().filter(participations__partner__slug="kosovo-police").first()
    url = activity.get_absolute_url()  # the English one (a request's language stays active after it)
    tree = page(client, f"/sr-latn{url}")
    item = tree.xpath('//li[a[@href="/sr-latn/partners/kosovo-police/"]]')[0]
    assert local_names(item) == [("sr-Latn", "Kosovska policija")]
    assert local_names(page(client, url)) == []

    case_study = CaseStudy.objects.published().filter(partner_roles__partner__slug="kosovo-police").first()
    tree = page(client, f"/sq{case_study.get_absolute_url()}")
    item = tree.xpath('//section[@aria-labelledby="partners"]//li[a[@href="/sq/partners/kosovo-police/"]]')[0]
    assert local_names(item) == [("sq", "Policia e Kosovës")]


def queries(client, url) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/partners/",
        "/partners/?country=XK",
        "/countries/XK/",
        "/activities/rwl-establishment-2006/",
        "/case-studies/{case_study}/",
    ],
)
def test_local_names_cost_one_query_a_page_whatever_the_number_of_partners(client, url):
    url = url.format(case_study=CaseStudy.objects.published().first().slug)
    before = {code: queries(client, f"/{code}{url}" if code != "en" else url) for code in ("en", "sq", "sr")}
    assert before["sq"] == before["sr"] == before["en"] + 1, before
    synthetic.seed(partners=60, activities=600, seed=9)
    after = {code: queries(client, f"/{code}{url}" if code != "en" else url) for code in ("en", "sq", "sr")}
    assert after == before


# -- 3. the API, in the language asked ---------------------------------------------------------------


def test_the_partner_api_gives_the_local_name_in_the_language_asked(client):
    url = f"{API}partners/kosovo-police/"
    assert client.get(url, {"lang": "sr-latn"}).json()["local_name"] == {
        "name": "Kosovska policija",
        "language": "sr-Latn",
    }
    sq = client.get(url, HTTP_ACCEPT_LANGUAGE="sq").json()["local_name"]
    assert sq == {"name": "Policia e Kosovës", "language": "sq"}
    assert client.get(url).json()["local_name"] is None  # English
    assert client.get(url, {"lang": "bs"}).json()["local_name"] is None  # none recorded in Bosnian
    rows = client.get(f"{API}partners/", {"lang": "sr", "fields": "slug,local_name", "country": "RS"}).json()
    by_slug = {row["slug"]: row["local_name"] for row in rows["results"]}
    assert by_slug["women-in-black"] == {"name": "Жене у црном", "language": "sr-Cyrl"}


def test_the_schema_documents_the_local_name(client):
    schema = yaml.safe_load(client.get(f"{API}schema/").content)
    field = schema["components"]["schemas"]["Partner"]["properties"]["local_name"]
    assert field["readOnly"] is True and field["nullable"] is True
    assert field["properties"]["language"]["enum"] == PORTAL_TAGS


# -- 4. the admin --------------------------------------------------------------------------------------


def test_the_partner_changelist_filters_by_local_name(admin_client):
    police = Partner.objects.get(slug="kosovo-police")
    untagged = Partner.objects.exclude(aliases__kind="local").first()
    Alias.objects.create(partner=untagged, name="Lokalno ime bez jezika", kind="local")
    url = reverse("admin:partners_partner_changelist")

    def listed(value):
        return set(admin_client.get(url, {"local_name": value}).context["cl"].result_list)

    assert police in listed("yes") and untagged not in listed("yes")
    assert untagged in listed("no") and police not in listed("no")
    assert listed("untagged") == {untagged}
    tagged = Partner.objects.filter(aliases__kind="local", aliases__language__in=PORTAL_TAGS).distinct()
    assert listed("yes") == set(tagged)


def test_the_alias_inline_and_list_show_the_language(admin_client):
    police = Partner.objects.get(slug="kosovo-police")
    tree = page(admin_client, reverse("admin:partners_partner_change", args=[police.pk]))
    options = tree.xpath('//select[@name="aliases-0-language"]/option/@value')
    assert options == ["", *PORTAL_TAGS]
    response = admin_client.get(reverse("admin:partners_alias_changelist"), {"language": "sr-Cyrl"})
    assert [alias.name for alias in response.context["cl"].result_list] == ["Косовска полиција"]


def test_the_sample_import_file_gives_a_local_names_tag(admin_client):
    result = PartnerResource().import_data(
        tablib.Dataset().load(as_csv(sample_rows()).decode(), format="csv"), dry_run=False
    )
    assert not result.has_errors() and not result.has_validation_errors()
    alias = Partner.objects.get(slug="sample-partner-01").aliases.get(kind="local")
    assert (alias.name, alias.language) == ("Uzorak organizacija 01", "sr-Latn")


def test_the_migration_writes_each_stored_tag_as_the_constraint_allows():
    """0008 runs before its constraint: tags typed before there was a list are rewritten, or
    cleared when they are no language of the portal's."""
    import importlib

    from django.apps import apps

    if connection.vendor != "sqlite":
        pytest.skip("rows breaking the constraint are written with SQLite's pragma")
    migration = importlib.import_module("partners.migrations.0008_alias_language_choices")
    partner = Partner.objects.get(slug="kosovo-police")
    typed = {"sr": "sr-Cyrl", "SR-LATN": "sr-Latn", "sr_latn": "sr-Latn", " sq": "sq", "mk": "", "bs": "bs"}
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        for number, tag in enumerate(typed):
            Alias.objects.create(partner=partner, name=f"Typed {number}", kind="local", language=tag)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
    migration.canonical_tags(apps, None)
    stored = dict(Alias.objects.filter(name__startswith="Typed ").values_list("name", "language"))
    assert stored == {f"Typed {n}": tag for n, tag in enumerate(typed.values())}
