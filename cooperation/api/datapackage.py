"""The bulk data at /data/: a Frictionless data package (datapackage.json, a Table Schema for each
CSV, the licence, the sources, the date of the data) with one CSV per public table, and one per
many-to-many link between them.

Built from the models' own fields (so a new field, a translation column or a new model's table
needs no second list here), published records only: a link to a draft is left empty, a link
table holds only rows whose both ends are public.

When it is built: on the first request after the data changed, into a folder named by the content
version (DATA_PACKAGE_ROOT/<version>/), written aside and renamed into place, older folders
removed; every later request, in every process, serves those files. Not cached in the cache: at
100,000 commitments the CSVs are tens of megabytes, files the server streams. Not built on
publication: a publication is one of many changes (imports, corrections, unpublications) that all
raise the version, and building there would make the editor wait. `manage.py build_datapackage`
builds it ahead (after a deployment or an import), so no visitor waits.
"""

import csv
import datetime
import fcntl
import json
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import translation

from cooperation.caching import content_version
from cooperation.formulas import neutralise
from cooperation.tracker.models import (
    Commitment,
    Country,
    Document,
    DocumentParty,
    Figure,
    Indicator,
    Organization,
    Person,
    PublicationStatus,
    Publishable,
    Sector,
    Source,
    StatusUpdate,
    Visit,
)

from . import public

PUBLISHED = PublicationStatus.PUBLISHED
# Staff bookkeeping and search machinery: not data.
HIDDEN = {"publication_status", "published_at", "created_at", "version", "search_vector", "search_name", "entered_by"}


def key_field(model) -> str:
    """The column that names a record of `model` in the package."""
    names = {field.name for field in model._meta.concrete_fields}
    if "slug" in names:
        return "slug"
    if model is Country:
        return "code"
    return "id"


def table_name(model) -> str:
    return TABLE_NAMES[model]


def base_rows(model):
    """Every public record of `model`."""
    if issubclass(model, Publishable) or model in public.REFERENCE_DATA:
        return public.base(model)
    if model is DocumentParty:
        return DocumentParty.objects.of_published_organizations().filter(document__publication_status=PUBLISHED)
    return model.objects.all()


# The tables, each with its resource name (stable: not the models' translated names).
TABLE_NAMES = {
    Country: "countries",
    Sector: "sectors",
    Source: "sources",
    Organization: "organizations",
    Person: "people",
    Visit: "visits",
    Document: "documents",
    DocumentParty: "document_parties",
    Commitment: "commitments",
    StatusUpdate: "status_updates",
    Indicator: "indicators",
    Figure: "figures",
}
TABLES = list(TABLE_NAMES)


def field_type(field) -> dict:
    if isinstance(field, models.ForeignKey):
        target = field.related_model
        return {"type": "integer" if key_field(target) == "id" else "string"}
    if isinstance(field, models.BooleanField):
        return {"type": "boolean"}
    if isinstance(field, models.DateTimeField):
        return {"type": "datetime"}
    if isinstance(field, models.DateField):
        return {"type": "date"}
    if isinstance(field, models.IntegerField | models.AutoField | models.BigAutoField):
        return {"type": "integer"}
    if isinstance(field, models.DecimalField):
        return {"type": "number"}
    return {"type": "string"}


def columns(model) -> list:
    return [field for field in model._meta.concrete_fields if field.name not in HIDDEN]


def schema_field(field) -> dict:
    described = {"name": field.name, **field_type(field), "description": str(field.verbose_name)}
    if field.help_text:
        described["description"] += f": {field.help_text}"
    if field.choices:
        described["constraints"] = {"enum": [str(value) for value, _label in field.choices]}
    return described


def reference(column: str, target) -> dict:
    return {"fields": [column], "reference": {"resource": table_name(target), "fields": [key_field(target)]}}


def table_schema(model) -> dict:
    fields = columns(model)
    schema = {"fields": [schema_field(field) for field in fields], "primaryKey": [key_field(model)]}
    foreign = [
        {
            "fields": [field.name],
            "reference": {"resource": table_name(field.related_model), "fields": [key_field(field.related_model)]},
        }
        for field in fields
        if isinstance(field, models.ForeignKey) and field.related_model in TABLES
    ]
    if foreign:
        schema["foreignKeys"] = foreign
    schema["missingValues"] = [""]
    return schema


def value_paths(model) -> list[str]:
    """values() paths: a foreign key by its target's key, and its publication state if it has one."""
    paths = []
    for field in columns(model):
        if isinstance(field, models.ForeignKey):
            target = field.related_model
            paths.append(f"{field.name}__{key_field(target)}")
            if issubclass(target, Publishable):
                paths.append(f"{field.name}__publication_status")
        else:
            paths.append(field.attname)
    return paths


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(str(value))


def table_rows(model):
    """The CSV rows of `model`'s public records, a link to a draft left empty."""
    fields = columns(model)
    ordered = base_rows(model).order_by(key_field(model))
    for row in ordered.values(*value_paths(model)).iterator(chunk_size=2000):
        out = []
        for field in fields:
            if isinstance(field, models.ForeignKey):
                value = row[f"{field.name}__{key_field(field.related_model)}"]
                status = row.get(f"{field.name}__publication_status", PUBLISHED)
                out.append(cell(value if status == PUBLISHED else None))
            else:
                out.append(cell(row[field.attname]))
        yield out


def link_tables():
    """(name, owner model, field) for each many-to-many field of a table's model (not through another table)."""
    for model in TABLES:
        for field in model._meta.many_to_many:
            if field.remote_field.through._meta.auto_created and field.related_model in TABLES:
                yield f"{table_name(model)}_{field.name}", model, field


def link_schema(model, field) -> dict:
    owner, target = model._meta.model_name, field.related_model
    names = [owner, field.name]
    return {
        "fields": [
            {"name": owner, "type": field_type(models.ForeignKey(model, models.CASCADE))["type"]},
            {"name": field.name, "type": field_type(models.ForeignKey(target, models.CASCADE))["type"]},
        ],
        "primaryKey": names,
        "foreignKeys": [reference(owner, model), reference(field.name, target)],
    }


def link_rows(model, field):
    owners = base_rows(model).values("pk")
    targets = base_rows(field.related_model).values("pk")
    through = field.remote_field.through
    source_name, target_name = field.m2m_field_name(), field.m2m_reverse_field_name()
    links = through.objects.filter(**{f"{source_name}__in": owners, f"{target_name}__in": targets})
    owner_key = f"{source_name}__{key_field(model)}"
    target_key = f"{target_name}__{key_field(field.related_model)}"
    for owner, target in links.order_by(owner_key, target_key).values_list(owner_key, target_key).iterator():
        yield [cell(owner), cell(target)]


def descriptor(version: int, resources: list[dict]) -> dict:
    sources = [
        {"title": str(source), **({"path": source.url} if source.url else {})}
        for source in public.base(Source).order_by("published_on", "pk")
    ]
    changed = datetime.datetime.fromtimestamp(version / 1_000_000, tz=datetime.UTC) if version else None
    return {
        "profile": "tabular-data-package",
        "name": "cooperation-tracker",
        "title": "Cooperation Tracker: Kazakhstan–Serbia documents, visits, commitments and figures",
        "description": "Every published record of the tracker, one CSV per table, link tables for many-to-many "
        "relations. Drafts are never included.",
        "version": str(version),
        "created": (changed or datetime.datetime.now(datetime.UTC)).replace(microsecond=0).isoformat(),
        "licenses": [settings.DATA_LICENSE],
        "sources": sources,
        "resources": resources,
    }


def write_csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def resource(name: str, schema: dict) -> dict:
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


@translation.override("en")
def build(folder: Path, version: int) -> None:
    """Write the package into `folder` (its descriptions in English, the original)."""
    resources = []
    for model in TABLES:
        schema = table_schema(model)
        name = table_name(model)
        write_csv(folder / f"{name}.csv", [field["name"] for field in schema["fields"]], table_rows(model))
        resources.append(resource(name, schema))
    for name, model, field in link_tables():
        schema = link_schema(model, field)
        write_csv(folder / f"{name}.csv", [column["name"] for column in schema["fields"]], link_rows(model, field))
        resources.append(resource(name, schema))
    (folder / "datapackage.json").write_text(json.dumps(descriptor(version, resources), indent=2, ensure_ascii=False))


def current_folder(version: int | None = None) -> Path:
    """The folder of the package for the current version, built first if it is not there yet."""
    version = content_version.current() if version is None else version
    root = Path(settings.DATA_PACKAGE_ROOT)
    folder = root / str(version)
    if (folder / "datapackage.json").exists():
        return folder
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as lock:
        # One build at a time in this server; the others wait for it and then find it done.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "datapackage.json").exists():
            scratch = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
            build(scratch, version)
            scratch.rename(folder)
            for older in root.iterdir():
                if older.is_dir() and older != folder:
                    shutil.rmtree(older, ignore_errors=True)
    return folder


def file_names() -> set[str]:
    names = {"datapackage.json"} | {f"{table_name(model)}.csv" for model in TABLES}
    return names | {f"{name}.csv" for name, _model, _field in link_tables()}
