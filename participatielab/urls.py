from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from participatielab import views
from registrations.dashboard import dashboard

admin.site.site_header = _("Participatielab – beheer")
admin.site.site_title = _("Participatielab beheer")
admin.site.index_title = _("Bijeenkomsten, aanmeldingen en betalingen")
# No menu column beside every page: on a 1280 px laptop it took a quarter of the width and
# pushed the lists' last columns out of sight. The home page (the dashboard) lists the models,
# and the breadcrumbs lead back to it.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("healthz", views.ready, name="healthz"),
    path("healthz/live", views.live, name="healthz_live"),
    # The admin's home is the dashboard of the coming labs; it answers before the admin's index.
    path("admin/", admin.site.admin_view(dashboard), name="dashboard"),
    path("admin/", admin.site.urls),
    path("taal/<str:code>/", views.choose_language, name="choose_language"),
]
if settings.MEDIA_URL.startswith("/"):
    # Uploads in a local folder or shared volume are served by the app; a bucket with its
    # own address (an absolute MEDIA_URL) serves them itself.
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", views.media, name="media")
    )
urlpatterns.append(path("", include("registrations.urls")))
