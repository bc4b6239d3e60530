"""Compile the translations (locale/*/LC_MESSAGES/*.po) into .mo files without GNU gettext
(tracker/catalogues.py)."""

from django.core.management.base import BaseCommand

from cooperation.tracker import catalogues


class Command(BaseCommand):
    help = "Compile the .po catalogues into .mo files (pure Python; only those that changed)."
    requires_system_checks = []  # one of them says the catalogues are not compiled yet

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile every catalogue, changed or not.")

    def handle(self, *args, force=False, **options):
        compiled = catalogues.compile_all(force=force)
        self.stdout.write(f"{len(compiled)} catalogue(s) compiled." if compiled else "Catalogues up to date.")
