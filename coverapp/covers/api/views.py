"""API endpoints. Each view checks input with a serializer, calls one service or selector and
shapes the answer; every queryset is limited to the caller's team."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from coverapp.covers import selectors
from coverapp.covers.api import serializers
from coverapp.covers.api.files import IMMUTABLE, AnyMediaRenderer, stream_file
from coverapp.covers.api.filters import ArticleFilter, CandidateFilter
from coverapp.covers.api.team_scope import TeamScopedMixin
from coverapp.covers.models import Article, CandidateImage, Team, Webhook
from coverapp.covers.services.articles import article_create, article_delete, article_update
from coverapp.covers.services.captions import candidate_describe
from coverapp.covers.services.cover_archive import cover_archive
from coverapp.covers.services.crops import (
    candidate_as_jpeg,
    candidate_focus,
    cover_choose,
    cover_clear,
    cover_undo,
    crop_in_force,
    crop_override,
    crop_render,
    crop_render_etag,
    crop_reset,
)
from coverapp.covers.services.queueing import assessment_retry
from coverapp.covers.services.remote_images import candidate_upload_urls
from coverapp.covers.services.teams import team_settings_update
from coverapp.covers.services.uploads import UploadOutcome, candidate_remove, candidate_upload
from coverapp.covers.services.webhooks import (
    webhook_delete,
    webhook_ping,
    webhook_register,
    webhook_update,
)

REFUSED = {code: OpenApiResponse(serializers.ErrorSerializer, description=text) for code, text in (
    (400, "invalid input; `detail` says what to fix"),
    (413, "file too large in bytes or pixels"),
    (415, "not a JPEG, PNG, WebP, AVIF or HEIC image"),
)}


# What an upload answers: each file's outcome, 201 when any candidate is new, else 200.
UPLOADED = {code: serializers.UploadOutcomeSerializer(many=True) for code in (201, 200)} | REFUSED


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    """The teams you belong to; send `X-CoverApp-Team: <id or slug>` to act for one of them. A
    team admin changes its slot widths and ranking weights with PATCH."""

    serializer_class = serializers.TeamSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Team.objects.none()
        return selectors.user_teams(self.request.user)

    @extend_schema(request=serializers.TeamSettingsSerializer,
                   responses={200: serializers.TeamSerializer, 400: REFUSED[400],
                              403: OpenApiResponse(description="not an admin of the team")})
    def partial_update(self, request, pk=None) -> Response:
        """Replace the team's `slot_widths` or `ranking_weights` (team admins only); its
        articles of the last 14 days without a cover are ranked again under them."""
        team = self.get_object()
        form = serializers.TeamSettingsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        team_settings_update(team=team, by=request.user, **form.validated_data)
        return Response(self.get_serializer(team).data)


class ArticleViewSet(TeamScopedMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                     mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                     mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Articles of your team, newest first. PATCH changes the title, CMS id or slot ratios: a
    new slot ratio gets every assessed candidate's crop at once. DELETE removes an article with
    its candidates, crops, cover choice and stored files."""

    model = Article
    serializer_class = serializers.ArticleSerializer
    filterset_class = ArticleFilter

    def team_queryset(self, team: Team):
        return selectors.team_articles(team)

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        extra = {"slot_ratios": data["slot_ratios"]} if "slot_ratios" in data else {}
        article = article_create(team=self.team, created_by=self.request.user,
                                 title=data["title"], external_id=data.get("external_id", ""),
                                 **extra)
        serializer.instance = self.team_queryset(self.team).get(pk=article.pk)

    def perform_update(self, serializer) -> None:
        data = serializer.validated_data
        article = article_update(article=serializer.instance, title=data.get("title"),
                                 external_id=data.get("external_id"),
                                 slot_ratios=data.get("slot_ratios"))
        serializer.instance = self.team_queryset(self.team).get(pk=article.pk)

    def perform_destroy(self, instance: Article) -> None:
        article_delete(article=instance)

    @extend_schema(responses=serializers.CandidateSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None)
    def ranked(self, request, pk=None) -> Response:
        """The article's candidates best first, with scores, reasons and crops."""
        candidates = selectors.article_ranked_candidates(self.get_object())
        page = self.paginate_queryset(candidates)
        context = {"request": request, "earlier_covers": selectors.earlier_covers(page)}
        data = serializers.CandidateSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(request=serializers.UploadSerializer, responses=UPLOADED)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser],
            filterset_class=None, pagination_class=None)
    def upload(self, request, pk=None) -> Response:
        """Upload candidate images (multipart field `files`, repeatable). The same bytes sent
        twice give the existing candidate back (`created: false`)."""
        article = self.get_object()
        form = serializers.UploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        outcomes = candidate_upload(article=article, files=form.validated_data["files"],
                                    uploaded_by=request.user)
        return _uploaded(outcomes, request)

    @extend_schema(request=serializers.UploadUrlsSerializer, responses=UPLOADED)
    @action(detail=True, methods=["post"], url_path="upload-urls", parser_classes=[JSONParser],
            filterset_class=None, pagination_class=None)
    def upload_urls(self, request, pk=None) -> Response:
        """Upload candidate images by URL (`{"urls": [...]}`, e.g. the CMS's media library):
        the server downloads each one and checks it as an uploaded file. One URL that fails
        refuses the batch (`code` `bad_url`, `fetch_failed`, or a file check's) and stores
        nothing."""
        form = serializers.UploadUrlsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return _uploaded(candidate_upload_urls(article=self.get_object(),
                                               urls=form.validated_data["urls"],
                                               uploaded_by=request.user), request)

    @extend_schema(methods=["POST"], request=serializers.CoverChooseSerializer,
                   responses={200: serializers.CoverChoiceSerializer(many=True), 400: REFUSED[400]})
    @extend_schema(methods=["DELETE"], request=None, parameters=[OpenApiParameter(
        "ratio", str, many=True, description="the slots to clear (repeat it); default: all")],
        responses={200: serializers.CoverChoiceSerializer(many=True), 400: REFUSED[400]})
    @action(detail=True, methods=["post", "delete"], parser_classes=[JSONParser],
            filterset_class=None, pagination_class=None)
    def cover(self, request, pk=None) -> Response:
        """POST chooses the cover: a candidate of this article, with its current crop for each
        ratio. DELETE leaves the slots given by `?ratio=` (default: all) without a cover. Both
        answer with the cover as it now is."""
        article = self.get_object()
        if request.method == "DELETE":
            cover_clear(article=article, ratios=request.query_params.getlist("ratio"),
                        cleared_by=request.user)
            return self._cover_now(article)
        form = serializers.CoverChooseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        candidate = get_object_or_404(selectors.team_candidates(self.team),
                                      pk=form.validated_data["candidate"])
        choices = cover_choose(article=article, candidate=candidate,
                               ratios=form.validated_data.get("ratios"),
                               chosen_by=request.user)
        return Response(serializers.CoverChoiceSerializer(choices, many=True).data)

    @extend_schema(request=None, responses={
        200: serializers.CoverChoiceSerializer(many=True),
        409: OpenApiResponse(serializers.ErrorSerializer, description=(
            "`cannot_undo`: nothing left to undo, or the cover it would put back was removed"))})
    @action(detail=True, methods=["post"], url_path="cover/undo", filterset_class=None,
            pagination_class=None)
    def cover_undo(self, request, pk=None) -> Response:
        """Undo the latest cover change not yet undone (a choice, a clearing): its slots show
        again what they showed before it. Again goes one change further back. Answers with the
        cover as it now is."""
        article = self.get_object()
        cover_undo(article=article, undone_by=request.user)
        return self._cover_now(article)

    @extend_schema(responses=serializers.CoverChangeSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="cover-history", filterset_class=None)
    def cover_history(self, request, pk=None) -> Response:
        """The article's cover changes, latest first: who chose, cleared or undid what, and when;
        `before` and `after` map each slot it touched to a candidate id (null: no cover)."""
        page = self.paginate_queryset(selectors.article_cover_history(self.get_object()))
        return self.get_paginated_response(
            serializers.CoverChangeSerializer(page, many=True).data)

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY, 400: REFUSED[400]})
    @action(detail=True, methods=["get"], url_path="cover-archive",
            renderer_classes=[AnyMediaRenderer], filterset_class=None)
    def cover_archive(self, request, pk=None) -> HttpResponse:
        """The chosen cover as a zip: each slot's crop as a full-size JPEG and `cover.json` with
        the crop boxes and the credit, caption and alt text (400 before a cover is chosen)."""
        filename, content = cover_archive(article=self.get_object())
        return HttpResponse(content, content_type="application/zip", headers={
            "Cache-Control": "private, no-cache",
            "Content-Disposition": content_disposition_header(True, filename)})

    @staticmethod
    def _cover_now(article: Article) -> Response:
        choices = article.cover_choices.select_related("crop", "candidate__assessment", "chosen_by")
        return Response(serializers.CoverChoiceSerializer(choices, many=True).data)


def _uploaded(outcomes: list[UploadOutcome], request) -> Response:
    """201 with each upload's outcome when any candidate is new, else 200."""
    earlier = selectors.earlier_covers([outcome.candidate for outcome in outcomes])
    data = serializers.UploadOutcomeSerializer(outcomes, many=True, context={
        "request": request, "earlier_covers": earlier}).data
    created = any(outcome.created for outcome in outcomes)
    return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CandidateViewSet(TeamScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Candidate images of your team's articles, with their assessment and crops. PATCH sets the
    credit, caption and alt text; DELETE removes one (not the chosen cover: 409) with its
    assessment, crops and files."""

    model = CandidateImage
    serializer_class = serializers.CandidateSerializer
    filterset_class = CandidateFilter

    @extend_schema(request=serializers.CandidateTextSerializer,
                   responses={200: serializers.CandidateSerializer, 400: REFUSED[400]})
    def partial_update(self, request, pk=None) -> Response:
        """Set the credit, caption or alt text the CMS shows beside the picture (each optional;
        the upload filled them from the file's metadata). Editing a chosen cover's sends
        `article.cover_chosen`."""
        candidate = self.get_object()
        form = serializers.CandidateTextSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        candidate_describe(candidate=candidate, **form.validated_data)
        return Response(self.get_serializer(self.team_queryset(self.team).get(pk=candidate.pk)).data)

    def team_queryset(self, team: Team):
        return selectors.team_candidates(team).order_by("uploaded_at", "pk")

    def list(self, request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context() | {"earlier_covers": selectors.earlier_covers(page)}
        data = self.get_serializer_class()(page, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(responses={204: None, 409: OpenApiResponse(
        serializers.ErrorSerializer, description="the chosen cover: choose another first")})
    def destroy(self, request, *args, **kwargs) -> Response:
        """Remove the candidate, its assessment, crops and stored files; the rest are ranked
        again."""
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance: CandidateImage) -> None:
        candidate_remove(candidate=instance)

    @extend_schema(request=serializers.CropOverrideSerializer,
                   responses={200: serializers.CropSerializer, 400: REFUSED[400]})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser], filterset_class=None)
    def crop(self, request, pk=None) -> Response:
        """Override the crop for one slot ratio with an editor's box."""
        candidate = self.get_object()
        form = serializers.CropOverrideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        crop = crop_override(candidate=candidate, ratio=form.validated_data["ratio"],
                             box=form.validated_data["box"], edited_by=request.user)
        return Response(serializers.CropSerializer(crop).data)

    @extend_schema(parameters=[OpenApiParameter("ratio", str, required=True)],
                   responses={204: None, 400: REFUSED[400]})
    @crop.mapping.delete
    def crop_reset(self, request, pk=None) -> Response:
        """Drop the editor's crop for `?ratio=`, returning to the model's proposal."""
        crop_reset(candidate=self.get_object(), ratio=request.query_params.get("ratio", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=serializers.FocusSerializer,
                   responses={200: serializers.CandidateSerializer, 400: REFUSED[400]})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser], filterset_class=None)
    def focus(self, request, pk=None) -> Response:
        """Mark the subject at `point`: the model's crop for every slot ratio is proposed again
        around it (an editor's own crops stay in force). 400 before the assessment is done."""
        form = serializers.FocusSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._focused(form.validated_data["point"])

    @extend_schema(responses={200: serializers.CandidateSerializer, 400: REFUSED[400]})
    @focus.mapping.delete
    def focus_clear(self, request, pk=None) -> Response:
        """Clear the marked subject: the model's crops frame the mask's subject again."""
        return self._focused(None)

    def _focused(self, point: list[float] | None) -> Response:
        candidate = candidate_focus(candidate=self.get_object(), point=point)
        return Response(self.get_serializer(self.team_queryset(self.team).get(pk=candidate.pk)).data)

    @extend_schema(request=None, responses={202: serializers.CandidateSerializer,
                                            400: REFUSED[400]})
    @action(detail=True, methods=["post"], filterset_class=None)
    def retry(self, request, pk=None) -> Response:
        """Queue a failed assessment again; 400 unless it failed."""
        candidate = self.get_object()
        assessment_retry(assessment=candidate.assessment)
        data = self.get_serializer(self.team_queryset(self.team).get(pk=candidate.pk)).data
        return Response(data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(parameters=[serializers.CropRenderSerializer],
                   responses={(200, "image/jpeg"): OpenApiTypes.BINARY,
                              (200, "image/webp"): OpenApiTypes.BINARY, 400: REFUSED[400]})
    @action(detail=True, methods=["get"], renderer_classes=[AnyMediaRenderer],
            filterset_class=None)
    def rendered(self, request, pk=None) -> HttpResponse:
        """The crop in force for `?ratio=` as a ready JPEG (or `&type=webp`), at most `&width=`
        pixels wide. The `ETag` names the crop's version and its texts' (the file's XMP carries
        the credit, caption and alt text): `If-None-Match` with it answers 304 until either
        changes."""
        candidate = self.get_object()
        form = serializers.CropRenderSerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        ratio, width = form.validated_data["ratio"], form.validated_data.get("width")
        image_format = form.validated_data["type"]
        crop = crop_in_force(candidate=candidate, ratio=ratio)
        etag = crop_render_etag(candidate=candidate, crop=crop, width=width,
                                image_format=image_format)
        if etag in request.headers.get("If-None-Match", ""):
            return HttpResponse(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        content = crop_render(candidate=candidate, crop=crop, width=width,
                              image_format=image_format)
        stem = Path(candidate.original_name).stem or f"candidate-{candidate.pk}"
        extension = {"jpeg": "jpg"}.get(image_format, image_format)
        filename = f"{stem}-{ratio.replace(':', 'x')}.{extension}"
        return HttpResponse(content, content_type=f"image/{image_format}", headers={
            "ETag": etag, "Cache-Control": "private, no-cache",
            "Content-Disposition": content_disposition_header(False, filename)})

    @extend_schema(parameters=[OpenApiParameter("type", str, enum=["jpeg"], description=(
                       "jpeg: the whole upright image converted to JPEG (for HEIC, which "
                       "browsers do not show)"))],
                   responses={(200, "image/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[AnyMediaRenderer],
            filterset_class=None)
    def image(self, request, pk=None) -> HttpResponse:
        """The original uploaded file, as received; `?type=jpeg` converts it (`display_url`)."""
        candidate = self.get_object()
        wanted = request.query_params.get("type")
        if wanted is None:
            return stream_file(candidate.file)
        if wanted != "jpeg":
            raise ValidationError(f"type {wanted!r}: only 'jpeg' converts the image")
        return HttpResponse(candidate_as_jpeg(candidate=candidate), content_type="image/jpeg",
                            headers={"Cache-Control": IMMUTABLE})

    @extend_schema(responses={(200, "image/png"): OpenApiTypes.BINARY, 404: None})
    @action(detail=True, methods=["get"], renderer_classes=[AnyMediaRenderer],
            filterset_class=None)
    def mask(self, request, pk=None) -> FileResponse:
        """The foreground mask: 8-bit greyscale PNG at the upright image's size (255 = subject)."""
        assessment = getattr(self.get_object(), "assessment", None)
        if assessment is None or not assessment.mask:
            raise Http404("no mask yet: the assessment has not finished")
        return stream_file(assessment.mask)


class WebhookViewSet(TeamScopedMixin, viewsets.ModelViewSet):
    """Your team's webhooks: POSTed, signed (`X-CoverApp-Signature: sha256=<HMAC of the body>`),
    when all of an article's assessments have finished."""

    model = Webhook
    serializer_class = serializers.WebhookSerializer

    def team_queryset(self, team: Team):
        return selectors.team_webhooks(team)

    def perform_create(self, serializer) -> None:
        serializer.instance = webhook_register(team=self.team,
                                               url=serializer.validated_data["url"])

    def perform_destroy(self, instance: Webhook) -> None:
        webhook_delete(webhook=instance)

    @extend_schema(request=None, responses={200: serializers.PingSerializer})
    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None) -> Response:
        """Send a signed `ping` event to the webhook now and say how its receiver answered."""
        result = webhook_ping(webhook=self.get_object())
        return Response(serializers.PingSerializer(result).data)

    def perform_update(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = webhook_update(webhook=serializer.instance, url=data.get("url"),
                                             active=data.get("active"))
