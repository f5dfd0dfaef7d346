"""Production settings: strict parsing of the environment, the deploy check with the documented
production values (deploy/production.env), the throttle's client address, the login redirect."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from wps_portal.settings import env_bool, env_int

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = ROOT / "deploy" / "production.env"
A_PRODUCTION_KEY = "k" * 20 + "-production-looking-secret-key-" + "0123456789abcdefghij"


def run_django(*args, **env):
    """Run manage.py in a fresh process with exactly ``env`` on top of a clean environment."""
    base = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"DATABASE_URL": "sqlite:///:memory:", **base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env() -> dict[str, str]:
    values = {}
    for line in PRODUCTION_ENV.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        ("YES", True),
        ("On", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("OFF", False),
        ("", False),
    ],
)
def test_debug_accepts_the_documented_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("DEBUG", value)
    assert env_bool("DEBUG") is expected


@pytest.mark.parametrize("value", [" 1", "1 ", "y", "enabled", "2", "tru"])
def test_any_other_boolean_spelling_is_an_error_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DEBUG="):
        env_bool("DEBUG")


@pytest.mark.parametrize("value", ["-1", "1.5", " 3", "many"])
def test_a_malformed_number_is_an_error_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("NUM_PROXIES", value)
    with pytest.raises(ImproperlyConfigured, match="NUM_PROXIES="):
        env_int("NUM_PROXIES", 0)


@pytest.mark.parametrize("debug", [" 1", "TRUE ", "maybe"])
def test_a_mistyped_debug_without_a_secret_key_refuses_to_start(debug):
    result = run_django("check", DEBUG=debug)
    assert result.returncode != 0
    assert "is not a boolean" in result.stderr and "DEBUG=" in result.stderr


@pytest.mark.parametrize("secret", ["", "django-insecure-development-key-only-used-when-DEBUG-is-on"])
def test_debug_off_never_runs_on_the_development_key(secret):
    result = run_django("check", DEBUG="off", SECRET_KEY=secret)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_deploy_check_is_clean_with_the_documented_production_values():
    result = run_django(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=A_PRODUCTION_KEY, **production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_without_them():
    result = run_django("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=A_PRODUCTION_KEY)
    assert result.returncode != 0
    for warning in (
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
        "wps_portal.W001",
        "wps_portal.W002",
    ):
        assert warning in result.stdout + result.stderr


def test_a_malformed_proxy_ssl_header_is_an_error():
    result = run_django("check", SECRET_KEY=A_PRODUCTION_KEY, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert result.returncode != 0 and "SECURE_PROXY_SSL_HEADER=" in result.stderr


def test_redis_url_makes_redis_the_cache_and_sessions_cached_in_it():
    code = (
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION', '-'), s.SESSION_ENGINE)"
    )
    with_redis = run_django(
        "shell", "--no-imports", "-c", code, SECRET_KEY=A_PRODUCTION_KEY, REDIS_URL="redis://127.0.0.1:6379/3"
    )
    assert with_redis.stdout.split() == [
        "wps_portal.cache_backend.ResilientRedisCache",
        "redis://127.0.0.1:6379/3",
        "django.contrib.sessions.backends.cached_db",
    ]
    without = run_django("shell", "--no-imports", "-c", code, SECRET_KEY=A_PRODUCTION_KEY)
    assert without.stdout.split()[0] == "django.core.cache.backends.locmem.LocMemCache"


# Nothing listens on port 1: every Redis call fails at once, as when Redis is down.
REDIS_DOWN = {
    "default": {
        "BACKEND": "wps_portal.cache_backend.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.mark.django_db
def test_with_redis_down_pages_and_the_throttled_api_still_answer(client, monkeypatch, caplog):
    from partners.api.views import PartnerViewSet

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    monkeypatch.setattr(PartnerViewSet, "throttle_classes", [AnonRateThrottle])
    with override_settings(CACHES=REDIS_DOWN):
        assert client.get("/api/v1/partners/").status_code == 200  # the throttle lets it through
        page = client.get("/partners/")  # the counts are computed instead of cached
        assert page.status_code == 200 and b"results" in page.content.lower()
    assert "served without the cache" in caplog.text


def test_the_resilient_cache_answers_as_a_miss_when_redis_is_down():
    from django.core.cache import caches

    with override_settings(CACHES=REDIS_DOWN):
        down = caches["default"]
        assert down.get("k", "default") == "default"
        assert down.add("k", 1) is False
        assert down.set("k", 1) is None
        assert down.get_many(["a", "b"]) == {}
        with pytest.raises(ValueError):
            down.incr("k")


def _throttle_ident(num_proxies, forwarded_for, remote_addr="203.0.113.7"):
    request = RequestFactory().get(
        "/api/v1/partners/", HTTP_X_FORWARDED_FOR=forwarded_for, REMOTE_ADDR=remote_addr
    )
    with override_settings(REST_FRAMEWORK={**_rest_framework(), "NUM_PROXIES": num_proxies}):
        return AnonRateThrottle().get_ident(Request(request))


def _rest_framework():
    from django.conf import settings

    return settings.REST_FRAMEWORK


def test_by_default_the_throttle_ignores_x_forwarded_for():
    assert _throttle_ident(0, "198.51.100.1") == _throttle_ident(0, "198.51.100.2") == "203.0.113.7"


def test_the_default_num_proxies_is_zero():
    assert _rest_framework()["NUM_PROXIES"] == 0


def test_behind_one_proxy_the_throttle_takes_the_address_the_proxy_appended():
    # nginx appends the address it saw; whatever the client put before it is not trusted.
    assert _throttle_ident(1, "10.9.9.9, 198.51.100.1", remote_addr="127.0.0.1") == "198.51.100.1"


@pytest.mark.django_db
def test_a_refused_next_after_admin_login_goes_to_the_admin_index(client):
    User.objects.create_superuser("curator", "curator@example.org", "a long enough password 1325")
    response = client.post(
        "/admin/login/?next=https://evil.example/",
        {"username": "curator", "password": "a long enough password 1325", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_postgresql_connections_turn_jit_off_unless_asked():
    """PostgreSQL's JIT spent 1.3 s compiling a broad search's 80 ms candidate query."""
    code = "from django.conf import settings as s; print(repr(s.DATABASES['default'].get('OPTIONS', {}).get('options')))"
    url = "postgres://postgres@127.0.0.1:5432/never_connected"
    default = run_django("shell", "--no-imports", "-c", code, DEBUG="1", DATABASE_URL=url)
    assert default.stdout.strip() == "'-c jit=off'", default.stderr
    kept = run_django("shell", "--no-imports", "-c", code, DEBUG="1", DATABASE_URL=url, POSTGRES_JIT="1")
    assert kept.stdout.strip() == "None", kept.stderr


@pytest.mark.django_db
def test_the_portal_s_postgresql_sessions_run_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_each_gunicorn_worker_freezes_what_it_loaded(monkeypatch):
    """Objects made at import are kept out of the garbage collector's full passes."""
    import gc
    import runpy

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread"
    try:
        monkeypatch.setenv("GUNICORN_GC_FREEZE", "0")
        config["post_worker_init"](None)
        assert gc.get_freeze_count() == 0
        monkeypatch.delenv("GUNICORN_GC_FREEZE")
        config["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
