from django.core.management.base import BaseCommand

from wps_portal.search.index import indexed_models, refresh_search_text


class Command(BaseCommand):
    help = "Rebuild the whole search index (every kind of record) and its vocabulary."

    def handle(self, *args, **options):
        changed = refresh_search_text(indexed_models())
        self.stdout.write(f"Search index rebuilt: {changed} record(s) changed.")
