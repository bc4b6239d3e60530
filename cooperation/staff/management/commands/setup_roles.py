from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cooperation.staff.roles import setup_roles


class Command(BaseCommand):
    help = _("Create or update the Editor and Publisher groups with exactly their permissions (safe to rerun).")

    def handle(self, *args, **options):
        for name, group in setup_roles().items():
            count = group.permissions.count()
            self.stdout.write(_("%(name)s: %(count)d permissions") % {"name": name, "count": count})
        self.stdout.write(
            _("Add staff users to a group in the admin (Users → a user → Groups); they also need 'Staff status'.")
        )
