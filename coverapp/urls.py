"""URLs: the REST API under /api/, the admin, and the editors' UI.

Uploaded images and masks are served only through the API (team-checked), never from /media/.
"""

from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path

from coverapp.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", include("coverapp.covers.api.urls")),
    path("admin/", admin.site.urls),
]
# The editors' UI (frontend/) mounts at the root once it exists; the API stands on its own.
if find_spec("frontend.urls") is not None:
    urlpatterns.append(path("", include("frontend.urls")))
