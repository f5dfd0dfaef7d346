"""Smoke test of a running production instance (run by scripts/production-smoke).

    python scripts/smoke_check.py http://127.0.0.1:8130 --anon-rate 30

Pages, API calls, hashed static files with far-future caching, a streamed CSV export, security
headers, a 404 without a traceback, and the anonymous API throttle shared by every worker (through
Redis) and not bypassed by a different X-Forwarded-For per request. Prints PASS/FAIL per check and a
final "N passed, N failed"; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit

TEN_YEARS = 10 * 365 * 24 * 60 * 60


class Smoke:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.passed = self.failed = 0
        self.api_calls = 0

    def get(self, path: str, headers: dict | None = None):
        if path.startswith("/api/"):
            self.api_calls += 1
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.passed, self.failed = self.passed + bool(ok), self.failed + (not ok)
        print(f"{'PASS' if ok else 'FAIL'} {name}{'' if ok or not detail else ' -- ' + detail}")
        return ok


def run(smoke: Smoke, anon_rate: int) -> None:
    status, headers, body = smoke.get("/")
    page = body.decode("utf-8", "replace")
    smoke.check("home page 200", status == 200, f"got {status}")
    smoke.check(
        "X-Frame-Options DENY", headers.get("X-Frame-Options") == "DENY", str(headers.get("X-Frame-Options"))
    )
    smoke.check("X-Content-Type-Options nosniff", headers.get("X-Content-Type-Options") == "nosniff")

    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    if smoke.check("home page links a hashed stylesheet", bool(stylesheet)):
        status, headers, _ = smoke.get(stylesheet.group(1))
        cache_control = headers.get("Cache-Control", "")
        smoke.check(
            "hashed stylesheet served with a ten-year immutable max-age",
            status == 200 and f"max-age={TEN_YEARS}" in cache_control and "immutable" in cache_control,
            f"{status} {cache_control!r}",
        )

    for path in ("/partners/", "/activities/", "/case-studies/", "/search/?q=kosovo", "/admin/login/"):
        status, _, _ = smoke.get(path)
        smoke.check(f"GET {path} 200", status == 200, f"got {status}")
    detail = re.search(r'href="(/partners/[a-z0-9-]+/)"', smoke.get("/partners/")[2].decode())
    if smoke.check("partner list links a partner", bool(detail)):
        status, _, _ = smoke.get(detail.group(1))
        smoke.check(f"GET {detail.group(1)} 200", status == 200, f"got {status}")

    status, _, body = smoke.get("/nope-not-a-page/")
    smoke.check(
        "unknown page is a 404 without a traceback",
        status == 404 and b"Traceback" not in body,
        f"got {status}",
    )

    status, _, body = smoke.get("/api/v1/partners/?page_size=5")
    ok = status == 200 and len(json.loads(body).get("results", [])) == 5
    smoke.check("API partner list 200 with 5 results", ok, f"got {status}")
    status, _, _ = smoke.get("/api/v1/schema/")
    smoke.check("OpenAPI schema 200", status == 200, f"got {status}")

    # The CSV export is streamed with chunked encoding, so a cut-off export lacks the final chunk
    # and the client sees an error, never a clean, truncated 200.
    target = urlsplit(smoke.base)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    connection.request("GET", "/api/v1/activities/?format=csv")
    smoke.api_calls += 1
    response = connection.getresponse()
    body = response.read()
    smoke.check(
        "CSV export streamed (chunked, no Content-Length)",
        response.status == 200
        and response.getheader("Transfer-Encoding") == "chunked"
        and response.getheader("Content-Length") is None
        and body.count(b"\n") > 10,
        f"{response.status} {response.getheader('Transfer-Encoding')!r}",
    )
    connection.close()

    # The throttle: every worker counts in Redis, keyed by the client's own address, so exactly
    # anon_rate anonymous API requests per minute succeed in all, whatever X-Forwarded-For says.
    extra = anon_rate + 10 - smoke.api_calls
    statuses = [
        smoke.get("/api/v1/programmes/", {"X-Forwarded-For": f"198.51.100.{n % 250}"})[0]
        for n in range(extra)
    ]
    allowed = smoke.api_calls - extra + statuses.count(200)
    smoke.check(
        f"anonymous API throttle lets exactly {anon_rate} requests through across workers",
        allowed == anon_rate and statuses.count(429) == 10 and set(statuses) <= {200, 429},
        f"{allowed} allowed, statuses {sorted(set(statuses))}",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="e.g. http://127.0.0.1:8130")
    parser.add_argument("--anon-rate", type=int, required=True, help="the server's API_ANON_RATE per minute")
    args = parser.parse_args()
    smoke = Smoke(args.base)
    run(smoke, args.anon_rate)
    print(f"smoke: {smoke.passed} passed, {smoke.failed} failed")
    return 0 if smoke.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
