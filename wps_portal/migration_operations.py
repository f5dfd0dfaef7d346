"""Migration operations shared by the apps."""

from django.db import migrations


class CreateSearchIndex(migrations.operations.base.Operation):
    """On PostgreSQL, a GIN index on the full-text vector of a model's ``search_text``.

    The indexed expression is the one ``wps_portal.models.search_vector()`` queries, so the
    planner uses it. Other databases get no index (they search with LIKE); the operation is a no-op
    there, and reversible everywhere.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def deconstruct(self):
        return self.__class__.__name__, [self.model_name], {}

    def state_forwards(self, app_label, state):
        pass

    def _table(self, app_label, state):
        return state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, to_state)
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_search_gin" ON "{table}" '
            f"USING gin (to_tsvector('simple'::regconfig, COALESCE(\"search_text\", '')))"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f'DROP INDEX IF EXISTS "{self._table(app_label, from_state)}_search_gin"')

    def describe(self):
        return f"Create a full-text search index on {self.model_name} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return f"search_index_{self.model_name.lower()}"
