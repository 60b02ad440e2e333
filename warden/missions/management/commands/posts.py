"""``warden posts``: every post with its status, whether it is temporary, and its review date."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from warden.missions.selectors import posts_all

COLUMNS = ("post", "country", "status", "temporary", "review")


class Command(BaseCommand):
    help = "List every post with its status, temporary flag and review date."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [
            (
                post.name,
                post.country_id,
                post.status,
                _("yes") if post.is_temporary else _("no"),
                post.review_date.isoformat() if post.review_date else "-",
            )
            for post in posts_all()
        ]
        if not rows:
            self.stdout.write(_("No posts."))
            return
        header = (_("Post"), _("Country"), _("Status"), _("Temporary"), _("Review date"))
        widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(COLUMNS))]
        for row in (header, *rows):
            self.stdout.write(
                "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            )
