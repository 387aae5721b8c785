from django.urls import path

from sessions import views

app_name = "sessions"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
]
