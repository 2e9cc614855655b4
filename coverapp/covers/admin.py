from django import forms
from django.contrib import admin

from coverapp.covers import models
from coverapp.covers.services.articles import slot_ratios_clean
from coverapp.covers.services.teams import ranking_weights_clean, slot_widths_clean


class TeamForm(forms.ModelForm):
    class Meta:
        model = models.Team
        fields = ["name", "slug", "slot_ratios", "slot_widths", "ranking_weights"]

    def clean_ranking_weights(self) -> dict:
        return ranking_weights_clean(self.cleaned_data["ranking_weights"])

    def clean_slot_ratios(self) -> list[str]:
        ratios = self.cleaned_data["slot_ratios"]
        if not isinstance(ratios, list):
            raise forms.ValidationError('slot ratios are a list, e.g. ["16:9", "1:1"]')
        return slot_ratios_clean(ratios) if ratios else []

    def clean_slot_widths(self) -> dict:
        return slot_widths_clean(self.cleaned_data["slot_widths"])


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamForm
    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role"]
    list_filter = ["team", "role"]


@admin.register(models.Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "external_id", "created_at"]
    list_filter = ["team"]
    search_fields = ["title", "external_id"]


@admin.register(models.CandidateImage)
class CandidateImageAdmin(admin.ModelAdmin):
    list_display = ["original_name", "article", "format", "width", "height", "uploaded_at"]
    readonly_fields = ["sha256", "phash"]


@admin.register(models.Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["candidate", "status", "clarity", "detail_scale", "cover_score", "rank",
                    "model_name"]
    list_filter = ["status", "model_name"]


@admin.register(models.CropProposal)
class CropProposalAdmin(admin.ModelAdmin):
    list_display = ["candidate", "ratio", "source", "x", "y", "width", "height", "score"]


@admin.register(models.CoverChoice)
class CoverChoiceAdmin(admin.ModelAdmin):
    list_display = ["article", "ratio", "candidate", "chosen_by", "chosen_at"]


@admin.register(models.CoverChange)
class CoverChangeAdmin(admin.ModelAdmin):
    """The record of who changed which cover: read, never edited."""

    list_display = ["article", "action", "before", "after", "changed_by", "changed_at"]
    list_filter = ["action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["url", "team", "active"]


@admin.register(models.WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["webhook", "article", "attempts", "response_status", "delivered_at"]
