from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from config.views import FilteredListMixin
from units.forms import OPERATIONS, SplitForm
from units.models import Unit
from units.selectors import current_successors, unit_for_user, unit_history, units_for_user


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
            history=unit_history(unit=unit),
            successors=current_successors(unit) if unit.valid_to else [],
            may_restructure=self.request.user.has_perm("units.restructure_unit", unit)
            and unit.valid_to is None,
        )
        return context


# The fields a preview page carries again as hidden inputs (the split choices are shown).
_NOT_CARRIED = {"csrfmiddlewaretoken", "step", "expected"}


@login_required
@require_http_methods(["GET", "POST"])
def unit_restructure(request: HttpRequest, pk: int, operation: str) -> HttpResponse:
    """Rename, merge, split, move or close a unit: the form, then a preview of everything
    that will move and to where, then one confirmation that does it all in one transaction.
    Bad input gives the form back with the reason (400) and changes nothing."""
    form_class = OPERATIONS.get(operation)
    if form_class is None:
        raise Http404
    try:
        unit = unit_for_user(user=request.user, pk=pk)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm("units.restructure_unit", unit) or unit.valid_to is not None:
        raise PermissionDenied
    context = {"unit": unit, "operation": operation}
    if request.method == "GET":
        form = form_class(user=request.user, unit=unit)
        return render(request, "units/unit_restructure.html", {**context, "form": form})
    form = form_class(request.POST, user=request.user, unit=unit)
    if form.is_valid():
        try:
            if request.POST.get("step") == "confirm":
                form.apply(expected=set(request.POST.getlist("expected")))
                messages.success(request, _("The change has been recorded."))
                return redirect("units:detail", pk=unit.pk)
            plan = form.plan()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            carried = [
                (name, value)
                for name, values in request.POST.lists()
                if name not in _NOT_CARRIED and not name.startswith("to-")
                for value in values
            ]
            successors = form.stand_ins() if isinstance(form, SplitForm) else []
            chosen = form.choices() if successors else {}
            # For a split, each item with a drop-down of the successors, its choice selected.
            choosing = [
                (
                    move,
                    [
                        (i, s.name, chosen.get(move.item.key, 0) == i)
                        for i, s in enumerate(successors)
                    ],
                )
                for move in plan.moves
                if successors and not move.item.follows
            ]
            return render(
                request,
                "units/unit_restructure_preview.html",
                {
                    **context,
                    "form": form,
                    "plan": plan,
                    "carried": carried,
                    "choosing": choosing,
                },
            )
    return render(request, "units/unit_restructure.html", {**context, "form": form}, status=400)
