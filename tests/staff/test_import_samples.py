"""The shipped samples work against the shipped seed: in a fresh database loaded by the real
`load_seed` (fixtures/seed.json), every file of fixtures/import-samples/ without "errors" in its name
previews without an error and imports, in the README's order, through the admin, as an editor;
each "-with-errors" file shows exactly the errors it was written to show, and nothing else.

Data-driven: the files are found by name, the records they name come from the seed, so a change
of the seed that breaks a sample fails here."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cooperation.staff.roles import EDITOR
from cooperation.tracker.models import Commitment, Document, Organization, PublicationStatus, StatusUpdate, Visit
from tests.admin_helpers import signed_in

pytestmark = pytest.mark.django_db

SAMPLES = Path(settings.BASE_DIR) / "fixtures" / "import-samples"
README = Path(settings.BASE_DIR) / "README.md"
MODELS = {
    "organizations": Organization,
    "visits": Visit,
    "documents": Document,
    "commitments": Commitment,
    "status-updates": StatusUpdate,
}
FORMAT = {"csv": "0", "xlsx": "1"}

# What each error file was written to show: {(spreadsheet row, column): a phrase of the message}.
INTENDED_ERRORS = {
    "commitments-with-errors": {
        (2, "responsibilities"): 'unknown organization "Ministry of Transport of Atlantis"',
        (2, "due_on"): 'bad date "31/02/2024"',
        (3, "__all__"): "must come from a visit or a document",
        (4, "title"): "formula",
        (5, "responsibilities"): "Kazakh Invest is listed more than once",
    },
    "status-updates-with-errors": {
        (2, "progress"): "progress must be a whole number from 0 to 100",
        (3, "progress"): "completed commitment has progress 100%",
        (4, "commitment"): 'unknown commitment "no-such-commitment"',
        (5, "status"): '"finished" is not allowed',
        # The basis: an assessment without the editors' reasoning; "no information" is never entered.
        (6, "reasoning"): "An assessed status needs the editors' reasoning",
        (7, "status"): '"No information" is the state of a commitment that no update speaks of',
        # Reported, but no source reports it (nor a later document or visit that carried it out).
        (8, "evidence_source"): (
            "A reported status needs the source that reports it (or the later document or visit that "
            "carried it out); otherwise it is assessed, with the editors' reasoning."
        ),
    },
}


def readme_order() -> list[str]:
    """The order the README says to import the samples in."""
    text = README.read_text(encoding="utf-8")
    listed = re.search(r"small valid file\s+per model \(([^)]*)\)", text)
    assert listed, "the README names the samples and their order"
    names = re.findall(r"`([a-z-]+)`", listed[1])
    assert set(names) == set(MODELS), names
    return names


def sample_names() -> set[str]:
    return {path.stem for path in SAMPLES.iterdir() if path.suffix in (".csv", ".xlsx")}


def preview(client, model, path: Path):
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    url = reverse(f"admin:tracker_{model._meta.model_name}_import")
    response = client.post(url, {"import_file": upload, "format": FORMAT[path.suffix[1:]], "resource": "0"})
    assert response.status_code == 200
    return response


def errors_of(result) -> dict[tuple[int, str], str]:
    found = {}
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            found[(invalid.number, column)] = " ".join(str(message) for message in messages)
    for row in result.rows:
        for error in row.errors:
            found[(error.number, "")] = str(error.error)
    for error in result.base_errors:
        found[(0, "")] = str(error.error)
    return found


@pytest.fixture
def seeded_editor(client):
    call_command("load_seed", stdout=io.StringIO())
    signed_in(client, "editor", role=EDITOR)
    return client


def test_every_sample_is_covered():
    names = sample_names()
    assert {name for name in names if "errors" not in name} == set(MODELS)
    assert {name for name in names if "errors" in name} == set(INTENDED_ERRORS)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_valid_samples_import_cleanly_into_the_seed_in_the_readme_order(seeded_editor, file_format):
    client = seeded_editor
    for name in readme_order():
        model = MODELS[name]
        before = model.objects.count()
        response = preview(client, model, SAMPLES / f"{name}.{file_format}")
        result = response.context["result"]
        assert not errors_of(result), (name, errors_of(result))
        assert "confirm_form" in response.context, name
        assert result.totals["new"] > 0, (name, result.totals)
        form = response.context["confirm_form"]
        confirmed = client.post(
            reverse(f"admin:tracker_{model._meta.model_name}_process_import"),
            {field: form[field].value() for field in form.fields},
        )
        assert confirmed.status_code == 302, name
        assert model.objects.count() == before + result.totals["new"], name
        new = model.objects.order_by("-pk")[: result.totals["new"]]
        assert {record.publication_status for record in new} == {PublicationStatus.DRAFT}, name
    # Natural keys and partial dates resolved as the README says (what the samples show).
    floods = Visit.objects.get(title="Unprecedented spring floods in Kazakhstan")
    assert (floods.start_precision, floods.start_date.isoformat(), floods.host_country.code) == (
        "year",
        "2024-01-01",
        "KZ",
    )
    regions = Commitment.objects.get(title__startswith="Strengthen cooperation through more active interaction")
    assert regions.origin_visit.slug == "working-visit-of-ambassador-madi-atamkulov-to-vojvodina"
    assert regions.publication_status == PublicationStatus.DRAFT
    pharmaceuticals = Document.objects.get(short_title__startswith="Pharmaceutical localisation")
    assert [(party.organization.slug, party.side.code) for party in pharmaceuticals.parties.all()] == [
        ("kazakh-invest", "KZ")
    ]
    update = StatusUpdate.objects.filter(commitment__slug="joint-educational-scientific-and-cultural-projects").get()
    assert update.evidence_document.slug.endswith("bio4-campus") and update.entered_by.username == "editor"
    # The public state did not move: the updates are drafts, so no published update speaks of it.
    assert update.commitment.status == "no_information"
    # The basis of each update, as the samples show it: two assessed with reasoning and the sources
    # they rest on, one reported with its source and the passage quoted.
    assert (update.basis, update.evidence_source.publisher) == ("assessed", "The Astana Times")
    assert update.reasoning.startswith("A memorandum of scientific and technological collaboration is read as")
    assert sorted(source.publisher for source in update.sources.all()) == ["Kazinform", "The Astana Times"]
    imported = StatusUpdate.objects.filter(entered_by__username="editor")
    assessed = imported.filter(basis="assessed")
    assert assessed.count() == 2 and all(row.reasoning and row.sources.count() == 2 for row in assessed)
    reported = imported.get(basis="reported")
    assert reported.commitment.slug.startswith("explore-joint-projects-with-hipol")
    assert reported.evidence_source.title == "Astana–Belgrade: 28 years of strategic partnership"
    assert reported.basis_passage.startswith("Kazakh Invest facilitated discussions with Serbian companies")
    assert reported.basis_passage == reported.commitment.promise_passage  # the report's own sentence
    assert not reported.reasoning and not reported.sources.exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("name", sorted(INTENDED_ERRORS))
def test_each_error_sample_shows_exactly_its_errors(seeded_editor, name, file_format):
    model = MODELS[name.removesuffix("-with-errors")]
    before = model.objects.count()
    response = preview(seeded_editor, model, SAMPLES / f"{name}.{file_format}")
    found = errors_of(response.context["result"])
    intended = INTENDED_ERRORS[name]
    assert set(found) == set(intended), found
    for place, phrase in intended.items():
        assert phrase in found[place], (place, found[place])
    assert "confirm_form" not in response.context
    assert model.objects.count() == before
