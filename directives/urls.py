from django.urls import path

from directives.views import directives as views

app_name = "directives"

urlpatterns = [
    path("", views.DirectiveListView.as_view(), name="list"),
]
