from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cooperation.staff.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write a backup of all records, their history, staff accounts and groups to a JSON fixture "
        "(.json or .json.gz). Restore it with restore_data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", required=True, type=Path, help="File to write: backup.json[.gz].")
        parser.add_argument("--database", default="default", help="Database alias to back up.")

    def handle(self, *args, output: Path, database: str, **options):
        try:
            counts = write_backup(output, using=database)
        except BackupError as error:
            raise CommandError(error) from error
        self.stdout.write(
            self.style.SUCCESS(_("Backed up %(count)d rows to %(path)s.") % {"count": counts.total(), "path": output})
        )
        if options["verbosity"] > 1:
            for label, count in sorted(counts.items()):
                self.stdout.write(f"  {label}: {count}")
