"""Adding a document from the browser: `/documents/new` (the form) and `POST /documents`.

Everything goes through `geo.services.ingest.ingest_bytes`, which validates, stores and
rebuilds the layers all or nothing. Who may write is `webapp.security`'s rule (loopback, or
--allow-writes and a signed-in user); every POST needs the CSRF token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.sansio.blueprints import BlueprintSetupState
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wrappers import Response

from geo.domain.documents import MAX_DOCUMENT_BYTES, parse_date
from geo.domain.language import LANGUAGE_NAMES, parse_language
from geo.errors import DocumentRefused
from geo.services.ingest import ingest_bytes
from webapp import csrf, get_backend
from webapp.pages.documents import safe_url
from webapp.security import auth, challenge, needs_sign_in, writes_refused

blueprint = Blueprint("ingest", __name__)
blueprint.after_request(csrf.page_headers)

# Room for a full-size document both pasted and uploaded, plus the other fields; anything
# bigger is refused (413) before it is read.
MAX_REQUEST_BYTES = 2 * MAX_DOCUMENT_BYTES + 64 * 1024
MAX_FIELD_BYTES = MAX_DOCUMENT_BYTES + 64 * 1024
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@blueprint.record_once
def _setup(state: BlueprintSetupState) -> None:
    csrf.init_app(state.app)


@dataclass
class Submission:
    """The form's fields as typed, to show them again if the document is refused."""

    text: str = ""
    title: str = ""
    published: str = ""
    source: str = ""
    url: str = ""
    lang: str = ""  # empty: detected from the text
    filename: str = ""
    errors: list[str] = field(default_factory=list)


def _form_page(submission: Submission, status: int = 200, refused: str | None = None):
    page = render_template(
        "pages/new_document.html",
        form=submission,
        refused=refused,
        csrf_token=csrf.token() if refused is None else "",
        max_bytes=MAX_DOCUMENT_BYTES,
        languages=LANGUAGE_NAMES,
    )
    return page, status


def _error_page(status: int, message: str):
    return render_template("pages/error.html", status=status, message=message), status


@blueprint.get("/documents/new")
@auth.login_required(optional=True)
def new() -> Response | tuple[str, int]:
    if needs_sign_in():
        return challenge("Sign in to add documents.")
    return _form_page(Submission(), refused=writes_refused())


def _read(submission: Submission) -> tuple[bytes, str] | None:
    """The document's bytes and a name for messages; records an error and returns None."""
    upload = request.files.get("file")
    has_file = upload is not None and bool(upload.filename)
    has_text = bool(submission.text.strip())
    if has_file and has_text:
        submission.errors.append("Paste the text or choose a file, not both.")
        return None
    if has_file:
        assert upload is not None
        name = Path(upload.filename or "").name
        submission.filename = name
        if not name.lower().endswith(".txt"):
            submission.errors.append(f"{name!r} is not a .txt file; upload plain text.")
            return None
        return upload.read(), f"the file {name!r}"
    if not has_text:
        submission.errors.append("The document is empty: paste its text or choose a .txt file.")
        return None
    return submission.text.encode("utf-8"), "the pasted text"


def _published(submission: Submission) -> date | None:
    value = submission.published.strip()
    if value and not ISO_DAY.fullmatch(value):
        raise DocumentRefused(f"published must be a date as YYYY-MM-DD, got {value!r}")
    return parse_date(value or None)


@blueprint.post("/documents")
@auth.login_required(optional=True)
def create() -> Response | tuple[str, int]:
    if needs_sign_in():
        return challenge("Sign in to add documents.")
    refused = writes_refused()
    if refused:
        return _error_page(403, refused)
    request.max_content_length = MAX_REQUEST_BYTES
    request.max_form_memory_size = MAX_FIELD_BYTES
    form = request.form  # parsing may raise 413, handled below
    csrf.check(form.get(csrf.FIELD))
    submission = Submission(
        text=form.get("text", ""),
        title=form.get("title", ""),
        published=form.get("published", ""),
        source=form.get("source", ""),
        url=form.get("url", ""),
        lang=form.get("lang", ""),
    )
    read = _read(submission)
    lang = None
    if submission.lang.strip():
        try:
            lang = parse_language(submission.lang)
        except ValueError as exc:
            submission.errors.append(str(exc))
    published = None
    try:
        published = _published(submission)
    except DocumentRefused as exc:
        submission.errors.append(str(exc))
    if submission.url.strip() and safe_url(submission.url) is None:
        submission.errors.append("url must start with http:// or https:// and name a host.")
    if read is None or submission.errors:
        return _form_page(submission, 400)
    data, name = read
    title = submission.title.strip() or (Path(submission.filename).stem or None)
    try:
        result = ingest_bytes(
            data,
            get_backend(),
            title=title,
            published=published,
            source=submission.source or None,
            url=submission.url.strip() or None,
            lang=lang,
            name=name,
        )
    except DocumentRefused as exc:
        submission.errors.append(str(exc))
        return _form_page(submission, 400)
    if result.duplicate:
        flash("This text is already here, so nothing was added; here is the existing document.")
    else:
        flash("Document added and the layers rebuilt; its events are listed below.")
    return redirect(url_for("documents.show", doc_id=result.doc_id), code=303)


@blueprint.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    limit = MAX_DOCUMENT_BYTES // 1_000_000
    return _error_page(
        413, f"The upload is too large: a document may be at most {limit} MB of plain text."
    )


@blueprint.errorhandler(csrf.CSRFMissing)
@blueprint.errorhandler(csrf.CSRFInvalid)
def csrf_error(error: HTTPException):
    return _error_page(error.code or 400, error.description or "Bad form token.")
