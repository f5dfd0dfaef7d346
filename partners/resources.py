"""Bulk import of partners, with their aliases (admin → Partners → Import)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from import_export import widgets
from import_export.fields import Field

from wps_portal.imports import (
    ChoiceWidget,
    KeyWidget,
    PortalResource,
    cell_text,
    choice_value,
    split_cell,
    status_field,
)

from .choices import AliasKind, AliasLanguage, PartnerKind, Scope
from .models import Alias, Country, Partner


class CountryWidget(widgets.ForeignKeyWidget):
    """A country by ISO code ("XK") or by name ("Kosovo"), case-insensitive."""

    def __init__(self, **kwargs):
        super().__init__(Country, field="code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        for country in Country.objects.all():
            if text.casefold() in (country.code.casefold(), country.name.casefold()):
                return country
        raise ValueError(_("No country with ISO code or name %(value)r.") % {"value": text})


class PartnerResource(PortalResource):
    help_text = format_lazy(
        "{} {}",
        _(
            "One partner a row, found by its slug (a new slug creates a partner; an empty one is made "
            "from the name). kind and scope: the key or the label shown in the admin (womens-ngo or "
            "Women's NGO). country: ISO code or name (XK or Kosovo). parent: the slug of a partner that "
            "exists or comes earlier in the file. status: draft (the default) or published. aliases: "
            "names separated by |, each optionally followed by its kind in brackets: "
            "Sample organisation|Uzorak organizacija [local]. A missing aliases "
            "column leaves the aliases as they are; an empty cell removes them."
        ),
        _(
            "A local-language name may give its language's BCP 47 tag after the kind: "
            "Uzorak organizacija [local sr-Latn] (sq, sr-Cyrl, sr-Latn or bs)."
        ),
    )
    kind = Field(attribute="kind", column_name="kind", widget=ChoiceWidget(PartnerKind, _("partner kind")))
    scope = Field(attribute="scope", column_name="scope", widget=ChoiceWidget(Scope, _("scope")))
    country = Field(attribute="country", column_name="country", widget=CountryWidget())
    parent = Field(attribute="parent", column_name="parent", widget=KeyWidget(Partner, "slug"))
    status = status_field()
    aliases = Field(column_name="aliases")

    child_columns = ("aliases",)

    class Meta(PortalResource.Meta):
        model = Partner
        fields = (
            "slug", "name", "acronym", "kind", "scope", "country", "founded_year", "parent",
            "description", "status", "aliases",
        )  # fmt: skip

    # -- aliases: "name|name [kind]|name [kind language]" ----------------------------------------

    def parse_aliases(self, value, partner):
        aliases = {}
        for item in split_cell(value):
            name, kind, language = item, AliasKind.SPELLING, ""
            if item.endswith("]") and "[" in item:
                name, _bracket, bracket = item[:-1].rpartition("[")
                name = name.strip()
                kind, language = self.kind_and_language(bracket)
            if name in (partner.name, partner.acronym):
                continue  # a name is not its own alias (as in the loader)
            if name.casefold() in {n.casefold() for n in aliases}:
                raise ValueError(_("%(name)r is listed twice.") % {"name": name})
            aliases[name] = (kind, language)
        return tuple(sorted((name, kind, language) for name, (kind, language) in aliases.items()))

    @staticmethod
    def kind_and_language(bracket):
        """ "local sr-Latn" → ("local", "sr-Latn"); a kind by its label may have spaces ("Other
        acronym"), so the bracket is a kind first, else a kind and, after its last space, a tag."""
        text = bracket.strip()
        try:
            return choice_value(AliasKind, text, what=_("kind of alias")), ""
        except ValueError:
            kind_text, _space, tag = text.rpartition(" ")
            if not kind_text:
                raise
        kind = choice_value(AliasKind, kind_text, what=_("kind of alias"))
        return kind, choice_value(AliasLanguage, tag, what=_("alias language"))

    def current_aliases(self, partner):
        return tuple(sorted(partner.aliases.values_list("name", "kind", "language")))

    def write_aliases(self, partner, aliases):
        wanted = {name: (kind, language) for name, kind, language in aliases}
        partner.aliases.exclude(name__in=wanted).delete()
        rows = []
        for name, (kind, language) in wanted.items():
            row, _created = Alias.objects.update_or_create(
                partner=partner, name=name, defaults={"kind": kind, "language": language}
            )
            rows.append(row)
        return rows

    def dehydrate_aliases(self, partner):
        if partner.pk is None:
            return ""
        return "|".join(
            f"{name} [{' '.join(filter(None, (kind, language)))}]"
            if (kind, language) != (AliasKind.SPELLING, "")
            else name
            for name, kind, language in self.current_aliases(partner)
        )
