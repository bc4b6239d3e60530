"""manage.py refresh_treaties: store the treaty state of documents whose state changed by itself
(a date in a clause arrived: entry into force 30 days after a notification, an expiry, a
denunciation taking effect). Run it daily (cron, systemd timer); `--all` re-derives every
document (after raw SQL or a bulk load)."""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from cooperation.tracker.models import Document, changed_in_bulk


class Command(BaseCommand):
    help = "Re-derive the stored treaty state of documents whose state changes today (or of all with --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Re-derive every document.")

    def handle(self, *args, **options):
        documents = Document.objects.all() if options["all"] else Document.objects.due_for_treaty_refresh()
        ids = list(documents.values_list("pk", flat=True))
        changed = 0
        for start in range(0, len(ids), 1000):
            changed += Document.objects.filter(pk__in=ids[start : start + 1000]).refresh_treaty_state()
        if changed:
            changed_in_bulk.send(sender=Document, using=DEFAULT_DB_ALIAS)  # cached pages show the new state
        self.stdout.write(self.style.SUCCESS(f"{changed} document(s) changed state."))
