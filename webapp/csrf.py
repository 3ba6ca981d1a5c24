"""Protection for the HTML forms: a per-session CSRF token, and no shared caching of them.

The token lives in Flask's signed session cookie and in a hidden form field; a POST is accepted
only when the two agree (`hmac.compare_digest`), so another site cannot submit our forms.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, Request, Response, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.exceptions import BadRequest, Forbidden

FIELD = "csrf_token"
SESSION_KEY = "csrf_token"

class CSRFMissing(BadRequest):
    description = "The form had no security token. Reload the form and submit it again."


class CSRFInvalid(Forbidden):
    description = (
        "The form's security token does not match this browser session (the form may be old "
        "or the server restarted). Reload the form and submit it again."
    )


class PagesOnlySessionInterface(SecureCookieSessionInterface):
    """Sessions only for the HTML pages that carry a form token.

    The data endpoints (/api, /ogc, /export, assets) never use a session; skipping the cookie
    work there keeps their hot path short.
    """

    STATELESS_PREFIXES = ("/api/", "/ogc", "/export/", "/vendor/", "/static/", "/basemap/")

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith(self.STATELESS_PREFIXES):
            return None  # Flask then uses a null session, which refuses writes
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    """Give the app a session key if it has none (sessions then last until restart)."""
    app.session_interface = PagesOnlySessionInterface()
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    if app.config.get("SESSION_COOKIE_SAMESITE") is None:
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"


def token() -> str:
    """This session's token, created on first use; put it in every form that POSTs."""
    value = session.get(SESSION_KEY)
    if not isinstance(value, str) or not value:
        value = secrets.token_urlsafe(32)
        session[SESSION_KEY] = value
    return value


def check(submitted: str | None) -> None:
    """Raise CSRFMissing (400) or CSRFInvalid (403) unless `submitted` is this session's token."""
    if not submitted:
        raise CSRFMissing()
    expected = session.get(SESSION_KEY)
    if not isinstance(expected, str) or not expected:
        raise CSRFInvalid()
    if not hmac.compare_digest(submitted.encode(), expected.encode()):
        raise CSRFInvalid()


def page_headers(response: Response) -> Response:
    """Caching for the HTML pages (an `after_request` hook of their blueprints); the security
    headers every response carries are `webapp.security`'s."""
    if request.method == "POST" or session.get(SESSION_KEY):
        # Pages carrying a per-session token must not be stored by shared caches.
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response
