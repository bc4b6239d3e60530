"""Load the seed data (fixtures/seed.json: the facts of the five reports) and its translations
(fixtures/translations/: tracker/seed_translations.py)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from cooperation.tracker import seed_translations
from cooperation.tracker.models import Commitment, Document

SEED_FIXTURE = settings.BASE_DIR / "fixtures" / "seed.json"


class Command(BaseCommand):
    help = "Load the seed data from fixtures/seed.json in one transaction, then refresh commitment statuses."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any document exists, so that staff edits are never overwritten.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Document.objects.exists():
            self.stdout.write("Seed data not loaded: the database already holds documents.")
            self.load_translations()
            return
        with transaction.atomic():
            call_command("loaddata", SEED_FIXTURE, verbosity=0)
            # loaddata bypasses save(): derive each commitment's status from its updates.
            Commitment.objects.refresh_status_in_batches()
        self.stdout.write(self.style.SUCCESS(f"Seed data loaded from {SEED_FIXTURE.name}."))
        self.load_translations()

    def load_translations(self):
        """The seed's translations, where a text is still missing (an editor's is never replaced)."""
        changed, warnings = seed_translations.load()
        for warning in warnings:
            self.stderr.write(f"Translations: {warning}")
        if changed:
            self.stdout.write(f"Translations filled in for {changed} records.")
