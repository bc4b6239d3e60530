"""manage.py refresh_counts: recount what the public lists show for every organization and visit."""

import time

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from cooperation.tracker.counts import refresh_all_public_counts
from cooperation.tracker.models import changed_in_bulk


class Command(BaseCommand):
    help = (
        "Recount the published documents and commitments stored on every organization and visit. "
        "They are kept exact on every save; run this after changing data with raw SQL "
        "(it also empties the public page cache)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        refresh_all_public_counts()
        changed_in_bulk.send(sender=None, using=DEFAULT_DB_ALIAS)  # cached public pages show the new counts at once
        self.stdout.write(self.style.SUCCESS(f"Counts refreshed in {time.monotonic() - started:.1f} s."))
