from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from config.pagination import paginate
from directives import start_page
from notifications.api import recent_inbox
from reports.selectors import requests_awaiting_answers


class FilteredListMixin:
    """A list page whose rows and filter form come from a selector, paginated.

    Subclasses set ``template_name`` and implement ``get_rows(filters)`` returning
    ``(queryset, filterset)``; the selector has already scoped the rows to the user.
    """

    paginate_by = 25

    def get_rows(self, filters):
        raise NotImplementedError

    def row_count(self, filterset) -> int | None:
        """The number of rows when the page already knows it (None: the pager counts)."""
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, filterset = self.get_rows(self.request.GET)
        count = self.row_count(filterset)
        context.update(filter=filterset, **paginate(self.request, rows, self.paginate_by, count))
        return context


class HomeView(LoginRequiredMixin, TemplateView):
    """Each person's start page: what they should do next, by role (directives/start_page)."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["notifications"] = recent_inbox(user, 5)
        if user.can_report_progress and user.unit_id:
            context["own"] = start_page.own_work(user=user)
        reviews = user.has_perm("directives.review")
        approves = user.has_perm("directives.approve_for_unit")
        if approves:
            context["picture"] = start_page.unit_picture(user=user)
        if reviews or approves:
            context["waiting"] = start_page.review_waiting(user=user)
        if reviews:
            context["owed"] = requests_awaiting_answers(user=user)
        if reviews or user.is_read_only:
            context["worst_units"] = start_page.most_overdue_units(user=user)
        return context
