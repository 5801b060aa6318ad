from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from search.selectors import search_everything

MAX_QUERY = 200


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:MAX_QUERY]
    results = search_everything(user=request.user, text=text)
    return render(request, "search/results.html", {"results": results, "q": text})
