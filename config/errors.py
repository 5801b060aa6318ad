"""Error pages in the site's layout and language: what happened and where to go.

Django's defaults are bare English pages. These views are the handlers named in
``config/urls.py`` and the ``CSRF_FAILURE_VIEW``. The server-error page is rendered
without context processors, since the database they read may be what failed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _


def _links(request: HttpRequest) -> list[tuple[str, str]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return [(reverse("login"), _("Log in")), (reverse("home"), _("Home page"))]
    return [
        (reverse("home"), _("Home page")),
        (reverse("progress:my_work"), _("My work")),
        (reverse("directives:list"), _("Directives")),
    ]


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context = {"status": status, "title": title, "message": message, "links": _links(request)}
    return render(request, "errors/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        400,
        _("The request could not be understood"),
        _(
            "The address or the form sent is not valid. Go back, check what you entered "
            "and try again."
        ),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        403,
        _("You do not have permission for this page"),
        _(
            "Your role or your unit does not allow this action. If you need it, ask the "
            "monitoring board or the administrator of your unit."
        ),
    )


# Under this prefix an unknown address is answered in the API's JSON error shape (api/errors.py).
API_PREFIX = "/api/"


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"code": "not_found", "message": _("Not found."), "errors": {}},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return _page(
        request,
        404,
        _("Page not found"),
        _(
            "This page does not exist, has been deleted, or is outside the units you can "
            "see. Check the address or look for it from the lists."
        ),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(
        request,
        403,
        _("The form has expired"),
        _(
            "The page was open too long or you logged in again in another tab, so the form "
            "could not be accepted. Reload the page, enter the data again and send it."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    context = {
        "status": 500,
        "title": _("Something went wrong on our side"),
        "message": _(
            "The system could not complete this request. Nothing you sent is lost if it was "
            "saved before; try again in a few minutes, and tell the administrator if it "
            "happens again."
        ),
        "links": [(reverse("home"), _("Home page"))],
        "request": request,
    }
    body = loader.get_template("errors/error.html").render(context)
    return HttpResponse(body, status=500)
