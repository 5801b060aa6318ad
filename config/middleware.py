from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Vietnamese unless the user chose otherwise in the language menu.

    Django's LocaleMiddleware follows the browser's Accept-Language, and many office
    computers run an English browser; the product's language is a choice made in the
    product, kept in the language cookie that ``set_language`` writes.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNulMiddleware:
    """A NUL character in a query or form value is never text a person typed: no form
    field accepts it and PostgreSQL cannot store or even compare it. The request is refused
    as a bad request (the Vietnamese 400 page) before any view reads it, so a page that
    looks data up before validating its form never meets it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and self._has_nul(request.POST):
            raise BadRequest("NUL character in form data")
        if self._has_nul(request.GET):
            raise BadRequest("NUL character in query string")
        return self.get_response(request)

    @staticmethod
    def _has_nul(data) -> bool:
        return any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in data.lists()
        )
