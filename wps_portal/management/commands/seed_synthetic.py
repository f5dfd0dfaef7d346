from django.core.management.base import BaseCommand, CommandError

from wps_portal import synthetic


class Command(BaseCommand):
    help = (
        "Add deterministic synthetic partners and activities on top of the corpus (for measuring "
        "the portal at scale). The same arguments give the same records."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partners", type=int, default=2000)
        parser.add_argument("--activities", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace", action="store_true", help="Delete synthetic records added before, then seed."
        )

    def handle(self, *args, partners, activities, seed, replace, **options):
        if partners < 0 or activities < 0:
            raise CommandError("--partners and --activities must be 0 or more.")
        if synthetic.existing():
            if not replace:
                raise CommandError(
                    "This database already holds synthetic records; add --replace to delete them first."
                )
            synthetic.remove()
        try:
            stats = synthetic.seed(
                partners=partners, activities=activities, seed=seed, progress=self.stderr.write
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Added {stats}.")
