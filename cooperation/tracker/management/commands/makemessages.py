"""Django's makemessages with this project's defaults (README "Languages"), so that every run, the
editors' and the test's (tests/i18n), writes the same catalogues: locations by file only (a line
moved does not touch every .po file), and only the project's own code and templates."""

from django.core.management.commands import makemessages

PROJECT_IGNORES = [".venv", "staticfiles", "datapackage", "tests", "bench", "fixtures", "node_modules", ".git"]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *PROJECT_IGNORES]
        if not options.get("add_location"):
            options["add_location"] = "file"
        options["no_obsolete"] = True
        return super().handle(*args, **options)
