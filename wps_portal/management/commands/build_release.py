import datetime

from django.core.management.base import BaseCommand, CommandError

from wps_portal.releases import build, releases_dir


def iso_date(text: str) -> str:
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise CommandError(f"--date: {text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Build a release of the published records: a Frictionless Data Package (CSVs zipped with "
        "datapackage.json), an SQLite file, a JSON file, CITATION.cff and SHA256SUMS. The same "
        "data gives the same files, byte for byte."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help=f"Folder to write (default: {releases_dir()}/<version>/, the folder /data/ serves).",
        )
        parser.add_argument(
            "--date",
            type=iso_date,
            help="The release's date, part of its version (default: the day of the latest change "
            "of any record released, so rebuilding unchanged data gives the same version).",
        )

    def handle(self, *args, output=None, date=None, **options):
        release = build(output, date=date)
        self.stdout.write(f"Release {release.version} in {release.directory}")
        for table in release.manifest["tables"]:
            self.stdout.write(f"  {table['name']}: {table['rows']} rows")
        for item in release.files:
            self.stdout.write(f"  {item['name']}  {item['bytes']} bytes  sha256 {item['sha256']}")
