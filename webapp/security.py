"""What every response and every write goes through: headers, host names, who may write.

- Every response says `nosniff`, no framing, a same-origin referrer and a Content-Security-Policy:
  JSON and files may load nothing; HTML only its own scripts. The map page, which folium renders
  with inline scripts, lists each of them by hash (computed when the page is rendered), so a
  script injected through document text could not run there either.
- A server bound to loopback answers only requests addressed to a loopback name: a page on
  another site that rebinds its DNS name to 127.0.0.1 sends its own name and is refused.
  `DRILLMAP_ALLOWED_HOSTS` (comma-separated) restricts the names of a server bound elsewhere.
  Behind a reverse proxy (`--behind-proxy`) a server answers only those names and counts as off
  loopback, as every request reaches it from the proxy on this machine.
- Writing (adding documents) needs loopback, or `--allow-writes` and a user of the users file
  (`drillmap users add NAME`) signing in with HTTP basic authentication (Flask-HTTPAuth; the
  passwords are stored as werkzeug scrypt hashes).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import ipaddress
import re
from pathlib import Path
from urllib.parse import urlsplit

import orjson
from flask import Flask, Response, current_app, request
from flask_httpauth import HTTPBasicAuth
from werkzeug.security import check_password_hash

from geo.services.users import load_users

LOOPBACK_NAMES = ("localhost",)
JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"
# Pages load only their own CSS and JS: no inline script, so injected markup could not run
# even if escaping were ever forgotten.
PAGE_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Pages whose markup comes with inline <style> (the OGC API's HTML, folium's map).
INLINE_STYLE_POLICY = PAGE_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
REALM = "drillmap"

auth = HTTPBasicAuth(realm=REALM)


@functools.lru_cache(maxsize=1024)
def is_loopback(host: str | None) -> bool:
    """Whether a host name or address is this machine only (127.0.0.0/8, ::1, localhost)."""
    if not host:
        return False
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def request_host_name() -> str | None:
    """The host name this request was addressed to, without its port."""
    try:
        return urlsplit(f"//{request.host}").hostname
    except ValueError:
        return None


def bound_to_loopback() -> bool:
    """Whether only this machine can reach the server: bound to loopback and not behind a
    reverse proxy (which makes every request look local)."""
    if current_app.config.get("BEHIND_PROXY"):
        return False
    return is_loopback(str(current_app.config.get("BOUND_HOST") or "127.0.0.1"))


def policy_with_scripts(html: str) -> str:
    """The page policy, allowing exactly the inline scripts `html` holds (by SHA-256)."""
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in _INLINE_SCRIPT.findall(html)
        }
    )
    return INLINE_STYLE_POLICY.replace(
        "script-src 'self'", " ".join(["script-src 'self'", *hashes])
    )


# -- users ---------------------------------------------------------------------------------


@auth.verify_password
def _verify(username: str, password: str) -> str | None:
    users = load_users(Path(current_app.config["USERS_FILE"]))
    stored = users.get(username)
    if stored and password and check_password_hash(stored, password):
        return username
    return None


@auth.error_handler
def _auth_error(status: int) -> Response:
    body = orjson.dumps(
        {"code": "Unauthorized", "description": "Sign in to add documents.", "status": status}
    )
    return Response(body, status=status, mimetype="application/json")


def writes_refused() -> str | None:
    """Why this request may not write, or None when it may (views that write are wrapped in
    `auth.login_required(optional=True)`, so a signed-in user is known here)."""
    if bound_to_loopback():
        return None
    bound = current_app.config.get("BOUND_HOST")
    if not current_app.config.get("ALLOW_WRITES"):
        return (
            f"Adding documents is turned off: this server listens on {bound}, not only on "
            "this machine. Run it on 127.0.0.1, or with --allow-writes and signed-in users."
        )
    if auth.current_user() is None:
        return "Sign in to add documents (this server asks for a user name and password)."
    return None


def needs_sign_in() -> bool:
    """Writes are allowed here, but only for a signed-in user, and nobody has signed in."""
    return (
        not bound_to_loopback()
        and bool(current_app.config.get("ALLOW_WRITES"))
        and auth.current_user() is None
    )


def challenge(message: str) -> Response:
    """401 asking the browser for credentials (HTTP basic), with the reason as text."""
    response = Response(message, status=401, mimetype="text/plain")
    response.headers["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


# -- the app's hooks -------------------------------------------------------------------------


def _host_refused() -> Response | None:
    name = request_host_name()
    allowed = current_app.config.get("ALLOWED_HOSTS") or ()
    if bound_to_loopback():
        ok = is_loopback(name) or name in allowed
    elif current_app.config.get("BEHIND_PROXY"):
        ok = name in allowed  # the public names only (DRILLMAP_ALLOWED_HOSTS)
    else:
        ok = not allowed or name in allowed or is_loopback(name)
    if ok:
        return None
    body = orjson.dumps(
        {
            "code": "InvalidParameterValue",
            "description": f"this server does not answer to the host name {name!r}",
            "status": 400,
        }
    )
    return Response(body, status=400, mimetype="application/json")


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if "Content-Security-Policy" not in headers:
        if response.mimetype != "text/html":
            headers["Content-Security-Policy"] = JSON_POLICY
        elif request.path.startswith("/ogc"):
            headers["Content-Security-Policy"] = INLINE_STYLE_POLICY
        else:
            headers["Content-Security-Policy"] = PAGE_POLICY
    return response


def init_app(app: Flask) -> None:
    app.before_request(_host_refused)
    app.after_request(_headers)
