from django.core.management.base import BaseCommand

from wps_portal.corpus import export_corpus


class Command(BaseCommand):
    help = (
        "Write the whole knowledge base (published and draft) as fixture files in DIR, in the fixtures' "
        "format and files, so a curator's work can be reviewed as a diff and committed back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", help="Folder to write (e.g. fixtures/ to update the corpus in place)."
        )

    def handle(self, *args, directory, **options):
        self.stdout.write(str(export_corpus(directory)))
