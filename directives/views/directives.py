from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class DirectiveListView(LoginRequiredMixin, TemplateView):
    template_name = "directives/directive_list.html"
