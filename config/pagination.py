"""One page of a list, and the query string its page links keep."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, rows, per_page: int, count: int | None = None) -> dict:
    """``page_obj``, ``rows`` (its items) and ``querystring`` (the request's query without
    ``page``, so the filters survive paging) for templates/includes/pagination.html.
    An out-of-range or malformed page number gives the nearest page, never an error.
    ``count``, when the caller already knows the number of rows, spares counting them."""
    paginator = Paginator(rows, per_page)
    if count is not None:
        paginator.count = count  # a cached property: set, it is not computed
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page_obj": page, "rows": page.object_list, "querystring": query.urlencode()}
