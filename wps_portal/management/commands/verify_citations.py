from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext_lazy

from wps_portal import services
from wps_portal.provenance import mark_verified, save_locators, verify_citations


class Command(BaseCommand):
    help = (
        "Check that every citation's excerpt occurs in its source document and that every "
        "public record has at least one citation. Lists each failure; exits non-zero on any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sources", default=None, help="Folder of the source texts (default: settings.SOURCES_DIR)."
        )
        parser.add_argument(
            "--mark",
            action="store_true",
            help="Mark as verified the citations stored unverified whose excerpt is found now "
            "(they were saved where the source texts were missing), and store the section where "
            "each verified excerpt is found when it differs from the one stored.",
        )

    def handle(self, *args, sources=None, mark=False, **options):
        directory = Path(sources) if sources else Path(settings.SOURCES_DIR)
        report = verify_citations(directory)
        self.fix(
            report.found_unverified,
            mark,
            mark_verified,
            "verify_citations --mark",
            done=ngettext_lazy(
                "%(n)d unverified citation found in its source: marked verified.",
                "%(n)d unverified citations found in their sources: marked verified.",
                "n",
            ),
            pending=ngettext_lazy(
                "%(n)d citation is stored unverified but found in its source: run with --mark to "
                "mark it verified.",
                "%(n)d citations are stored unverified but found in their sources: run with --mark "
                "to mark them verified.",
                "n",
            ),
        )
        self.fix(
            report.relocated,
            mark,
            save_locators,
            "verify_citations --mark: section locators",
            done=ngettext_lazy(
                "%(n)d citation's section locator updated.", "%(n)d citations' section locators updated.", "n"
            ),
            pending=ngettext_lazy(
                "%(n)d citation's stored section differs from where its excerpt is found: run with "
                "--mark to update it.",
                "%(n)d citations' stored sections differ from where their excerpts are found: run "
                "with --mark to update them.",
                "n",
            ),
        )
        for failure in report.failures:
            self.stderr.write(str(failure))
        summary = (
            f"{report.checked} citations checked on {report.records} records: "
            f"{len(report.failures)} failures."
        )
        if report.failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def fix(self, citations, mark, save, reason, *, done, pending):
        """With --mark, store ``citations`` through the write path and say so; without, say
        how many there are (``done`` and ``pending``: messages with a plural on ``n``)."""
        if not citations:
            return
        if mark:
            with services.writing(services.Via.SHELL, reason=reason):
                count = save(citations)
            message = done
        else:
            count = len(citations)
            message = pending
        self.stdout.write(message % {"n": count})
