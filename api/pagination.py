from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    """``?page=2&page_size=50``; every list orders its rows by a unique key last."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
