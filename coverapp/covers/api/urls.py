from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from coverapp.covers.api import views

router = DefaultRouter()
router.register("teams", views.TeamViewSet, basename="team")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("candidates", views.CandidateViewSet, basename="candidate")
router.register("webhooks", views.WebhookViewSet, basename="webhook")

urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
