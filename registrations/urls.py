from django.urls import path

from registrations import views

app_name = "registrations"

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("aanmelding/<str:token>/", views.detail, name="detail"),
    path("<slug:slug>/aanmelden/", views.signup, name="signup"),
]
