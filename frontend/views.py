"""The editors' pages. Each reads through `selectors`, writes through `services`, and acts for the
same team as the API does for this session (`request_team`), so the page and its API calls agree."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessment.cropping import parse_ratio
from coverapp.covers import selectors
from coverapp.covers.api.filters import ArticleFilter
from coverapp.covers.api.team_scope import SESSION_TEAM_KEY, request_team
from coverapp.covers.models import Article, Membership, Team
from coverapp.covers.services.articles import (
    article_create,
    article_delete,
    article_update,
    new_article_slot_ratios,
)
from coverapp.covers.services.crops import cover_choose_suggested
from coverapp.covers.services.photo_metadata import ALT_TEXT_MAX, CAPTION_MAX, CREDIT_MAX
from coverapp.covers.services.teams import team_settings_update
from coverapp.covers.services.webhooks import (
    webhook_delete,
    webhook_ping,
    webhook_register,
    webhook_update,
)
from frontend.forms import ArticleForm, TeamSettingsForm, TeamSwitchForm, WebhookForm

ARTICLES_PER_PAGE = 25
COVER_THUMBNAIL_WIDTH = 192  # px: twice the list's thumbnail, sharp on high-density screens
PROGRESS_LABELS = {
    "waiting": "Waiting",
    "assessing": "Assessing",
    "ready": "Ready",
    "cover_chosen": "Cover chosen",
}


def _page(request: HttpRequest, template: str, team: Team, context: dict) -> HttpResponse:
    """Render with what the header needs: the current team and, for the switcher, all of them."""
    teams = list(selectors.user_teams(request.user))
    return render(request, template, {"current_team": team, "teams": teams, **context})


def team_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in users only; the view receives the team this session acts for as `team`."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        team = request_team(request)
        if team is None:
            return render(request, "frontend/no_team.html", status=403)
        return view(request, *args, team=team, **kwargs)

    return wrapper


@team_page
def article_list(request: HttpRequest, *, team: Team) -> HttpResponse:
    """The team's articles, searchable by title and filterable by progress."""
    # Aggregating querysets drop Meta.ordering: order explicitly for stable pages.
    team_articles = selectors.team_articles(team).order_by("-created_at", "-pk")
    filtered = ArticleFilter(request.GET, queryset=team_articles)
    articles = filtered.qs if filtered.is_valid() else team_articles
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    for article in page:
        article.progress_label = PROGRESS_LABELS[article.progress]
        article.progress_slug = article.progress.replace("_", "-")
        article.cover_thumbnail = _cover_thumbnail(article)
        article.cover_alt_text = _cover_alt_text(article)
        article.suggested_thumbnail = _suggested_thumbnail(article)
    query = request.GET.copy()
    query.pop("page", None)
    return _page(request, "frontend/article_list.html", team, {
        "articles": page, "page_obj": page,
        "page_query": f"{query.urlencode()}&" if query else "",
        "title": request.GET.get("title", ""), "progress": request.GET.get("progress", ""),
        "progress_choices": PROGRESS_LABELS.items(),
    })


def _cover_alt_text(article: Article) -> str | None:
    """The chosen cover's alt text ("" when the editor has written none), or None before a
    cover is chosen."""
    choice = next(iter(article.cover_choices.all()), None)  # prefetched with its candidate
    return None if choice is None else choice.candidate.alt_text


def _cover_thumbnail(article: Article) -> str | None:
    """The URL of the chosen cover's first slot crop, small, or None before a cover is chosen."""
    choice = next(iter(article.cover_choices.all()), None)  # prefetched, ordered by ratio
    return None if choice is None else _thumbnail(choice.candidate_id, choice.ratio)


def _suggested_thumbnail(article: Article) -> str | None:
    """The ranking's top candidate's crop for the first slot, small, while the article is ready
    for a cover; else None."""
    if article.progress != "ready" or article.suggested_id is None or not article.slot_ratios:
        return None
    return _thumbnail(article.suggested_id, article.slot_ratios[0])


def _thumbnail(candidate_id: int, ratio: str) -> str:
    path = reverse("candidate-rendered", kwargs={"pk": candidate_id})
    return f"{path}?{urlencode({'ratio': ratio, 'width': COVER_THUMBNAIL_WIDTH})}"


@team_page
@require_POST
def article_use_suggested(request: HttpRequest, pk: int, *, team: Team) -> HttpResponse:
    """From the articles list: the ranking's top candidate becomes the cover of every slot; back
    to the list as it was filtered."""
    article = get_object_or_404(selectors.team_articles(team), pk=pk)
    try:
        choices = cover_choose_suggested(article=article, chosen_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{article.title}”: its suggested cover, "
                                  f"{choices[0].candidate.original_name}, is chosen for every "
                                  "slot. Undo it on the article's page.")
    query = QueryDict(request.POST.get("list_query", "")).urlencode()  # only the list's own filters
    return redirect(reverse("frontend:article-list") + (f"?{query}" if query else ""))


@team_page
def article_create_view(request: HttpRequest, *, team: Team) -> HttpResponse:
    """The "new article" form; on success, straight to the article to upload candidates."""
    initial = {"slot_ratios": ", ".join(new_article_slot_ratios(team))}
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            article = article_create(team=team, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("frontend:article-detail", pk=article.pk)
    return _page(request, "frontend/article_form.html", team, {
        "form": form, "heading": "New article", "submit_label": "Create article",
        "cancel_url": reverse("frontend:article-list")})


@team_page
def article_edit_view(request: HttpRequest, pk: int, *, team: Team) -> HttpResponse:
    """Change an article's title, CMS id or slot ratios; a slot added gets its crops at once."""
    article = get_object_or_404(selectors.team_articles(team), pk=pk)
    initial = {"title": article.title, "external_id": article.external_id,
               "slot_ratios": ", ".join(article.slot_ratios)}
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            article_update(article=article, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Article saved.")
            return redirect("frontend:article-detail", pk=article.pk)
    return _page(request, "frontend/article_form.html", team, {
        "form": form, "heading": f"Edit “{article.title}”", "submit_label": "Save changes",
        "cancel_url": reverse("frontend:article-detail", kwargs={"pk": article.pk})})


@team_page
def article_delete_view(request: HttpRequest, pk: int, *, team: Team) -> HttpResponse:
    """Ask, then delete an article with its candidates, crops, cover choice and files."""
    article = get_object_or_404(selectors.team_articles(team), pk=pk)
    if request.method == "POST":
        article_delete(article=article)
        messages.success(request, f"Article “{article.title}” deleted.")
        return redirect("frontend:article-list")
    return _page(request, "frontend/article_delete.html", team, {
        "article": article, "candidate_count": article.candidates.count()})


def _api_urls(article: Article) -> dict[str, str]:
    """The API endpoints the article page's scripts call; `{candidate}` is filled in by them."""
    crop = reverse("candidate-crop", kwargs={"pk": 0})
    candidate = reverse("candidate-detail", kwargs={"pk": 0})
    retry = reverse("candidate-retry", kwargs={"pk": 0})
    focus = reverse("candidate-focus", kwargs={"pk": 0})
    return {
        "article": reverse("article-detail", kwargs={"pk": article.pk}),
        "ranked": reverse("article-ranked", kwargs={"pk": article.pk}) + "?page_size=100",
        "upload": reverse("article-upload", kwargs={"pk": article.pk}),
        "upload_field": "files",
        "upload_urls": reverse("article-upload-urls", kwargs={"pk": article.pk}),
        "choose": reverse("article-cover", kwargs={"pk": article.pk}),
        "cover_undo": reverse("article-cover-undo", kwargs={"pk": article.pk}),
        "cover_history": reverse("article-cover-history", kwargs={"pk": article.pk}) + "?page_size=20",
        "crop": crop.replace("/0/", "/{candidate}/"),
        "candidate": candidate.replace("/0/", "/{candidate}/"),
        "retry": retry.replace("/0/", "/{candidate}/"),
        "focus": focus.replace("/0/", "/{candidate}/"),
        "article_page": reverse("frontend:article-detail", kwargs={"pk": 0}).replace(
            "/0/", "/{article}/"),
    }


@team_page
def article_detail(request: HttpRequest, pk: int, *, team: Team) -> HttpResponse:
    """Upload, live status, ranked review, crops and the cover choice of one article."""
    article = get_object_or_404(selectors.team_articles(team), pk=pk)
    return _page(request, "frontend/article_detail.html", team,
                 {"article": article, "api": _api_urls(article),
                  "idle_poll_ms": round(settings.COVERAPP_IDLE_POLL_S * 1000), "text_limits": {
                     "credit": CREDIT_MAX, "caption": CAPTION_MAX, "alt_text": ALT_TEXT_MAX}})


@team_page
def team_settings_view(request: HttpRequest, *, team: Team) -> HttpResponse:
    """The widths the team's slots are shown at and its CMS webhooks: a team admin changes them,
    editors read the widths."""
    admin = selectors.team_role(team, request.user) == Membership.Role.ADMIN
    widest_first = sorted(team.slot_widths.items(), key=lambda item: -_ratio_value(item[0]))
    initial = {"slot_widths": "\n".join(f"{ratio} {width}" for ratio, width in widest_first),
               "slot_ratios": ", ".join(team.slot_ratios),
               "graphics_compete": team.ranking_weights.get("graphic") == 0}
    form = TeamSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        weights = form.ranking_weights(team.ranking_weights)
        team_settings_update(team=team, by=request.user,
                             slot_widths=form.cleaned_data["slot_widths"],
                             slot_ratios=form.cleaned_data["slot_ratios"],
                             ranking_weights=None if weights == team.ranking_weights else weights)
        messages.success(request, "Settings saved; recent articles without a cover were ranked "
                                  "again under them.")
        return redirect("frontend:team-settings")
    if not admin:
        for field in form.fields.values():
            field.disabled = True
    return _page(request, "frontend/team_settings.html", team, {
        "form": form, "admin": admin, "webhook_form": WebhookForm(),
        "webhooks": selectors.team_webhooks(team).order_by("pk") if admin else []})


@team_page
@require_POST
def team_webhook_add(request: HttpRequest, *, team: Team) -> HttpResponse:
    """Register a CMS webhook for the team (team admins)."""
    _require_admin(team, request)
    form = WebhookForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["url"]))
    else:
        try:
            webhook_register(team=team, url=form.cleaned_data["url"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Webhook added: give its signing secret (below) to the CMS, "
                                      "which checks X-CoverApp-Signature with it.")
    return redirect("frontend:team-settings")


@team_page
@require_POST
def team_webhook_action(request: HttpRequest, pk: int, action: str, *, team: Team) -> HttpResponse:
    """Ping, pause, resume or remove one of the team's webhooks (team admins)."""
    _require_admin(team, request)
    webhook = get_object_or_404(selectors.team_webhooks(team), pk=pk)
    if action == "ping":
        result = webhook_ping(webhook=webhook)
        if result.delivered:
            messages.success(request, f"Ping delivered: {webhook.url} answered {result.status}.")
        else:
            messages.error(request, f"Ping not delivered to {webhook.url}: {result.error}.")
    elif action in ("pause", "resume"):
        webhook_update(webhook=webhook, active=action == "resume")
        messages.success(request, f"Webhook {webhook.url} {'resumed' if webhook.active else 'paused'}.")
    elif action == "delete":
        webhook_delete(webhook=webhook)
        messages.success(request, f"Webhook {webhook.url} removed.")
    else:
        raise Http404(f"no webhook action {action!r}")
    return redirect("frontend:team-settings")


def _require_admin(team: Team, request: HttpRequest) -> None:
    """Webhooks' services check no role (the API lets any member manage them); this page's
    actions are a team admin's, as its slot widths are (`team_settings_update`)."""
    if selectors.team_role(team, request.user) != Membership.Role.ADMIN:
        raise PermissionDenied(f"only an admin of {team.name} can change its settings")


def _ratio_value(ratio: str) -> float:
    """W / H of a slot ratio; 0 for "free", which lists last."""
    parsed = parse_ratio(ratio)
    return 0.0 if parsed is None else parsed.value


@login_required
@require_POST
def team_switch(request: HttpRequest) -> HttpResponse:
    """Act for another of the user's teams, in these pages and in the API calls they make."""
    form = TeamSwitchForm(request.POST)
    team = form.is_valid() and selectors.user_team(request.user,
                                                   requested=form.cleaned_data["team"])
    if not team:
        messages.error(request, "You are not a member of that team.")
        return redirect("frontend:article-list")
    request.session[SESSION_TEAM_KEY] = team.pk
    messages.success(request, f"Now working in {team.name}.")
    # The list, not the page we came from: another team's article would answer 404.
    return redirect("frontend:article-list")
