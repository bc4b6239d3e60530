"""Backup and restore of everything staff entered: the tracker's records with
their full change history, the staff accounts and groups, and the admin log.

A backup is a Django JSON fixture (optionally gzipped). Rows keep their ids, so
every link survives; only content types and permissions, whose ids depend on
the order migrations ran in, are referred to by natural key. Restoring runs
in one transaction: either the whole backup is in, or nothing changed.
"""

import datetime
import gzip
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils.translation import gettext as _

from cooperation.tracker.models import ContentVersion, changed_in_bulk

BACKUP_SUFFIXES = (".json", ".json.gz")
# Referred to by natural key: their ids differ between databases.
NATURAL_KEY_MODELS = (ContentType, Permission)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


def backup_models() -> list[type[models.Model]]:
    """What a backup holds, in an order that loads cleanly (referenced rows first).

    Not the content version: it belongs to this database's caches, and must never go back.
    """
    tracker = [model for model in apps.get_app_config("tracker").get_models() if model is not ContentVersion]
    return [Group, get_user_model(), *tracker, LogEntry]


def check_backup_path(path: Path) -> None:
    if not path.name.endswith(BACKUP_SUFFIXES):
        raise BackupError(_("A backup file name must end in .json or .json.gz, not “%(name)s”.") % {"name": path.name})


class LosslessJSONEncoder(DjangoJSONEncoder):
    """Keeps microseconds, which DjangoJSONEncoder cuts to milliseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupSerializer(JSONSerializer):
    """A loaddata-compatible fixture: natural keys for content types and
    permissions only, and no `search_vector` (PostgreSQL's trigger rebuilds it)."""

    def handle_field(self, obj, field):
        if not isinstance(field, SearchVectorField):
            super().handle_field(obj, field)

    def handle_fk_field(self, obj, field):
        with self._natural_keys_for(field.remote_field.model):
            super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        with self._natural_keys_for(field.remote_field.model):
            super().handle_m2m_field(obj, field)

    @contextmanager
    def _natural_keys_for(self, model):
        saved = self.use_natural_foreign_keys
        self.use_natural_foreign_keys = issubclass(model, NATURAL_KEY_MODELS)
        try:
            yield
        finally:
            self.use_natural_foreign_keys = saved


def _open_for_writing(path: Path, compress: bool):
    if compress:
        return gzip.open(path, "wt", encoding="utf-8")
    return path.open("w", encoding="utf-8")


def _counted(rows: Iterable[models.Model], counts: Counter) -> Iterator[models.Model]:
    for row in rows:
        counts[row._meta.label] += 1
        yield row


def write_backup(path: Path, using: str = DEFAULT_DB_ALIAS) -> Counter:
    """Write a consistent snapshot of the backed-up models to `path`; return rows per model."""
    check_backup_path(path)
    connection = connections[using]
    counts: Counter = Counter()
    # The isolation level can only be chosen by the statement that opens the transaction.
    opens_transaction = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and opens_transaction:
            # One snapshot for all tables, even while staff keep editing.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        rows = itertools.chain.from_iterable(
            model._base_manager.using(using).order_by("pk").iterator() for model in backup_models()
        )
        # Written beside the target and renamed at the end: a failed backup never
        # leaves a half-written file under the real name.
        partial = path.with_name(f".{path.name}.partial")
        try:
            with _open_for_writing(partial, compress=path.name.endswith(".gz")) as stream:
                BackupSerializer().serialize(_counted(rows, counts), stream=stream, cls=LosslessJSONEncoder)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
    return counts


def _tables_of(model_classes: Iterable[type[models.Model]]) -> list[str]:
    tables = []
    for model in model_classes:
        tables.append(model._meta.db_table)
        tables.extend(
            field.remote_field.through._meta.db_table
            for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        )
    return tables


def _empty_tables(connection, tables: list[str]) -> None:
    # DELETE rather than TRUNCATE: foreign keys are checked at commit, so the
    # order does not matter, and it works inside a transaction with pending checks.
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - model table names


def row_counts(using: str = DEFAULT_DB_ALIAS) -> Counter:
    return Counter({model._meta.label: model._base_manager.using(using).count() for model in backup_models()})


def restore_backup(path: Path, replace: bool = False, using: str = DEFAULT_DB_ALIAS) -> Counter:
    """Load a backup in one transaction. Refuses a database that already holds
    records unless `replace`, which first empties the backed-up tables."""
    check_backup_path(path)
    if not path.exists():
        raise BackupError(_("No backup file at %(path)s.") % {"path": path})
    connection = connections[using]
    with transaction.atomic(using=using):
        existing = +row_counts(using)
        if existing and not replace:
            raise BackupError(
                _(
                    "The database is not empty (%(summary)s). Restore into an empty database, "
                    "or pass --replace to delete these records first."
                )
                % {"summary": ", ".join(f"{count} {label}" for label, count in sorted(existing.items()))}
            )
        if existing:
            _empty_tables(connection, _tables_of(backup_models()))
        try:
            call_command("loaddata", str(path), database=using, verbosity=0)
        except Exception as error:
            raise BackupError(
                _("The backup could not be loaded, nothing was changed: %(error)s") % {"error": error}
            ) from error
        changed_in_bulk.send(sender=None, using=using)  # the raw DELETEs sent no signals
        return +row_counts(using)
