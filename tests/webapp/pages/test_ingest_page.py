"""Adding a document through the web form: CSRF, validation with the reason shown, writing only
where it is safe, and a new document's events in the rebuilt layers."""

from __future__ import annotations

import base64
import io
import re
import shutil
from pathlib import Path

import orjson
import pytest

from geo.build.runner import build_layers
from geo.domain.documents import MAX_DOCUMENT_BYTES
from geo.errors import InvalidParameter
from geo.services.users import add_user
from geo.settings import Settings
from webapp import REPO_ROOT, create_app

TSUGARU = "Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday."
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds and layers built once; each test gets its own copy to write into."""
    root = tmp_path_factory.mktemp("ingest-template")
    shutil.copytree(REPO_ROOT / "seeds", root / "seeds", ignore=shutil.ignore_patterns("examples"))
    build_layers(root / "seeds", root / "layers")
    return root


@pytest.fixture
def dirs(template: Path, tmp_path: Path) -> Path:
    shutil.copytree(template / "seeds", tmp_path / "seeds")
    shutil.copytree(template / "layers", tmp_path / "layers")
    return tmp_path


def make_client(dirs: Path, **config: object):
    app = create_app(
        Settings(layers_dir=dirs / "layers", seeds_dir=dirs / "seeds"),
        config={"TESTING": True, **config},
    )
    return app.test_client()


@pytest.fixture
def client(dirs: Path):
    return make_client(dirs)


def token(client) -> str:
    match = TOKEN.search(client.get("/documents/new").get_data(as_text=True))
    assert match
    return match.group(1)


def seeds(dirs: Path) -> list[str]:
    return sorted(p.name for p in (dirs / "seeds").iterdir() if not p.name.startswith("."))


def post(client, csrf: str | None = "fetch", **fields):
    data = {"title": "", "published": "", "source": "", "url": "", "text": "", **fields}
    if csrf == "fetch":
        csrf = token(client)
    if csrf is not None:
        data["csrf_token"] = csrf
    return client.post("/documents", data=data, content_type="multipart/form-data")


def test_form_carries_a_token_and_the_fields(client):
    page = client.get("/documents/new").get_data(as_text=True)
    assert TOKEN.search(page)
    for name in ("text", "file", "title", "published", "source"):
        assert f'name="{name}"' in page
    assert 'enctype="multipart/form-data"' in page


def test_pasted_document_is_added_and_its_events_are_shown(client, dirs):
    response = post(
        client, text=TSUGARU, title="Tsugaru transit", published="2024-05-14", source="Kyodo"
    )
    assert response.status_code == 303
    location = response.headers["Location"]
    doc_id = location.rsplit("/", 1)[1]
    assert location == f"/documents/{doc_id}"
    index = orjson.loads((dirs / "layers" / "index.json").read_bytes())
    entry = next(d for d in index["documents"] if d["id"] == doc_id)
    assert entry["title"] == "Tsugaru transit" and entry["published"] == "2024-05-14"
    patrols = orjson.loads((dirs / "layers" / "patrols.geojson").read_bytes())["features"]
    mine = [f for f in patrols if any(e["doc_id"] == doc_id for e in f["properties"]["evidence"])]
    assert [f["properties"]["kind"] for f in mine] == ["naval_patrol"]
    assert mine[0]["properties"]["date_start"] == "2024-05-14"  # "Tuesday" from published

    page = client.get(location).get_data(as_text=True)
    assert "Document added" in page
    assert "naval patrol" in page
    assert '<mark data-place="tsugaru-strait">Tsugaru Strait</mark>' in page
    assert mine[0]["id"] in client.get("/events").get_data(as_text=True)


def test_uploaded_file_is_added_with_its_name_as_default_title(client, dirs):
    response = client.post(
        "/documents",
        data={
            "csrf_token": token(client),
            "text": "",
            "file": (io.BytesIO(TSUGARU.encode()), "tsugaru-report.txt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    doc_id = response.headers["Location"].rsplit("/", 1)[1]
    index = orjson.loads((dirs / "layers" / "index.json").read_bytes())
    assert next(d for d in index["documents"] if d["id"] == doc_id)["title"] == "tsugaru-report"


def test_duplicate_text_redirects_to_the_existing_document(client, dirs):
    first = post(client, text=TSUGARU + "\nMore later.\n")
    before = seeds(dirs)
    # Browsers send a textarea with CRLF line endings; the stored text is the same.
    again = post(client, text=TSUGARU + "\r\nMore later.\r\n")
    assert again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert seeds(dirs) == before
    assert "already here" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_missing_token_is_400_and_wrong_token_403(client, dirs):
    before = seeds(dirs)
    client.get("/documents/new")  # the session has a token; the form does not send it
    assert post(client, csrf=None, text=TSUGARU).status_code == 400
    assert post(client, csrf="not-the-token", text=TSUGARU).status_code == 403
    assert post(client, csrf="", text=TSUGARU).status_code == 400
    assert seeds(dirs) == before


def test_token_from_another_session_is_403(dirs):
    alice, mallory = make_client(dirs), make_client(dirs)
    stolen = token(alice)
    token(mallory)
    assert post(mallory, csrf=stolen, text=TSUGARU).status_code == 403


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"text": ""}, "The document is empty"),
        ({"text": "   \n\t "}, "The document is empty"),
        ({"text": TSUGARU, "published": "14/05/2024"}, "published must be a date as YYYY-MM-DD"),
        ({"text": TSUGARU, "published": "20240514"}, "published must be a date as YYYY-MM-DD"),
        ({"text": TSUGARU, "published": "2024-02-30"}, "published must be a date as YYYY-MM-DD"),
        ({"text": TSUGARU, "url": "javascript:alert(1)"}, "url must start with http"),
        ({"text": TSUGARU, "title": "x" * 301}, "title is longer than 300 characters"),
        ({"text": "x" * (MAX_DOCUMENT_BYTES + 1)}, "-byte limit"),
    ],
)
def test_refused_input_is_400_with_the_reason_and_kept(client, dirs, fields, reason):
    before = seeds(dirs)
    response = post(client, source="kept source", **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert reason in page.replace("&#39;", "'")
    assert 'value="kept source"' in page  # what the user typed is still there
    assert seeds(dirs) == before


@pytest.mark.parametrize(
    ("content", "filename", "reason"),
    [
        (b"", "empty.txt", "empty document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.txt", "binary file"),
        ("Tsugaru Strait".encode("utf-16"), "utf16.txt", "binary file"),
        ("Détroit de Tsugaru".encode("latin-1"), "latin1.txt", "not UTF-8 text"),
        (TSUGARU.encode(), "report.pdf", "is not a .txt file"),
    ],
)
def test_refused_uploads_are_400_with_the_reason(client, dirs, content, filename, reason):
    before = seeds(dirs)
    response = client.post(
        "/documents",
        data={"csrf_token": token(client), "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert reason in response.get_data(as_text=True)
    assert seeds(dirs) == before


def test_text_and_file_together_are_refused(client, dirs):
    response = client.post(
        "/documents",
        data={
            "csrf_token": token(client),
            "text": TSUGARU,
            "file": (io.BytesIO(TSUGARU.encode()), "a.txt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "not both" in response.get_data(as_text=True)


def test_huge_upload_is_413_with_a_clear_message(client, dirs):
    before = seeds(dirs)
    response = client.post(
        "/documents",
        data={
            "csrf_token": token(client),
            "file": (io.BytesIO(b"a" * (3 * MAX_DOCUMENT_BYTES)), "huge.txt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert seeds(dirs) == before


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_writes_refused_when_not_bound_to_loopback(dirs, host):
    client = make_client(dirs, BOUND_HOST=host)
    before = seeds(dirs)
    page = client.get("/documents/new").get_data(as_text=True)
    assert "Adding documents is turned off" in page
    assert not TOKEN.search(page)
    response = client.post("/documents", data={"text": TSUGARU, "csrf_token": "x"})
    assert response.status_code == 403
    assert seeds(dirs) == before


def _signed_in(client, user: str, password: str):
    """The test client sending HTTP basic credentials with every request."""
    value = base64.b64encode(f"{user}:{password}".encode()).decode()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Basic {value}"
    return client


def test_allow_writes_off_loopback_needs_a_signed_in_user(dirs, tmp_path):
    users = tmp_path / "users.json"
    add_user(users, "analyst", "correct horse battery")
    config = {"BOUND_HOST": "0.0.0.0", "ALLOW_WRITES": True, "USERS_FILE": users}
    anonymous = make_client(dirs, **config)
    refused = anonymous.get("/documents/new")
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Basic ")
    wrong = _signed_in(make_client(dirs, **config), "analyst", "wrong password")
    assert wrong.get("/documents/new").status_code == 401
    assert wrong.post("/documents", data={"text": TSUGARU}).status_code == 401
    analyst = _signed_in(make_client(dirs, **config), "analyst", "correct horse battery")
    assert post(analyst, text=TSUGARU).status_code == 303
    assert len(list((dirs / "seeds").glob("*.txt"))) == 4  # only the signed-in post landed


def test_users_file_keeps_only_hashes(tmp_path):
    users = tmp_path / "users.json"
    add_user(users, "analyst", "correct horse battery")
    stored = users.read_text()
    assert "correct horse battery" not in stored and "scrypt:" in stored
    assert oct(users.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(InvalidParameter):
        add_user(users, "analyst", "short")


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_loopback_hosts_allow_writes(dirs, host):
    assert post(make_client(dirs, BOUND_HOST=host), text=TSUGARU).status_code == 303


def test_loopback_server_refuses_requests_for_another_host_name(dirs):
    """A DNS-rebinding page reaches 127.0.0.1 but sends its own Host header."""
    client = make_client(dirs)
    response = client.post(
        "/documents", data={"text": TSUGARU}, headers={"Host": "attacker.example:8000"}
    )
    assert response.status_code == 400
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/api/layers", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/api/layers", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_get_and_post_pages_send_security_headers(client):
    response = client.get("/documents/new")
    assert "form-action 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "no-store" in response.headers["Cache-Control"]


def test_behind_a_proxy_a_loopback_server_is_off_loopback(dirs, tmp_path):
    """nginx connects from 127.0.0.1 for everyone: writes need a signed-in user, and only the
    public names are answered."""
    users = tmp_path / "users.json"
    add_user(users, "analyst", "correct horse battery")
    config = {
        "BOUND_HOST": "127.0.0.1",
        "BEHIND_PROXY": True,
        "ALLOWED_HOSTS": ("drillmap.example",),
        "USERS_FILE": users,
    }
    public = {"Host": "drillmap.example"}
    closed = make_client(dirs, **config)
    assert closed.get("/api/layers", headers=public).status_code == 200
    assert closed.get("/api/layers", headers={"Host": "127.0.0.1:8001"}).status_code == 400
    before = seeds(dirs)
    assert closed.post("/documents", data={"text": TSUGARU}, headers=public).status_code == 403
    anonymous = make_client(dirs, ALLOW_WRITES=True, **config)
    assert anonymous.get("/documents/new", headers=public).status_code == 401
    assert seeds(dirs) == before


def test_serve_behind_a_proxy_needs_the_public_names(monkeypatch, capsys):
    from drillmap.cli import main as cli

    monkeypatch.delenv("DRILLMAP_ALLOWED_HOSTS", raising=False)
    assert cli(["serve", "--behind-proxy", "--port", "1"]) == 2
    assert "DRILLMAP_ALLOWED_HOSTS" in capsys.readouterr().err
