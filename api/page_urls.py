"""The integration pages (administrators): API keys and webhooks."""

from django.urls import path

from api import pages
from api.urls import IdConverter  # noqa: F401 - registers the "id" converter

app_name = "integration"

urlpatterns = [
    path("keys/", pages.KeyListView.as_view(), name="keys"),
    path("keys/new/", pages.KeyCreateView.as_view(), name="key_create"),
    path("keys/<id:pk>/revoke/", pages.KeyRevokeView.as_view(), name="key_revoke"),
    path("webhooks/", pages.WebhookListView.as_view(), name="webhooks"),
    path("webhooks/new/", pages.WebhookCreateView.as_view(), name="webhook_create"),
    path("webhooks/<id:pk>/", pages.WebhookDetailView.as_view(), name="webhook"),
    path("webhooks/<id:pk>/disable/", pages.WebhookDisableView.as_view(), name="webhook_disable"),
]
