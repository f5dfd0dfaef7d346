"""Check that idle connections cannot take the site offline (run by scripts/production-smoke).

Opens IDLE TCP connections (default 20) to a running server and sends nothing on them, then times
normal requests while they stay open: right away (while gunicorn's threads still wait on them) and
again a few seconds later (once they are parked). Each request must be answered, with a 200, in
under a second. Prints one line per request and a final "N passed, N failed"; exits 1 on failure.

    python scripts/idle_connections_check.py http://127.0.0.1:8130/ [--idle 20]
"""

from __future__ import annotations

import argparse
import socket
import sys
import time
import urllib.parse
import urllib.request

LIMIT_SECONDS = 1.0


def timed_get(url: str) -> tuple[int | str, float]:
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            status: int | str = response.status
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        status = f"error {error}"
    return status, time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="a page of the running server, e.g. http://127.0.0.1:8130/")
    parser.add_argument("--idle", type=int, default=20, help="idle connections to hold open")
    args = parser.parse_args()

    target = urllib.parse.urlsplit(args.url)
    idle = [
        socket.create_connection((target.hostname, target.port or 80), timeout=5) for _ in range(args.idle)
    ]
    print(f"holding {len(idle)} idle connections to {target.hostname}:{target.port}")
    passed = failed = 0
    try:
        # Right away, then after gunicorn's 5 s wait on a silent connection has run out.
        for delay in (0.2, 0.2, 0.2, 6.0, 0.2):
            time.sleep(delay)
            status, seconds = timed_get(args.url)
            ok = status == 200 and seconds < LIMIT_SECONDS
            passed, failed = passed + ok, failed + (not ok)
            print(
                f"{'PASS' if ok else 'FAIL'} GET {args.url} -> {status} in {seconds:.3f} s (limit {LIMIT_SECONDS} s)"
            )
    finally:
        for connection in idle:
            connection.close()
    print(f"idle-connections: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
