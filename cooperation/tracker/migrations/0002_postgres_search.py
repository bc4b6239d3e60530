"""Full-text search on PostgreSQL: a trigger keeps each `search_vector` current
(for every write path: admin, imports, bulk inserts) and a GIN index answers
the queries. SQLite has no tsvector; there the column stays empty and search
falls back to substring matching (SearchableQuerySet.search)."""

from django.db import migrations

SEARCHED_COLUMNS = {
    "tracker_organization": ("name", "short_name", "description"),
    "tracker_visit": ("title", "summary", "place"),
    "tracker_document": ("title", "short_title", "summary"),
    "tracker_commitment": ("title", "description"),
}


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in SEARCHED_COLUMNS.items():
        schema_editor.execute(
            f"CREATE TRIGGER {table}_search_vector_update BEFORE INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger("
            f"search_vector, 'pg_catalog.english', {', '.join(columns)})"
        )
        schema_editor.execute(f"CREATE INDEX {table}_search_idx ON {table} USING gin (search_vector)")
        # Fill the column for rows that already exist.
        schema_editor.execute(f"UPDATE {table} SET id = id")


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED_COLUMNS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search_vector_update ON {table}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_idx")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]

    operations = [migrations.RunPython(create_search, drop_search)]
