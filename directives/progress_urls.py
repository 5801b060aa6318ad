from django.urls import path

from directives.views import progress as views

app_name = "progress"

urlpatterns = [
    path("", views.MyWorkView.as_view(), name="my_work"),
    path("review/", views.ReviewQueueView.as_view(), name="review_queue"),
]
