"""Every API error in one shape::

    {"code": "invalid", "message": "…in Vietnamese…", "errors": {"field": ["…"]}}

``errors`` names the fields at fault (``non_field_errors`` for the rest) and is empty when
no field is. A service's ``django.core.exceptions.ValidationError`` becomes a 400 like
DRF's own, a ``PermissionDenied`` a 403 and ``Http404`` a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def as_drf(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(
                {
                    (NON_FIELD if field == "__all__" else field): messages
                    for field, messages in exc.message_dict.items()
                }
            )
        return exceptions.ValidationError({NON_FIELD: exc.messages})
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def _flatten(detail) -> dict[str, list[str]]:
    """DRF's nested error detail as ``{field: [messages]}`` (nested fields joined by ".")."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = "non_field_errors" if key == NON_FIELD else str(key)
            if isinstance(value, dict):
                for inner, messages in _flatten(value).items():
                    flat[f"{name}.{inner}"] = messages
            else:
                flat[name] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return flat
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {}


def _code(exc, default: str) -> str:
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else default
    return codes if isinstance(codes, str) else default


def exception_handler(exc, context):
    exc = as_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handler, logged
    if isinstance(exc, exceptions.ValidationError):
        body = {
            "code": "invalid",
            "message": _("The data sent is not valid."),
            "errors": _flatten(exc.detail),
        }
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
        body = {
            "code": _code(exc, "error"),
            "message": str(detail) if not isinstance(detail, dict | list) else str(exc),
            "errors": {},
        }
    response.data = body
    return response


def error_response(code: str, message: str, status_code: int = status.HTTP_400_BAD_REQUEST):
    return Response({"code": code, "message": message, "errors": {}}, status=status_code)
