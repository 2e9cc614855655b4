"""Write operations on the domain, named `<entity>_<action>` with keyword-only arguments.

API views, template views, management commands and Celery tasks all call these; nothing else
writes rows.
"""
