"""Synthetic records on top of the corpus, for measuring the portal at scale: the one builder.

``seed(partners=…, activities=…, seed=…)`` adds published (and a few draft) partners with aliases
and network memberships, activities with 1–6 participants in roles, countries, outputs and
citations, and lessons of the corpus's case studies and approaches. It is

- realistic: names in the region's languages with their diacritics ("Udruženje žena Prizren",
  "Shoqata e Grave Pejë"), every country of the corpus, kinds, scopes, types and roles in the
  proportions a registry like this has, dates at all three precisions, a few partners taking part
  in thousands of activities (as a country's women's network does) and most in a handful;
- deterministic: the same arguments give the same records (compared by natural key, field by
  field), on SQLite and PostgreSQL alike; every random choice comes from one ``random.Random(seed)``;
- constraint-clean: every value is drawn inside what the models' constraints and ``clean()`` allow;
- fast: rows are built in memory and bulk-inserted in batches; then ``refresh_search_text``
  indexes them for search (their search text and weighted index entries), as after a load.

Synthetic records are recognisable by their slug, which ends with ``-s<number>``
(:data:`SLUG_MARK`), so they can be removed again with :func:`remove`.

This module sits in the lowest layer and reaches the apps' models by name (``apps.get_model``),
as the home page does.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.text import slugify

from .choices import DatePrecision, Status

SLUG_MARK = "-s"
BATCH = 2000  # activities built and inserted at a time (with their participants, countries…)
INSERT_BATCH = 500  # rows per INSERT statement (SQLite allows 32,766 parameters)
LAST_VERIFIED = datetime.date(2026, 1, 15)

# -- vocabularies of names, in the region's languages --------------------------------------------

# (country code, [places as the sources spell them]); None: a regional or international body.
PLACES = {
    "XK": ["Prishtinë", "Prizren", "Pejë", "Gjakovë", "Mitrovicë", "Gračanica", "Ferizaj", "Gjilan"],
    "BA": ["Sarajevo", "Banja Luka", "Mostar", "Tuzla", "Zenica", "Bijeljina", "Bihać", "Goražde"],
    "RS": ["Beograd", "Novi Sad", "Niš", "Kragujevac", "Subotica", "Novi Pazar", "Vranje", "Čačak"],
    "AL": ["Tiranë", "Shkodër", "Durrës", "Vlorë", "Korçë", "Elbasan", "Gjirokastër", "Kukës"],
    "MK": ["Skopje", "Bitola", "Kumanovo", "Tetovo", "Ohrid", "Štip", "Gostivar", "Struga"],
    "ME": ["Podgorica", "Nikšić", "Bar", "Pljevlja", "Bijelo Polje", "Cetinje", "Herceg Novi"],
    "HR": ["Zagreb", "Split", "Rijeka", "Osijek", "Vukovar", "Zadar", "Knin"],
}
# Country codes by language family of the names given to local bodies.
LANGUAGE = {"XK": "sq", "AL": "sq", "BA": "bcs", "RS": "bcs", "ME": "bcs", "HR": "bcs", "MK": "mk"}
ORGANISATION = {
    "bcs": ["Udruženje žena", "Fondacija", "Centar za ženska prava", "Mreža žena", "Ženski centar",
            "Forum žena", "Savjet za ravnopravnost spolova", "Udruženje građanki", "Ženska inicijativa"],
    "sq": ["Shoqata e Grave", "Qendra për Gratë", "Rrjeti i Grave", "Forumi i Grave",
           "Iniciativa e Grave", "Qendra për Barazi Gjinore", "Lidhja e Grave"],
    "mk": ["Здружение на жени", "Центар за родова еднаквост", "Мрежа на жени", "Форум на жени"],
}  # fmt: skip
ORGANISATION_EN = {
    "womens-ngo": ["Women's Association", "Women's Centre", "Women's Rights Centre", "Women's Forum"],
    "ngo": ["Citizens' Association", "Youth Centre", "Human Rights Committee", "Civic Initiative"],
    "network": ["Women's Network", "Coalition for Gender Equality", "Women's Lobby", "Alliance"],
    "government": ["Agency for Gender Equality", "Office for Gender Equality", "Ministry of Interior"],
    "security": ["Police Directorate", "Border Police", "Ministry of Defence", "Police Academy"],
    "judiciary": ["Basic Court", "Prosecutor's Office", "Judicial Council"],
    "parliament": ["Women's Caucus", "Committee on Gender Equality", "Assembly Committee"],
    "municipal": ["Municipality", "Municipal Gender Committee", "Municipal Assembly"],
    "un": ["UN Programme Office", "UN Country Team", "UN Project Office"],
    "international": ["Mission", "Foundation", "Institute"],
    "eu-mission": ["EU Rule of Law Mission", "EU Special Representative's Office"],
    "donor": ["Development Agency", "Embassy Fund", "Trust Fund"],
    "media": ["Radio", "Women's Media Centre", "Press Centre", "TV"],
    "academic": ["Institute for Gender Studies", "Faculty of Political Science", "Research Centre"],
    "other": ["Council", "Board", "Club"],
}  # fmt: skip
FIRST_NAMES = ["Ljiljana", "Vjosa", "Jelena", "Edita", "Šejla", "Mirjana", "Drita", "Nađa", "Božana",
               "Arbëresha", "Milica", "Teuta", "Dženana", "Ivana", "Shqipe", "Snežana", "Ajša", "Ćamila",
               "Donika", "Radmila", "Njomza", "Zorica", "Igballe", "Emina", "Vesna", "Blerta"]  # fmt: skip
TOPICS = ["UNSCR 1325", "gender-based violence", "women in policing", "domestic violence",
          "women's political participation", "gender budgeting", "transitional justice",
          "survivors of wartime sexual violence", "women in the security sector", "trafficking",
          "a national action plan on 1325", "women mediators", "Roma, Ashkali and Egyptian women",
          "missing persons", "reconciliation", "gender equality law", "women's economic security"]  # fmt: skip
AUDIENCES = ["police officers", "municipal officials", "women's NGOs", "judges and prosecutors",
             "members of parliament", "journalists", "young women", "border police",
             "community leaders", "students", "social workers", "women candidates"]  # fmt: skip
TITLES = {
    "training": "Training on {topic} for {audience} in {place}",
    "workshop": "Workshop on {topic} in {place}",
    "seminar": "Seminar: {topic}",
    "conference": "Regional conference on {topic}, {place}",
    "dialogue": "Dialogue between {audience} on {topic}",
    "meeting": "Meeting of {audience} with decision-makers on {topic}",
    "campaign": "Campaign against {topic} in {place}",
    "awareness-raising": "Raising awareness of {topic} among {audience}",
    "advocacy": "Advocacy for {topic} in {place}",
    "monitoring-report": "Monitoring report on {topic}",
    "research": "Survey of {audience} on {topic}",
    "capacity-building": "Building the capacity of {audience} on {topic}",
    "publication": "Publication on {topic}",
    "network-building": "Network of {audience} on {topic}",
    "policy-drafting": "Drafting rules on {topic}",
    "coordination": "Coordination of {audience} on {topic}",
}
TYPE_WEIGHTS = {
    "training": 18, "workshop": 12, "seminar": 6, "conference": 5, "dialogue": 8, "meeting": 9,
    "campaign": 6, "awareness-raising": 7, "advocacy": 8, "monitoring-report": 3, "research": 4,
    "capacity-building": 7, "publication": 3, "network-building": 2, "policy-drafting": 1,
    "coordination": 1,
}  # fmt: skip
KIND_WEIGHTS = {
    "womens-ngo": 30, "ngo": 18, "network": 4, "government": 8, "security": 5, "judiciary": 3,
    "parliament": 2, "municipal": 12, "un": 1, "international": 4, "eu-mission": 1, "donor": 3,
    "media": 4, "academic": 3, "other": 2,
}  # fmt: skip
# Scope by kind: (local, national, regional, international) weights.
SCOPE_WEIGHTS = {
    "municipal": (1, 0, 0, 0), "un": (0, 1, 2, 4), "international": (0, 1, 2, 5),
    "eu-mission": (0, 2, 1, 1), "donor": (0, 2, 1, 4), "network": (1, 4, 3, 0),
    "government": (1, 5, 0, 0), "parliament": (0, 1, 0, 0),
}  # fmt: skip
DEFAULT_SCOPE = (5, 4, 1, 0)
SCOPES = ("local", "national", "regional", "international")
ROLE_WEIGHTS = {
    "implementing": 30, "partner": 25, "participant": 25, "funding": 8, "beneficiary": 7,
    "accountable": 3, "extending": 2,
}  # fmt: skip
ALIAS_KINDS = ("spelling", "acronym", "former", "local", "short")


def _weighted(rnd: random.Random, weights: dict):
    return rnd.choices(list(weights), weights=list(weights.values()))[0]


def _acronym(words: str) -> str:
    letters = "".join(w[0] for w in words.replace("'", "").split() if w[:1].isalpha() and w[0].isupper())
    return letters[:8] if len(letters) >= 2 else ""


def _ascii(text: str) -> str:
    """The name as typed without diacritics (a common alias: "Udruzenje zena Prizren")."""
    import unicodedata

    text = text.translate(str.maketrans({"đ": "dj", "Đ": "Dj", "„": "", "“": ""}))
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@dataclass
class SeedStats:
    partners: int = 0
    aliases: int = 0
    relations: int = 0
    activities: int = 0
    participations: int = 0
    countries: int = 0
    outputs: int = 0
    citations: int = 0
    lessons: int = 0

    def __str__(self):
        return ", ".join(f"{value:,} {name}" for name, value in vars(self).items())


def _models():
    get = apps.get_model
    return {
        name.split(".")[1]: get(name)
        for name in (
            "partners.Country", "partners.Partner", "partners.Alias", "partners.PartnerRelation",
            "activities.Programme", "activities.Activity", "activities.Participation",
            "activities.Output", "casestudies.CaseStudy", "casestudies.Approach", "casestudies.Lesson",
            "wps_portal.Citation",
        )
    }  # fmt: skip


def existing(m=None) -> bool:
    m = m or _models()
    return (
        m["Activity"].objects.filter(slug__regex=rf"{SLUG_MARK}\d+$").exists()
        or m["Partner"].objects.filter(slug__regex=rf"{SLUG_MARK}\d+$").exists()
    )


def remove() -> None:
    """Delete every synthetic record (and, by cascade, their participations, aliases…)."""
    from .models import SearchEntry

    m = _models()
    with transaction.atomic():
        for name in ("Lesson", "Activity", "Partner"):
            model = m[name]
            ids = list(model.objects.filter(slug__regex=rf"{SLUG_MARK}\d+$").values_list("pk", flat=True))
            ct = ContentType.objects.get_for_model(model)
            for start in range(0, len(ids), 10000):
                chunk = ids[start : start + 10000]
                m["Citation"].objects.filter(content_type=ct, object_id__in=chunk).delete()
                SearchEntry.objects.filter(content_type=ct, object_id__in=chunk).delete()
                model.objects.filter(pk__in=chunk).delete()


def seed(
    *, partners: int, activities: int, seed: int = 1, progress: Callable[[str], None] | None = None
) -> SeedStats:
    """Add ``partners`` partners and ``activities`` activities (and what hangs off them)."""
    from .corpus import update_planner_statistics
    from .search import refresh_search_text

    say = progress or (lambda message: None)
    m = _models()
    rnd = random.Random(seed)
    stats = SeedStats()
    countries = list(m["Country"].objects.order_by("code"))
    if not countries:
        raise ValueError("no countries: load the corpus first (make corpus)")
    by_code = {c.code: c for c in countries}
    # The corpus's citations: synthetic records quote real excerpts, so verify_citations still holds.
    quotes = list(m["Citation"].objects.order_by("pk").values_list("source_id", "section", "excerpt"))
    programmes = list(m["Programme"].objects.order_by("slug").prefetch_related("phases", "thematic_areas"))
    ct_partner = ContentType.objects.get_for_model(m["Partner"])
    ct_activity = ContentType.objects.get_for_model(m["Activity"])

    with transaction.atomic():
        # -- partners ---------------------------------------------------------------------------
        say(f"partners: {partners:,}")
        local_codes = [c for c in LANGUAGE if c in by_code]
        other_codes = [c.code for c in countries if c.code not in LANGUAGE]
        built = []
        alias_rows: dict[int, list] = {}
        for i in range(partners):
            kind = _weighted(rnd, KIND_WEIGHTS)
            scope = rnd.choices(SCOPES, weights=SCOPE_WEIGHTS.get(kind, DEFAULT_SCOPE))[0]
            # Most partners are in the region; a few in the corpus's other countries (every
            # country gets some); international bodies are often of no country.
            if scope == "international" and rnd.random() < 0.6:
                code = None
            elif rnd.random() < 0.93 or not other_codes:
                code = rnd.choice(local_codes)
            else:
                code = rnd.choice(other_codes)
            if code is None:
                place = rnd.choice(["Geneva", "New York", "Vienna", "Brussels"])
            else:
                place = rnd.choice(PLACES.get(code) or [by_code[code].name])
            if code in LANGUAGE and kind in ("womens-ngo", "ngo", "network") and rnd.random() < 0.7:
                base = rnd.choice(ORGANISATION[LANGUAGE[code]])
                name = (
                    f"{base} „{rnd.choice(FIRST_NAMES)}“ {place}" if rnd.random() < 0.3 else f"{base} {place}"
                )
                english = f"{rnd.choice(ORGANISATION_EN[kind])} {place}"
            else:
                name = f"{rnd.choice(ORGANISATION_EN[kind])} {place}"
                english = ""
            name = f"{name} {i + 1}" if rnd.random() < 0.2 else name  # tell some namesakes apart
            acronym = _acronym(name) if rnd.random() < 0.4 else ""
            partner = m["Partner"](
                name=name[:250],
                slug=f"{slugify(name)[:100]}{SLUG_MARK}{i + 1}",
                acronym=acronym,
                kind=kind,
                scope=scope,
                country=by_code.get(code),
                founded_year=rnd.randint(1990, 2022) if rnd.random() < 0.7 else None,
                description=f"{name} works on {rnd.choice(TOPICS)} with {rnd.choice(AUDIENCES)} in {place}.",
                status=Status.PUBLISHED if rnd.random() < 0.96 else Status.DRAFT,
                last_verified=LAST_VERIFIED if rnd.random() < 0.5 else None,
            )
            aliases = []
            if rnd.random() < 0.35:
                plain = _ascii(name)
                if plain != name:
                    aliases.append((plain, "spelling"))
                if english:
                    aliases.append((english, "local" if rnd.random() < 0.5 else "spelling"))
                if rnd.random() < 0.2:
                    aliases.append((f"{name.split()[0]} {place}", "short"))
            seen, unique = {name}, []
            for alias_name, alias_kind in sorted(aliases):  # in the model's order, as search_parts reads them
                if alias_name not in seen:
                    seen.add(alias_name)
                    unique.append(m["Alias"](name=alias_name[:250], kind=alias_kind))
            alias_rows[i] = unique
            built.append(partner)
        for start in range(0, len(built), INSERT_BATCH * 4):
            chunk = built[start : start + INSERT_BATCH * 4]
            m["Partner"].objects.bulk_create(chunk, batch_size=INSERT_BATCH)
        stats.partners = len(built)
        aliases = []
        for i, partner in enumerate(built):
            for alias in alias_rows[i]:
                alias.partner_id = partner.pk
                aliases.append(alias)
        m["Alias"].objects.bulk_create(aliases, batch_size=INSERT_BATCH)
        stats.aliases = len(aliases)

        # Units (parent), and memberships of networks.
        networks = [p for p in built if p.kind == "network"]
        units = []
        for partner in built:
            if partner.kind in ("security", "government", "municipal") and rnd.random() < 0.1:
                parent = rnd.choice(built)
                if parent.pk != partner.pk:
                    partner.parent_id = parent.pk
                    units.append(partner)
        m["Partner"].objects.bulk_update(units, ["parent"], batch_size=INSERT_BATCH)
        relations, seen_relations = [], set()
        for partner in built:
            if networks and partner.kind in ("womens-ngo", "ngo") and rnd.random() < 0.3:
                for network in rnd.sample(networks, k=min(len(networks), rnd.randint(1, 2))):
                    key = (partner.pk, network.pk)
                    if partner.pk != network.pk and key not in seen_relations:
                        seen_relations.add(key)
                        start_year = rnd.randint(2000, 2020) if rnd.random() < 0.6 else None
                        relations.append(
                            m["PartnerRelation"](
                                source_id=partner.pk, type="member-of", target_id=network.pk,
                                start_year=start_year,
                                end_year=start_year + rnd.randint(0, 6)
                                if start_year and rnd.random() < 0.2 else None,
                            )
                        )  # fmt: skip
        m["PartnerRelation"].objects.bulk_create(relations, batch_size=INSERT_BATCH)
        stats.relations = len(relations)

        # Who takes part: every published partner, a few of them very often (a Zipf-like draw:
        # the corpus's partners first, as the region's networks and agencies are).
        published = m["Partner"].objects.published().order_by("pk")
        pool = list(published.exclude(slug__regex=rf"{SLUG_MARK}\d+$").values_list("pk", flat=True))
        others = list(published.filter(slug__regex=rf"{SLUG_MARK}\d+$").values_list("pk", flat=True))
        rnd.shuffle(others)
        pool += others
        cumulative, total = [], 0.0
        for rank in range(len(pool)):
            total += 1.0 / (rank + 3) ** 0.9
            cumulative.append(total)

        # -- citations of partners ----------------------------------------------------------------
        citations = []
        if quotes:
            for partner in built:
                if rnd.random() < 0.5:
                    source_id, section, excerpt = rnd.choice(quotes)
                    citations.append(
                        m["Citation"](content_type=ct_partner, object_id=partner.pk, source_id=source_id,
                                      section=section, excerpt=excerpt)
                    )  # fmt: skip
        m["Citation"].objects.bulk_create(citations, batch_size=INSERT_BATCH)
        stats.citations += len(citations)
        del built, alias_rows, aliases, relations, citations

        # -- activities, in batches -------------------------------------------------------------
        Through = m["Activity"].countries.through
        codes = [c.code for c in countries]
        for start in range(0, activities, BATCH):
            n = min(BATCH, activities - start)
            say(f"activities: {start + n:,} / {activities:,}")
            batch = []
            for j in range(start, start + n):
                batch.append(_activity(rnd, m["Activity"], j, programmes))
            m["Activity"].objects.bulk_create(batch, batch_size=INSERT_BATCH)
            participations, places, outputs, citations = [], [], [], []
            for activity in batch:
                drawn = rnd.choices(pool, cum_weights=cumulative, k=rnd.choices((1, 2, 3, 4, 5, 6), weights=(15, 25, 25, 17, 11, 7))[0])  # fmt: skip
                seen = set()
                for partner_id in drawn:
                    role = _weighted(rnd, ROLE_WEIGHTS)
                    if (partner_id, role) not in seen:
                        seen.add((partner_id, role))
                        participations.append(
                            m["Participation"](activity_id=activity.pk, partner_id=partner_id, role=role)
                        )
                primary = rnd.choice(codes) if rnd.random() < 0.12 else rnd.choice(local_codes or codes)
                chosen = {primary} | (
                    set(rnd.sample(codes, k=rnd.randint(1, 3))) if rnd.random() < 0.15 else set()
                )
                places += [Through(activity_id=activity.pk, country_id=by_code[c].pk) for c in sorted(chosen)]
                if rnd.random() < 0.3:
                    for order in range(rnd.randint(1, 2)):
                        outputs.append(
                            m["Output"](activity_id=activity.pk, quantity=rnd.randint(5, 400),
                                        unit=rnd.choice(AUDIENCES), order=order)
                        )  # fmt: skip
                if quotes and rnd.random() < 0.6:
                    source_id, section, excerpt = rnd.choice(quotes)
                    citations.append(
                        m["Citation"](content_type=ct_activity, object_id=activity.pk, source_id=source_id,
                                      section=section, excerpt=excerpt)
                    )  # fmt: skip
            m["Participation"].objects.bulk_create(participations, batch_size=INSERT_BATCH)
            Through.objects.bulk_create(places, batch_size=INSERT_BATCH)
            m["Output"].objects.bulk_create(outputs, batch_size=INSERT_BATCH)
            m["Citation"].objects.bulk_create(citations, batch_size=INSERT_BATCH)
            stats.activities += len(batch)
            stats.participations += len(participations)
            stats.countries += len(places)
            stats.outputs += len(outputs)
            stats.citations += len(citations)

        # -- lessons of the corpus's case studies and approaches (one per 100 activities) ----------
        owners = [("case_study", o) for o in m["CaseStudy"].objects.order_by("number")] + [
            ("approach", o) for o in m["Approach"].objects.order_by("slug")
        ]
        lessons = []
        if owners:
            next_order = {}
            for k in range(activities // 100):
                field, owner = owners[k % len(owners)]
                order = next_order.get(owner.slug, 1000)  # the corpus numbers its own from 1
                next_order[owner.slug] = order + 1
                topic = rnd.choice(TOPICS)
                lesson = m["Lesson"](
                    **{field: owner},
                    order=order,
                    slug=f"{owner.slug}-lesson{SLUG_MARK}{k + 1}",
                    title=f"Lessons on {topic}"[:200],
                    text=f"Working with {rnd.choice(AUDIENCES)} on {topic} needs {rnd.choice(AUDIENCES)} "
                    f"involved from the start.",
                    status=Status.PUBLISHED,
                )
                lessons.append(lesson)
        m["Lesson"].objects.bulk_create(lessons, batch_size=INSERT_BATCH)
        stats.lessons = len(lessons)

        from . import services

        # The write hooks (caches) run when the load commits.
        services.bulk_changed({m[name] for name in ("Partner", "Activity", "Lesson", "Citation")})
        # The search engine's index (weighted entries and vocabulary) for the records just added,
        # and for the records whose text includes them (an approach's or case study's lessons).
        say("search index")
        refresh_search_text()
    say("ANALYZE")
    update_planner_statistics()
    return stats


def _activity(rnd: random.Random, Activity, j: int, programmes):
    type_ = _weighted(rnd, TYPE_WEIGHTS)
    code = rnd.choice(list(PLACES))
    place = rnd.choice(PLACES[code])
    title = TITLES[type_].format(topic=rnd.choice(TOPICS), audience=rnd.choice(AUDIENCES), place=place)
    values = {"programme": None, "phase": None, "thematic_area": None}
    if programmes and rnd.random() < 0.4:
        programme = rnd.choice(programmes)
        values["programme"] = programme
        phases, areas = list(programme.phases.all()), list(programme.thematic_areas.all())
        if phases and rnd.random() < 0.7:
            values["phase"] = rnd.choice(phases)
        if areas and rnd.random() < 0.7:
            values["thematic_area"] = rnd.choice(areas)
    start = end = None
    start_precision = end_precision = DatePrecision.YEAR
    if rnd.random() < 0.93:  # a few activities are undated, as in the sources
        year = rnd.randint(1999, 2025)
        start_precision = rnd.choices(
            (DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY), weights=(35, 35, 30)
        )[0]
        month = rnd.randint(1, 12) if start_precision != DatePrecision.YEAR else 1
        day = rnd.randint(1, 28) if start_precision == DatePrecision.DAY else 1
        start = datetime.date(year, month, day)
        if rnd.random() < 0.35:
            end_precision = start_precision
            end = start + datetime.timedelta(days=rnd.choice((0, 1, 2, 30, 90, 365, 730)))
            if end_precision == DatePrecision.YEAR:
                end = datetime.date(end.year, 1, 1)
            elif end_precision == DatePrecision.MONTH:
                end = datetime.date(end.year, end.month, 1)
    activity = Activity(
        title=f"{title} ({j + 1})" if rnd.random() < 0.3 else title,
        slug=f"{slugify(title)[:100]}{SLUG_MARK}{j + 1}",
        summary=f"{title}. Organised with {rnd.choice(AUDIENCES)} on {rnd.choice(TOPICS)}.",
        type=type_,
        start_date=start,
        start_precision=start_precision,
        end_date=end,
        end_precision=end_precision,
        location=place if rnd.random() < 0.8 else "",
        status=Status.PUBLISHED if rnd.random() < 0.97 else Status.DRAFT,
        last_verified=LAST_VERIFIED if rnd.random() < 0.3 else None,
        **values,
    )
    return activity
