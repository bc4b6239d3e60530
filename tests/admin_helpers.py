"""Helpers for driving the admin with the test client: users in a role, a small
set of related records, and the data a browser would post back from a form."""

from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from cooperation.staff.roles import setup_roles
from cooperation.tracker.models import CommitmentStatus, PublicationStatus, StatusUpdate
from tests import factories


def staff_user(username: str, role: str | None = None, superuser: bool = False):
    """A staff user, optionally in the Editor or Publisher group (created by setup_roles)."""
    user_model = get_user_model()
    if superuser:
        return user_model.objects.create_superuser(username, f"{username}@example.org", "pw")
    user = user_model.objects.create_user(username, f"{username}@example.org", "pw", is_staff=True)
    if role:
        setup_roles()
        user.groups.add(Group.objects.get(name=role))
    return user


def signed_in(client, username: str, role: str | None = None, superuser: bool = False):
    """A staff user (see `staff_user`), signed in on `client`."""
    user = staff_user(username, role=role, superuser=superuser)
    client.force_login(user)
    return user


def build_records(count: int = 1) -> dict:
    """`count` of each kind of record, related the way real data is."""
    records = {}
    for _ in range(count):
        kz, rs = factories.organization(), factories.organization(country=factories.country("RS"))
        sector = factories.sector()
        source = factories.source()
        visit = factories.visit(host_country=kz.country)
        visit.sectors.add(sector)
        visit.participants.add(factories.person(organization=kz))
        document = factories.document(parties=[kz, rs], signed_at=visit)
        document.sources.add(source)
        commitment = factories.commitment(responsible=[kz, rs], sectors=[sector], origin_document=document)
        update = factories.status_update(commitment, evidence_source=source)
        draft = factories.commitment(origin_visit=visit, publication_status=PublicationStatus.DRAFT)
        factories.status_update(draft, status=CommitmentStatus.DELAYED, publication_status=PublicationStatus.DRAFT)
        records = {
            "organization": kz,
            "person": kz.people.first(),
            "visit": visit,
            "document": document,
            "commitment": commitment,
            "statusupdate": update,
            "documentparty": document.parties.first(),
            "country": kz.country,
            "sector": sector,
            "source": source,
        }
    assert StatusUpdate.objects.count() >= 2 * count
    return records


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.in_form, self.data = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
        if not self.in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data.append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.data[-1]
            self.data[-1] = (name, value + data.lstrip("\n") if not value else value + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.in_form = False


class FormData(dict):
    """A form's data as the browser would post it. A translated field (README "Languages") has one
    input per language; setting `title` (or `commitments-0-title`) where the form has no such input
    but `title_en` types it in the English tab, as an editor working in English would."""

    def _name(self, name):
        english = f"{name}_en"
        return english if name not in self and english in self else name

    def __setitem__(self, name, value):
        super().__setitem__(self._name(name), value)

    def update(self, *args, **kwargs):
        for name, value in dict(*args, **kwargs).items():
            self[name] = value


def form_data(response, form_id: str) -> dict:
    """What the browser would post from the form `form_id` of `response` as it stands.
    Multi-valued fields become lists."""
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    data = FormData()
    for name, value in parser.data:
        if name in data:
            existing = data[name]
            value = [*existing, value] if isinstance(existing, list) else [existing, value]
        dict.__setitem__(data, name, value)  # the input's own name, as posted
    if "change_reason" in data and not data["change_reason"]:
        # A published record's form asks why it is changed (issue 14); tests that check that rule
        # clear it themselves (tests/web/test_evidence.py).
        data["change_reason"] = "Corrected in a test"
    return data


def admin_form(client, record) -> tuple[str, dict]:
    """The URL of the admin form of `record` (its change form; for a model, the add form) and the
    data a browser would post back from it as it stands."""
    opts = record._meta
    if isinstance(record, type):
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    else:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    return url, form_data(client.get(url), f"{opts.model_name}_form")


def submit_admin_form(client, record, changes: dict):
    """Post `record`'s admin form (for a model, the add form) as a browser would, with `changes`
    (a translated field's text in its English tab: FormData)."""
    url, data = admin_form(client, record)
    data.update(changes)
    return client.post(url, data)


def form_errors(response) -> list:
    """The errors of a re-rendered admin form and its inlines, for assertion messages."""
    context = response.context
    if context is None or "adminform" not in context:
        return []
    errors = [context["adminform"].form.errors]
    for inline in context.get("inline_admin_formsets", []):
        errors += [inline.formset.non_form_errors(), *inline.formset.errors]
    return [error for error in errors if error]
