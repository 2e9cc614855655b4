"""Celery: the app (`workers.celery`) and thin tasks (`workers.tasks`) calling coverapp services."""
