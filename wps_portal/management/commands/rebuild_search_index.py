from django.core.management.base import BaseCommand

from wps_portal.search.index import refresh_search_text, searchable_models


class Command(BaseCommand):
    help = "Rebuild the whole search index (every kind of record) and its vocabulary."

    def handle(self, *args, **options):
        changed = refresh_search_text(searchable_models())
        self.stdout.write(f"Search index rebuilt: {changed} record(s) changed.")
