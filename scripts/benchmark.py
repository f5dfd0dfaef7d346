#!/usr/bin/env python
"""Benchmark: SQL queries and response times of the main pages and API calls.

Runs in-process with Django's test client against the configured database (the corpus loaded by
`make corpus`), then again after adding synthetic records (``wps_portal.synthetic``; default 5,000 partners and
5,000 activities, rolled back at the end) to show that the number of queries per request does not
grow with the number of rows. Prints a table; exits non-zero if a request's query count grows
with the data or a request fails. A CSV export streams every row in chunks, so its query count
grows with the number of chunks (not rows); it is reported, not judged.

    DEBUG=1 .venv/bin/python scripts/benchmark.py [--scale 5000] [--repeat 5]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wps_portal.settings")
os.environ.setdefault("API_ANON_RATE", "none")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.getLogger("django.request").setLevel(logging.ERROR)  # 404/400 lines would drown the table

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

URLS = [
    "/",
    "/partners/",
    "/partners/?country=XK&kind=network&kind=womens-ngo",
    "/partners/?q=zene+zenama",
    "/partners/kosovo-womens-network/",
    "/activities/",
    "/activities/?year_from=2008&year_to=2010&type=training&sort=-start",
    "/case-studies/",
    "/case-studies/kosovo-police/",
    "/lessons/",
    "/approaches/advocacy/",
    "/countries/XK/",
    "/sources/unwomen-networking-2011/",
    "/search/?q=kosovo+police",
    "/api/v1/partners/",
    "/api/v1/partners/?page_size=500",
    "/api/v1/activities/?page_size=500",
    "/api/v1/activities/?search=training&country=XK",
    "/api/v1/case-studies/",
    "/api/v1/partners/?format=csv",
]


def measure(client, url, repeat):
    timings, queries, status = [], None, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - start) * 1000)
        queries, status = len(captured), response.status_code
    return status, queries, statistics.median(timings)


def add_synthetic_rows(n):
    from wps_portal.synthetic import seed

    seed(partners=n, activities=n, seed=1)  # the one synthetic builder (see seed_synthetic)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=5000, help="synthetic rows to add for the second run")
    parser.add_argument("--repeat", type=int, default=5, help="requests per URL (median time is shown)")
    args = parser.parse_args()

    client = Client()
    results = {url: [measure(client, url, args.repeat)] for url in URLS}
    with transaction.atomic():
        add_synthetic_rows(args.scale)
        for url in URLS:
            results[url].append(measure(client, url, args.repeat))
        transaction.set_rollback(True)

    failed = False
    print(
        f"{'request':62} {'status':>6} {'queries':>8} {'ms':>8} | +{args.scale} rows: {'queries':>7} {'ms':>8}"
    )
    for url, ((status, queries, ms), (status2, queries2, ms2)) in results.items():
        flag = ""
        if status >= 400 or status2 >= 400:
            flag, failed = "  FAILED", True
        elif "format=csv" in url:
            flag = "  (CSV export: one set of queries per chunk of rows)"
        elif queries2 > queries:
            flag, failed = "  QUERIES GREW", True
        print(
            f"{url[:62]:62} {status:>6} {queries:>8} {ms:>8.1f} | {'':>{len(str(args.scale)) + 7}}{queries2:>7} {ms2:>8.1f}{flag}"
        )
    print(f"\ndatabase: {connection.vendor}; median of {args.repeat} requests each")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
