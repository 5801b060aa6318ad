"""One page of a list, and the query string its page links keep."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, rows, per_page: int) -> dict:
    """``page_obj``, ``rows`` (its items) and ``querystring`` (the request's query without
    ``page``, so the filters survive paging) for templates/includes/pagination.html.
    An out-of-range or malformed page number gives the nearest page, never an error."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page_obj": page, "rows": page.object_list, "querystring": query.urlencode()}
