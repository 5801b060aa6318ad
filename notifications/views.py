"""The in-app inbox (list, mark one or all as read) and the preferences page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from config.pagination import paginate
from notifications.forms import NotificationPreferenceForm
from notifications.models import Notification
from notifications.selectors import inbox_for_user, preference_for
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_update,
)


class InboxView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/notification_list.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unread_only = self.request.GET.get("unread") == "1"
        rows = inbox_for_user(user=self.request.user, unread_only=unread_only)
        context.update(unread_only=unread_only, **paginate(self.request, rows, self.paginate_by))
        return context


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("notifications:inbox")
    return redirect(target)


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        row = notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    if request.htmx:
        # The row in its read state, and the header badge swapped out of band.
        return render(
            request, "notifications/_notification_row.html", {"row": row, "oob_badge": True}
        )
    return _back(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    if request.htmx:
        response = HttpResponse(status=204)
        # The page reloads its list, which also refreshes the badge.
        response["HX-Refresh"] = "true"
        return response
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return _back(request)


class PreferenceView(LoginRequiredMixin, FormView):
    template_name = "notifications/preference_form.html"
    form_class = NotificationPreferenceForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = preference_for(user=self.request.user)
        return kwargs

    def form_valid(self, form):
        preference_update(
            user=self.request.user,
            digest_enabled=form.cleaned_data["digest_enabled"],
            in_app_only=form.cleaned_data["in_app_only"],
        )
        messages.success(self.request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
