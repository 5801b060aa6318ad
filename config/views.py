from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.views.generic import TemplateView


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
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=filterset, page_obj=page, rows=page.object_list, querystring=query.urlencode()
        )
        return context


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "home.html"
