"""The full-text index over every language's columns (README "Search"), and the documents' default
order per language, made by the migration
that adds those columns (0015_i18n_translations); kept here, outside the migration, so that the
migration can be renumbered or regenerated and still call the same two functions.

SQLite: the FTS5 index of each searched table (first made by 0009) made again over the English
column and each translated one, without diacritics (unicode61 folds the case of Cyrillic too).
Changing the organization table's constraints rebuilds that table on SQLite, which drops its
triggers: they are made again here in any case.

PostgreSQL: `search_vector` (0002) from each language's columns with its configuration: English
and Russian stemming, and for Kazakh and Serbian (both scripts) an unaccented simple dictionary,
`tracker_unaccented` (the unaccent extension). A trigger function per table replaces 0002's
`tsvector_update_trigger`, which takes one configuration only.
"""

SEARCHED_FIELDS = {
    "tracker_organization": ("name", "short_name", "description"),
    "tracker_visit": ("title", "summary", "place"),
    "tracker_document": ("title", "short_title", "summary"),
    "tracker_commitment": ("title", "description"),
}
# The English is the `_en` column: a queryset's update() writes that one only (modeltranslation).
SQLITE_SUFFIXES = ("_en", "_kk", "_ru", "_sr", "_sr_latn")
SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"
POSTGRES_PARTS = (
    ("pg_catalog.english", ("_en",)),
    ("pg_catalog.russian", ("_ru",)),
    ("tracker_unaccented", ("_kk",)),
    ("tracker_unaccented", ("_sr", "_sr_latn")),
)


def sqlite_columns(fields) -> list[str]:
    return [f"{field}{suffix}" for suffix in SQLITE_SUFFIXES for field in fields]


def drop_sqlite(schema_editor, table: str) -> None:
    index = f"{table}_search"
    for trigger in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {index}_{trigger}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {index}")


def create_sqlite(schema_editor, table: str, columns: list[str]) -> None:
    index = f"{table}_search"
    listed = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {index} USING fts5({listed}, content='{table}', content_rowid='id', "
        f"tokenize='{SQLITE_TOKENIZER}')"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {index}(rowid, {listed}) VALUES (new.id, {new}); END"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, {listed}) VALUES ('delete', old.id, {old}); END"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {index}_update AFTER UPDATE OF {listed} ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, {listed}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {index}(rowid, {listed}) VALUES (new.id, {new}); END"
    )
    schema_editor.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


def postgres_function(table: str, fields) -> str:
    parts = []
    for config, suffixes in POSTGRES_PARTS:
        columns = ", ".join(f"NEW.{field}{suffix}" for suffix in suffixes for field in fields)
        parts.append(f"to_tsvector('{config}', concat_ws(' ', {columns}))")
    vector = " || ".join(parts)
    return (
        f"CREATE OR REPLACE FUNCTION {table}_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN NEW.search_vector := {vector}; RETURN NEW; END $$"
    )


# The documents' default order (newest signed first, unsigned last, then title) has an index per
# database written in SQL (migrations 0006, 0008) on the `title` column; the list now sorts by the
# page language's title column, so each language has its own.
LANGUAGE_SUFFIXES = ("en", "kk", "ru", "sr", "sr_latn")


def default_order_index(language: str) -> str:
    return f"document_default_order_{language}_idx"


def create_default_order_indexes(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for language in LANGUAGE_SUFFIXES:
        name, title = default_order_index(language), f"title_{language}"
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX {name} ON tracker_document (signed_on DESC NULLS LAST, {title}, id) "
                "INCLUDE (publication_status)"
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE INDEX {name} ON tracker_document (publication_status, signed_on DESC, {title}, id)"
            )
    if vendor == "sqlite":
        schema_editor.execute("ANALYZE tracker_document")


def drop_default_order_indexes(schema_editor) -> None:
    for language in LANGUAGE_SUFFIXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {default_order_index(language)}")


def create_language_search(apps, schema_editor) -> None:
    create_default_order_indexes(schema_editor)
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table, fields in SEARCHED_FIELDS.items():
            drop_sqlite(schema_editor, table)
            create_sqlite(schema_editor, table, sqlite_columns(fields))
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema_editor.execute(
            "DO $$ BEGIN CREATE TEXT SEARCH CONFIGURATION tracker_unaccented (COPY = pg_catalog.simple); "
            "EXCEPTION WHEN unique_violation THEN NULL; END $$"
        )
        schema_editor.execute(
            "ALTER TEXT SEARCH CONFIGURATION tracker_unaccented "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
        )
        for table, fields in SEARCHED_FIELDS.items():
            schema_editor.execute(postgres_function(table, fields))
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search_vector_update ON {table}")
            schema_editor.execute(
                f"CREATE TRIGGER {table}_search_vector_update BEFORE INSERT OR UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_search_vector()"
            )
            schema_editor.execute(f"UPDATE {table} SET id = id")  # the vectors of existing rows


def drop_language_search(apps, schema_editor) -> None:
    """Back to one language: 0002's and 0009's index over the English columns."""
    drop_default_order_indexes(schema_editor)
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table, fields in SEARCHED_FIELDS.items():
            drop_sqlite(schema_editor, table)
            create_sqlite(schema_editor, table, list(fields))
    elif vendor == "postgresql":
        for table, fields in SEARCHED_FIELDS.items():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search_vector_update ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_search_vector()")
            schema_editor.execute(
                f"CREATE TRIGGER {table}_search_vector_update BEFORE INSERT OR UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger("
                f"search_vector, 'pg_catalog.english', {', '.join(fields)})"
            )
            schema_editor.execute(f"UPDATE {table} SET id = id")
