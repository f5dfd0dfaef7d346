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


SQLITE_FTS = "wps_portal_searchentry_fts"
COLUMNS = ("a", "b", "c", "d")
COLUMN_END = "zzcolumnendzz"


class CreateSearchEngine(migrations.operations.base.Operation):
    """The database's own full-text machinery over ``wps_portal_searchentry``'s columns a–d.

    - SQLite: an FTS5 table (external content, tokenizer unicode61 remove_diacritics 2) kept in
      step with the entries by triggers.
    - PostgreSQL: a ``search_vector`` tsvector column (a weighted A–D, 'simple' configuration: the
      text is already folded and stemmed in Python) set by a trigger, with a GIN index; and, where
      the server lets us create the pg_trgm extension, a trigram index on the vocabulary.

    Invisible to Django's model state (no field), reversible on both.
    """

    reversible = True
    reduces_to_sql = True

    def deconstruct(self):
        return self.__class__.__name__, [], {}

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            for statement in sqlite_statements():
                schema_editor.execute(statement)
        elif vendor == "postgresql":
            for statement in postgresql_statements():
                schema_editor.execute(statement)
            create_trigram_index(schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            for name in ("ai", "ad", "au"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS wps_portal_searchentry_{name}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {SQLITE_FTS}")
        elif vendor == "postgresql":
            schema_editor.execute("DROP INDEX IF EXISTS wps_portal_searchword_trgm")
            schema_editor.execute(
                "DROP TRIGGER IF EXISTS wps_portal_searchentry_vector ON wps_portal_searchentry"
            )
            schema_editor.execute("DROP FUNCTION IF EXISTS wps_portal_searchentry_vector()")
            schema_editor.execute("DROP INDEX IF EXISTS wps_portal_searchentry_vector_gin")
            schema_editor.execute("ALTER TABLE wps_portal_searchentry DROP COLUMN IF EXISTS search_vector")

    def describe(self):
        return "Create the full-text search engine over the search entries (FTS5 or tsvector)"

    @property
    def migration_name_fragment(self):
        return "search_engine"


def sqlite_statements() -> list[str]:
    cols = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    return [
        f"CREATE VIRTUAL TABLE {SQLITE_FTS} USING fts5({cols}, content='wps_portal_searchentry', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER wps_portal_searchentry_ai AFTER INSERT ON wps_portal_searchentry BEGIN "
        f"INSERT INTO {SQLITE_FTS}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER wps_portal_searchentry_ad AFTER DELETE ON wps_portal_searchentry BEGIN "
        f"INSERT INTO {SQLITE_FTS}({SQLITE_FTS}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER wps_portal_searchentry_au AFTER UPDATE ON wps_portal_searchentry BEGIN "
        f"INSERT INTO {SQLITE_FTS}({SQLITE_FTS}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {SQLITE_FTS}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"INSERT INTO {SQLITE_FTS}({SQLITE_FTS}) VALUES ('rebuild')",
    ]


def pg_vector(columns=COLUMNS) -> str:
    """The trigger's tsvector of the entry's ``columns``, each weighted by its name (a → A)."""
    # Concatenated tsvectors continue each other's positions, so a phrase could match across two
    # columns, as it cannot in FTS5: each column ends with a marker lexeme, removed again by
    # ts_delete, which leaves the gap in positions behind.
    vector = " || ".join(
        f"setweight(to_tsvector('simple'::regconfig, COALESCE(NEW.{c}, '') || ' {COLUMN_END}'), '{c.upper()}')"
        for c in columns
    )
    return f"ts_delete({vector}, '{COLUMN_END}'::text)"


def postgresql_statements() -> list[str]:
    vector = pg_vector()
    return [
        "ALTER TABLE wps_portal_searchentry ADD COLUMN search_vector tsvector",
        "CREATE FUNCTION wps_portal_searchentry_vector() RETURNS trigger AS $$ BEGIN "
        f"NEW.search_vector := {vector}; RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER wps_portal_searchentry_vector BEFORE INSERT OR UPDATE ON wps_portal_searchentry "
        "FOR EACH ROW EXECUTE FUNCTION wps_portal_searchentry_vector()",
        "UPDATE wps_portal_searchentry SET a = a",
        "CREATE INDEX wps_portal_searchentry_vector_gin ON wps_portal_searchentry USING gin (search_vector)",
    ]


def create_trigram_index(schema_editor) -> bool:
    """pg_trgm where the server has it and lets us create it; without it, typo tolerance computes
    the same similarity in Python (``wps_portal.search.engine.correct``)."""
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return False
    schema_editor.execute(
        "CREATE INDEX wps_portal_searchword_trgm ON wps_portal_searchword USING gin (word gin_trgm_ops)"
    )
    return True


SQLITE_VOCABULARY_TRIGRAMS = "wps_portal_searchword_trgm"


class CreateVocabularyTrigrams(migrations.operations.base.Operation):
    """On SQLite, the vocabulary's trigram index (pg_trgm's GIN index on PostgreSQL, see
    :func:`create_trigram_index`): an FTS5 table with the trigram tokenizer over each word padded
    as pg_trgm pads it ("  word "), kept in step with ``wps_portal_searchword`` by triggers. Typo
    correction reads from it the words that share two trigrams or more with the word typed
    (``wps_portal.search.engine.correct``) instead of measuring the whole vocabulary."""

    reversible = True
    reduces_to_sql = True

    def deconstruct(self):
        return self.__class__.__name__, [], {}

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return
        table, words = SQLITE_VOCABULARY_TRIGRAMS, "wps_portal_searchword"
        padded = "'  ' || {0}.word || ' '"
        for statement in (
            f"CREATE VIRTUAL TABLE {table} USING fts5(word, content='{words}', content_rowid='id', "
            "tokenize='trigram', detail='none')",
            f"CREATE TRIGGER {table}_ai AFTER INSERT ON {words} BEGIN "
            f"INSERT INTO {table}(rowid, word) VALUES (new.id, {padded.format('new')}); END",
            f"CREATE TRIGGER {table}_ad AFTER DELETE ON {words} BEGIN "
            f"INSERT INTO {table}({table}, rowid, word) VALUES ('delete', old.id, {padded.format('old')}); END",
            f"CREATE TRIGGER {table}_au AFTER UPDATE ON {words} BEGIN "
            f"INSERT INTO {table}({table}, rowid, word) VALUES ('delete', old.id, {padded.format('old')}); "
            f"INSERT INTO {table}(rowid, word) VALUES (new.id, {padded.format('new')}); END",
            f"INSERT INTO {table}(rowid, word) SELECT id, {padded.format(words)} FROM {words}",
        ):
            schema_editor.execute(statement)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return
        for suffix in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {SQLITE_VOCABULARY_TRIGRAMS}_{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {SQLITE_VOCABULARY_TRIGRAMS}")

    def describe(self):
        return "Create the vocabulary's trigram index (SQLite only; PostgreSQL has pg_trgm)"

    @property
    def migration_name_fragment(self):
        return "vocabulary_trigrams"


class AddNamesVector(migrations.operations.base.Operation):
    """On PostgreSQL, ``names_vector``: the entry's names and titles alone (columns a and b), kept
    by the same trigger as ``search_vector``, with its own GIN index. The broad search's tiers of
    names and titles ask it (``wps_portal.search.engine.Syntax``); a weight label on the whole
    vector (``'kosovo':AB``) would have PostgreSQL re-read every match's whole vector (11,517 of
    them for "Kosovo Women's Network" at 200,000 activities). SQLite's FTS5 filters columns itself."""

    reversible = True
    reduces_to_sql = True

    def deconstruct(self):
        return self.__class__.__name__, [], {}

    def state_forwards(self, app_label, state):
        pass

    def _function(self, names: bool) -> str:
        body = f"NEW.search_vector := {pg_vector()};"
        if names:
            body += f" NEW.names_vector := {pg_vector(('a', 'b'))};"
        return (
            "CREATE OR REPLACE FUNCTION wps_portal_searchentry_vector() RETURNS trigger AS $$ BEGIN "
            f"{body} RETURN NEW; END $$ LANGUAGE plpgsql"
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("ALTER TABLE wps_portal_searchentry ADD COLUMN names_vector tsvector")
        schema_editor.execute(self._function(names=True))
        schema_editor.execute("UPDATE wps_portal_searchentry SET a = a")
        schema_editor.execute(
            "CREATE INDEX wps_portal_searchentry_names_gin ON wps_portal_searchentry USING gin (names_vector)"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(self._function(names=False))
        schema_editor.execute("ALTER TABLE wps_portal_searchentry DROP COLUMN IF EXISTS names_vector")

    def describe(self):
        return "Add the search entries' vector of names and titles (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return "names_vector"
