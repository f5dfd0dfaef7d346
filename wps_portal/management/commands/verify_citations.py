from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wps_portal.provenance import verify_citations


class Command(BaseCommand):
    help = (
        "Check that every citation's excerpt occurs in its source document and that every "
        "public record has at least one citation. Lists each failure; exits non-zero on any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sources", default=None, help="Folder of the source texts (default: settings.SOURCES_DIR)."
        )

    def handle(self, *args, sources=None, **options):
        directory = Path(sources) if sources else Path(settings.SOURCES_DIR)
        report = verify_citations(directory)
        for failure in report.failures:
            self.stderr.write(str(failure))
        summary = (
            f"{report.checked} citations checked on {report.records} records: "
            f"{len(report.failures)} failures."
        )
        if report.failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
