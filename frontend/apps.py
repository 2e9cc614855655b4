"""The editors' browser UI: server-rendered pages plus small scripts that talk to the REST API."""

from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = "Editor UI"
