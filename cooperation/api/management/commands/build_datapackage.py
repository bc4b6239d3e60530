from django.core.management.base import BaseCommand

from cooperation.api import datapackage


class Command(BaseCommand):
    help = "Build the data package (/data/) for the current data, so that no visitor waits for it."

    def handle(self, *args, **options):
        folder = datapackage.current_folder()
        self.stdout.write(f"Data package ready in {folder}")
