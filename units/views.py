from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView

from config.views import FilteredListMixin
from units.models import Unit
from units.selectors import unit_for_user, units_for_user


class UnitListView(LoginRequiredMixin, FilteredListMixin, TemplateView):
    template_name = "units/unit_list.html"
    paginate_by = 50

    def get_rows(self, filters):
        return units_for_user(user=self.request.user, filters=filters)


class UnitDetailView(LoginRequiredMixin, TemplateView):
    template_name = "units/unit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            unit = unit_for_user(user=self.request.user, pk=kwargs["pk"])
        except Unit.DoesNotExist as exc:
            raise Http404 from exc
        scope = self.request.user.scope
        context.update(
            unit=unit,
            ancestors=Unit.objects.get_ancestors(unit).filter(scope.q()),
            children=Unit.objects.get_children(unit).filter(scope.q()),
            changes=unit.changes.select_related("successor"),
            predecessors=unit.predecessors.all(),
        )
        return context
