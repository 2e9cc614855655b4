"""Forms of the editor UI; validation of domain values is delegated to the services."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError

from coverapp.covers.services.articles import slot_ratios_clean
from coverapp.covers.services.teams import slot_widths_clean


def _ratios_of(text: str) -> list[str]:
    """"16:9, 1:1" as checked slot ratios; a form error naming the bad one."""
    try:
        return slot_ratios_clean([part.strip() for part in text.split(",") if part.strip()])
    except ValidationError as error:
        raise forms.ValidationError(error.messages) from error


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"autofocus": True}))
    external_id = forms.CharField(label="CMS id", max_length=200, required=False,
                                  help_text="Optional: the article's id in your CMS.")
    slot_ratios = forms.CharField(
        label="Slot ratios",
        help_text='Comma-separated shapes the cover is shown in, e.g. "16:9, 4:3, 1:1" or "free".')

    def clean_slot_ratios(self) -> list[str]:
        return _ratios_of(self.cleaned_data["slot_ratios"])


class WebhookForm(forms.Form):
    url = forms.URLField(label="Webhook URL", max_length=500, assume_scheme="https",
                         widget=forms.URLInput(attrs={"placeholder": "https://cms.example/hooks/coverapp"}))


class TeamSwitchForm(forms.Form):
    team = forms.IntegerField()


class TeamSettingsForm(forms.Form):
    slot_ratios = forms.CharField(
        label="Slots of a new article", required=False,
        widget=forms.TextInput(attrs={"placeholder": "16:9, 4:3, 1:1"}),
        help_text="Comma-separated: the shapes a new article's cover is wanted in, filled in on "
                  "“New article” (editors can change them per article). Empty: 16:9, 4:3, 1:1.")
    slot_widths = forms.CharField(
        label="Slot widths", required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "16:9 1200\n4:3 800\n1:1 400"}),
        help_text="One slot per line: its ratio and the width in pixels it is shown at, e.g. "
                  "“16:9 1200”. A crop narrower than its slot is enlarged and looks soft; slots "
                  "not listed are taken as 1200 px.")
    graphics_compete = forms.BooleanField(
        label="Graphics compete with photos", required=False,
        help_text="Unticked, charts, text cards and screenshots rank below photos of like "
                  "quality, as a news feed leads with a photograph. Tick it for a desk that leads "
                  "data stories with their charts.")

    def ranking_weights(self, current: Mapping[str, object]) -> dict[str, object]:
        """The team's ranking weights ``current`` with this form's choice on graphics: weight 0
        for ``RankingWeights.graphic`` where they compete, else any other weight a team admin
        set through the API, or the default."""
        weights = dict(current)
        if self.cleaned_data["graphics_compete"]:
            weights["graphic"] = 0
        elif weights.get("graphic") == 0:
            del weights["graphic"]
        return weights

    def clean_slot_ratios(self) -> list[str]:
        text = self.cleaned_data["slot_ratios"]
        return _ratios_of(text) if text.strip() else []

    def clean_slot_widths(self) -> dict[str, int]:
        widths: dict[str, int] = {}
        for number, line in enumerate(self.cleaned_data["slot_widths"].splitlines(), start=1):
            parts = line.replace("=", " ").split()
            if not parts:
                continue
            if len(parts) != 2 or not parts[1].isdigit():
                raise forms.ValidationError(
                    f"line {number}, “{line.strip()}”: write a ratio and a width, e.g. “16:9 1200”")
            widths[parts[0]] = int(parts[1])
        try:
            return slot_widths_clean(widths)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
