"""Every admin changelist, add page and change page renders for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_render(admin_client, admin_user, rf, model):
    opts = model._meta
    request = rf.get("/")
    request.user = admin_user
    # Some admins are read-only logs (django-axes' sign-in attempts): no add page, by design.
    addable = admin.site._registry[model].has_add_permission(request)
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "kosovo"}).status_code == 200
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == (200 if addable else 403)
    instance = model._default_manager.first()
    if instance is not None:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
        assert admin_client.get(url).status_code == 200


def test_partner_changelist_searches_aliases(admin_client):
    from partners.models import Alias, Partner

    partner = Partner.objects.create(name="Alias Holder", slug="alias-holder", kind="ngo", scope="local")
    Alias.objects.create(partner=partner, name="Zzyzx Variant")
    response = admin_client.get(reverse("admin:partners_partner_changelist"), {"q": "Zzyzx"})
    assert b"Alias Holder" in response.content


def test_partner_autocomplete_answers(admin_client):
    url = reverse("admin:autocomplete")
    response = admin_client.get(
        url,
        {"app_label": "activities", "model_name": "participation", "field_name": "partner", "term": "kos"},
    )
    assert response.status_code == 200
    assert "results" in response.json()


def test_alias_added_on_its_own_admin_page_makes_the_partner_findable(admin_client):
    from partners.models import Partner

    partner = Partner.objects.create(
        name="Findable Body", slug="findable-body", kind="ngo", scope="local", status="published"
    )
    response = admin_client.post(
        reverse("admin:partners_alias_add"),
        {"partner": partner.pk, "name": "Qwertyuiop Sisters", "kind": "local"},
    )
    assert response.status_code == 302
    assert list(Partner.objects.published().search("qwertyuiop")) == [partner]


def admin_page(response):
    import lxml.html

    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def test_the_admin_follows_the_readers_language_at_its_one_address(admin_client, settings):
    """The admin keeps its unprefixed URLs; its language is the switcher's cookie, else the
    browser's Accept-Language, else English. Django's own admin strings come from Django's
    catalogues, the portal's (actions, filters, links) from locale/."""
    url = reverse("admin:partners_partner_changelist")
    english = admin_page(admin_client.get(url))
    assert english.get("lang") == "en"
    assert "Publish the selected records" in english.text_content()

    response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="sq")
    albanian = admin_page(response)
    assert albanian.get("lang") == "sq" and response["Content-Language"] == "sq"
    assert "Accept-Language" in response["Vary"]  # one address, several languages
    text = albanian.text_content()
    assert "Veprim:" in text  # Django's admin catalogue: "Action:"
    assert (
        albanian.xpath('string(//nav[@id="nav-sidebar"]//a[@class="addlink"])').strip() == "Shtoni"
    )  # "Add"
    assert "Publiko regjistrimet e përzgjedhura" in text  # the portal's action
    assert "Regjistrimet e fshira" in text  # the portal's "Deleted records" link
    assert "Publish the selected records" not in text
    headings = [
        th.text_content().strip() for th in albanian.xpath('//table[@id="result_list"]//th[@scope="col"]')
    ]
    assert {"Emri", "Akronimi", "Lloji", "Niveli", "Pjesë e"} <= set(headings)  # the partner's fields

    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr"
    serbian = admin_page(admin_client.get(url, HTTP_ACCEPT_LANGUAGE="sq"))  # the choice wins
    assert serbian.get("lang") == "sr" and "Радња:" in serbian.text_content()
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr-latn"
    latin = admin_page(admin_client.get(reverse("admin:partners_partner_add")))
    assert latin.get("lang") == "sr-latn"
    assert "Uređivanje" in latin.text_content()  # the portal's fieldset, generated from Cyrillic


def test_public_pages_keep_their_language_from_the_url_not_the_cookie(client, settings):
    import lxml.html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sq"
    page = lxml.html.fromstring(client.get("/partners/", HTTP_ACCEPT_LANGUAGE="sq").content.decode())
    assert page.get("lang") == "en"  # a shared unprefixed link reads the same for everyone


def test_staff_choose_the_admins_language_in_its_header(admin_client, settings):
    url = reverse("admin:partners_partner_changelist")
    page = admin_page(admin_client.get(url, HTTP_ACCEPT_LANGUAGE="sq"))
    form = page.xpath('//form[@class="admin-language"]')[0]
    assert form.get("action") == reverse("set_language")
    assert form.xpath('string(.//input[@name="next"]/@value)') == url
    options = {o.get("value"): o for o in form.xpath(".//option")}
    assert list(options) == [code for code, _name in settings.LANGUAGES]
    assert options["sq"].get("selected") is not None  # the admin's language now
    response = admin_client.post(reverse("set_language"), {"language": "bs", "next": url})
    assert response.status_code == 302 and response["Location"] == url  # the admin keeps its address
    assert admin_client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "bs"
    bosnian = admin_page(admin_client.get(url, HTTP_ACCEPT_LANGUAGE="sq"))
    assert bosnian.get("lang") == "bs"  # the choice wins over the browser's language
    assert bosnian.xpath('string(//form[@class="admin-language"]//button)') == "Promijeni jezik"


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_changelist_and_change_page_renders_in_another_language(admin_client, model):
    """In Serbian (Cyrillic; its Latin catalogue is generated from it): a translated label that
    fails to interpolate, or a heading still in English, shows only there."""
    opts = model._meta
    changelist = admin_page(
        admin_client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), HTTP_ACCEPT_LANGUAGE="sr"
        )
    )
    assert changelist.get("lang") == "sr"
    instance = model._default_manager.first()
    if instance is not None:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
        assert admin_page(admin_client.get(url, HTTP_ACCEPT_LANGUAGE="sr")).get("lang") == "sr"
    if opts.app_label in {"partners", "activities", "casestudies", "wps_portal"}:  # the portal's own
        headings = changelist.xpath('//table[@id="result_list"]//th[@scope="col"]//a/text()')
        untranslated = [
            h for h in headings if h.strip() and h.strip().isascii() and h.strip() not in {"URL", "ID"}
        ]
        assert not untranslated, untranslated
