"""URLs: the REST API under /api/, the admin, media in development, and the editors' UI."""

from importlib.util import find_spec

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("api/", include("coverapp.covers.api.urls")),
    path("admin/", admin.site.urls),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
# The editors' UI (frontend/) mounts at the root once it exists; the API stands on its own.
if find_spec("frontend.urls") is not None:
    urlpatterns.append(path("", include("frontend.urls")))
