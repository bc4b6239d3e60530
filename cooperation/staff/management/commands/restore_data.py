from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cooperation.staff.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by backup_data, in one transaction. Refuses a database that "
        "already holds records unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The .json or .json.gz file written by backup_data.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the existing records, history, staff accounts and groups first.",
        )
        parser.add_argument("--database", default="default", help="Database alias to restore into.")

    def handle(self, *args, backup: Path, replace: bool, database: str, **options):
        try:
            counts = restore_backup(backup, replace=replace, using=database)
        except BackupError as error:
            raise CommandError(error) from error
        self.stdout.write(
            self.style.SUCCESS(_("Restored %(count)d rows from %(path)s.") % {"count": counts.total(), "path": backup})
        )
