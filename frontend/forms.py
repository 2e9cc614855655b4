"""Forms of the editor UI; validation of domain values is delegated to the services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from coverapp.covers.services.articles import DEFAULT_SLOT_RATIOS, slot_ratios_clean


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


class TeamSwitchForm(forms.Form):
    team = forms.IntegerField()
