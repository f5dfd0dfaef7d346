from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wps_portal.corpus import CorpusError, load_corpus


class Command(BaseCommand):
    help = (
        "Load the corpus (YAML fixtures) in one transaction under the ownership rule: new records are "
        "created, records nobody edited follow the fixtures, a curator's changes are kept and reported."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", nargs="?", default=None, help="Corpus folder (default: settings.CORPUS_DIR)."
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace curators' changes with the fixtures (and say which).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what the load would do; change nothing."
        )
        parser.add_argument(
            "--unpublish-missing",
            action="store_true",
            help="Unpublish records the loaded files no longer state (relations, which have no status, are deleted).",
        )

    def handle(
        self, *args, directory=None, overwrite=False, dry_run=False, unpublish_missing=False, **options
    ):
        directory = Path(directory) if directory else Path(settings.CORPUS_DIR)
        try:
            report = load_corpus(
                directory, overwrite=overwrite, dry_run=dry_run, unpublish_missing=unpublish_missing
            )
        except CorpusError as exc:
            raise CommandError(f"Corpus not loaded, nothing changed. {exc}") from None
        self.stdout.write(str(report))
