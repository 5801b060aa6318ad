from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from config.pagination import paginate


class FilteredListMixin:
    """A list page whose rows and filter form come from a selector, paginated.

    Subclasses set ``template_name`` and implement ``get_rows(filters)`` returning
    ``(queryset, filterset)``; the selector has already scoped the rows to the user.
    """

    paginate_by = 25

    def get_rows(self, filters):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, filterset = self.get_rows(self.request.GET)
        context.update(filter=filterset, **paginate(self.request, rows, self.paginate_by))
        return context


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "home.html"
