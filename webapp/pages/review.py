"""Reviewing events from the browser: the queue (`/review`), the correction form, the verdicts.

Every verdict goes through `geo.services.review`, which stores it apart from the machine's
output, logs it and rebuilds the layers. Reviewing is writing: the same rule as adding a
document (loopback, or --allow-writes and a signed-in user, `webapp.security`), a CSRF token on
every POST, and the signed-in user's name (or "local") in the audit log.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.sansio.blueprints import BlueprintSetupState
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from geo.domain.kinds import EVENT_KINDS, kind_label
from geo.domain.model import ACTORS
from geo.domain.query import parse_int
from geo.domain.review import STATUSES
from geo.errors import DrillmapError, InvalidParameter
from geo.services import review as service
from webapp import csrf, get_backend, get_store
from webapp.api import json_response
from webapp.errors import error_response, json_error
from webapp.pages.events import cited_documents, event_row
from webapp.security import auth, bound_to_loopback, challenge, needs_sign_in, writes_refused

blueprint = Blueprint("review", __name__)
blueprint.after_request(csrf.page_headers)

STATUS_LABELS = {
    "machine": "machine (not reviewed)",
    "confirmed": "confirmed by an analyst",
    "corrected": "corrected by an analyst",
    "rejected": "rejected by an analyst",
}
QUEUE_LIMIT = 500
SEARCH_LIMIT = 20


def may_review() -> bool:
    """Whether the review buttons are shown: writes are possible here (a POST off loopback
    still asks for a user name and password)."""
    return bound_to_loopback() or bool(current_app.config.get("ALLOW_WRITES"))


def review_controls() -> dict[str, Any]:
    """For the templates: whether to show the buttons, and the form token if so."""
    if not may_review() or get_backend().reviews is None:
        return {"writable": False, "token": ""}
    return {"writable": True, "token": csrf.token()}


@blueprint.record_once
def _setup(state: BlueprintSetupState) -> None:
    csrf.init_app(state.app)
    state.app.jinja_env.globals["review_controls"] = review_controls
    state.app.jinja_env.globals["review_label"] = lambda s: STATUS_LABELS.get(s or "machine", s)


def _user() -> str:
    return auth.current_user() or "local"


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _safe_next(value: str | None) -> str | None:
    """A local path to go back to; anything else (another site, a scheme) is ignored."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if any(ch in value for ch in "\r\n\t"):
        return None
    return value


def _error_page(status: int, message: str) -> tuple[str, int]:
    return render_template("pages/error.html", status=status, message=message), status


def _changes(form: Any) -> dict[str, Any]:
    """The corrected fields as the form sends them (places in the order listed)."""
    return {
        "kind": form.get("kind", ""),
        "name": form.get("name", ""),
        "year": form.get("year", ""),
        "date_start": form.get("date_start", ""),
        "date_end": form.get("date_end", ""),
        "actors": form.getlist("actor"),
        "place_ids": form.getlist("place_id"),
    }


@blueprint.get("/review")
def queue() -> tuple[str, int]:
    backend = get_backend()
    store = get_store()
    waiting = service.queue(backend)
    shown = waiting[:QUEUE_LIMIT]
    documents = cited_documents(store, shown)
    rows = [event_row(f, documents) for f in shown]
    corrections = service.corrections(backend)
    orphans = service.orphaned(backend) if corrections else []
    page = render_template(
        "pages/review_queue.html",
        rows=rows,
        waiting=len(waiting),
        reviewed=len(corrections),
        orphans=orphans,
        next_url=request.full_path.rstrip("?"),
    )
    return page, 200


def _form_page(
    layer: str, feature_id: str, error: str | None = None, status: int = 200
) -> tuple[str, int]:
    feature = service.event_feature_of(get_backend(), layer, feature_id)
    documents = cited_documents(get_store(), [feature])
    props = feature["properties"]
    page = render_template(
        "pages/review_form.html",
        row=event_row(feature, documents),
        props=props,
        places=service.place_names(props.get("place_ids") or []),
        kinds=[(k, kind_label(k)) for k in EVENT_KINDS],
        actors=ACTORS,
        error=error,
        refused=None if may_review() else writes_refused(),
        next_url=_safe_next(request.values.get("next")) or "",
    )
    return page, status


@blueprint.get("/review/<layer>/<feature_id>")
@auth.login_required(optional=True)
def edit(layer: str, feature_id: str) -> tuple[str, int]:
    return _form_page(layer, feature_id)


@blueprint.post("/review/<layer>/<feature_id>")
@auth.login_required(optional=True)
def submit(layer: str, feature_id: str) -> Response | tuple[str, int]:
    if needs_sign_in():
        return challenge("Sign in to review events.")
    refused = writes_refused()
    if refused:
        refused = refused.replace("Adding documents", "Reviewing events")
        if _wants_json():
            return json_error(403, "Forbidden", refused)
        return _error_page(403, refused)
    form = request.form
    csrf.check(form.get(csrf.FIELD))
    action = form.get("action", "")
    try:
        outcome = service.review_event(
            get_backend(),
            layer,
            feature_id,
            action,
            user=_user(),
            changes=_changes(form) if action == "correct" else None,
            note=form.get("note") or None,
        )
    except DrillmapError as exc:
        if _wants_json():
            return error_response(exc)
        if isinstance(exc, InvalidParameter):  # the form again, saying what to fix
            return _form_page(layer, feature_id, exc.description, exc.status)
        raise
    status = outcome.correction.status if outcome.correction else "machine"
    if _wants_json():
        feature = get_store().get(outcome.layer, outcome.feature_id)
        return json_response(
            {
                "review": status,
                "layer": outcome.layer,
                "id": outcome.feature_id,
                "feature": feature,
                "orphaned": [c.id for c in outcome.build.orphaned] if outcome.build else [],
            }
        )
    flash(f"Event {STATUS_LABELS.get(status, status)}; the layers are rebuilt.")
    back = _safe_next(form.get("next"))
    if back and outcome.feature_id != feature_id:  # its kind moved it: follow it (map focus)
        back = back.replace(feature_id, outcome.feature_id)
    return redirect(
        back or url_for("review.edit", layer=outcome.layer, feature_id=outcome.feature_id), code=303
    )


@blueprint.get("/review/session")
@auth.login_required(optional=True)
def session_state() -> Response:
    """For the map's popups (the map page is cached for everyone): may this browser review,
    and its form token."""
    controls = review_controls()
    response = json_response({"writable": controls["writable"], "csrf_token": controls["token"]})
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.get("/api/gazetteer")
def gazetteer_search() -> Response:
    """Gazetteer places whose name or alias matches `q`, as the correction form types."""
    unknown = sorted(set(request.args) - {"q", "limit"})
    if unknown:
        raise InvalidParameter(f"unknown parameter {unknown[0]!r}; known parameters: q, limit")
    query = request.args.get("q", "")
    if len(query) > 200:
        raise InvalidParameter("'q' is longer than 200 characters")
    limit_text = request.args.get("limit")
    limit = (
        SEARCH_LIMIT
        if limit_text is None
        else parse_int(limit_text, "limit", minimum=1, maximum=50)
    )
    return json_response({"places": service.search(query, limit)})


@blueprint.get("/api/review")
def corrections_json() -> Response:
    """Every correction, and which the last build could not place (`?orphaned=true`: only
    those)."""
    unknown = sorted(set(request.args) - {"orphaned"})
    if unknown:
        raise InvalidParameter(f"unknown parameter {unknown[0]!r}; known parameters: orphaned")
    flag = request.args.get("orphaned", "false").lower()
    if flag not in ("true", "false", "1", "0"):
        raise InvalidParameter("'orphaned' must be true or false")
    backend = get_backend()
    orphans = service.orphaned(backend)
    orphan_ids = {c.id for c in orphans}
    items = orphans if flag in ("true", "1") else service.corrections(backend)
    return json_response(
        {
            "corrections": [{**c.as_json(), "orphaned": c.id in orphan_ids} for c in items],
            "statuses": list(STATUSES),
        }
    )


@blueprint.errorhandler(csrf.CSRFMissing)
@blueprint.errorhandler(csrf.CSRFInvalid)
def csrf_error(error: HTTPException):
    if _wants_json():
        return json_error(error.code or 400, "Forbidden", error.description or "Bad form token.")
    return _error_page(error.code or 400, error.description or "Bad form token.")
