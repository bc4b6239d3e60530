"""Issue 14: how each status is known, the promise in its own words, who leads and who supports,
and events the reports do not date.

- StatusUpdate: `basis` (reported / assessed), the quoted passage, the editors' reasoning (required
  when assessed, a CHECK) and the sources an assessment rests on.
- Commitment.basis: the current status's basis, derived like the status (empty: no update).
- CommitmentStatus "no information": the state of a commitment that no published update speaks
  of (it was "not started"); existing ones move to it here.
- Commitment: `promise_passage` and `promise_source`.
- Responsibility: the through model of `responsible_organizations` (role lead/support, side). The
  rows of the old auto-created table are copied: each gets the side of its organization's
  country (a bilateral body without one), and each commitment's first organization is its lead
  ("the lead organization first", as the old form asked). The old table is dropped.
- Visit.start_date may be empty ("date not reported").

On SQLite, the new NOT NULL columns and the nullable start date rebuild tracker_commitment and
tracker_visit, which drops the triggers of their full-text indexes (migration 0009): they are
made again at the end.
"""

import importlib

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

OLD_TABLE = "tracker_commitment_responsible_organizations"
SIDE_OF_COUNTRY = {"KZ": "kazakhstan", "RS": "serbia"}


def copy_responsibilities(apps, schema_editor):
    Responsibility = apps.get_model("tracker", "Responsibility")
    Organization = apps.get_model("tracker", "Organization")
    db = schema_editor.connection.alias
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT commitment_id, organization_id FROM {OLD_TABLE} ORDER BY id")
        rows = cursor.fetchall()
    countries = dict(Organization.objects.using(db).values_list("pk", "country__code"))
    seen = set()
    made = []
    for commitment_id, organization_id in rows:
        made.append(
            Responsibility(
                commitment_id=commitment_id,
                organization_id=organization_id,
                role="support" if commitment_id in seen else "lead",
                side=SIDE_OF_COUNTRY.get(countries.get(organization_id), "bilateral_body"),
            )
        )
        seen.add(commitment_id)
    Responsibility.objects.using(db).bulk_create(made, batch_size=1000)


def drop_old_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE {OLD_TABLE}")


def no_information_without_updates(apps, schema_editor):
    Commitment = apps.get_model("tracker", "Commitment")
    StatusUpdate = apps.get_model("tracker", "StatusUpdate")
    db = schema_editor.connection.alias
    spoken_of = StatusUpdate.objects.using(db).filter(publication_status="published").values("commitment")
    Commitment.objects.using(db).exclude(pk__in=spoken_of).update(status="no_information", progress=0)
    # Every update so far was entered as reported (the new column's default).
    Commitment.objects.using(db).filter(pk__in=spoken_of).update(basis="reported")


def restore_sqlite_search(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    search = importlib.import_module("cooperation.tracker.migrations.0009_sqlite_search")
    for table in ("tracker_visit", "tracker_commitment"):
        index = f"{table}_search"
        columns = search.SEARCHED_COLUMNS[table]
        listed = ", ".join(columns)
        new = ", ".join(f"new.{column}" for column in columns)
        old = ", ".join(f"old.{column}" for column in columns)
        for trigger in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {index}_{trigger}")
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
    schema_editor.execute("ANALYZE tracker_visit")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0013_treaty_steps_and_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalResponsibility",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[("lead", "lead"), ("support", "support")],
                        db_index=True,
                        default="support",
                        max_length=10,
                        verbose_name="role",
                    ),
                ),
                (
                    "side",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("kazakhstan", "Kazakhstan"),
                            ("serbia", "Serbia"),
                            ("both", "both countries"),
                            ("bilateral_body", "bilateral body"),
                        ],
                        db_index=True,
                        help_text="The side it acts for; empty: from the organization's country (a bilateral body if it has none).",
                        max_length=20,
                        verbose_name="side",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
            ],
            options={
                "verbose_name": "historical responsibility",
                "verbose_name_plural": "historical responsibilities",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Responsibility",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[("lead", "lead"), ("support", "support")],
                        db_index=True,
                        default="support",
                        max_length=10,
                        verbose_name="role",
                    ),
                ),
                (
                    "side",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("kazakhstan", "Kazakhstan"),
                            ("serbia", "Serbia"),
                            ("both", "both countries"),
                            ("bilateral_body", "bilateral body"),
                        ],
                        db_index=True,
                        help_text="The side it acts for; empty: from the organization's country (a bilateral body if it has none).",
                        max_length=20,
                        verbose_name="side",
                    ),
                ),
            ],
            options={
                "verbose_name": "responsibility",
                "verbose_name_plural": "responsibilities",
                "ordering": ["commitment", "role", "side", "id"],
            },
        ),
        migrations.AlterModelOptions(
            name="visit",
            options={
                "ordering": [models.OrderBy(models.F("start_date"), descending=True, nulls_last=True), "title"],
                "permissions": [("publish_visit", "Can publish and unpublish visits and events")],
                "verbose_name": "visit or event",
                "verbose_name_plural": "visits and events",
            },
        ),
        migrations.AddField(
            model_name="commitment",
            name="promise_passage",
            field=models.TextField(
                blank=True,
                help_text="The passage of the source that makes the promise, quoted verbatim.",
                verbose_name="the promise in its own words",
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="promise_source",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="promises",
                to="tracker.source",
                verbose_name="source of the promise",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitment",
            name="promise_passage",
            field=models.TextField(
                blank=True,
                help_text="The passage of the source that makes the promise, quoted verbatim.",
                verbose_name="the promise in its own words",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitment",
            name="promise_source",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.source",
                verbose_name="source of the promise",
            ),
        ),
        migrations.AddField(
            model_name="historicalstatusupdate",
            name="basis",
            field=models.CharField(
                choices=[("reported", "reported"), ("assessed", "assessed by the editors")],
                db_index=True,
                default="reported",
                help_text="Reported: a source says so. Assessed: the editors' judgement, with the reasoning.",
                max_length=10,
                verbose_name="basis",
            ),
        ),
        migrations.AddField(
            model_name="historicalstatusupdate",
            name="basis_passage",
            field=models.TextField(
                blank=True,
                help_text="Where it helps: the passage of the source that reports it.",
                verbose_name="quoted passage",
            ),
        ),
        migrations.AddField(
            model_name="historicalstatusupdate",
            name="reasoning",
            field=models.TextField(
                blank=True,
                help_text="Required when assessed: the editors' reasoning in a sentence.",
                verbose_name="reasoning",
            ),
        ),
        migrations.AddField(
            model_name="statusupdate",
            name="basis",
            field=models.CharField(
                choices=[("reported", "reported"), ("assessed", "assessed by the editors")],
                db_index=True,
                default="reported",
                help_text="Reported: a source says so. Assessed: the editors' judgement, with the reasoning.",
                max_length=10,
                verbose_name="basis",
            ),
        ),
        migrations.AddField(
            model_name="statusupdate",
            name="basis_passage",
            field=models.TextField(
                blank=True,
                help_text="Where it helps: the passage of the source that reports it.",
                verbose_name="quoted passage",
            ),
        ),
        migrations.AddField(
            model_name="statusupdate",
            name="reasoning",
            field=models.TextField(
                blank=True,
                help_text="Required when assessed: the editors' reasoning in a sentence.",
                verbose_name="reasoning",
            ),
        ),
        migrations.AddField(
            model_name="statusupdate",
            name="sources",
            field=models.ManyToManyField(
                blank=True,
                help_text="For an assessment: the sources the editors' judgement rests on.",
                related_name="assessed_updates",
                to="tracker.source",
                verbose_name="sources it rests on",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="status",
            field=models.CharField(
                choices=[
                    ("no_information", "no information"),
                    ("not_started", "not started"),
                    ("in_progress", "in progress"),
                    ("delayed", "delayed"),
                    ("partially_completed", "partially completed"),
                    ("completed", "completed"),
                    ("cancelled", "cancelled"),
                ],
                db_index=True,
                default="no_information",
                editable=False,
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcommitment",
            name="status",
            field=models.CharField(
                choices=[
                    ("no_information", "no information"),
                    ("not_started", "not started"),
                    ("in_progress", "in progress"),
                    ("delayed", "delayed"),
                    ("partially_completed", "partially completed"),
                    ("completed", "completed"),
                    ("cancelled", "cancelled"),
                ],
                db_index=True,
                default="no_information",
                editable=False,
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="historicalstatusupdate",
            name="evidence_source",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The source that reports this state.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.source",
                verbose_name="evidence: source",
            ),
        ),
        migrations.AlterField(
            model_name="historicalstatusupdate",
            name="status",
            field=models.CharField(
                choices=[
                    ("no_information", "no information"),
                    ("not_started", "not started"),
                    ("in_progress", "in progress"),
                    ("delayed", "delayed"),
                    ("partially_completed", "partially completed"),
                    ("completed", "completed"),
                    ("cancelled", "cancelled"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="historicalvisit",
            name="start_date",
            field=models.DateField(
                blank=True,
                db_index=True,
                help_text="Empty when the reports give no date.",
                null=True,
                verbose_name="start date",
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="evidence_source",
            field=models.ForeignKey(
                blank=True,
                help_text="The source that reports this state.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="evidence_for",
                to="tracker.source",
                verbose_name="evidence: source",
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="status",
            field=models.CharField(
                choices=[
                    ("no_information", "no information"),
                    ("not_started", "not started"),
                    ("in_progress", "in progress"),
                    ("delayed", "delayed"),
                    ("partially_completed", "partially completed"),
                    ("completed", "completed"),
                    ("cancelled", "cancelled"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="visit",
            name="start_date",
            field=models.DateField(
                blank=True,
                db_index=True,
                help_text="Empty when the reports give no date.",
                null=True,
                verbose_name="start date",
            ),
        ),
        migrations.AddConstraint(
            model_name="statusupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(("basis__in", ["reported", "assessed"])),
                name="status_update_basis_known",
                violation_error_message="The basis is reported or assessed.",
            ),
        ),
        migrations.AddConstraint(
            model_name="statusupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("basis", "assessed"), _negated=True),
                    models.Q(("reasoning", ""), _negated=True),
                    _connector="OR",
                ),
                name="status_update_assessed_has_reasoning",
                violation_error_message="An assessed status needs the editors' reasoning.",
            ),
        ),
        migrations.AddConstraint(
            model_name="statusupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "no_information"), _negated=True),
                name="status_update_not_no_information",
                violation_error_message='"No information" is the state of a commitment that no update speaks of; it is not entered.',
            ),
        ),
        migrations.AddConstraint(
            model_name="visit",
            constraint=models.CheckConstraint(
                condition=models.Q(("end_date__isnull", True), ("start_date__isnull", False), _connector="OR"),
                name="visit_end_needs_start",
                violation_error_message="An event without a start date has no end date.",
            ),
        ),
        migrations.AddField(
            model_name="historicalresponsibility",
            name="commitment",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.commitment",
                verbose_name="commitment",
            ),
        ),
        migrations.AddField(
            model_name="historicalresponsibility",
            name="history_user",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="historicalresponsibility",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.organization",
                verbose_name="organization",
            ),
        ),
        migrations.AddField(
            model_name="responsibility",
            name="commitment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="responsibilities",
                to="tracker.commitment",
                verbose_name="commitment",
            ),
        ),
        migrations.AddField(
            model_name="responsibility",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="responsibilities",
                to="tracker.organization",
                verbose_name="organization",
            ),
        ),
        migrations.RunPython(copy_responsibilities, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_old_table, migrations.RunPython.noop)],
            state_operations=[
                migrations.AlterField(
                    model_name="commitment",
                    name="responsible_organizations",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="Which organization leads and which support, for which side.",
                        related_name="commitments",
                        through="tracker.Responsibility",
                        to="tracker.organization",
                        verbose_name="responsible organizations",
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="responsibility",
            constraint=models.UniqueConstraint(fields=("commitment", "organization"), name="responsibility_unique"),
        ),
        migrations.AddField(
            model_name="commitment",
            name="basis",
            field=models.CharField(
                blank=True,
                choices=[("reported", "reported"), ("assessed", "assessed by the editors")],
                db_index=True,
                editable=False,
                max_length=10,
                verbose_name="basis",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitment",
            name="basis",
            field=models.CharField(
                blank=True,
                choices=[("reported", "reported"), ("assessed", "assessed by the editors")],
                db_index=True,
                editable=False,
                max_length=10,
                verbose_name="basis",
            ),
        ),
        migrations.RunPython(no_information_without_updates, migrations.RunPython.noop),
        migrations.RunPython(restore_sqlite_search, migrations.RunPython.noop),
    ]
