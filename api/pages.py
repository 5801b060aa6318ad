"""The integration pages, for administrators: API keys (list, create shown once, revoke
after a confirmation) and webhooks (register, deliveries with their last response,
disable after a confirmation)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from api.forms import ApiKeyForm, WebhookForm
from api.models import SCHEME, ApiKey
from api.services import api_key_issue, api_key_revoke
from config.pagination import paginate
from notifications.models import NotificationStatus, WebhookDelivery, WebhookEndpoint
from notifications.webhooks import (
    webhook_deliveries_resend,
    webhook_endpoint_create,
    webhook_endpoint_disable,
)

PER_PAGE = 25


class AdministratorView(LoginRequiredMixin, View):
    """Signed in, then the rule of access/permissions.py (403 for everyone else)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("api.manage_integration"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- API keys ------------------------------------------------------------------------------


class KeyListView(AdministratorView):
    def get(self, request):
        rows = ApiKey.objects.select_related("user__unit", "user__service_account").order_by(
            "-created_at", "-id"
        )
        return render(request, "api/apikey_list.html", paginate(request, rows, PER_PAGE))


class KeyCreateView(AdministratorView):
    template_name = "api/apikey_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ApiKeyForm()})

    def post(self, request):
        form = ApiKeyForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        service = None
        if data["owner_kind"] == ApiKeyForm.OWNER_SERVICE:
            service = {"name": data["name"], "unit": data["unit"], "role": data["role"]}
        try:
            key, raw = api_key_issue(
                name=data["name"],
                owner=data.get("owner"),
                service=service,
                expires_on=data["expires_on"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return render(request, self.template_name, {"form": form}, status=400)
        # The secret is on this response only: never stored, never redirected through.
        response = render(request, "api/apikey_created.html", {"key": key, "raw": raw})
        response["Cache-Control"] = "no-store"
        return response


class KeyRevokeView(AdministratorView):
    template_name = "api/apikey_confirm_revoke.html"

    def get(self, request, pk: int):
        key = get_object_or_404(ApiKey.objects.select_related("user"), pk=pk)
        return render(request, self.template_name, {"key": key, "scheme": SCHEME})

    def post(self, request, pk: int):
        key = get_object_or_404(ApiKey, pk=pk)
        if key.revoked:
            messages.info(request, _("This key was already revoked."))
        else:
            api_key_revoke(key=key)
            messages.success(request, _("The key “%(name)s” is revoked.") % {"name": key.name})
        return redirect("integration:keys")


# --- Webhooks ------------------------------------------------------------------------------


class WebhookListView(AdministratorView):
    def get(self, request):
        rows = (
            WebhookEndpoint.objects.select_related("unit")
            .annotate(
                delivered=Count("deliveries", filter=Q(deliveries__status=NotificationStatus.SENT)),
                failed=Count("deliveries", filter=Q(deliveries__status=NotificationStatus.FAILED)),
                waiting=Count(
                    "deliveries",
                    filter=Q(
                        deliveries__status__in=[
                            NotificationStatus.PENDING,
                            NotificationStatus.SENDING,
                        ]
                    ),
                ),
            )
            .order_by("-created_at", "-id")
        )
        return render(request, "api/webhook_list.html", paginate(request, rows, PER_PAGE))


class WebhookCreateView(AdministratorView):
    template_name = "api/webhook_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": WebhookForm()})

    def post(self, request):
        form = WebhookForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        try:
            endpoint = webhook_endpoint_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return render(request, self.template_name, {"form": form}, status=400)
        response = render(request, "api/webhook_created.html", {"endpoint": endpoint})
        response["Cache-Control"] = "no-store"
        return response


class WebhookDetailView(AdministratorView):
    """The endpoint and its deliveries, newest first, each with its last response."""

    def get(self, request, pk: int):
        endpoint = get_object_or_404(WebhookEndpoint.objects.select_related("unit"), pk=pk)
        rows = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-id")
        context = {"endpoint": endpoint, **paginate(request, rows, PER_PAGE)}
        return render(request, "api/webhook_detail.html", context)

    def post(self, request, pk: int):
        """Send the failed deliveries again."""
        endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
        failed = endpoint.deliveries.filter(status=NotificationStatus.FAILED)
        count = webhook_deliveries_resend(delivery_ids=list(failed.values_list("pk", flat=True)))
        messages.success(request, _("%(count)d deliveries queued again.") % {"count": count})
        return redirect("integration:webhook", pk=pk)


class WebhookDisableView(AdministratorView):
    template_name = "api/webhook_confirm_disable.html"

    def get(self, request, pk: int):
        endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
        return render(request, self.template_name, {"endpoint": endpoint})

    def post(self, request, pk: int):
        endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
        if endpoint.active:
            webhook_endpoint_disable(endpoint=endpoint)
            messages.success(
                request, _("The webhook “%(name)s” is disabled.") % {"name": endpoint.name}
            )
        return redirect("integration:webhooks")
