"""Full-text search on SQLite: an FTS5 index beside each searched table, kept current by triggers
(for every write path: admin, imports, bulk inserts, deletes), so that `q` is answered from an
index rather than by a substring scan of every row (150 ms at 100,000 commitments). The same
columns as PostgreSQL's search vector (migration 0002); words are stemmed (Porter, English) and
compared without case or diacritics. The index holds no text of its own: it reads the table's
(an external-content FTS5 table). PostgreSQL: nothing to do."""

from django.db import migrations

SEARCHED_COLUMNS = {
    "tracker_organization": ("name", "short_name", "description"),
    "tracker_visit": ("title", "summary", "place"),
    "tracker_document": ("title", "short_title", "summary"),
    "tracker_commitment": ("title", "description"),
}
TOKENIZER = "porter unicode61 remove_diacritics 2"


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, columns in SEARCHED_COLUMNS.items():
        index = f"{table}_search"
        listed = ", ".join(columns)
        new = ", ".join(f"new.{column}" for column in columns)
        old = ", ".join(f"old.{column}" for column in columns)
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {index} USING fts5({listed}, content='{table}', content_rowid='id', "
            f"tokenize='{TOKENIZER}')"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {index}(rowid, {listed}) VALUES (new.id, {new}); END"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {index}({index}, rowid, {listed}) VALUES ('delete', old.id, {old}); END"
        )
        # Only when a searched column is written (not for a status or a stored count).
        schema_editor.execute(
            f"CREATE TRIGGER {index}_update AFTER UPDATE OF {listed} ON {table} BEGIN "
            f"INSERT INTO {index}({index}, rowid, {listed}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {index}(rowid, {listed}) VALUES (new.id, {new}); END"
        )
        # Index the rows that already exist.
        schema_editor.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in SEARCHED_COLUMNS:
        index = f"{table}_search"
        for trigger in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {index}_{trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0008_more_sort_indexes")]

    operations = [migrations.RunPython(create_search, drop_search)]
