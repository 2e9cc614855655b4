"""Query-string filters (django-filter) for the list endpoints."""

from __future__ import annotations

import django_filters

from coverapp.covers.models import Article, Assessment, CandidateImage


class ArticleFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    progress = django_filters.ChoiceFilter(choices=[
        ("waiting", "waiting"), ("assessing", "assessing"), ("ready", "ready"),
        ("cover_chosen", "cover chosen")])

    class Meta:
        model = Article
        fields = ["title", "external_id", "created_after", "created_before", "progress"]


class CandidateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(field_name="assessment__status",
                                         choices=Assessment.Status.choices)
    near_duplicate = django_filters.BooleanFilter(field_name="near_duplicate_of",
                                                  lookup_expr="isnull", exclude=True)

    class Meta:
        model = CandidateImage
        fields = ["article", "status", "near_duplicate"]
