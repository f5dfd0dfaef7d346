"""Security hardening: the Content-Security-Policy, the admin login lockout, API tokens (hashed,
expiring, revocable) and the throttle on wrong ones, bounded request bodies, the JSON nesting
limit, and hostile characters that used to be 500s."""

import hashlib
import io
import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from casestudies.models import Approach
from wps_portal import tokens
from wps_portal.api.parsers import depth

pytestmark = pytest.mark.django_db

API = "/api/v1/"
LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def no_earlier_attempts():
    """Sign-in attempts start from none: tests that commit (tests/test_consistent_reads.py, on
    PostgreSQL) may leave failures of the same address behind."""
    from axes.utils import reset

    reset()


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttle counts live in the cache; each test starts from none."""
    cache.clear()
    yield
    cache.clear()


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


# -- Content-Security-Policy ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/partners/", "/search/?q=kosovo", "/partners/no-such/", LOGIN, API, f"{API}partners/"]
)
def test_every_page_has_a_policy_allowing_scripts_from_the_site_only(client, path):
    response = client.get(path)
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["style-src"]


@pytest.mark.parametrize("path", [f"{API}docs/", f"{API}redoc/"])
def test_api_docs_allow_inline_styles_but_no_inline_script(client, path):
    response = client.get(path)
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in directives["style-src"]
    html = response.content.decode()
    # every <script> has a src (or is not JavaScript): nothing inline to run
    for tag in html.split("<script")[1:]:
        opening = tag.split(">", 1)[0]
        assert "src=" in opening, opening


def test_swagger_ui_start_up_script_is_served_as_a_file(client):
    response = client.get(f"{API}docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


# -- admin login lockout -------------------------------------------------------------------------


def login(client, password, username="curator"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


@pytest.fixture
def staff():
    return User.objects.create_user("curator", password="right-password-1", is_staff=True)


def test_the_right_password_signs_in_after_fewer_failures_than_the_limit(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200  # the form again, with its error
    response = login(client, "right-password-1")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_sign_in_whose_next_is_another_host_goes_to_the_admin(client, staff):
    response = client.post(
        LOGIN, {"username": "curator", "password": "right-password-1", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_after_the_limit_the_right_password_is_refused_with_the_lockout_page(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong")
    response = login(client, "right-password-1")
    assert response.status_code == 429
    assert b"Sign-in temporarily locked" in response.content
    assert b"axes_reset" in response.content
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_another_address_trying_the_same_username(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong")
    other = type(client)(REMOTE_ADDR="10.9.8.7")
    assert login(other, "right-password-1").status_code == 429


def test_axes_reset_lifts_the_lock(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong")
    assert AccessAttempt.objects.exists()
    call_command("axes_reset", stdout=io.StringIO())
    response = login(client, "right-password-1")
    assert response.status_code == 302


# -- API tokens ----------------------------------------------------------------------------------


@pytest.fixture
def writer():
    user = User.objects.create_user("writer")
    user.user_permissions.add(Permission.objects.get(codename="add_approach"))
    return user


def approach_payload(slug="token-approach"):
    return {"slug": slug, "kind": "networking", "title": "Made with a token"}


def with_token(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_created_token_writes_and_only_its_digest_is_stored(writer):
    issued = tokens.create_token("writer")
    assert (
        with_token(issued.token).post(f"{API}approaches/", approach_payload(), format="json").status_code
        == 201
    )
    stored = AuthToken.objects.get(user=writer)
    assert stored.digest == hashlib.sha512(issued.token.encode()).hexdigest()
    assert issued.token not in {stored.digest, stored.token_key}


def test_a_token_expires_after_api_token_days(writer, settings):
    issued = tokens.create_token("writer")
    expected = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
    assert abs((issued.expiry - expected).total_seconds()) < 60
    AuthToken.objects.filter(user=writer).update(expiry=timezone.now() - timedelta(seconds=1))
    assert (
        with_token(issued.token).post(f"{API}approaches/", approach_payload(), format="json").status_code
        == 401
    )
    assert not AuthToken.objects.filter(user=writer).exists()  # an expired token is deleted


def test_a_revoked_token_no_longer_authenticates(writer):
    kept, revoked = tokens.create_token("writer"), tokens.create_token("writer")
    assert tokens.revoke_tokens("writer", revoked.key) == 1
    assert (
        with_token(revoked.token).post(f"{API}approaches/", approach_payload(), format="json").status_code
        == 401
    )
    assert (
        with_token(kept.token).post(f"{API}approaches/", approach_payload(), format="json").status_code == 201
    )


def test_api_token_command_creates_lists_and_revokes(writer):
    out = io.StringIO()
    call_command("api_token", "create", "writer", "--days", "7", stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip()
    assert with_token(token).post(f"{API}approaches/", approach_payload(), format="json").status_code == 201
    listing = io.StringIO()
    call_command("api_token", "list", stdout=listing)
    assert token[:15] in listing.getvalue() and "writer" in listing.getvalue()
    call_command("api_token", "revoke", "writer", "--all", stdout=io.StringIO())
    assert not AuthToken.objects.exists()


def test_api_token_command_names_an_unknown_user():
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("api_token", "create", "nobody")


@pytest.mark.parametrize(
    "header",
    ["Token caf\u00e9", "Token abc\x00def", "Token " + "a" * 5000, "Token a b", "Token"],
    ids=["latin-1", "nul", "huge", "spaces", "empty"],
)
def test_a_malformed_token_is_a_401_not_a_500(header):
    response = APIClient().get(f"{API}partners/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_repeated_wrong_tokens_are_throttled_with_429_even_for_the_right_one(writer, settings):
    limit = int(settings.FAILED_TOKEN_RATE.split("/")[0])
    for _ in range(limit):
        assert with_token("0" * 64).get(f"{API}partners/").status_code == 401
    response = with_token("0" * 64).get(f"{API}partners/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    right = tokens.create_token("writer").token
    assert with_token(right).post(f"{API}approaches/", approach_payload(), format="json").status_code == 429
    # another address is not affected
    other = APIClient(REMOTE_ADDR="10.1.2.3")
    other.credentials(HTTP_AUTHORIZATION=f"Token {right}")
    assert other.post(f"{API}approaches/", approach_payload(), format="json").status_code == 201


def test_reads_without_a_token_are_not_counted_as_failures(settings):
    limit = int(settings.FAILED_TOKEN_RATE.split("/")[0])
    for _ in range(limit + 2):
        assert APIClient().get(f"{API}countries/").status_code == 200


# -- bounded requests ----------------------------------------------------------------------------


class Unread(io.BytesIO):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_declaring(client, path, length, content_type="multipart/form-data; boundary=x", **extra):
    return client.generic("POST", path, b"", content_type=content_type, CONTENT_LENGTH=str(length), **extra)


@pytest.mark.parametrize("path", [LOGIN, "/search/", f"{API}partners/"])
def test_anonymous_200_mb_post_is_refused_with_413_without_reading_it(client, path, monkeypatch):
    from django.core.handlers.wsgi import WSGIRequest

    original = WSGIRequest.__init__

    def unread_body(self, environ):
        environ["wsgi.input"] = Unread()
        original(self, environ)

    monkeypatch.setattr(WSGIRequest, "__init__", unread_body)
    response = post_declaring(client, path, 200 * 1024 * 1024)
    assert response.status_code == 413


def test_413_says_the_limit_as_json_in_the_api_and_as_a_page_on_the_site(client, settings):
    api = post_declaring(client, f"{API}partners/", settings.MAX_BODY_ANONYMOUS + 1)
    assert api.status_code == 413 and str(settings.MAX_BODY_ANONYMOUS) in api.json()["detail"]
    page = post_declaring(client, LOGIN, settings.MAX_BODY_ANONYMOUS + 1)
    assert page.status_code == 413 and b"Request refused" in page.content


def test_anonymous_limit_is_below_the_in_memory_upload_limit(settings):
    assert settings.MAX_BODY_ANONYMOUS < settings.FILE_UPLOAD_MAX_MEMORY_SIZE


def test_api_writer_body_over_the_api_limit_is_413_and_under_it_is_read(writer, settings):
    client = with_token(tokens.create_token("writer").token)
    big = approach_payload() | {"summary": "x" * (settings.MAX_BODY_API + 10)}
    response = client.post(f"{API}approaches/", big, format="json")
    assert response.status_code == 413
    assert not Approach.objects.filter(slug="token-approach").exists()
    assert client.post(f"{API}approaches/", approach_payload(), format="json").status_code == 201


def test_a_signed_in_curator_may_post_more_than_an_anonymous_client(client, staff, settings):
    client.force_login(staff)
    response = post_declaring(
        client,
        "/admin/partners/partner/add/",
        settings.MAX_BODY_ANONYMOUS * 4,
        "application/x-www-form-urlencoded",
    )
    assert response.status_code != 413


def test_a_content_length_that_is_not_a_number_is_a_400(client):
    response = client.generic("POST", LOGIN, b"", CONTENT_LENGTH="lots")
    assert response.status_code == 400


# -- JSON nesting ---------------------------------------------------------------------------------


def test_depth_counts_nesting_without_recursion():
    assert depth(1) == 0 and depth([]) == 1 and depth({"a": [1, {"b": []}]}) == 4
    deep = []
    for _ in range(100_000):
        deep = [deep]
    assert depth(deep) == 100_001


@pytest.mark.parametrize("levels", [21, 200_000])
def test_json_nested_deeper_than_the_limit_is_a_400(writer, levels):
    body = "[" * levels + "]" * levels
    client = with_token(tokens.create_token("writer").token)
    with override_settings(MAX_BODY_API=10 * 1024 * 1024):
        response = client.generic("POST", f"{API}approaches/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested deeper than 20" in response.json()["detail"]


def test_json_within_the_nesting_limit_is_accepted(writer):
    client = with_token(tokens.create_token("writer").token)
    payload = json.dumps(approach_payload())
    response = client.generic("POST", f"{API}approaches/", payload, content_type="application/json")
    assert response.status_code == 201


def test_the_api_accepts_json_only(writer):
    client = with_token(tokens.create_token("writer").token)
    response = client.post(f"{API}approaches/", approach_payload(), format="multipart")
    assert response.status_code == 415


# -- hostile characters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/countries/%00/", "/partners/%00/", "/sources/a%00b/", f"{API}partners/%00/", "/static/%00.css"],
)
def test_nul_in_a_path_is_a_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["q=%00", "country=%00", "sort=%00", "page=%00", "x%00=1", "year_from=1%002"],
)
@pytest.mark.parametrize("path", ["/partners/", "/search/", f"{API}partners/"])
def test_nul_in_a_query_value_is_a_400(client, path, query):
    assert client.get(f"{path}?{query}").status_code == 400


@pytest.mark.parametrize("version", ["%00", "1.0%0D%0AX-Injected:%20yes", '"; evil="', "x" * 3000])
def test_schema_version_parameter_is_ignored_and_never_reflected(client, version):
    response = client.get(f"{API}schema/?version={version}")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response["Content-Disposition"] == 'inline; filename="WPS Portal API.yaml"'
        assert "X-Injected" not in response


def test_a_nul_in_an_api_parameter_is_a_400_naming_the_parameter():
    response = APIClient().get("/api/v1/partners/", {"country": "X\x00K"})
    assert response.status_code == 400
    assert response.json() == {"country": ["A query parameter contains a NUL character."]}
