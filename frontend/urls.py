from django.contrib.auth import views as auth_views
from django.urls import path

from frontend import views

app_name = "frontend"

urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("articles/new/", views.article_create_view, name="article-create"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("articles/<int:pk>/edit/", views.article_edit_view, name="article-edit"),
    path("articles/<int:pk>/delete/", views.article_delete_view, name="article-delete"),
    path("articles/<int:pk>/use-suggested/", views.article_use_suggested,
         name="article-use-suggested"),
    path("team/", views.team_switch, name="team-switch"),
    path("team/settings/", views.team_settings_view, name="team-settings"),
    path("team/webhooks/", views.team_webhook_add, name="team-webhook-add"),
    path("team/webhooks/<int:pk>/<slug:action>/", views.team_webhook_action,
         name="team-webhook-action"),
    path("accounts/login/",
         auth_views.LoginView.as_view(template_name="frontend/login.html",
                                      redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="frontend:login"),
         name="logout"),
]
