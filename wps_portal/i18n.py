"""Choosing the language of a request, and what templates need to offer the others.

Which languages exist is defined in ``wps_portal.languages`` (and ``settings.LANGUAGES``, read from
it); this module only applies that choice.
"""

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.urls import translate_url
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from . import languages
from .security import ADMIN_PREFIX, API_PREFIX


def _interpolate(text, params) -> str:
    return str(text) % params


# ``interpolate_lazy(_("%(n)d characters"), {"n": 500})``: a message translated, then filled in,
# when it is shown (in the reader's language), not when the module is imported.
interpolate_lazy = lazy(_interpolate, str)


def literal(text: str) -> str:
    """``text`` as a value inside a message that is interpolated again (``%`` doubled): a form
    error filled in here with what is allowed, and later by Django with ``%(value)s``."""
    return str(text).replace("%", "%%")


def plural_forms(message, counts=range(1000)) -> dict[str, str]:
    """A message with a count, for a script: {CLDR plural category ("one", "few", "other"): the
    catalogue's form} in the active language, each category filled with ``message(n)`` for the
    first count ``n`` of it. The script picks the form with ``Intl.PluralRules`` (gettext's plural
    formula would need eval, which the Content-Security-Policy forbids). ``message`` is
    ``lambda n: ngettext("…", "…", n)``, so makemessages extracts both forms."""
    try:
        rule = Locale.parse(translation.to_locale(translation.get_language() or "en")).plural_form
    except (UnknownLocaleError, ValueError):
        rule = Locale("en").plural_form
    categories = rule.tags | {"other"}
    forms = {}
    for n in counts:
        forms.setdefault(rule(n), message(n))
        if len(forms) == len(categories):
            break
    return forms


class LanguageMiddleware(LocaleMiddleware):
    """The public pages: Django's LocaleMiddleware, the language being the URL's prefix (an
    unprefixed page is English, so a shared link reads the same for everyone). The admin, which
    has one address per page and is nobody's shared link: the language cookie (the switcher's
    choice), else Accept-Language, else English — Django's resolution for a path without a
    prefix, which LocaleMiddleware skips for English when i18n_patterns leave English unprefixed.
    The API, which has one address per resource: ``?lang=``, else the cookie, else
    Accept-Language; an unknown ``lang`` is the API's 400 naming the parameter."""

    def process_request(self, request):
        if request.path_info.startswith(ADMIN_PREFIX):
            translation.activate(translation.get_language_from_request(request, check_path=False))
            request.LANGUAGE_CODE = translation.get_language()
            return None
        if not request.path_info.startswith(API_PREFIX):
            return super().process_request(request)
        asked = request.GET.get("lang")
        if asked is None:
            language = translation.get_language_from_request(request, check_path=False)
        else:
            codes = [code for code, _name in settings.LANGUAGES]
            if asked.lower() not in codes:
                message = _("%(value)s is not a language of the portal; allowed: %(allowed)s.") % {
                    "value": asked,
                    "allowed": ", ".join(codes),
                }
                return JsonResponse({"lang": [message]}, status=400)
            language = asked.lower()
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None


def alternates(request) -> list[dict]:
    """This page in each language the portal offers: code, name, URL and absolute URL (for the
    switcher and the hreflang links), the current one marked. The query string is kept."""
    current = translation.get_language()
    path = request.get_full_path()
    pages = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        pages.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    return pages


def suggested(request, pages) -> dict | None:
    """The page in the language the browser prefers, when that is not the page's language and the
    reader has not chosen one (a language cookie): offered, never forced by a redirect."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return None
    preferred = translation.get_language_from_request(request, check_path=False)
    return next((page for page in pages if page["code"] == preferred and not page["current"]), None)


def language_context(request):
    """Template context: the page in the other languages, when the portal offers more than one."""
    if len(settings.LANGUAGES) < 2 or request.resolver_match is None:
        return {"alternates": [], "suggested_language": None, "translation_status": None}
    pages = alternates(request)
    return {
        "alternates": pages,
        "suggested_language": suggested(request, pages),
        "translation_status": languages.translation_status(translation.get_language()),
    }
