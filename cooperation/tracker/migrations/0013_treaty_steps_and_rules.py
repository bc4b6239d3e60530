"""Issue 16: each side's steps after a document's signature (DocumentStep), the treaty's own rules
on Document, and the treaty state derived from them, stored (status, entry into force, expiry,
termination, which side is awaited).

Data: a document not yet signed keeps its stage (planned, under negotiation) in
`stage_before_signature`; an entry into force typed before this migration becomes an
"entry into force" step of each side, so that the derived date is the one staff entered.

On SQLite, adding NOT NULL columns rebuilds tracker_document, which drops the triggers of its
full-text index (migration 0009) and the index written in SQL for its default order (0008):
both are made again at the end.
"""

import importlib

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def keep_stages_and_typed_entry_into_force(apps, schema_editor):
    Document = apps.get_model("tracker", "Document")
    Country = apps.get_model("tracker", "Country")
    DocumentStep = apps.get_model("tracker", "DocumentStep")
    db = schema_editor.connection.alias
    Document.objects.using(db).filter(status="negotiation").update(stage_before_signature="negotiation")
    sides = list(Country.objects.using(db).filter(code__in=["KZ", "RS"]))
    steps = [
        DocumentStep(
            document=document,
            side=side,
            kind="entry_into_force",
            effective_on=document.entry_into_force,
            note="Entered as the document's entry into force before steps were recorded.",
        )
        for document in Document.objects.using(db).exclude(entry_into_force=None)
        for side in sides
    ]
    DocumentStep.objects.using(db).bulk_create(steps)
    # A status typed before (in force, expired, terminated) is derived from now on: signed until
    # the steps say more; entry into force from the steps just made.
    Document.objects.using(db).exclude(status__in=["planned", "negotiation"]).update(status="signed")
    Document.objects.using(db).exclude(entry_into_force=None).update(status="in_force")


def restore_sqlite_search_and_order_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    search = importlib.import_module("cooperation.tracker.migrations.0009_sqlite_search")
    order = importlib.import_module("cooperation.tracker.migrations.0008_more_sort_indexes")
    table = "tracker_document"
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
    schema_editor.execute(f"DROP INDEX IF EXISTS {order.SQLITE_DOCUMENT_ORDER_INDEX}")
    order.create_sqlite_document_order_index(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0012_figures_indicator_and_figure"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentStep",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("signature", "signature"),
                            ("internal_procedure", "internal procedures completed"),
                            ("notification_sent", "notification of completion sent"),
                            ("notification_received", "notification of completion received"),
                            ("instruments", "exchange or deposit of instruments"),
                            ("provisional_start", "provisional application begins"),
                            ("provisional_end", "provisional application ends"),
                            ("entry_into_force", "entry into force"),
                            ("suspension", "suspension"),
                            ("suspension_lifted", "suspension lifted"),
                            ("denunciation", "denunciation (notice given)"),
                            ("termination", "termination"),
                            ("amendment", "amendment"),
                        ],
                        db_index=True,
                        max_length=30,
                        verbose_name="step",
                    ),
                ),
                ("act_on", models.DateField(blank=True, null=True, verbose_name="date of the act")),
                (
                    "effective_on",
                    models.DateField(
                        blank=True,
                        help_text="If different from the date of the act.",
                        null=True,
                        verbose_name="takes effect on",
                    ),
                ),
                (
                    "procedure_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("ratification", "ratification"),
                            ("approval", "approval"),
                            ("acceptance", "acceptance"),
                            ("government_decision", "government decision or decree"),
                        ],
                        max_length=30,
                        verbose_name="kind of internal procedure",
                    ),
                ),
                (
                    "act_number",
                    models.CharField(
                        blank=True,
                        help_text="The law's, decree's or decision's number.",
                        max_length=100,
                        verbose_name="act number",
                    ),
                ),
                (
                    "gazette_reference",
                    models.CharField(
                        blank=True,
                        help_text="Where the act was published.",
                        max_length=200,
                        verbose_name="official gazette",
                    ),
                ),
                ("note_number", models.CharField(blank=True, max_length=100, verbose_name="diplomatic note number")),
                ("note", models.TextField(blank=True, verbose_name="note")),
            ],
            options={
                "verbose_name": "step after signature",
                "verbose_name_plural": "steps after signature",
                "ordering": ["document", "side__name", models.OrderBy(models.F("act_on"), nulls_last=True), "id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalDocumentStep",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("signature", "signature"),
                            ("internal_procedure", "internal procedures completed"),
                            ("notification_sent", "notification of completion sent"),
                            ("notification_received", "notification of completion received"),
                            ("instruments", "exchange or deposit of instruments"),
                            ("provisional_start", "provisional application begins"),
                            ("provisional_end", "provisional application ends"),
                            ("entry_into_force", "entry into force"),
                            ("suspension", "suspension"),
                            ("suspension_lifted", "suspension lifted"),
                            ("denunciation", "denunciation (notice given)"),
                            ("termination", "termination"),
                            ("amendment", "amendment"),
                        ],
                        db_index=True,
                        max_length=30,
                        verbose_name="step",
                    ),
                ),
                ("act_on", models.DateField(blank=True, null=True, verbose_name="date of the act")),
                (
                    "effective_on",
                    models.DateField(
                        blank=True,
                        help_text="If different from the date of the act.",
                        null=True,
                        verbose_name="takes effect on",
                    ),
                ),
                (
                    "procedure_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("ratification", "ratification"),
                            ("approval", "approval"),
                            ("acceptance", "acceptance"),
                            ("government_decision", "government decision or decree"),
                        ],
                        max_length=30,
                        verbose_name="kind of internal procedure",
                    ),
                ),
                (
                    "act_number",
                    models.CharField(
                        blank=True,
                        help_text="The law's, decree's or decision's number.",
                        max_length=100,
                        verbose_name="act number",
                    ),
                ),
                (
                    "gazette_reference",
                    models.CharField(
                        blank=True,
                        help_text="Where the act was published.",
                        max_length=200,
                        verbose_name="official gazette",
                    ),
                ),
                ("note_number", models.CharField(blank=True, max_length=100, verbose_name="diplomatic note number")),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
            ],
            options={
                "verbose_name": "historical step after signature",
                "verbose_name_plural": "historical steps after signature",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="document",
            name="automatic_renewal",
            field=models.CharField(
                choices=[("yes", "yes"), ("no", "no"), ("not_reported", "not reported")],
                default="not_reported",
                max_length=20,
                verbose_name="renewed automatically",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="awaiting_kz",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="awaiting Kazakhstan's internal procedures"
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="awaiting_rs",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="awaiting Serbia's internal procedures"
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="duration_months",
            field=models.PositiveSmallIntegerField(
                blank=True, help_text="Empty: indefinite or not reported.", null=True, verbose_name="duration (months)"
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="ended_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="terminated on"),
        ),
        migrations.AddField(
            model_name="document",
            name="entry_into_force_delay",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="days or months after the last notification"
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="entry_into_force_fixed_on",
            field=models.DateField(blank=True, null=True, verbose_name="fixed date of entry into force"),
        ),
        migrations.AddField(
            model_name="document",
            name="entry_into_force_rule",
            field=models.CharField(
                choices=[
                    ("not_reported", "not reported"),
                    ("on_signature", "on signature"),
                    ("on_last_notification", "on the date of the last notification"),
                    ("days_after_notification", "a number of days after the last notification"),
                    ("months_after_notification", "a number of months after the last notification"),
                    ("fixed_date", "on a fixed date"),
                ],
                default="not_reported",
                max_length=30,
                verbose_name="entry-into-force clause",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="notice_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Before a denunciation takes effect.",
                null=True,
                verbose_name="notice period (months)",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="renewal_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Empty: as long as the first period.",
                null=True,
                verbose_name="renewal period (months)",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="stage_before_signature",
            field=models.CharField(
                choices=[("planned", "planned"), ("negotiation", "under negotiation")],
                default="planned",
                help_text="For a document not yet signed; once it has a signing date its status is derived.",
                max_length=20,
                verbose_name="stage before signature",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="state_changes_on",
            field=models.DateField(
                blank=True, db_index=True, editable=False, null=True, verbose_name="state changes on"
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="subject_to_procedures",
            field=models.CharField(
                choices=[("yes", "yes"), ("no", "no"), ("not_reported", "not reported")],
                default="not_reported",
                help_text="Whether each side must complete internal procedures (ratification, approval, …) first.",
                max_length=20,
                verbose_name="subject to internal procedures",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="automatic_renewal",
            field=models.CharField(
                choices=[("yes", "yes"), ("no", "no"), ("not_reported", "not reported")],
                default="not_reported",
                max_length=20,
                verbose_name="renewed automatically",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="awaiting_kz",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="awaiting Kazakhstan's internal procedures"
            ),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="awaiting_rs",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="awaiting Serbia's internal procedures"
            ),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="duration_months",
            field=models.PositiveSmallIntegerField(
                blank=True, help_text="Empty: indefinite or not reported.", null=True, verbose_name="duration (months)"
            ),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="ended_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="terminated on"),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="entry_into_force_delay",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="days or months after the last notification"
            ),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="entry_into_force_fixed_on",
            field=models.DateField(blank=True, null=True, verbose_name="fixed date of entry into force"),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="entry_into_force_rule",
            field=models.CharField(
                choices=[
                    ("not_reported", "not reported"),
                    ("on_signature", "on signature"),
                    ("on_last_notification", "on the date of the last notification"),
                    ("days_after_notification", "a number of days after the last notification"),
                    ("months_after_notification", "a number of months after the last notification"),
                    ("fixed_date", "on a fixed date"),
                ],
                default="not_reported",
                max_length=30,
                verbose_name="entry-into-force clause",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="notice_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Before a denunciation takes effect.",
                null=True,
                verbose_name="notice period (months)",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="renewal_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Empty: as long as the first period.",
                null=True,
                verbose_name="renewal period (months)",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="stage_before_signature",
            field=models.CharField(
                choices=[("planned", "planned"), ("negotiation", "under negotiation")],
                default="planned",
                help_text="For a document not yet signed; once it has a signing date its status is derived.",
                max_length=20,
                verbose_name="stage before signature",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="state_changes_on",
            field=models.DateField(
                blank=True, db_index=True, editable=False, null=True, verbose_name="state changes on"
            ),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="subject_to_procedures",
            field=models.CharField(
                choices=[("yes", "yes"), ("no", "no"), ("not_reported", "not reported")],
                default="not_reported",
                help_text="Whether each side must complete internal procedures (ratification, approval, …) first.",
                max_length=20,
                verbose_name="subject to internal procedures",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="entry_into_force",
            field=models.DateField(
                blank=True, db_index=True, editable=False, null=True, verbose_name="entry into force"
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="expires_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="expires on"),
        ),
        migrations.AlterField(
            model_name="document",
            name="status",
            field=models.CharField(
                choices=[
                    ("planned", "planned"),
                    ("negotiation", "under negotiation"),
                    ("signed", "signed"),
                    ("awaiting", "awaiting internal procedures"),
                    ("provisional", "applied provisionally"),
                    ("in_force", "in force"),
                    ("suspended", "suspended"),
                    ("expired", "expired"),
                    ("terminated", "terminated"),
                ],
                db_index=True,
                default="signed",
                editable=False,
                max_length=20,
                verbose_name="lifecycle status",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldocument",
            name="entry_into_force",
            field=models.DateField(
                blank=True, db_index=True, editable=False, null=True, verbose_name="entry into force"
            ),
        ),
        migrations.AlterField(
            model_name="historicaldocument",
            name="expires_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="expires on"),
        ),
        migrations.AlterField(
            model_name="historicaldocument",
            name="status",
            field=models.CharField(
                choices=[
                    ("planned", "planned"),
                    ("negotiation", "under negotiation"),
                    ("signed", "signed"),
                    ("awaiting", "awaiting internal procedures"),
                    ("provisional", "applied provisionally"),
                    ("in_force", "in force"),
                    ("suspended", "suspended"),
                    ("expired", "expired"),
                    ("terminated", "terminated"),
                ],
                db_index=True,
                default="signed",
                editable=False,
                max_length=20,
                verbose_name="lifecycle status",
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["publication_status", "awaiting_kz", "id"], name="document_awaiting_kz_idx"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["publication_status", "awaiting_rs", "id"], name="document_awaiting_rs_idx"),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("entry_into_force_delay__gt", 0),
                        ("entry_into_force_delay__isnull", False),
                        ("entry_into_force_rule__in", ["days_after_notification", "months_after_notification"]),
                    ),
                    models.Q(
                        models.Q(
                            ("entry_into_force_rule__in", ["days_after_notification", "months_after_notification"]),
                            _negated=True,
                        ),
                        ("entry_into_force_delay__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="document_delay_iff_rule_needs_it",
                violation_error_message="A number of days or months after the last notification is given with that clause, and only then.",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("entry_into_force_fixed_on__isnull", False), ("entry_into_force_rule", "fixed_date")),
                    models.Q(
                        models.Q(("entry_into_force_rule", "fixed_date"), _negated=True),
                        ("entry_into_force_fixed_on__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="document_fixed_date_iff_rule_needs_it",
                violation_error_message="A fixed date of entry into force is given with that clause, and only then.",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("renewal_months__isnull", True),
                    models.Q(("automatic_renewal", "yes"), ("renewal_months__gt", 0)),
                    _connector="OR",
                ),
                name="document_renewal_period_only_if_renewed",
                violation_error_message="A renewal period is given only for a document renewed automatically.",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(("duration_months__isnull", True), ("duration_months__gt", 0), _connector="OR"),
                name="document_duration_positive",
                violation_error_message="A duration is at least one month.",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("automatic_renewal", "yes"), _negated=True),
                    ("duration_months__isnull", False),
                    _connector="OR",
                ),
                name="document_renewal_needs_duration",
                violation_error_message="A document renewed automatically needs the duration of its first period.",
            ),
        ),
        migrations.AddField(
            model_name="documentstep",
            name="amending_document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="amendments",
                to="tracker.document",
                verbose_name="amending document",
            ),
        ),
        migrations.AddField(
            model_name="documentstep",
            name="document",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="steps",
                to="tracker.document",
                verbose_name="document",
            ),
        ),
        migrations.AddField(
            model_name="documentstep",
            name="side",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="document_steps",
                to="tracker.country",
                verbose_name="side",
            ),
        ),
        migrations.AddField(
            model_name="documentstep",
            name="source",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="document_steps",
                to="tracker.source",
                verbose_name="source",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocumentstep",
            name="amending_document",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.document",
                verbose_name="amending document",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocumentstep",
            name="document",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.document",
                verbose_name="document",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocumentstep",
            name="history_user",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="historicaldocumentstep",
            name="side",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.country",
                verbose_name="side",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocumentstep",
            name="source",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.source",
                verbose_name="source",
            ),
        ),
        migrations.AddIndex(
            model_name="documentstep",
            index=models.Index(fields=["document", "side", "act_on"], name="document_step_timeline_idx"),
        ),
        migrations.AddConstraint(
            model_name="documentstep",
            constraint=models.CheckConstraint(
                condition=models.Q(("act_on__isnull", False), ("effective_on__isnull", False), _connector="OR"),
                name="document_step_has_date",
                violation_error_message="A step needs the date of the act or the date it takes effect.",
            ),
        ),
        migrations.AddConstraint(
            model_name="documentstep",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("act_on__isnull", True),
                    ("effective_on__isnull", True),
                    ("effective_on__gte", models.F("act_on")),
                    _connector="OR",
                ),
                name="document_step_effect_not_before_act",
                violation_error_message="A step cannot take effect before the date of its act.",
            ),
        ),
        migrations.AddConstraint(
            model_name="documentstep",
            constraint=models.CheckConstraint(
                condition=models.Q(("procedure_kind", ""), ("kind", "internal_procedure"), _connector="OR"),
                name="document_step_procedure_kind_for_procedures",
                violation_error_message="Only an internal procedure has a kind of procedure.",
            ),
        ),
        migrations.AddConstraint(
            model_name="documentstep",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("note_number", ""), ("kind__in", ["notification_sent", "notification_received"]), _connector="OR"
                ),
                name="document_step_note_number_for_notifications",
                violation_error_message="Only a notification has a diplomatic note number.",
            ),
        ),
        migrations.AddConstraint(
            model_name="documentstep",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("amending_document__isnull", False), ("kind", "amendment")),
                    models.Q(models.Q(("kind", "amendment"), _negated=True), ("amending_document__isnull", True)),
                    _connector="OR",
                ),
                name="document_step_amendment_names_document",
                violation_error_message="An amendment names the amending document, and only an amendment does.",
            ),
        ),
        migrations.AddConstraint(
            model_name="documentstep",
            constraint=models.CheckConstraint(
                condition=models.Q(("amending_document", models.F("document")), _negated=True),
                name="document_step_not_amended_by_itself",
                violation_error_message="A document cannot amend itself.",
            ),
        ),
        migrations.RunPython(keep_stages_and_typed_entry_into_force, migrations.RunPython.noop),
        migrations.RunPython(restore_sqlite_search_and_order_index, migrations.RunPython.noop),
    ]
