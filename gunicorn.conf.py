"""gunicorn settings for the WPS Portal (`make serve`; README, "Deploy").

Every value can be changed from the environment; the defaults are explained beside each.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    if not value.isdigit():
        raise SystemExit(f"{name}={value!r} is not a whole number")
    return int(value)


wsgi_app = "wps_portal.wsgi:application"

# 127.0.0.1 by default: in production a reverse proxy (nginx) faces the internet and passes requests
# on; BIND=0.0.0.0:8000 (or a unix socket, unix:/run/wps/gunicorn.sock) to listen elsewhere.
bind = os.environ.get("BIND", f"127.0.0.1:{_int('PORT', 8000)}")

# gthread: each worker process runs a pool of threads. A connection that has sent nothing holds a
# thread for at most 5 s (gunicorn's fixed wait), then waits in the worker's selector without one,
# and is closed after `keepalive` seconds; kept-alive connections wait in the selector too. So idle
# connections cannot take the site offline the way they do with sync workers (one idle connection
# per sync worker is enough). Threads suit this app: a request mostly waits on the database.
# A client that sends its request slowly does hold a thread while it sends: facing the internet,
# put nginx in front, which buffers whole requests and responses (README, "Deploy").
worker_class = "gthread"
# Two processes (gunicorn's own WEB_CONCURRENCY variable): one may restart or crash while the
# other serves, and together they use two cores. Raise it with the number of cores.
workers = _int("WEB_CONCURRENCY", 2)
# Concurrent requests per worker; more threads than idle connections one worker may be handed at
# once (20 in the CI check) keeps a normal request from queueing behind their 5 s wait. Each thread
# may keep one database connection open (CONN_MAX_AGE), so WEB_CONCURRENCY x GUNICORN_THREADS
# (64 by default) must stay below PostgreSQL's max_connections (100 by default).
threads = _int("GUNICORN_THREADS", 32)
# Open connections per worker, idle ones included, before new ones wait in the listen backlog.
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", 1000)

# Timeouts.
# - timeout: a worker whose main loop has not reported to the master for this long is killed and
#   replaced. With gthread the main loop keeps reporting while threads serve requests, so this
#   does not cut off a long response (a streamed CSV export runs as long as it needs); it catches a
#   worker that is truly stuck.
timeout = _int("GUNICORN_TIMEOUT", 60)
# - graceful_timeout: on a restart or deploy (SIGHUP/SIGTERM) a worker stops accepting and gets
#   this long to finish the requests it is serving, exports included, before it is killed. A
#   killed export never ends as a clean 200: streamed responses are chunked, and a cut leaves the
#   final chunk missing, which clients report as an error (see test_production_stack.py).
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 120)
# - keepalive: how long an idle keep-alive connection is kept after a response. Short, because
#   behind nginx the proxy holds the client's connection; 5 s lets a browser reuse its connection
#   for a page's assets when gunicorn is reached directly.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then (with jitter, so they do not all restart together) to bound memory
# growth; in-flight requests finish first (graceful_timeout).
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Request line and header limits (gunicorn's defaults, stated): oversized ones get a 400 before
# Django sees them. Bodies are limited by Django's DATA_UPLOAD_MAX_MEMORY_SIZE and by the proxy.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Each worker loads the app itself, so `kill -HUP <master>` after a deploy starts workers on the
# new code while the old ones finish their requests.
preload_app = False

# Logs to stdout/stderr, for the service manager (systemd, a container runtime) to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Which addresses may set X-Forwarded-Proto/-For for gunicorn itself (gunicorn's own variable,
# FORWARDED_ALLOW_IPS, default 127.0.0.1: the proxy on the same machine).


# Memory: glibc gives each thread that contends for the allocator an arena of its own (up to 8 per
# core), and memory freed inside an arena is rarely returned, so 32 threads per worker grow a
# worker's resident memory far past what its requests hold. Two arenas per process (set here, in
# the master, before workers fork and threads start; the same as MALLOC_ARENA_MAX=2) keep it near
# the live size at no measurable cost in speed (README, "Performance"). MALLOC_ARENA_MAX in the
# environment wins; elsewhere than glibc this does nothing.
def _limit_malloc_arenas(default: int = 2) -> None:
    import ctypes
    import ctypes.util

    arenas = _int("MALLOC_ARENA_MAX", default)
    name = ctypes.util.find_library("c")
    if not arenas or not name:
        return
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


_limit_malloc_arenas()


# Garbage collection: a worker holds a few hundred thousand objects made at import (Django, DRF,
# the URLconf, the templates), and every full collection walked them all: a pause of about 70 ms
# every dozen list requests (measured on the partner and case-study lists at 200,000 activities).
# Once the app is loaded they live as long as the worker, so they are moved out of the collector's
# sight (gc.freeze); the pauses fall to about 25 ms. GUNICORN_GC_FREEZE=0 leaves them.
def post_worker_init(worker) -> None:
    import gc

    if os.environ.get("GUNICORN_GC_FREEZE", "1") != "0":
        gc.collect()
        gc.freeze()
