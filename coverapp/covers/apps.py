from django.apps import AppConfig


class CoversConfig(AppConfig):
    name = "coverapp.covers"
    verbose_name = "Covers"
    default_auto_field = "django.db.models.BigAutoField"
