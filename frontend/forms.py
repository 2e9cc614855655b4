"""Forms of the editor UI; validation of domain values is delegated to the services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from coverapp.covers.services.articles import DEFAULT_SLOT_RATIOS, slot_ratios_clean
from coverapp.covers.services.teams import slot_widths_clean


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"autofocus": True}))
    external_id = forms.CharField(label="CMS id", max_length=200, required=False,
                                  help_text="Optional: the article's id in your CMS.")
    slot_ratios = forms.CharField(
        label="Slot ratios", initial=", ".join(DEFAULT_SLOT_RATIOS),
        help_text='Comma-separated shapes the cover is shown in, e.g. "16:9, 4:3, 1:1" or "free".')

    def clean_slot_ratios(self) -> list[str]:
        ratios = [part.strip() for part in self.cleaned_data["slot_ratios"].split(",")]
        try:
            return slot_ratios_clean([ratio for ratio in ratios if ratio])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error


class WebhookForm(forms.Form):
    url = forms.URLField(label="Webhook URL", max_length=500, assume_scheme="https",
                         widget=forms.URLInput(attrs={"placeholder": "https://cms.example/hooks/coverapp"}))


class TeamSwitchForm(forms.Form):
    team = forms.IntegerField()


class SlotWidthsForm(forms.Form):
    slot_widths = forms.CharField(
        label="Slot widths", required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "16:9 1200\n4:3 800\n1:1 400"}),
        help_text="One slot per line: its ratio and the width in pixels it is shown at, e.g. "
                  "“16:9 1200”. A crop narrower than its slot is enlarged and looks soft; slots "
                  "not listed are taken as 1200 px.")

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
