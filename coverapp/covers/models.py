"""Domain tables. Rows hold data only: every write goes through `services`, every read through
`selectors`, so no model method or signal carries business logic."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coverapp.covers.services.photo_metadata import ALT_TEXT_MAX, CAPTION_MAX, CREDIT_MAX


class Team(models.Model):
    """A newsroom: the tenant. Every article, image and webhook belongs to exactly one team."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    # Per-team overrides of `assessment.ranking.RankingWeights` (field name -> number).
    ranking_weights = models.JSONField(default=dict, blank=True)
    slot_widths = models.JSONField(
        default=dict, blank=True,
        help_text='pixels each slot ratio is shown at, e.g. {"16:9": 1200, "1:1": 400}; '
                  "others: COVERAPP_SLOT_WIDTH")
    slot_ratios = models.JSONField(
        default=list, blank=True,
        help_text='the slots a new article starts with, e.g. ["16:9", "1:1"]; empty: 16:9, 4:3, 1:1')
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's seat in a team; a user may sit in several teams."""

    class Role(models.TextChoices):
        EDITOR = "editor"
        ADMIN = "admin"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="one_seat_per_team")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class Article(models.Model):
    """A story that needs a cover; `slot_ratios` are the shapes its cover is shown in."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="articles")
    title = models.CharField(max_length=300)
    external_id = models.CharField(max_length=200, blank=True, default="",
                                   help_text="The article's id in the CMS.")
    slot_ratios = models.JSONField(default=list, help_text='e.g. ["16:9", "1:1"]')
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "external_id"],
                                    condition=~models.Q(external_id=""),
                                    name="external_id_unique_per_team"),
        ]

    def __str__(self) -> str:
        return self.title


class CandidateImage(models.Model):
    """One uploaded photo, stored byte for byte as received, with the credit, caption and alt
    text the CMS shows beside it (read from the file on upload; the editor may change them)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="candidates")
    file = models.FileField(upload_to="candidates/%Y/%m/")
    original_name = models.CharField(max_length=255, blank=True, default="")
    sha256 = models.CharField(max_length=64)
    byte_size = models.PositiveIntegerField()
    format = models.CharField(max_length=8, help_text="JPEG, PNG, WEBP, AVIF or HEIF")
    width = models.PositiveIntegerField(help_text="pixels, after EXIF orientation")
    height = models.PositiveIntegerField(help_text="pixels, after EXIF orientation")
    phash = models.CharField(max_length=16, help_text="64-bit perceptual hash, hex")
    focus = models.JSONField(null=True, blank=True, default=None,
                             help_text="[x, y] pixels of the upright image: the subject an "
                                       "editor marked, which the model's crops frame")
    credit = models.CharField(max_length=CREDIT_MAX, blank=True, default="",
                              help_text='who to credit, e.g. "Jane Doe / Reuters"')
    caption = models.CharField(max_length=CAPTION_MAX, blank=True, default="")
    alt_text = models.CharField(max_length=ALT_TEXT_MAX, blank=True, default="",
                                help_text="the picture described for readers who cannot see it")
    near_duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True,
                                          blank=True, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "sha256"],
                                    name="same_bytes_once_per_article"),
        ]

    def __str__(self) -> str:
        return self.original_name or f"candidate {self.pk}"


class Assessment(models.Model):
    """The model's verdict on one candidate, and the ranking's score for it within its article."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    candidate = models.OneToOneField(CandidateImage, on_delete=models.CASCADE,
                                     related_name="assessment")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0, help_text="times a worker started it")
    model_name = models.CharField(max_length=80, blank=True, default="")
    model_version = models.CharField(max_length=80, blank=True, default="")
    clarity = models.FloatField(null=True, blank=True, help_text="1 (unusable) .. 10 (crisp)")
    detail_scale = models.FloatField(
        default=1.0, help_text="k >= 1: the photo holds the detail of one k times narrower "
        "(enlarged, or soft at full size); 1 = its own pixels' worth")
    sharpness_contrast = models.FloatField(
        null=True, blank=True, help_text="log of the subject's sharpness over its background's "
        "(assessment.missed_focus): about 0 in focus throughout, above 0 for a shallow depth of "
        "field, under -2 where the focus missed the subject; null where it cannot be judged (no "
        "subject, a plain background) or was not measured")
    face_sharpness = models.FloatField(
        null=True, blank=True, help_text="log ratio of the largest Haar face's fine to middle detail "
        "(assessment.face_sharpness): under -1.5 it is called blurred; null where no face of 40 "
        "px or more was found, or it was not measured")
    mask = models.FileField(upload_to="masks/", blank=True, default="",
                            help_text="foreground probability as 8-bit greyscale PNG, image size")
    object_proportion = models.FloatField(null=True, blank=True, help_text="0..1 of the frame")
    centroid_x = models.FloatField(null=True, blank=True, help_text="pixels")
    centroid_y = models.FloatField(null=True, blank=True, help_text="pixels")
    bbox = models.JSONField(null=True, blank=True, help_text="[x, y, w, h] pixels")
    faces = models.JSONField(default=list, blank=True, help_text="[[x, y, w, h], ...] pixels")
    content_box = models.JSONField(
        null=True, blank=True, help_text="[x, y, w, h] pixels: the picture inside plain bars, a "
        "frame, a blurred fill or a caption strip (the whole image when it has none), which the "
        "assessment and the crops are of; null before the assessment is done")
    panels = models.JSONField(
        null=True, blank=True, help_text="[[x, y, w, h], ...] pixels: the photos of a collage "
        "(photos side by side or stacked), of which the model's crops show whole photos or fair "
        "shares; [] for one photo; null before the assessment is done, and for one made before "
        "collages were looked for")
    overlays = models.JSONField(
        null=True, blank=True, help_text="[[x, y, w, h], ...] pixels: blocks of text laid over the "
        "picture (a caption, subtitles, a channel's name, a watermark), each of which the model's "
        "crops keep whole or leave out; [] for none; null before the assessment is done, and for "
        "one made before such text was looked for")
    graphic = models.BooleanField(
        default=False, help_text="a chart, text card or drawing, not a photograph: its clarity is "
        "that of its edges")
    exposure = models.JSONField(
        null=True, blank=True, help_text='{"highlights": h, "blown": b} of the picture: the 95th '
        "percentile of each pixel's brightest channel (0..1) and the share of pure white pixels; "
        "null before the assessment is done, and for one made before exposure was measured")
    cover_score = models.FloatField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True, help_text="1 = best in article")
    reasons = models.JSONField(default=list, blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    inference_ms = models.FloatField(null=True, blank=True, help_text="model time, milliseconds")

    def __str__(self) -> str:
        return f"assessment of {self.candidate_id}: {self.status}"


class CropProposal(models.Model):
    """A crop of a candidate for one slot ratio: the model's proposal or an editor's override."""

    class Source(models.TextChoices):
        MODEL = "model"
        EDITOR = "editor"

    candidate = models.ForeignKey(CandidateImage, on_delete=models.CASCADE, related_name="crops")
    ratio = models.CharField(max_length=16)
    x = models.PositiveIntegerField()
    y = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ratio", "source"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "ratio", "source"],
                                    name="one_crop_per_ratio_and_source"),
        ]

    def __str__(self) -> str:
        return f"{self.ratio} {self.source} crop of {self.candidate_id}"


class CoverChoice(models.Model):
    """The editor's decision: which candidate, cropped how, fills the article's slot of a ratio."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="cover_choices")
    ratio = models.CharField(max_length=16)
    candidate = models.ForeignKey(CandidateImage, on_delete=models.CASCADE, related_name="+")
    crop = models.ForeignKey(CropProposal, on_delete=models.PROTECT, related_name="+")
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ratio"]
        constraints = [
            models.UniqueConstraint(fields=["article", "ratio"], name="one_cover_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.article} {self.ratio}: {self.candidate_id}"


class CoverChange(models.Model):
    """One change an editor made to an article's cover: which candidate each slot it touched
    showed before and after it (`{"16:9": 12, "1:1": null}`, null for no cover). The article's
    cover history, and what undo restores."""

    class Action(models.TextChoices):
        CHOSEN = "chosen"
        CLEARED = "cleared"
        UNDONE = "undone"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="cover_changes")
    action = models.CharField(max_length=8, choices=Action.choices)
    before = models.JSONField(help_text="slot ratio -> candidate id before the change, or null")
    after = models.JSONField(help_text="slot ratio -> candidate id after the change, or null")
    undoes = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="undone_by", help_text="the change an undo reverted")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.article} cover {self.action}: {self.before} -> {self.after}"


class Webhook(models.Model):
    """A URL POSTed, signed with HMAC-SHA256 of the body under `secret`, when an article's
    assessments have all finished."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=64)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event sent to one webhook; `event_key` makes a redelivered task send it only once."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    event_key = models.CharField(max_length=64)
    attempts = models.PositiveIntegerField(default=0)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    #: When a worker took it to send; another leaves it alone until the send has had time to end.
    sending_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event_key"], name="deliver_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_key[:8]} to {self.webhook}"
