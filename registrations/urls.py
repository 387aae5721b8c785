from django.urls import path

from registrations import archive, evaluation_page, member_page, notify_pages, self_service, views

app_name = "registrations"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("privacy/", views.privacy, name="privacy"),
    path("archief/", archive.archive, name="archive"),
    path("volgende/<int:pk>/", notify_pages.announcement, name="announcement"),
    path("volgende/bevestigen/<str:token>/", notify_pages.notify_confirm, name="notify_confirm"),
    path("bericht/afmelden/<str:token>/", notify_pages.unsubscribe_page, name="unsubscribe"),
    # A board member's own link: before the sign-up's, whose token could otherwise read "lid".
    path("aanmelding/lid/<str:token>/", member_page.member_detail, name="member"),
    path(
        "aanmelding/lid/<str:token>/sessie/",
        member_page.member_change_session,
        name="member_change_session",
    ),
    path("aanmelding/lid/<str:token>/afmelden/", member_page.member_cancel, name="member_cancel"),
    path("aanmelding/<str:token>/", self_service.detail, name="detail"),
    path("aanmelding/<str:token>/toevoegen/", self_service.add_colleague, name="add_colleague"),
    path(
        "aanmelding/<str:token>/deelnemer/<int:attendee_id>/sessie/",
        self_service.change_session,
        name="change_session",
    ),
    path(
        "aanmelding/<str:token>/deelnemer/<int:attendee_id>/afmelden/",
        self_service.cancel_one,
        name="cancel_attendee",
    ),
    path("aanmelding/<str:token>/afmelden/", self_service.cancel_all, name="cancel_all"),
    path("evaluatie/<str:token>/", evaluation_page.evaluation_form, name="evaluation"),
    path(
        "evaluatie/<str:token>/bedankt/",
        evaluation_page.evaluation_thanks,
        name="evaluation_thanks",
    ),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
    path("<slug:slug>/aanmelden/", views.signup, name="signup"),
    path("<slug:slug>/agenda.ics", views.event_calendar, name="event_calendar"),
]
