"""Request validation and response shapes; no business logic (that lives in `services`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coverapp.covers.models import (
    Article,
    Assessment,
    CandidateImage,
    CoverChange,
    CoverChoice,
    CropProposal,
    Team,
    Webhook,
)
from coverapp.covers.selectors import (
    article_slot_widths,
    candidate_current_crop,
    candidate_focal_point,
    earlier_covers,
    team_role,
)
from coverapp.covers.services.photo_metadata import ALT_TEXT_MAX, CAPTION_MAX, CREDIT_MAX
from coverapp.covers.services.upload_checks import BROWSER_FORMATS


class TeamSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="your role in the team: editor or admin")

    class Meta:
        model = Team
        fields = ["id", "name", "slug", "role", "slot_ratios", "slot_widths", "ranking_weights"]

    def get_role(self, team: Team) -> str:
        return team_role(team, self.context["request"].user)


class TeamSettingsSerializer(serializers.Serializer):
    slot_widths = serializers.DictField(
        child=serializers.JSONField(), required=False,
        help_text='pixels each slot ratio is shown at, e.g. {"16:9": 1200, "1:1": 400}')
    ranking_weights = serializers.DictField(
        child=serializers.JSONField(), required=False,
        help_text='overrides of the ranking weights, e.g. {"clarity": 0.5}')
    slot_ratios = serializers.ListField(
        child=serializers.CharField(max_length=16), required=False,
        help_text='the slots a new article starts with, e.g. ["16:9", "1:1"]; [] for 16:9, 4:3, 1:1')


class CropSerializer(serializers.ModelSerializer):
    box = serializers.SerializerMethodField(help_text="[x, y, width, height] in pixels")
    image_url = serializers.SerializerMethodField(
        help_text="the candidate's crop in force for this ratio as a JPEG (add &width=N)")

    class Meta:
        model = CropProposal
        fields = ["id", "ratio", "box", "score", "reasons", "source", "image_url", "updated_at"]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_box(self, crop: CropProposal) -> list[int]:
        return [crop.x, crop.y, crop.width, crop.height]

    @extend_schema_field(serializers.URLField())
    def get_image_url(self, crop: CropProposal) -> str:
        path = reverse("candidate-rendered", args=[crop.candidate_id])
        return _absolute(self.context, f"{path}?{urlencode({'ratio': crop.ratio})}")


class CoverChoiceSerializer(serializers.ModelSerializer):
    crop = CropSerializer()
    chosen_by = serializers.StringRelatedField()
    credit = serializers.CharField(source="candidate.credit", read_only=True)
    caption = serializers.CharField(source="candidate.caption", read_only=True)
    alt_text = serializers.CharField(source="candidate.alt_text", read_only=True)
    focal_point = serializers.SerializerMethodField(help_text=(
        "[x, y], shares 0..1 of the picture: the point any crop of it should keep, for a CMS "
        "that crops for itself (the subject an editor marked, else the main faces, else the "
        "subject's centre); null until assessed"))

    class Meta:
        model = CoverChoice
        fields = ["ratio", "candidate", "crop", "focal_point", "credit", "caption", "alt_text",
                  "chosen_by", "chosen_at"]

    @extend_schema_field(serializers.ListField(child=serializers.FloatField(), allow_null=True))
    def get_focal_point(self, choice: CoverChoice) -> list[float] | None:
        return candidate_focal_point(choice.candidate)


class ArticleSerializer(serializers.ModelSerializer):
    progress = serializers.CharField(read_only=True, help_text=(
        "waiting (no candidates) | assessing | ready | cover_chosen"))
    candidate_count = serializers.IntegerField(read_only=True)
    suggested = serializers.IntegerField(
        source="suggested_id", read_only=True, allow_null=True,
        help_text="the ranking's top candidate (rank 1), or null before one is assessed")
    cover = CoverChoiceSerializer(source="cover_choices", many=True, read_only=True)
    slot_ratios = serializers.ListField(child=serializers.CharField(max_length=16),
                                        required=False, help_text='e.g. ["16:9", "1:1"]')
    slot_widths = serializers.SerializerMethodField(
        help_text="the width in pixels each slot is shown at (the team's setting); a crop "
                  "narrower than its slot is enlarged")

    class Meta:
        model = Article
        fields = ["id", "title", "external_id", "slot_ratios", "slot_widths", "progress", "suggested",
                  "candidate_count", "cover", "created_at"]
        read_only_fields = ["created_at"]

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_slot_widths(self, article: Article) -> dict[str, int]:
        return article_slot_widths(article)


class ExposureSerializer(serializers.Serializer):
    highlights = serializers.FloatField(
        help_text="0..1: the 95th percentile of each pixel's brightest channel; below 0.55 the "
        "photo is dark (its ranking's exposure term is highlights / 0.55)")
    blown = serializers.FloatField(help_text="0..1: the share of the picture pure white")
    subject_clipped = serializers.FloatField(
        required=False, allow_null=True,
        help_text="0..1: the share of the subject's pixels clipped in two channels or more "
        "(burnt out); from 0.10 it lowers the ranking's exposure term, to 0 at 0.30. Absent for "
        "an assessment made before it was measured")


def _boxes_field(help_text: str) -> serializers.ListField:
    """A read-only list of [x, y, w, h] pixel boxes, null before the assessment is done."""
    return serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=4, max_length=4),
        allow_null=True, read_only=True, help_text=help_text)


class AssessmentSerializer(serializers.ModelSerializer):
    mask_url = serializers.SerializerMethodField()
    exposure = ExposureSerializer(
        read_only=True, allow_null=True, help_text="of the picture (inside any bars); null before "
        "the assessment is done, and for one made before exposure was measured")
    centroid = serializers.SerializerMethodField(help_text="[x, y] pixels, or null")
    content_box = serializers.ListField(
        child=serializers.IntegerField(), min_length=4, max_length=4, allow_null=True,
        read_only=True, help_text="[x, y, w, h] pixels: the picture inside plain bars, a frame "
        "(letterbox, pillarbox, mount), a blurred fill (a phone's vertical video) or a caption "
        "strip, which the assessment and the model's crops are of; the whole image when it has "
        "none; null before the assessment is done")
    panels = _boxes_field(
        "[[x, y, w, h], ...] pixels: the photos of a collage (photos side by side or stacked, "
        "split by a gutter or a straight cut), of which the model's crops show whole photos or "
        "fair shares, never a sliver or a strip of the gutter; [] for one photo; null before the "
        "assessment is done")
    overlays = _boxes_field(
        "[[x, y, w, h], ...] pixels: blocks of text laid over the picture (a TV caption, "
        "subtitles, a channel's name, a watermark), each of which the model's crops keep whole or "
        "leave out, never cut through, and leave out where that costs little; [] for none; null "
        "before the assessment is done")

    class Meta:
        model = Assessment
        fields = ["status", "error", "attempts", "model_name", "model_version", "clarity",
                  "graphic", "detail_scale", "sharpness_contrast", "face_sharpness",
                  "mask_url", "object_proportion", "centroid", "bbox", "faces", "content_box",
                  "panels", "overlays", "exposure", "cover_score", "rank", "reasons", "queued_at", "started_at",
                  "finished_at", "inference_ms"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_mask_url(self, assessment: Assessment) -> str | None:
        if not assessment.mask:
            return None
        return _absolute(self.context, reverse("candidate-mask", args=[assessment.candidate_id]))

    @extend_schema_field(serializers.ListField(child=serializers.FloatField(), allow_null=True))
    def get_centroid(self, assessment: Assessment) -> list[float] | None:
        if assessment.centroid_x is None:
            return None
        return [assessment.centroid_x, assessment.centroid_y]


class EarlierCoverSerializer(serializers.Serializer):
    article = serializers.IntegerField(source="article_id")
    title = serializers.CharField()
    chosen_at = serializers.DateTimeField()


class CandidateSerializer(serializers.ModelSerializer):
    """A candidate; a list view passes `earlier_covers` (`selectors.earlier_covers` of the page)
    in the context to look them up in one query."""

    image_url = serializers.SerializerMethodField(help_text="the file as uploaded")
    display_url = serializers.SerializerMethodField(
        help_text="the image as a browser can show it: `image_url`, or a JPEG of it for HEIC")
    earlier_covers = serializers.SerializerMethodField(
        help_text="other articles of the team whose recent cover looks like this picture "
                  "(the same photo re-encoded or resized), latest first")
    assessment = AssessmentSerializer(read_only=True)
    crops = serializers.SerializerMethodField(
        help_text="the crop in force per slot ratio: the editor's if set, else the model's")
    model_crops = serializers.SerializerMethodField(help_text="the model's proposals")
    focal_point = serializers.SerializerMethodField(help_text=(
        "[x, y], shares 0..1 of the picture: the point any crop of it should keep, for a CMS "
        "that crops for itself (the subject an editor marked, else the main faces, else the "
        "subject's centre); null until assessed"))

    class Meta:
        model = CandidateImage
        fields = ["id", "article", "original_name", "image_url", "display_url", "sha256",
                  "byte_size", "format",
                  "width", "height", "near_duplicate_of", "earlier_covers", "uploaded_at", "focus",
                  "focal_point", "credit", "caption", "alt_text", "assessment", "crops",
                  "model_crops"]
        read_only_fields = ["focus", "credit", "caption", "alt_text"]

    @extend_schema_field(serializers.URLField())
    def get_image_url(self, candidate: CandidateImage) -> str:
        return _absolute(self.context, reverse("candidate-image", args=[candidate.pk]))

    @extend_schema_field(serializers.URLField())
    def get_display_url(self, candidate: CandidateImage) -> str:
        url = reverse("candidate-image", args=[candidate.pk])
        if candidate.format not in BROWSER_FORMATS:
            url += "?type=jpeg"
        return _absolute(self.context, url)

    @extend_schema_field(serializers.ListField(child=serializers.FloatField(), allow_null=True))
    def get_focal_point(self, candidate: CandidateImage) -> list[float] | None:
        return candidate_focal_point(candidate)

    @extend_schema_field(EarlierCoverSerializer(many=True))
    def get_earlier_covers(self, candidate: CandidateImage) -> list[dict]:
        found = self.context.get("earlier_covers")
        if found is None or candidate.pk not in found:
            found = earlier_covers([candidate])
        return EarlierCoverSerializer(found[candidate.pk], many=True).data

    @extend_schema_field(CropSerializer(many=True))
    def get_crops(self, candidate: CandidateImage) -> list[dict]:
        current = (candidate_current_crop(candidate, ratio)
                   for ratio in candidate.article.slot_ratios)
        return CropSerializer([crop for crop in current if crop is not None], many=True).data

    @extend_schema_field(CropSerializer(many=True))
    def get_model_crops(self, candidate: CandidateImage) -> list[dict]:
        crops = [crop for crop in candidate.crops.all() if crop.source == CropProposal.Source.MODEL]
        return CropSerializer(crops, many=True).data


class UploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True),
                                  min_length=1,
                                  max_length=settings.DATA_UPLOAD_MAX_NUMBER_FILES,
                                  help_text="one or more JPEG, PNG, WebP, AVIF or HEIC images")


class UploadUrlsSerializer(serializers.Serializer):
    urls = serializers.ListField(child=serializers.CharField(max_length=2000), min_length=1,
                                 max_length=20,
                                 help_text="http(s) URLs of JPEG, PNG, WebP, AVIF or HEIC images")


class UploadOutcomeSerializer(serializers.Serializer):
    created = serializers.BooleanField(
        help_text="false when these exact bytes were already a candidate of the article")
    candidate = CandidateSerializer()


class CropOverrideSerializer(serializers.Serializer):
    ratio = serializers.CharField(max_length=16)
    box = serializers.ListField(child=serializers.IntegerField(min_value=0), min_length=4,
                                max_length=4, help_text="[x, y, width, height] in pixels")


class CandidateTextSerializer(serializers.Serializer):
    credit = serializers.CharField(max_length=CREDIT_MAX, allow_blank=True, required=False,
                                   help_text='e.g. "Jane Doe / Reuters"')
    caption = serializers.CharField(max_length=CAPTION_MAX, allow_blank=True, required=False)
    alt_text = serializers.CharField(max_length=ALT_TEXT_MAX, allow_blank=True, required=False,
                                     help_text="the picture described for readers who cannot "
                                               "see it")


class FocusSerializer(serializers.Serializer):
    point = serializers.ListField(child=serializers.FloatField(min_value=0), min_length=2,
                                  max_length=2,
                                  help_text="[x, y] in pixels of the upright image")


class CropRenderSerializer(serializers.Serializer):
    ratio = serializers.CharField(max_length=16, help_text='a slot ratio, e.g. "16:9"')
    width = serializers.IntegerField(min_value=16, max_value=8192, required=False,
                                     help_text="at most this wide in pixels; never enlarged")
    type = serializers.ChoiceField(choices=["jpeg", "webp"], default="jpeg",
                                   help_text="jpeg (default) or webp")


class CoverChooseSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    ratios = serializers.ListField(child=serializers.CharField(max_length=16), required=False,
                                   help_text="default: all the article's slot ratios")


class CoverChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.StringRelatedField()
    undone = serializers.SerializerMethodField(help_text="a later undo reverted this change")

    class Meta:
        model = CoverChange
        fields = ["id", "action", "before", "after", "changed_by", "changed_at", "undoes", "undone"]

    def get_undone(self, change: CoverChange) -> bool:
        return hasattr(change, "undone_by")


class WebhookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Webhook
        fields = ["id", "url", "active", "secret", "created_at"]
        read_only_fields = ["secret", "created_at"]


class PingSerializer(serializers.Serializer):
    delivered = serializers.BooleanField(help_text="the receiver answered 2xx")
    status = serializers.IntegerField(allow_null=True,
                                      help_text="its HTTP status; null when unreachable")
    error = serializers.CharField(allow_blank=True)


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


def _absolute(context: dict, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url
