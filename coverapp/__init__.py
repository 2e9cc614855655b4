"""CoverApp: the Django project (settings, URLs) and the `covers` domain app."""
