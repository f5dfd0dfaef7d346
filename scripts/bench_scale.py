#!/usr/bin/env python
"""Speed at scale, side by side: the portal under gunicorn, Datasette on the same SQLite file, and
the raw query alone (the floor), on the six workloads of issue 15, interleaved.

    .venv/bin/python scripts/bench_scale.py --partners 20000 --activities 200000 [--requests 15]
    DATABASE_URL=postgres://… .venv/bin/python scripts/bench_scale.py …   (no Datasette on PostgreSQL)
    .venv/bin/python scripts/bench_scale.py --check --partners 200 --activities 2000   (CI)

For each workload it requests, in turn, the portal's API and HTML pages, Datasette's JSON (and
HTML) of SQL written here to return the same rows and columns, and runs that SQL in-process with
sqlite3/psycopg2 + orjson (the floor: what answering costs with no framework at all). It prints
p50, p95 and requests/s of each, the ratios portal ÷ Datasette and portal ÷ floor, a 10-client
throughput run over a mix (list, search, detail) and the gunicorn workers' memory.

``--check`` runs every workload once and compares the answers (rows, order, counts) of Datasette and
of the floor with the portal's; it judges no timing and exits non-zero on a difference.

The database is built once per size (migrate, load_corpus, seed_synthetic) in a file under
/tmp (``--db`` to choose), never in the repository. Servers listen on 127.0.0.1 only (ports
``--port`` and ``--port``+1) and are stopped at the end; every request has a timeout.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BIN = Path(PY).parent
TIMEOUT = 120  # seconds per request


# -- SQL in two dialects ----------------------------------------------------------------------


class Dialect:
    def __init__(self, vendor):
        self.vendor = vendor
        self.pg = vendor == "postgresql"

    def obj(self, *pairs):
        fn = "json_build_object" if self.pg else "json_object"
        inner = ", ".join(f"'{k}', {v}" for k, v in pairs)
        return f"{fn}({inner})"

    def arr(self, expr):
        return f"coalesce(json_agg({expr}), '[]'::json)" if self.pg else f"json_group_array({expr})"

    def partial(self, date, precision):
        if self.pg:
            return (
                f"case {precision} when 'year' then to_char({date}, 'YYYY') when 'month' "
                f"then to_char({date}, 'YYYY-MM') else to_char({date}, 'YYYY-MM-DD') end"
            )
        return (
            f"case {precision} when 'year' then substr({date}, 1, 4) when 'month' "
            f"then substr({date}, 1, 7) else {date} end"
        )

    def cat(self, *parts):
        return " || ".join(parts)

    def boolean(self, condition):
        return f"({condition})" if self.pg else f"json(case when {condition} then 'true' else 'false' end)"

    def timestamp(self, column):
        """As DRF writes a UTC datetime: ISO 8601, microseconds only when not zero, then Z."""
        if self.pg:
            utc = f"({column} at time zone 'UTC')"
            return (
                f"case when {column} is null then null when date_part('microseconds', {column})::bigint % 1000000 = 0 "
                f"""then to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') """
                f"""else to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') end"""
            )
        return f"case when {column} is null then null else replace({column}, ' ', 'T') || 'Z' end"

    def strpos(self, haystack, needle):
        return f"strpos({haystack}, {needle})" if self.pg else f"instr({haystack}, {needle})"


def q(value):
    return "'" + str(value).replace("'", "''") + "'"


def activity_columns(d: Dialect, base=""):
    """The API's activity row: every column of ActivitySerializer, built in SQL."""
    country = d.obj(
        ("code", "c.code"),
        ("name", "c.name"),
        ("url", d.cat(q(base + "/api/v1/countries/"), "c.code", "'/'")),
    )
    partner = d.obj(
        ("slug", "p.slug"),
        ("name", "p.name"),
        ("acronym", "p.acronym"),
        ("url", d.cat(q(base + "/api/v1/partners/"), "p.slug", "'/'")),
    )
    citation = d.obj(
        (
            "source",
            d.obj(
                ("key", "ci.key"),
                ("title", "ci.title"),
                ("url", d.cat(q(base + "/api/v1/sources/"), "ci.key", "'/'")),
            ),
        ),
        ("excerpt", "ci.excerpt"),
        ("section", "ci.section"),
        ("locator", "ci.locator"),
        ("verified", d.boolean("ci.verified_at is not null")),
        ("verified_at", d.timestamp("ci.verified_at")),
    )
    return f"""
  a.slug, a.title, a.summary, a.type,
  {d.partial("a.start_date", "a.start_precision")} as start,
  {d.partial("a.end_date", "a.end_precision")} as "end",
  case when a.start_date is null then null else a.start_precision end as date_precision,
  a.location,
  (select {d.arr(country)} from (select c.code, c.name from activities_activity_countries ac
     join partners_country c on c.id = ac.country_id where ac.activity_id = a.id order by c.name) c) as countries,
  (select {d.arr(d.obj(("partner", partner), ("role", "p.role"), ("note", "p.note")))} from (
     select p.slug, p.name, p.acronym, x.role, x.note from activities_participation x
     join partners_partner p on p.id = x.partner_id
     where x.activity_id = a.id and p.status = 'published' order by x.role, p.name) p) as participants,
  case when pr.status = 'published' then {d.obj(("slug", "pr.slug"), ("name", "pr.name"), ("short_name", "pr.short_name"), ("url", d.cat(q(base + "/api/v1/programmes/"), "pr.slug", "'/'")))} end as programme,
  case when ph.id is not null then {d.obj(("slug", "ph.slug"), ("number", "ph.number"), ("name", "ph.name"), ("url", d.cat(q(base + "/api/v1/phases/"), "ph.slug", "'/'")))} end as phase,
  ta.slug as thematic_area,
  (select {d.arr(d.obj(("quantity", "o.quantity"), ("unit", "o.unit"), ("note", "o.note")))} from (
     select o.quantity, o.unit, o.note from activities_output o where o.activity_id = a.id
     order by o."order", o.id) o) as outputs,
  a.status, a.last_verified,
  {d.cat(q(base + "/api/v1/activities/"), "a.slug", "'/'")} as url,
  {d.cat(q(base + "/activities/"), "a.slug", "'/'")} as html_url,
  (select {d.arr(citation)} from (select s.key, s.title, ci.excerpt, ci.section, ci.locator, ci.verified_at from wps_portal_citation ci
     join wps_portal_sourcedocument s on s.id = ci.source_id
     where ci.content_type_id = (select id from django_content_type where app_label = 'activities' and model = 'activity')
       and ci.object_id = a.id order by ci."order", ci.id) ci) as citations"""  # fmt: skip


def activity_select(d: Dialect, where: str, order="a.start_date, a.title, a.id", limit=50, offset=0):
    """The page's ids first (sorting narrow rows), then their columns: the related lists are
    built for the rows returned only, not for every row sorted or skipped."""
    window = f"limit {limit} offset {offset}" if limit is not None else ""
    return f"""select {activity_columns(d)}
from (select a.id, row_number() over (order by {order}) as n from activities_activity a
      where a.status = 'published' and {where} order by {order} {window}) page
join activities_activity a on a.id = page.id
left join activities_programme pr on pr.id = a.programme_id
left join activities_phase ph on ph.id = a.phase_id
left join activities_thematicarea ta on ta.id = a.thematic_area_id
order by page.n"""


def in_country(code):
    return (
        "a.id in (select ac.activity_id from activities_activity_countries ac "
        f"join partners_country c on c.id = ac.country_id where c.code = {q(code)})"
    )


def in_years(year_from, year_to):
    return (
        f"a.start_date <= '{year_to}-12-31' and (a.end_date >= '{year_from}-01-01' "
        f"or (a.end_date is null and a.start_date >= '{year_from}-01-01'))"
    )


def search_match(typed: str) -> tuple[str, str]:
    """(FTS5 MATCH, PostgreSQL tsquery) requiring every word of ``typed``, from the portal's own
    reading of the query (its tokens, stems, completions, variants): the SQL finds, through the
    same full-text index, the partners the portal ranks first (those matching every word)."""
    from wps_portal.search import engine

    parsed = engine.parse(typed)
    engine.resolve(parsed, engine.Outcome(parsed))
    found = [t for t in parsed.terms if t.alternatives]
    return " AND ".join(engine._fts5(t) for t in found), " & ".join(engine._tsquery(t) for t in found)


def partner_search_select(d: Dialect, match: tuple[str, str]):
    """The published partners matching every word, through the search index, best first (bm25
    with the portal's column weights on SQLite, ts_rank_cd on PostgreSQL)."""
    from django.contrib.contenttypes.models import ContentType

    from partners.models import Partner
    from wps_portal.search import engine

    partner_type = ContentType.objects.get_for_model(Partner).pk
    if d.pg:
        hits = (
            f"select e.object_id, -ts_rank_cd('{engine.PG_WEIGHTS}', e.search_vector, to_tsquery('simple', "
            f"{q(match[1])}), 1) as score from wps_portal_searchentry e where e.content_type_id = {partner_type} "
            f"and e.search_vector @@ to_tsquery('simple', {q(match[1])})"
        )
    else:
        fts, weights = engine.FTS_TABLE, ", ".join(str(w) for w in engine.SQLITE_WEIGHTS)
        hits = (
            f"select e.object_id, bm25({fts}, {weights}) as score from {fts} f join wps_portal_searchentry e "
            f"on e.id = f.rowid where {fts} match {q(match[0])} and e.content_type_id = {partner_type}"
        )
    country = d.obj(
        ("code", "c.code"), ("name", "c.name"), ("url", d.cat("'/api/v1/countries/'", "c.code", "'/'"))
    )
    brief = d.obj(
        ("slug", "t.slug"),
        ("name", "t.name"),
        ("acronym", "t.acronym"),
        ("url", d.cat("'/api/v1/partners/'", "t.slug", "'/'")),
    )
    return f"""select p.slug, p.name, p.acronym,
  (select {d.arr(d.obj(("name", "al.name"), ("kind", "al.kind"), ("language", "al.language")))}
     from (select name, kind, language from partners_alias al
     where al.partner_id = p.id order by al.name) al) as aliases,
  p.kind, p.scope, case when c.id is not null then {country} end as country,
  (select {brief} from partners_partner t where t.id = p.parent_id and t.status = 'published') as parent,
  p.founded_year, p.description,
  (select {d.arr(d.obj(("type", "t.type"), ("target", brief), ("start_year", "t.start_year"), ("end_year", "t.end_year"), ("note", "t.note")))}
     from (select r.type, r.start_year, r.end_year, r.note, t.slug, t.name, t.acronym from partners_partnerrelation r
       join partners_partner t on t.id = r.target_id
       where r.source_id = p.id and t.status = 'published' order by r.type, t.name) t) as relations,
  {d.cat("'/api/v1/activities/?partner='", "p.slug")} as activities_url,
  {d.cat("'/api/v1/case-studies/?partner='", "p.slug")} as case_studies_url,
  p.status, p.last_verified,
  {d.cat("'/api/v1/partners/'", "p.slug", "'/'")} as url, {d.cat("'/partners/'", "p.slug", "'/'")} as html_url
from ({hits}) h join partners_partner p on p.id = h.object_id left join partners_country c on c.id = p.country_id
where p.status = 'published'
order by h.score, p.id limit 50"""  # fmt: skip


def partner_page_select(d: Dialect, slug: str, latest: int):
    """A partner and its latest activities with its roles (what the partner page shows)."""
    item = d.obj(("slug", "x.slug"), ("title", "x.title"), ("start", "x.start"), ("role", "x.role"))
    return f"""select p.slug, p.name, p.acronym, p.kind, p.scope, p.description,
  (select count(*) from activities_participation y join activities_activity b on b.id = y.activity_id
     where y.partner_id = p.id and b.status = 'published') as participations,
  (select {d.arr(item)} from (select b.slug, b.title, {d.partial("b.start_date", "b.start_precision")} as start, y.role
     from activities_participation y join activities_activity b on b.id = y.activity_id
     where y.partner_id = p.id and b.status = 'published'
     order by b.start_date desc, b.title, y.role limit {latest}) x) as activities
from partners_partner p where p.slug = {q(slug)}"""  # fmt: skip


def facets_select(where: str):
    return f"""select 'country' as facet, c.code as value, count(distinct a.id) as n
from activities_activity a join activities_activity_countries ac on ac.activity_id = a.id
join partners_country c on c.id = ac.country_id
where a.status = 'published' and {where} group by c.code
union all
select 'type', a.type, count(*) from activities_activity a where a.status = 'published' and {where}
group by a.type
order by 1, 3 desc, 2"""


# -- the data, the servers ---------------------------------------------------------------------


def django_env(database_url):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="wps_portal.settings",
        SECRET_KEY=env.get("SECRET_KEY", "bench-scale-only"),
        API_ANON_RATE="none",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONWARNINGS="ignore::UserWarning",  # whitenoise's "no STATIC_ROOT" (no collectstatic here)
        STATIC_MANIFEST="0",  # DEBUG off without collectstatic: unhashed static names, no manifest
    )
    env.pop("DEBUG", None)
    return env


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env={**env, "DEBUG": "1"}, check=True)


def prepare(args):
    """(DATABASE_URL, SQLite path or None): migrated, the corpus loaded, the synthetic rows seeded."""
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith("sqlite"):
        env = django_env(url)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_corpus")
        seeded = subprocess.run(
            [PY, "manage.py", "shell", "-c", "from wps_portal import synthetic; print(synthetic.existing())"],
            cwd=ROOT, env={**env, "DEBUG": "1", "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
            check=False,
        ).stdout  # fmt: skip
        if "True" not in seeded:
            manage(env, "seed_synthetic", f"--partners={args.partners}", f"--activities={args.activities}",
                   f"--seed={args.seed}")  # fmt: skip
        return url, None
    path = Path(
        args.db or f"{tempfile.gettempdir()}/wps-bench-{args.partners}-{args.activities}-{args.seed}.sqlite3"
    )
    if not path.exists():
        building = path.with_suffix(".building")
        building.unlink(missing_ok=True)
        env = django_env(f"sqlite:///{building}")
        print(f"building {path} …", flush=True)
        start = time.perf_counter()
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_corpus")
        manage(env, "seed_synthetic", f"--partners={args.partners}", f"--activities={args.activities}",
               f"--seed={args.seed}")  # fmt: skip
        building.rename(path)
        print(f"built in {time.perf_counter() - start:.0f} s", flush=True)
    else:
        manage(django_env(f"sqlite:///{path}"), "migrate", "--noinput", "-v0")  # new indexes
    return f"sqlite:///{path}", path


def production_venv(path: Path) -> Path:
    """The bin directory of a virtualenv at ``path`` holding requirements.txt only (made if absent)."""
    stamp = path / ".requirements.txt"
    wanted = (ROOT / "requirements.txt").read_text()
    if not stamp.exists() or stamp.read_text() != wanted:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(path)], check=True)
        subprocess.run(
            [str(path / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", "-r",
             str(ROOT / "requirements.txt")],
            check=True,
        )  # fmt: skip
        stamp.write_text(wanted)
    return path / "bin"


class Servers:
    def __init__(self, database_url, sqlite_path, port, workers, gunicorn=BIN / "gunicorn"):
        self.procs = []
        self.portal = f"http://127.0.0.1:{port}"
        self.datasette = f"http://127.0.0.1:{port + 1}" if sqlite_path else None
        env = django_env(database_url)
        self.procs.append(
            subprocess.Popen(
                [str(gunicorn), "wps_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", str(workers), "--timeout", "300", "--log-level", "warning"],
                cwd=ROOT, env=env, start_new_session=True,
            )
        )  # fmt: skip
        if sqlite_path:
            self.procs.append(
                subprocess.Popen(
                    [str(BIN / "datasette"), "serve", "--immutable", str(sqlite_path), "--host", "127.0.0.1",
                     "--port", str(port + 1),
                     "--setting", "sql_time_limit_ms", "60000",
                     "--setting", "max_returned_rows", "20000",
                     "--setting", "facet_time_limit_ms", "60000"],
                    cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
        self.db_name = sqlite_path.stem if sqlite_path else None
        try:
            for base in filter(None, (self.portal, self.datasette)):
                wait_for(base + "/")
        except BaseException:
            self.stop()  # a server left running would hold CI's output pipe open for ever
            raise

    def stop(self):
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    def worker_memory_mb(self):
        """RSS of each gunicorn worker (children of the master), in MB."""
        out = subprocess.run(
            ["ps", "-o", "rss=", "--ppid", str(self.procs[0].pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [int(line) / 1024 for line in out.split()]


def wait_for(url, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def fetch(url):
    """(status, body bytes); raises on an incomplete body (a cut-off stream is an error, not a 200)."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# -- workloads -----------------------------------------------------------------------------------


@dataclass
class Target:
    name: str  # portal-api, portal-html, datasette, datasette-html, floor
    run: object  # () -> (status, body)


@dataclass
class Workload:
    key: str
    title: str
    targets: list[Target] = field(default_factory=list)
    check: object = None  # (answers: {target name: body}) -> list of differences


class Floor:
    """The raw query alone: the same SQL in-process, rows encoded with orjson."""

    def __init__(self, database_url, sqlite_path):
        import orjson

        self.orjson = orjson
        if sqlite_path:
            import sqlite3

            self.connection = sqlite3.connect(
                f"file:{sqlite_path}?mode=ro", uri=True, check_same_thread=False
            )
            self.vendor = "sqlite"
        else:
            import psycopg2

            self.connection = psycopg2.connect(database_url.replace("postgres://", "postgresql://", 1))
            self.connection.autocommit = True
            self.vendor = "postgresql"

    def rows(self, sql):
        cursor = self.connection.cursor()
        cursor.execute(sql)
        names = [c[0] for c in cursor.description]
        return names, cursor.fetchall()

    def json(self, sql):
        names, rows = self.rows(sql)
        return 200, self.orjson.dumps([dict(zip(names, row, strict=True)) for row in rows])

    def csv(self, sql):
        names, rows = self.rows(sql)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(names)
        writer.writerows(rows)
        return 200, out.getvalue().encode()


def choose(floor: Floor):
    """The workloads' parameters, read from the data (so any size has sensible ones)."""
    _, rows = floor.rows(
        "select c.code, count(*) from activities_activity_countries ac join partners_country c "
        "on c.id = ac.country_id group by c.code order by 2 desc"
    )
    country = rows[0][0]
    year_from, year_to = 2008, 2012
    # The partner taking part in the most published activities.
    _, rows = floor.rows(
        "select p.slug, count(*) from activities_participation x join partners_partner p on p.id = x.partner_id "
        "join activities_activity a on a.id = x.activity_id where p.status = 'published' and a.status = 'published' "
        "group by p.slug order by 2 desc, 1 limit 1"
    )
    partner, partner_activities = rows[0]
    # A partner whose name has the region's diacritics, typed without them.
    _, rows = floor.rows(
        "select name from partners_partner where status = 'published' and slug like '%-s%' and "
        "(name like '%ž%' or name like '%š%' or name like '%č%' or name like '%ë%' or name like '%ć%') "
        "order by id limit 1"
    )
    from wps_portal.search import normalise

    typed = normalise(rows[0][0]) if rows else "zene zenama"
    # A CSV filter with about 10,000 rows (fewer on a small database): widen the years until there.
    _, total = floor.rows("select count(*) from activities_activity where status = 'published'")
    total = total[0][0]
    want = min(10000, total)
    for span in range(0, 40):
        y1, y2 = 2010 - span // 2, 2010 + (span + 1) // 2
        _, n = floor.rows(
            f"select count(*) from activities_activity a where a.status = 'published' and {in_years(y1, y2)}"
        )
        if n[0][0] >= want or y1 < 1995:
            break
    csv_years = (y1, y2)
    api_page = max(1, min(1000, total // 50))
    html_page = max(1, min(1000, total // 25))
    return {
        "country": country, "years": (year_from, year_to), "partner": partner,
        "partner_activities": partner_activities, "typed": typed, "csv_years": csv_years,
        "csv_rows": n[0][0], "api_page": api_page, "html_page": html_page, "total": total,
    }  # fmt: skip


def build_workloads(servers: Servers, floor: Floor, p: dict, timeline: int):
    d = Dialect(floor.vendor)
    sd = Dialect("sqlite")  # Datasette runs SQLite's dialect
    portal = servers.portal

    def get(url):
        return lambda: fetch(url)

    def ds(sql, fmt="json"):
        if not servers.datasette:
            return None
        params = {"sql": sql, "_shape": "array"} if fmt == "json" else {"sql": sql, "_size": "max"}
        ext = {"json": ".json", "csv": ".csv", "html": ""}[fmt]
        if fmt == "html":
            params = {"sql": sql}
        return Target(
            "datasette-html" if fmt == "html" else "datasette",
            get(f"{servers.datasette}/{servers.db_name}{ext}?{urllib.parse.urlencode(params)}"),
        )

    y1, y2 = p["years"]
    where1 = f"{in_country(p['country'])} and {in_years(y1, y2)}"
    match = search_match(p["typed"])
    cy1, cy2 = p["csv_years"]
    qs1 = f"country={p['country']}&year_from={y1}&year_to={y2}"
    qtyped = urllib.parse.quote_plus(p["typed"])
    csv_where = in_years(cy1, cy2)
    workloads = [
        Workload("list", f"activities by country {p['country']} and years {y1}–{y2}, page 1", [
            Target("portal-api", get(f"{portal}/api/v1/activities/?{qs1}")),
            Target("portal-html", get(f"{portal}/activities/?{qs1}")),
            ds(activity_select(sd, where1)),
            ds(activity_select(sd, where1), "html"),
            Target("floor", lambda: floor.json(activity_select(d, where1))),
        ]),
        Workload("search", f"partners matching “{p['typed']}”", [
            Target("portal-api", get(f"{portal}/api/v1/partners/?q={qtyped}")),
            Target("portal-html", get(f"{portal}/partners/?q={qtyped}")),
            ds(partner_search_select(sd, match)),
            ds(partner_search_select(sd, match), "html"),
            Target("floor", lambda: floor.json(partner_search_select(d, match))),
        ]),
        Workload("partner", f"{p['partner']} ({p['partner_activities']:,} activities)", [
            Target("portal-api", get(f"{portal}/api/v1/activities/?partner={p['partner']}")),
            Target("portal-html", get(f"{portal}/partners/{p['partner']}/")),
            ds(partner_page_select(sd, p["partner"], timeline)),
            ds(partner_page_select(sd, p["partner"], timeline), "html"),
            Target("floor", lambda: floor.json(partner_page_select(d, p["partner"], timeline))),
        ]),
        Workload("facets", f"facets country and type, years {y1}–{y2}", [
            Target("portal-html", get(f"{portal}/activities/?year_from={y1}&year_to={y2}")),
            ds(facets_select(in_years(y1, y2))),
            ds(facets_select(in_years(y1, y2)), "html"),
            Target("floor", lambda: floor.json(facets_select(in_years(y1, y2)))),
        ]),
        Workload("csv", f"CSV of years {cy1}–{cy2} ({p['csv_rows']:,} rows)", [
            Target("portal-api", get(f"{portal}/api/v1/activities/?format=csv&year_from={cy1}&year_to={cy2}")),
            ds(activity_select(sd, csv_where, limit=None), "csv"),
            Target("floor", lambda: floor.csv(activity_select(d, csv_where, limit=None))),
        ]),
        Workload("deep", f"page {p['api_page']:,} (API, 50 a page) / {p['html_page']:,} (HTML, 25 a page)", [
            Target("portal-api", get(f"{portal}/api/v1/activities/?page={p['api_page']}")),
            Target("portal-cursor", get(f"{portal}/api/v1/activities/?cursor={deep_cursor((p['api_page'] - 1) * 50)}")),
            Target("portal-html", get(f"{portal}/activities/?page={p['html_page']}")),
            ds(activity_select(sd, "1=1", offset=(p["api_page"] - 1) * 50)),
            ds(activity_select(sd, "1=1", order="a.start_date is null, a.start_date, a.title, a.id", limit=25, offset=(p["html_page"] - 1) * 25), "html"),
            Target("floor", lambda: floor.json(activity_select(d, "1=1", offset=(p["api_page"] - 1) * 50))),
        ]),
    ]  # fmt: skip
    for workload in workloads:
        workload.targets = [t for t in workload.targets if t is not None]
    return workloads


def deep_cursor(offset: int) -> str:
    """The API's cursor to the rows after the first ``offset`` of the activity list (the page a
    client reaches by following ``next`` links), for the deep-page workload."""
    from activities.models import Activity
    from wps_portal import keyset
    from wps_portal.filtersets import in_total_order

    if offset == 0:
        return ""
    queryset = in_total_order(Activity.objects.published())
    keys = keyset.sort_keys(queryset)
    pk = queryset.values_list("pk", flat=True)[offset - 1]
    return keyset.encode(
        {"f": keyset.fingerprint(keys), "d": "n", "v": keyset.key_values(queryset, keys, pk)}
    )


# -- checking answers ----------------------------------------------------------------------------


def _rows(body):
    data = json.loads(body)
    if isinstance(data, dict) and "results" in data:
        data = data["results"]
    for row in data:
        for key, value in list(row.items()):
            if isinstance(value, str) and value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    row[key] = json.loads(value)
    return data


def _normalise_urls(rows):
    """Absolute URLs (the portal's) and relative ones (the SQL's) compared by path."""

    def fix(value):
        if isinstance(value, str) and value.startswith("http"):
            parsed = urllib.parse.urlsplit(value)
            return parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        return value

    return [fix(row) for row in rows]


def check(workloads, p):
    """Differences between the portal's answers and Datasette's / the floor's (empty: all agree)."""
    problems = []
    for workload in workloads:
        answers = {}
        for target in workload.targets:
            status, body = target.run()
            if status != 200:
                problems.append(f"{workload.key}/{target.name}: HTTP {status}")
            answers[target.name] = body
        if workload.key in ("list", "search", "deep"):
            portal = _normalise_urls(_rows(answers["portal-api"]))
            for name in ("datasette", "floor"):
                if name in answers:
                    other = _normalise_urls(_rows(answers[name]))
                    if workload.key == "search":
                        # The SQL here matches every word as a prefix. The portal's engine (README,
                        # Search) finds those and also records matching most words, other word forms
                        # or variants, ranked after them: the SQL's rows must all be the portal's.
                        found = {r["slug"] for r in portal}
                        if not {r["slug"] for r in other} <= found:
                            problems.append(f"search/{name}: partners the portal does not find")
                        other = sorted(other, key=lambda r: r["slug"])
                        mine = sorted((r for r in portal if r["slug"] in {o["slug"] for o in other}),
                                      key=lambda r: r["slug"])  # fmt: skip
                    else:
                        mine = portal
                    for a, b in zip(mine, other, strict=False):
                        for key in a:
                            if key in b and a[key] != b[key]:
                                problems.append(
                                    f"{workload.key}/{name}: {a.get('slug')} {key}: {a[key]!r} != {b[key]!r}"
                                )
                                break
                    if len(mine) != len(other):
                        problems.append(f"{workload.key}/{name}: {len(other)} rows, portal {len(mine)}")
            if "portal-cursor" in answers:
                by_cursor = [r["slug"] for r in _rows(answers["portal-cursor"])]
                if by_cursor != [r["slug"] for r in portal]:
                    problems.append(f"{workload.key}/portal-cursor: not the rows of the same page by number")
            if not portal:
                problems.append(f"{workload.key}: the portal returned no rows (a vacuous check)")
        elif workload.key == "partner":
            api = _rows(answers["portal-api"])
            for name in ("datasette", "floor"):
                if name in answers:
                    (row,) = _rows(answers[name])
                    if row["participations"] < len(api):
                        problems.append(f"partner/{name}: fewer activities than the API's page")
            html = answers["portal-html"].decode()
            for row in _rows(answers.get("datasette") or answers["floor"])[0]["activities"][:5]:
                if f"/activities/{row['slug']}/" not in html:
                    problems.append(f"partner page lacks the latest activity {row['slug']}")
        elif workload.key == "facets":
            expected = {}
            for row in _rows(answers.get("datasette") or answers["floor"]):
                expected.setdefault(row["facet"], {})[row["value"]] = row["n"]
            for facet, counts in portal_facets(p["years"]).items():
                wanted = expected.get(facet, {})
                if counts != {k: v for k, v in wanted.items() if k in counts} or not counts:
                    problems.append(f"facets/{facet}: portal {counts} vs SQL {wanted}")
        elif workload.key == "csv":
            portal_rows = list(csv.DictReader(io.StringIO(answers["portal-api"].decode())))
            for name in ("datasette", "floor"):
                if name in answers:
                    other = list(csv.DictReader(io.StringIO(answers[name].decode())))
                    if [r["slug"] for r in portal_rows] != [r["slug"] for r in other]:
                        problems.append(
                            f"csv/{name}: {len(other)} rows vs the portal's {len(portal_rows)} (or another order)"
                        )
            if len(portal_rows) != p["csv_rows"]:
                problems.append(f"csv: {len(portal_rows)} rows, expected {p['csv_rows']}")
    return problems


def portal_facets(years):
    """The portal's own facet counts (in-process), for the facet workload's check."""
    from django.http import QueryDict

    from activities.filtersets import ActivityFilterSet
    from activities.models import Activity

    data = QueryDict(mutable=True)
    data["year_from"], data["year_to"] = str(years[0]), str(years[1])
    filterset = ActivityFilterSet(data=data, queryset=Activity.objects.published())
    assert filterset.is_valid(), filterset.errors
    counts = filterset.facet_counts()
    return {name: {v.value: v.count for v in counts[name]} for name in ("country", "type")}


# -- timing ---------------------------------------------------------------------------------------


def timed(run):
    start = time.perf_counter()
    status, body = run()
    return (time.perf_counter() - start) * 1000, status, len(body)


def measure(workloads, requests):
    """{(workload, target): [ms…]}, every target of every workload in turn (interleaved)."""
    times = {(w.key, t.name): [] for w in workloads for t in w.targets}
    for w in workloads:
        for t in w.targets:
            timed(t.run)  # warm-up: caches, connections, the planner
    for i in range(requests):
        for w in workloads:
            targets = w.targets if i % 2 == 0 else list(reversed(w.targets))
            for t in targets:
                ms, status, _size = timed(t.run)
                if status != 200:
                    print(f"  {w.key}/{t.name}: HTTP {status}", flush=True)
                times[(w.key, t.name)].append(ms)
    return times


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))]


def throughput(runs, clients, seconds):
    """Requests/s with ``clients`` threads looping over ``runs`` for ``seconds``."""
    done, errors = [0], [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset):
        i = offset
        while time.perf_counter() < deadline:
            status, _ = runs[i % len(runs)]()
            i += 1
            with lock:
                done[0] += 1
                errors[0] += status != 200

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.perf_counter() - start), errors[0]


def report(workloads, times, vendor):
    print(
        f"\n{'workload':10} {'target':15} {'p50 ms':>9} {'p95 ms':>9} {'req/s':>7} {'÷ Datasette':>12} {'÷ floor':>8}"
    )
    summary = []
    for w in workloads:
        print(f"-- {w.key}: {w.title}")
        floor = statistics.median(times.get((w.key, "floor"), [0])) or None
        for t in w.targets:
            values = times[(w.key, t.name)]
            p50, p95 = statistics.median(values), percentile(values, 0.95)
            versus = ""
            if t.name.startswith("portal"):
                peer = (
                    "datasette-html"
                    if t.name == "portal-html" and (w.key, "datasette-html") in times
                    else "datasette"
                )
                if (w.key, peer) in times:
                    versus = f"{p50 / statistics.median(times[(w.key, peer)]):.2f}×"
            ratio = f"{p50 / floor:.1f}×" if floor and t.name.startswith("portal") else ""
            print(f"{'':10} {t.name:15} {p50:9.1f} {p95:9.1f} {1000 / p50:7.1f} {versus:>12} {ratio:>8}")
            summary.append((w.key, t.name, p50, p95, versus, ratio))
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=20000)
    parser.add_argument("--activities", type=int, default=200000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", help="SQLite file to use (built if absent); default under /tmp")
    parser.add_argument("--requests", type=int, default=15, help="timed requests per workload and target")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=20, help="length of each throughput run")
    parser.add_argument("--port", type=int, default=8160)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeline", type=int, default=50, help="activities the partner page shows")
    parser.add_argument("--check", action="store_true", help="compare answers only (CI); no timings")
    parser.add_argument(
        "--production-venv",
        metavar="PATH",
        help="serve the portal from a virtualenv holding requirements.txt only (made there if absent), as a "
        "production install is: no test tools, so no numpy (pandas's), which openpyxl and networkx would "
        "otherwise import in every worker",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on the way out

    if not shutil.which(str(BIN / "gunicorn")) or not shutil.which(str(BIN / "datasette")):
        raise SystemExit("gunicorn and datasette are needed: make install")
    database_url, sqlite_path = prepare(args)
    os.environ.update(django_env(database_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    floor = Floor(database_url, sqlite_path)
    params = choose(floor)
    gunicorn = BIN / "gunicorn"
    if args.production_venv:
        gunicorn = production_venv(Path(args.production_venv)) / "gunicorn"
    servers = Servers(database_url, sqlite_path, args.port, args.workers, gunicorn)
    try:
        workloads = build_workloads(servers, floor, params, args.timeline)
        if args.check:
            problems = check(workloads, params)
            for problem in problems[:20]:
                print("DIFFERENT:", problem[:300])
            print(
                f"bench-scale check: {len(workloads)} workloads, {'FAILED' if problems else 'answers agree'}"
            )
            return 1 if problems else 0
        print(f"database: {floor.vendor}, {params['total']:,} published activities; workers: {args.workers}")
        times = measure(workloads, args.requests)
        report(workloads, times, floor.vendor)
        mix = {
            "portal": [workloads[0].targets[0].run, workloads[1].targets[0].run, workloads[2].targets[1].run],
        }
        if servers.datasette:
            mix["datasette"] = [
                next(t.run for t in workloads[k].targets if t.name == name)
                for k, name in ((0, "datasette"), (1, "datasette"), (2, "datasette-html"))
            ]
        print(
            f"\nthroughput, {args.clients} clients, {args.seconds} s each (list API, search API, partner page):"
        )
        for name, runs in mix.items():
            rate, errors = throughput(runs, args.clients, args.seconds)
            print(f"  {name:10} {rate:7.1f} req/s{f'  ({errors} errors)' if errors else ''}")
        memory = servers.worker_memory_mb()
        print(f"gunicorn worker memory after the run: {', '.join(f'{m:.0f} MB' for m in memory)}")
        return 0
    finally:
        servers.stop()


if __name__ == "__main__":
    sys.exit(main())
