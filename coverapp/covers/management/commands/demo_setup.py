"""`manage.py demo_setup`: a demo team and editor to sign in with, printed with an API token."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token

from coverapp.covers.models import Team
from coverapp.covers.services.teams import membership_add, team_create

# A hero, a card and a thumbnail, as a news site's templates show them.
DEMO_SLOT_WIDTHS = {"16:9": 1200, "4:3": 800, "1:1": 400}


class Command(BaseCommand):
    help = "Create (or reset) the demo team and user and print their credentials and API token."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="editor")
        parser.add_argument("--password", default="coverapp-demo")
        parser.add_argument("--url", default="http://127.0.0.1:8000",
                            help="where the app is served, for the printed curl line")

    def handle(self, *args, username: str, password: str, url: str, **options) -> None:
        team = Team.objects.filter(slug="demo-newsroom").first() or team_create(
            name="Demo newsroom", slug="demo-newsroom")
        team.slot_widths = team.slot_widths or DEMO_SLOT_WIDTHS
        team.save(update_fields=["slot_widths"])
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        user.is_staff = user.is_superuser = True
        user.save()
        membership_add(team=team, user=user)
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(self.style.SUCCESS(
            f"Demo team “{team.name}”: sign in as {username} / {password} "
            f"(also at /admin/); API token: {token.key}\n"
            f'  curl -H "Authorization: Token {token.key}" {url.rstrip("/")}/api/articles/'))
