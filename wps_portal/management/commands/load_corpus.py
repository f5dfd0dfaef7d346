from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wps_portal.corpus import CorpusError, load_corpus


class Command(BaseCommand):
    help = "Load the corpus (YAML fixtures) in one transaction; a second run changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", nargs="?", default=None, help="Corpus folder (default: settings.CORPUS_DIR)."
        )

    def handle(self, *args, directory=None, **options):
        directory = Path(directory) if directory else Path(settings.CORPUS_DIR)
        try:
            stats = load_corpus(directory)
        except CorpusError as exc:
            raise CommandError(f"Corpus not loaded, nothing changed. {exc}") from None
        self.stdout.write(
            f"Loaded {stats.files} files from {directory}: {stats.created} created, "
            f"{stats.updated} updated, {stats.deleted} deleted, {stats.unchanged} unchanged."
        )
