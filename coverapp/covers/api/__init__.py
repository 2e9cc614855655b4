"""The REST API: DRF views over the services and selectors, documented by drf-spectacular."""
