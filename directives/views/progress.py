from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class MyWorkView(LoginRequiredMixin, TemplateView):
    template_name = "directives/my_work.html"


class ReviewQueueView(LoginRequiredMixin, TemplateView):
    template_name = "directives/review_queue.html"
