#!/usr/bin/env python
"""Search-quality benchmark: success@10 and MRR of the search page's ranked list on the corpus, by
query type, on the database of DATABASE_URL (SQLite by default), plus search timings (p50/p95).

    DEBUG=1 .venv/bin/python scripts/bench_search.py [--check] [--keep-db]

--check exits non-zero when an answer in the benchmark names no record (the benchmark is wrong)
or when success@10 / MRR fall below the targets. Timings are reported, never checked.
Loads the corpus into a throwaway database (a temporary SQLite file, or a new PostgreSQL database
named after DATABASE_URL's with a _bench suffix) so it never touches yours.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUERIES = ROOT / "scripts" / "search_benchmark.yaml"
TARGETS = {"success@10": 0.90, "mrr": 0.70}


def setup_database():
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        config = dj_database_url.parse(url)
        name = f"{config['NAME']}_bench"
        os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{name}"
        import psycopg2

        admin = psycopg2.connect(
            dbname="postgres", user=config["USER"], host=config["HOST"], port=config["PORT"] or 5432
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
    else:
        path = Path(tempfile.mkdtemp()) / "bench-search.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each query")
    parser.add_argument("--dump", help="write each query's set of complete matches (JSON) to this file")
    parser.add_argument("--compare", help="fail unless each query's complete matches equal this dump's")
    parser.add_argument(
        "--db",
        help="a database URL to search as it is (no corpus load), e.g. the scale benchmark's "
        "sqlite:////tmp/wps-bench-20000-200000-1.sqlite3: timings at that size",
    )
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wps_portal.settings")
    if args.db:
        os.environ["DATABASE_URL"] = args.db
    else:
        setup_database()
    import django

    django.setup()
    import yaml
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from wps_portal.corpus import load_corpus
    from wps_portal.search.results import _kinds
    from wps_portal.views import SEARCHED

    if not args.db:
        call_command("migrate", verbosity=0, interactive=False)
        load_corpus(settings.CORPUS_DIR)
    from wps_portal.search import engine

    kinds = [k.model for k in _kinds(SEARCHED)]
    by_key = {m._meta.model_name: m for m in kinds}
    cases = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    problems, rows, timings, cpu, matches, broad = [], [], [], [], {}, 0
    for case in cases:
        answers = set()
        for answer in case["answers"]:
            kind, slug = answer.split(":", 1)
            model = by_key.get(kind)
            key = "key" if kind == "sourcedocument" else "slug"
            pk = (
                model._default_manager.filter(**{key: slug}).values_list("pk", flat=True).first()
                if model
                else None
            )
            if pk is None:
                problems.append(f"{case['q']!r}: answer {answer} names no record")
            else:
                answers.add((model, pk))
        # As the search page asks (bounded: on a large database a broad query takes the broad
        # path); the dump compares every complete match, so it asks for all of them.
        outcome = engine.run(case["q"], kinds=kinds, narrow=engine.Narrow())
        broad += outcome.broad
        ranks = [i for i, hit in enumerate(outcome.hits, start=1) if (hit.model, hit.pk) in answers]
        rank = ranks[0] if ranks else None
        rows.append((case, rank))
        if args.dump or args.compare:
            exact = engine.run(case["q"], kinds=kinds)
            matches[case["q"]] = sorted(
                f"{h.model._meta.model_name}:{h.pk}" for h in exact.hits if h.complete
            )
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            engine.run(case["q"], kinds=kinds, narrow=engine.Narrow())
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    print(f"Search benchmark on {connection.vendor}: {len(cases)} queries from {QUERIES.name}")
    if args.db:
        from activities.models import Activity

        print(f"  on {args.db} as it is: {Activity.objects.count():,} activities")
    print(
        f"  {broad} of {len(cases)} queries took the broad path (more than {engine.exact_limit():,} "
        "candidate matches: the best candidates ranked, complete matches counted)"
    )
    failed = False
    for label, group in (
        ("all", rows),
        *((t, [r for r in rows if r[0]["type"] == t]) for t in ("question", "keyword")),
    ):
        if not group:
            continue
        success = sum(1 for _c, rank in group if rank and rank <= 10) / len(group)
        mrr = sum(1 / rank for _c, rank in group if rank) / len(group)
        print(f"  {label:9s} n={len(group):3d}  success@10={success:.3f}  MRR={mrr:.3f}")
        if success < TARGETS["success@10"] or mrr < TARGETS["mrr"]:
            failed = True
    from django.test import Client
    from django.urls import reverse

    client, page_wall, page_cpu = Client(), [], []
    for case in cases:
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(reverse("search"), {"q": case["q"]})
        page_wall.append((time.perf_counter() - started) * 1000)
        page_cpu.append((time.process_time() - started_cpu) * 1000)
    misses = [(c["q"], rank) for c, rank in rows if not rank or rank > 10]
    for q, rank in misses:
        print(f"  miss: {q!r} (first answer at {rank or 'no rank'})")
    timings.sort()
    cpu.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    cpu95 = cpu[max(0, int(len(cpu) * 0.95) - 1)]
    print(
        f"  timing: p50={statistics.median(timings):.1f} ms  p95={p95:.1f} ms wall; p95={cpu95:.1f} ms CPU "
        f"of this process ({len(timings)} runs of the engine; on a busy machine the wall time includes "
        "waiting for a core)"
    )
    page_wall.sort()
    page_cpu.sort()
    print(
        f"  search page: p50={statistics.median(page_wall):.1f} ms  "
        f"p95={page_wall[max(0, int(len(page_wall) * 0.95) - 1)]:.1f} ms wall; "
        f"p95={page_cpu[max(0, int(len(page_cpu) * 0.95) - 1)]:.1f} ms CPU (whole request, one run per query)"
    )
    if args.dump:
        Path(args.dump).write_text(json.dumps(matches, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.compare:
        other = json.loads(Path(args.compare).read_text(encoding="utf-8"))
        for q, found in matches.items():
            if other.get(q) != found:
                problems.append(f"{q!r}: the two databases match different records")
        print(f"  compared the complete matches of {len(matches)} queries with {args.compare}")
    for problem in problems:
        print(f"  ERROR: {problem}")
    if (args.check or args.compare) and (problems or failed):
        print("FAIL: benchmark below target or wrong" if failed else "FAIL: benchmark answers name no record")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
