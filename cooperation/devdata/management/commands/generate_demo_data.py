"""manage.py generate_demo_data --commitments 100000 [--seed 1] [--clear]"""

import time

from django.core.management.base import BaseCommand, CommandError

from cooperation.devdata.generator import DemoDataGenerator, clear_tracker_data


class Command(BaseCommand):
    help = (
        "Generate realistic, published synthetic data in proportion to N commitments "
        "(N/5 documents, N/20 visits, a few hundred organizations). Same seed, same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commitments", type=int, required=True, help="Number of commitments to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="First delete every tracker record and its history (countries, sectors and users are kept).",
        )

    def handle(self, *args, commitments, seed, clear, **options):
        if commitments < 1:
            raise CommandError("--commitments must be at least 1.")
        started = time.monotonic()
        if clear:
            clear_tracker_data()
            self.stdout.write("Cleared tracker records.")
        generator = DemoDataGenerator(commitments, seed=seed, log=self.stdout.write)
        counts = generator.run()
        for label, count in counts.items():
            self.stdout.write(f"{count:>10,}  {label} ({generator.seconds[label]:.1f} s to insert)")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))
