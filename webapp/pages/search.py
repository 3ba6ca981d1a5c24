"""The search page at `/search?q=`: hits over documents and evidence sentences, a page at a time.

Snippets are cut by the search index; the template escapes every piece and wraps only the
matched ones in `<mark>`. A query the index refuses (empty, too long, nothing to look for) is
said on the page with the form kept, never an error page.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from geo.domain.search import marked_parts
from geo.errors import InvalidParameter
from webapp import csrf, get_store
from webapp.search import (
    DEFAULT_LIMIT,
    SearchRequest,
    document_link,
    document_title,
    get_search,
    hit_map_link,
    search_request,
)

blueprint = Blueprint("search", __name__)
blueprint.after_request(csrf.page_headers)


def _page_url(asked: SearchRequest, offset: int) -> str:
    limit = asked.limit if asked.limit != DEFAULT_LIMIT else None
    return url_for("search.results", q=asked.query.text, limit=limit, offset=offset or None)


@blueprint.get("/search")
def results() -> tuple[str, int]:
    typed = request.args.get("q", "")
    if "q" not in request.args:
        return render_template("pages/search.html", typed="", error=None, asked=None), 200
    try:
        asked = search_request(request.args)
    except InvalidParameter as exc:
        return render_template("pages/search.html", typed=typed, error=str(exc), asked=None), 400
    page = get_search().search(asked.query, limit=asked.limit, offset=asked.offset)
    store = get_store()
    hits = [
        {
            "hit": hit,
            "parts": marked_parts(hit.snippet, hit.marks),
            "document_url": document_link(hit.doc_id, asked.query, hit.matches),
            "map_url": hit_map_link(store, hit),
            "document_title": document_title(store, hit.doc_id),
            # The index's title is the build's; mark it only while it is the one shown.
            "title_parts": (
                marked_parts(hit.title, hit.title_marks)
                if hit.kind == "document" and hit.title == document_title(store, hit.doc_id)
                else None
            ),
        }
        for hit in page.hits
    ]
    following = asked.offset + len(page.hits)
    return render_template(
        "pages/search.html",
        typed=asked.query.text,
        error=None,
        asked=asked,
        hits=hits,
        matched=page.matched,
        first=asked.offset + 1,
        last=following,
        previous=_page_url(asked, max(0, asked.offset - asked.limit)) if asked.offset else None,
        next=_page_url(asked, following) if following < page.matched else None,
    ), 200
