"""The domain: who signed what, where, what was promised, and how far it got.

Conventions: every public-facing record carries a publication state and a
`version` (optimistic locking in the admin); dates that reports give only to
the month or year keep that precision; PROTECT wherever a delete would orphan
history.

The rules of a commitment's state (open, overdue, due soon, stale) are written once, in
"Commitment state rules" below: the public lists, the admin and the reports all use them.
"""

import collections
import dataclasses
import datetime
import functools

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.dispatch import Signal
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalChanges, HistoricalRecords
from simple_history.utils import bulk_update_with_history

from .. import slugs
from ..dates import DatePrecision, format_partial_date, normalize, period_end, shifted
from ..search import SearchableQuerySet, folded_names
from ..treaties import NOT_YET_IN_FORCE, EntryIntoForceRule, TreatyStatus, YesNoUnknown

# --- Shared building blocks ----------------------------------------------------


# Sent by PublishableQuerySet.publish/unpublish, which change rows in bulk without
# post_save: sender is the model, `records` the instances whose state changed.
publication_changed = Signal()
# Sent when tracker rows were changed by statements that send no per-row signal (bulk_create, raw
# SQL, QuerySet.update of stored counts, emptied tables), once that change is complete: at the end
# of its transaction, or after it. `using` names the database. The public caches forget everything
# at once (cooperation/caching/signals.py).
changed_in_bulk = Signal()


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class PublishableQuerySet(SearchableQuerySet):
    def published(self):
        return self.filter(publication_status=PublicationStatus.PUBLISHED)

    def drafts(self):
        return self.filter(publication_status=PublicationStatus.DRAFT)

    def publish(self, user=None) -> int:
        return self._set_publication(PublicationStatus.PUBLISHED, user, _("Published"))

    def unpublish(self, user=None) -> int:
        return self._set_publication(PublicationStatus.DRAFT, user, _("Unpublished"))

    def _set_publication(self, status: str, user, reason) -> int:
        """Change the state row by row with history, so every (un)publication is
        traced to a person (the request user, via simple-history's middleware,
        unless `user` is given) and bumps the version that optimistic locking checks."""
        objs = list(self.exclude(publication_status=status))
        published_at = timezone.now() if status == PublicationStatus.PUBLISHED else None
        for obj in objs:
            obj.publication_status = status
            obj.published_at = published_at
            obj.version += 1
        bulk_update_with_history(
            objs,
            self.model,
            ["publication_status", "published_at", "version"],
            batch_size=500,
            default_user=user,
            default_change_reason=str(reason),
        )
        if objs:
            publication_changed.send(sender=self.model, records=objs)
        return len(objs)


class Publishable(models.Model):
    publication_status = models.CharField(
        _("publication"),
        max_length=10,
        choices=PublicationStatus,
        default=PublicationStatus.DRAFT,
        db_index=True,
        help_text=_("Only published records are shown to the public."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking: the admin refuses a save whose version is stale.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        elif not self.is_published:
            self.published_at = None
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.publication_status == PublicationStatus.PUBLISHED


def optional_link(to, related_name: str, verbose_name, **options) -> models.ForeignKey:
    """A link that may be left empty and that keeps the record it points to from being deleted
    (PROTECT): deleting that record would orphan this one's history."""
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


# Derived counts on Organization and Visit: not history (they change with other records).
COUNT_FIELDS = ("document_count", "commitment_count")


def unique_slug(instance: models.Model, text: str) -> str:
    """A slug from `text` (the rule is slugs.py's) that no other row of the model has."""
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    return slugs.unique_slug(text, lambda candidate: others.filter(slug=candidate).exists())


SLUG_PLACEHOLDER = "slug"


@functools.cache
def _slug_url_template(name: str, urlconf, script_prefix: str, language: str | None) -> str:
    # Per language: the pages' URLs have a language prefix (/ru/documents/…).
    return reverse(name, urlconf=urlconf, args=[SLUG_PLACEHOLDER])


def slug_url(name: str, slug: str) -> str:
    """reverse(name, args=[slug]) for a one-slug URL pattern, reversed once per pattern: a list
    page links a hundred records, and reverse() costs 40 µs each. Slugs are ASCII letters,
    digits, hyphens and underscores, so they need no quoting."""
    if not slug:
        return reverse(name, args=[slug])  # fails as reverse() does
    template = _slug_url_template(name, get_urlconf(), get_script_prefix(), translation.get_language())
    head, _, tail = template.rpartition(f"/{SLUG_PLACEHOLDER}/")
    return f"{head}/{slug}/{tail}"


class SluggedMixin(models.Model):
    """Fills `slug` from `slug_source` on first save."""

    slug_source = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            # From the English text when there is one (translation.py), whatever the staff's language.
            english = getattr(self, f"{self.slug_source}_{settings.LANGUAGE_CODE}", None)
            self.slug = unique_slug(self, english or getattr(self, self.slug_source))
        super().save(*args, **kwargs)


class NamedQuerySet(PublishableQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """bulk_create skips save(): the folded names are set here (demo data, test data)."""
        objs = list(objs)
        for obj in objs:
            obj.set_search_name()
        return super().bulk_create(objs, *args, **kwargs)

    def named(self, text: str):
        """Records whose slug is `text`, or whose names contain it, compared without case or
        diacritics ("vucic" and "VUČIĆ" find "Aleksandar Vučić"): the public lists' text filters."""
        spellings = [folded.strip() for folded in folded_names(text) if folded.strip()]
        if not spellings:
            return self.filter(slug=text)
        condition = Q(slug=text)
        for folded in spellings:
            condition |= Q(search_name__contains=folded)
        return self.filter(condition)


def language_values(record, field: str) -> list[str]:
    """The texts of `field` in every language (its translated columns), English first; the field
    itself for a model without them."""
    values = [getattr(record, f"{field}_{code.replace('-', '_')}", None) for code, _name in settings.LANGUAGES]
    if not any(values):
        values = [record.__dict__.get(field) or getattr(record, field, "")]
    return [value for value in values if value]


class NamedMixin(models.Model):
    """Keeps `search_name`: the record's names (`name_fields`) folded by tracker/search.py's `fold`,
    one a line, for `NamedQuerySet.named`. Set on every save and bulk_create; fixtures, whose raw
    saves skip save(), get it from signals.py."""

    name_fields: tuple[str, ...] = ("name",)

    # Nullable only so that adding the column is an ALTER TABLE on SQLite: a NOT NULL column makes
    # Django rebuild the table, which drops the triggers of its full-text index (migration 0009).
    search_name = models.TextField(_("names without case or diacritics"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.set_search_name()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.name_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def set_search_name(self) -> None:
        """Each name in every language it has (translation.py), so that a list's text filter finds
        the record by its name in any of them and either Serbian script."""
        names = []
        for field in self.name_fields:
            for value in language_values(self, field):
                names += folded_names(value)
        self.search_name = "\n".join(dict.fromkeys(names))


# --- Reference data --------------------------------------------------------------


class CountryManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Country(models.Model):
    code = models.CharField(_("ISO code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2, e.g. KZ, RS."))
    name = models.CharField(_("name"), max_length=100, unique=True)

    objects = CountryManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_iso_alpha2"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("web:document-list") + f"?country={self.code}"

    def natural_key(self):
        return (self.code,)


class Sector(SluggedMixin, models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=slugs.MAX_LENGTH, unique=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("web:commitment-list") + f"?sector={self.slug}"


class Source(models.Model):
    """Where a fact comes from. Shown on every public record that cites it."""

    publisher = models.CharField(_("publisher"), max_length=200)
    title = models.CharField(_("title"), max_length=500)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    quote = models.TextField(_("quoted passage"), blank=True, help_text=_("The passage that supports the record."))
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "publisher", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        indexes = [models.Index(fields=["published_on"], name="source_published_on_idx")]

    def __str__(self):
        date = f", {self.published_on:%d %b %Y}" if self.published_on else ""
        return f"{self.publisher}{date}: {self.title}"

    def get_absolute_url(self):
        return self.url or ""


# --- Organizations and people ----------------------------------------------------


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("government")
    HEAD_OF_STATE = "head_of_state", _("head of state's office")
    MINISTRY = "ministry", _("ministry")
    AGENCY = "agency", _("agency")
    REGIONAL_GOVERNMENT = "regional_government", _("regional government")
    EMBASSY = "embassy", _("embassy")
    COMPANY = "company", _("company")
    INSTITUTE = "institute", _("institute")
    UNIVERSITY = "university", _("university")
    LIBRARY = "library", _("library")
    BILATERAL_BODY = "bilateral_body", _("bilateral body")
    OTHER = "other", _("other")


class OrganizationQuerySet(NamedQuerySet):
    search_fields = ("name", "short_name", "description")


class Organization(SluggedMixin, NamedMixin, Publishable):
    name_fields = ("name", "short_name")

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True, help_text=_("Acronym, e.g. KazISS."))
    slug = models.SlugField(_("slug"), max_length=slugs.MAX_LENGTH, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind, db_index=True)
    country = optional_link(
        Country,
        "organizations",
        _("country"),
        help_text=_("Leave empty for bilateral bodies that belong to both sides."),
    )
    parent = optional_link("self", "children", _("parent organization"))
    sectors = models.ManyToManyField(Sector, blank=True, related_name="organizations", verbose_name=_("sectors"))
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="organizations", verbose_name=_("sources"))
    search_vector = SearchVectorField(null=True, editable=False)
    # What the public lists show and sort by, stored so that they need not count
    # (kept exact by counts.refresh_public_counts, see signals.py).
    document_count = models.PositiveIntegerField(_("published documents signed"), default=0, editable=False)
    commitment_count = models.PositiveIntegerField(
        _("published commitments responsible for"), default=0, editable=False
    )

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector", "search_name", *COUNT_FIELDS])

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        permissions = [("publish_organization", _("Can publish and unpublish organizations"))]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organization_unique_name_per_country"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="organization_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("web:organization-detail", self.slug)


class Person(SluggedMixin, NamedMixin, Publishable):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=slugs.MAX_LENGTH, unique=True, blank=True)
    position = models.CharField(
        _("position"), max_length=300, blank=True, help_text=_("As held at the time of the recorded events.")
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="people", verbose_name=_("country"))
    organization = optional_link(Organization, "people", _("organization"))
    sources = models.ManyToManyField(Source, blank=True, related_name="people", verbose_name=_("sources"))

    objects = NamedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_name"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("publish_person", _("Can publish and unpublish people"))]

    def __str__(self):
        return f"{self.name} ({self.position})" if self.position else self.name


# --- Visits and events -------------------------------------------------------------

# What an event without a date shows instead of one.
DATE_NOT_REPORTED = _("date not reported")


class VisitKind(models.TextChoices):
    STATE_VISIT = "state_visit", _("state visit")
    OFFICIAL_VISIT = "official_visit", _("official visit")
    WORKING_VISIT = "working_visit", _("working visit")
    TALKS = "talks", _("talks or meeting")
    PHONE_CALL = "phone_call", _("phone call")
    COMMISSION_SESSION = "commission_session", _("intergovernmental commission session")
    BUSINESS_COUNCIL = "business_council", _("business council meeting")
    BUSINESS_FORUM = "business_forum", _("business forum")
    EXHIBITION = "exhibition", _("exhibition or cultural event")
    MILESTONE = "milestone", _("milestone")
    OTHER = "other", _("other")


class VisitQuerySet(NamedQuerySet):
    search_fields = ("title", "summary", "place")

    def with_participant_among(self, people):
        """Visits that any of `people` took part in (a subquery: none listed twice)."""
        return self.filter(pk__in=self.model.participants.through.objects.filter(person__in=people).values("visit"))


class Visit(SluggedMixin, NamedMixin, Publishable):
    """A visit, meeting, forum, session, call or milestone: something that happened, on a date if the
    reports give one (an undated event is shown as "date not reported" and sorted last)."""

    slug_source = "title"
    name_fields = ("title",)

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=slugs.MAX_LENGTH, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=VisitKind, db_index=True)
    start_date = models.DateField(
        _("start date"), null=True, blank=True, db_index=True, help_text=_("Empty when the reports give no date.")
    )
    start_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_("Use month or year when the source gives no exact day."),
    )
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("For events of several days."))
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("City, region or 'by phone'."))
    host_country = optional_link(Country, "hosted_visits", _("host country"))
    participants = models.ManyToManyField(Person, blank=True, related_name="visits", verbose_name=_("leading persons"))
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="visits",
        verbose_name=_("organizations taking part"),
    )
    sectors = models.ManyToManyField(Sector, blank=True, related_name="visits", verbose_name=_("sectors"))
    summary = models.TextField(_("summary"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="visits", verbose_name=_("sources"))
    search_vector = SearchVectorField(null=True, editable=False)
    # Stored like Organization's counts.
    document_count = models.PositiveIntegerField(_("published documents signed here"), default=0, editable=False)
    commitment_count = models.PositiveIntegerField(_("published commitments made here"), default=0, editable=False)

    objects = VisitQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector", "search_name", *COUNT_FIELDS])

    class Meta:
        # Newest first, undated events last on every database, then the last entered first: the
        # order of the list sorted by date (VisitTable.order_start_date), read from an index on both
        # databases (SQLite: visit_public_date_idx backwards; PostgreSQL: migration 0017). Not by
        # title: that column is a different one in each language (modeltranslation).
        ordering = [models.F("start_date").desc(nulls_last=True), "-id"]
        verbose_name = _("visit or event")
        verbose_name_plural = _("visits and events")
        permissions = [("publish_visit", _("Can publish and unpublish visits and events"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="visit_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=False),
                name="visit_end_needs_start",
                violation_error_message=_("An event without a start date has no end date."),
            ),
        ]
        # The public list's sort orders (see VisitTable; thousands of visits, organizations are few).
        indexes = [
            models.Index(fields=["publication_status", "start_date", "id"], name="visit_public_date_idx"),
            models.Index(fields=["publication_status", "title", "id"], name="visit_public_title_idx"),
            models.Index(fields=["publication_status", "kind", "start_date", "id"], name="visit_public_kind_idx"),
            models.Index(fields=["publication_status", "place", "id"], name="visit_public_place_idx"),
            models.Index(fields=["publication_status", "document_count", "id"], name="visit_public_documents_idx"),
            models.Index(fields=["publication_status", "commitment_count", "id"], name="visit_public_commitments_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.date_display})"

    def save(self, *args, **kwargs):
        self.start_date = normalize(self.start_date, self.start_precision)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("web:visit-detail", self.slug)

    @property
    def is_dated(self) -> bool:
        return self.start_date is not None

    @property
    def date_display(self) -> str:
        if self.start_date is None:
            return str(DATE_NOT_REPORTED)
        start = format_partial_date(self.start_date, self.start_precision)
        if self.end_date and self.end_date != self.start_date:
            return f"{start} – {format_partial_date(self.end_date, DatePrecision.DAY)}"
        return start


# --- Documents -------------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("agreement")
    FRAMEWORK_AGREEMENT = "framework_agreement", _("framework agreement")
    MEMORANDUM_OF_UNDERSTANDING = "mou", _("memorandum of understanding")
    MEMORANDUM_OF_COOPERATION = "moc", _("memorandum of cooperation")
    PROTOCOL = "protocol", _("protocol")
    CONTRACT = "contract", _("commercial contract")
    JOINT_STATEMENT = "joint_statement", _("joint statement or declaration")
    OTHER = "other", _("other")


class DocumentLevel(models.TextChoices):
    INTERSTATE = "interstate", _("interstate")
    INTERGOVERNMENTAL = "intergovernmental", _("intergovernmental")
    INTERDEPARTMENTAL = "interdepartmental", _("interdepartmental")
    INTER_INSTITUTIONAL = "inter_institutional", _("inter-institutional")
    REGIONAL = "regional", _("regional")
    COMMERCIAL = "commercial", _("commercial")


# A document's lifecycle: before signature the staff's stage, after it derived (treaties.py).
DocumentStatus = TreatyStatus


class StageBeforeSignature(models.TextChoices):
    PLANNED = TreatyStatus.PLANNED.value, TreatyStatus.PLANNED.label
    UNDER_NEGOTIATION = TreatyStatus.UNDER_NEGOTIATION.value, TreatyStatus.UNDER_NEGOTIATION.label


# The stored "awaiting" column of each side (treaties.SIDES), and every derived treaty column.
AWAITING_FIELDS = {"KZ": "awaiting_kz", "RS": "awaiting_rs"}
DERIVED_TREATY_FIELDS = (
    "status",
    "entry_into_force",
    "expires_on",
    "ended_on",
    "state_changes_on",
    *AWAITING_FIELDS.values(),
)


def router_for_write(instance) -> str:
    return instance._state.db or router.db_for_write(type(instance), instance=instance)


class DocumentQuerySet(NamedQuerySet):
    # Same columns as the PostgreSQL search index (migration 0002).
    search_fields = ("title", "short_title", "summary")

    def with_party_among(self, organizations):
        """Documents that any of `organizations` is party to (a subquery: none listed twice)."""
        return self.filter(pk__in=DocumentParty.objects.filter(organization__in=organizations).values("document"))

    def with_party_in_country(self, country_code: str):
        """Documents with a published party that signs for the country (ISO code)."""
        parties = DocumentParty.objects.of_published_organizations().on_side(country_code)
        return self.filter(pk__in=parties.values("document"))

    def signed(self):
        return self.exclude(status__in=[DocumentStatus.PLANNED, DocumentStatus.UNDER_NEGOTIATION])

    # The derived treaty state (treaties.derive), stored on the document so that lists filter on
    # indexed columns; the steps and the rules that feed it are in models/treaties.py.

    def in_force(self):
        return self.filter(status=DocumentStatus.IN_FORCE)

    def not_in_force(self):
        return self.exclude(status=DocumentStatus.IN_FORCE)

    def awaiting(self, side: str):
        """Subject to internal procedures, and `side` (KZ or RS) has not recorded their completion."""
        return self.filter(**{AWAITING_FIELDS[side]: True})

    def signed_not_in_force(self):
        return self.filter(status__in=NOT_YET_IN_FORCE)

    def refresh_treaty_state(self, today: datetime.date | None = None) -> int:
        """Derive and store each document's treaty state from its rules and steps; returns how
        many changed. The document rows are locked first (in id order), then the steps read, so
        that two staff saving steps of one document at the same moment cannot store a state
        derived from an older set of steps (as CommitmentQuerySet.refresh_status)."""
        from .treaties import DocumentStep, derive_for

        today = today or timezone.localdate()
        with transaction.atomic(using=self.db, savepoint=False):
            documents = list(self.order_by("pk").select_for_update(no_key=True))
            steps = DocumentStep.objects.using(self.db).steps_by_document([document.pk for document in documents])
            changed = [
                document
                for document in documents
                if document.apply_treaty_state(derive_for(document, steps.get(document.pk, []), today))
            ]
            self.model._default_manager.using(self.db).bulk_update(changed, DERIVED_TREATY_FIELDS, batch_size=500)
        return len(changed)

    def due_for_treaty_refresh(self, today: datetime.date | None = None):
        """Documents whose state changes by itself on or before `today` (a clause's date arrived)."""
        return self.filter(state_changes_on__lte=today or timezone.localdate())


class Document(SluggedMixin, NamedMixin, Publishable):
    """An agreement, memorandum, protocol, contract or joint statement."""

    slug_source = "title"
    name_fields = ("title", "short_title")

    title = models.CharField(_("title"), max_length=500)
    short_title = models.CharField(_("short title"), max_length=200, blank=True, help_text=_("For tables and lists."))
    slug = models.SlugField(_("slug"), max_length=slugs.MAX_LENGTH, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind, db_index=True)
    level = models.CharField(_("level"), max_length=30, choices=DocumentLevel, db_index=True)
    # Derived from the signature, the rules and the steps (treaties.derive): never typed.
    status = models.CharField(
        _("lifecycle status"),
        max_length=20,
        choices=DocumentStatus,
        default=DocumentStatus.SIGNED,
        db_index=True,
        editable=False,
    )
    stage_before_signature = models.CharField(
        _("stage before signature"),
        max_length=20,
        choices=StageBeforeSignature,
        default=StageBeforeSignature.PLANNED,
        help_text=_("For a document not yet signed; once it has a signing date its status is derived."),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True, db_index=True)
    signed_precision = models.CharField(
        _("signing date precision"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    signed_at = optional_link(Visit, "documents", _("signed at (visit or event)"))
    place_signed = models.CharField(_("place of signing"), max_length=200, blank=True)
    # The treaty's own rules (README "Treaties").
    subject_to_procedures = models.CharField(
        _("subject to internal procedures"),
        max_length=20,
        choices=YesNoUnknown,
        default=YesNoUnknown.NOT_REPORTED,
        help_text=_("Whether each side must complete internal procedures (ratification, approval, …) first."),
    )
    entry_into_force_rule = models.CharField(
        _("entry-into-force clause"),
        max_length=30,
        choices=EntryIntoForceRule,
        default=EntryIntoForceRule.NOT_REPORTED,
    )
    entry_into_force_delay = models.PositiveSmallIntegerField(
        _("days or months after the last notification"), null=True, blank=True
    )
    entry_into_force_fixed_on = models.DateField(_("fixed date of entry into force"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True, help_text=_("Empty: indefinite or not reported.")
    )
    automatic_renewal = models.CharField(
        _("renewed automatically"), max_length=20, choices=YesNoUnknown, default=YesNoUnknown.NOT_REPORTED
    )
    renewal_months = models.PositiveSmallIntegerField(
        _("renewal period (months)"), null=True, blank=True, help_text=_("Empty: as long as the first period.")
    )
    notice_months = models.PositiveSmallIntegerField(
        _("notice period (months)"), null=True, blank=True, help_text=_("Before a denunciation takes effect.")
    )
    # Derived (treaties.derive), stored and indexed for the lists' filters; never typed.
    entry_into_force = models.DateField(_("entry into force"), null=True, blank=True, editable=False, db_index=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, editable=False)
    ended_on = models.DateField(_("terminated on"), null=True, blank=True, editable=False)
    awaiting_kz = models.BooleanField(_("awaiting Kazakhstan's internal procedures"), default=False, editable=False)
    awaiting_rs = models.BooleanField(_("awaiting Serbia's internal procedures"), default=False, editable=False)
    state_changes_on = models.DateField(_("state changes on"), null=True, blank=True, editable=False, db_index=True)
    builds_on = optional_link(
        "self",
        "followed_by",
        _("builds on / replaces"),
        help_text=_("An earlier document that this one updates or replaces."),
    )
    organizations = models.ManyToManyField(
        Organization, through="DocumentParty", related_name="documents", verbose_name=_("parties")
    )
    sectors = models.ManyToManyField(Sector, blank=True, related_name="documents", verbose_name=_("sectors"))
    summary = models.TextField(_("summary"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="documents", verbose_name=_("sources"))
    search_vector = SearchVectorField(null=True, editable=False)

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector", "search_name"])

    class Meta:
        # Unsigned (planned) documents last on every database.
        ordering = [models.F("signed_on").desc(nulls_last=True), "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [("publish_document", _("Can publish and unpublish documents"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry_into_force__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(entry_into_force__gte=models.F("signed_on")),
                name="document_in_force_not_before_signing",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(entry_into_force__isnull=True)
                | Q(expires_on__gte=models.F("entry_into_force")),
                name="document_expiry_not_before_entry_into_force",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "negotiation"]) | Q(signed_on__isnull=False),
                name="document_signed_has_date",
                violation_error_message=_("A signed document needs a signing date."),
            ),
            models.CheckConstraint(
                condition=Q(
                    entry_into_force_rule__in=["days_after_notification", "months_after_notification"],
                    entry_into_force_delay__isnull=False,  # NULL > 0 is unknown, which a CHECK lets through
                    entry_into_force_delay__gt=0,
                )
                | (
                    ~Q(entry_into_force_rule__in=["days_after_notification", "months_after_notification"])
                    & Q(entry_into_force_delay__isnull=True)
                ),
                name="document_delay_iff_rule_needs_it",
                violation_error_message=_(
                    "A number of days or months after the last notification is given with that clause, and only then."
                ),
            ),
            models.CheckConstraint(
                condition=Q(entry_into_force_rule="fixed_date", entry_into_force_fixed_on__isnull=False)
                | (~Q(entry_into_force_rule="fixed_date") & Q(entry_into_force_fixed_on__isnull=True)),
                name="document_fixed_date_iff_rule_needs_it",
                violation_error_message=_("A fixed date of entry into force is given with that clause, and only then."),
            ),
            models.CheckConstraint(
                condition=Q(renewal_months__isnull=True) | Q(automatic_renewal="yes", renewal_months__gt=0),
                name="document_renewal_period_only_if_renewed",
                violation_error_message=_("A renewal period is given only for a document renewed automatically."),
            ),
            models.CheckConstraint(
                condition=Q(duration_months__isnull=True) | Q(duration_months__gt=0),
                name="document_duration_positive",
                violation_error_message=_("A duration is at least one month."),
            ),
            models.CheckConstraint(
                condition=~Q(automatic_renewal="yes") | Q(duration_months__isnull=False),
                name="document_renewal_needs_duration",
                violation_error_message=_("A document renewed automatically needs the duration of its first period."),
            ),
        ]
        # The public list's sort orders (see DocumentTable), each with its tie-breakers, so a page is read
        # from an index in order instead of sorting every published row. The default order has an index
        # per database, written in SQL (migrations 0006 and 0008): PostgreSQL's needs NULLS LAST, which
        # SQLite cannot write in an index (its DESC order puts NULLs last anyway).
        indexes = [
            models.Index(fields=["publication_status", "signed_on", "id"], name="document_public_signed_idx"),
            models.Index(fields=["publication_status", "title", "id"], name="document_public_title_idx"),
            models.Index(fields=["publication_status", "kind", "title", "id"], name="document_public_kind_idx"),
            models.Index(fields=["publication_status", "level", "title", "id"], name="document_public_level_idx"),
            models.Index(fields=["publication_status", "status", "title", "id"], name="document_public_status_idx"),
            # The in_force and awaiting filters (DocumentFilter) read these.
            models.Index(fields=["publication_status", "awaiting_kz", "id"], name="document_awaiting_kz_idx"),
            models.Index(fields=["publication_status", "awaiting_rs", "id"], name="document_awaiting_rs_idx"),
        ]

    def __str__(self):
        return self.short_title or self.title

    def save(self, *args, **kwargs):
        """Stores the treaty state derived from the rules as saved now and the steps as stored,
        the row locked first (see DocumentQuerySet.refresh_treaty_state)."""
        from .treaties import DocumentStep, derive_for

        self.signed_on = normalize(self.signed_on, self.signed_precision)
        using = kwargs.get("using") or router_for_write(self)
        with transaction.atomic(using=using, savepoint=False):
            steps = []
            if self.pk:
                list(type(self)._default_manager.using(using).filter(pk=self.pk).select_for_update(no_key=True))
                steps = DocumentStep.objects.using(using).steps_by_document([self.pk]).get(self.pk, [])
            self.apply_treaty_state(derive_for(self, steps, timezone.localdate()))
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], *DERIVED_TREATY_FIELDS}
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("web:document-detail", self.slug)

    def clean(self):
        fixed_on = self.entry_into_force_fixed_on
        if fixed_on and self.signed_on and fixed_on < self.signed_on:
            raise ValidationError({"entry_into_force_fixed_on": _("The fixed date is before the signing date.")})

    def apply_treaty_state(self, state) -> bool:
        """Copy a derived TreatyState onto the document; whether anything changed."""
        values = {
            "status": state.status,
            "entry_into_force": state.entry_into_force,
            "expires_on": state.expires_on,
            "ended_on": state.ended_on,
            "state_changes_on": state.changes_on,
            **{field: side in state.awaiting for side, field in AWAITING_FIELDS.items()},
        }
        changed = any(getattr(self, field) != value for field, value in values.items())
        for field, value in values.items():
            setattr(self, field, value)
        return changed

    @property
    def awaiting_sides(self) -> list[str]:
        return [side for side, field in AWAITING_FIELDS.items() if getattr(self, field)]

    @property
    def signed_display(self) -> str:
        return format_partial_date(self.signed_on, self.signed_precision)


class DocumentPartyQuerySet(models.QuerySet):
    def of_published_organizations(self):
        """The parties the public may see: those whose organization is published."""
        return self.filter(organization__publication_status=PublicationStatus.PUBLISHED)

    def on_side(self, country_code: str):
        return self.filter(side__code=country_code)


class DocumentParty(models.Model):
    """An organization that is party to a document, on one side."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="parties", verbose_name=_("document"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="document_parties", verbose_name=_("organization")
    )
    side = optional_link(
        Country,
        "document_parties",
        _("side"),
        help_text=_("The country the party signs for; defaults to the organization's country."),
    )
    signatory = optional_link(Person, "signatures", _("signed by"))

    objects = DocumentPartyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "side__name", "organization__name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["document", "organization"], name="document_party_unique"),
        ]

    def __str__(self):
        return f"{self.organization} — {self.document}"

    def save(self, *args, **kwargs):
        if self.side_id is None and self.organization_id:
            self.side_id = (
                Organization.objects.filter(pk=self.organization_id).values_list("country", flat=True).first()
            )
        super().save(*args, **kwargs)


# --- Commitments and their history ---------------------------------------------------


class CommitmentStatus(models.TextChoices):
    # No source speaks of the commitment after it was made: the state of one with no published
    # update. Not "not started", which a source must say.
    NO_INFORMATION = "no_information", _("no information")
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DELAYED = "delayed", _("delayed")
    PARTIALLY_COMPLETED = "partially_completed", _("partially completed")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


# The state of a commitment that no published status update speaks of.
NO_UPDATE_STATUS = CommitmentStatus.NO_INFORMATION
# Why a status update cannot have it (StatusUpdate.clean and its CHECK say it in these words).
NO_INFORMATION_IS_NOT_ENTERED = _(
    '"No information" is the state of a commitment that no update speaks of; it is not entered.'
)


class Basis(models.TextChoices):
    """How a status update is known (README "Basis of a status")."""

    REPORTED = "reported", _("reported")
    ASSESSED = "assessed", _("assessed by the editors")


class Side(models.TextChoices):
    """The side a responsible organization acts for."""

    KAZAKHSTAN = "kazakhstan", _("Kazakhstan")
    SERBIA = "serbia", _("Serbia")
    BOTH = "both", _("both countries")
    BILATERAL_BODY = "bilateral_body", _("bilateral body")


class Role(models.TextChoices):
    LEAD = "lead", _("lead")
    SUPPORT = "support", _("support")


SIDE_OF_COUNTRY = {"KZ": Side.KAZAKHSTAN, "RS": Side.SERBIA}


# --- Commitment state rules ----------------------------------------------------------------
# What "open", "overdue", "due soon" and "stale" mean, written once: the public lists, the admin
# and the reports use these conditions. Each reads a commitment's state from the columns that
# `StateColumns` names: the stored current state, or (in the status report) annotations that
# hold the state on a past date.

# A commitment in one of these can no longer be overdue.
CLOSED_STATUSES = (CommitmentStatus.COMPLETED, CommitmentStatus.CANCELLED)
# The others, named rather than "not closed" so that a query reads them from the status index
# (a NOT IN cannot be looked up: counting the overdue read every late row, 160 ms on SQLite).
OPEN_STATUSES = tuple(status for status in CommitmentStatus if status not in CLOSED_STATUSES)
# Work under way is at 0 % when no report measures it (/methodology/#progress): that 0 is not a measure.
UNDER_WAY_STATUSES = (CommitmentStatus.IN_PROGRESS, CommitmentStatus.DELAYED, CommitmentStatus.PARTIALLY_COMPLETED)


def progress_is_measured(status: str, progress: int) -> bool:
    """Whether a record's progress says how far the work is: not for a commitment no source speaks
    of, nor for work under way at 0 %, which only says that no report gives a measure."""
    return status != CommitmentStatus.NO_INFORMATION and not (progress == 0 and status in UNDER_WAY_STATUSES)


@dataclasses.dataclass(frozen=True)
class StateColumns:
    """Where a queryset holds a commitment's state."""

    status: str = "status"
    reviewed_on: str = "last_reviewed_on"
    made_on: str = "made_on"  # an annotation of made_on_expression()


CURRENT_STATE = StateColumns()


def made_on_expression(prefix: str = ""):
    """The day a commitment was made: its origin visit's date, else its document's signing
    date, else the day it was entered. `prefix` reaches a commitment from another model."""
    return Coalesce(
        f"{prefix}origin_visit__start_date", f"{prefix}origin_document__signed_on", TruncDate(f"{prefix}created_at")
    )


def open_q(state: StateColumns = CURRENT_STATE) -> Q:
    """Not completed or cancelled."""
    return Q(**{f"{state.status}__in": OPEN_STATUSES})


def overdue_q(today: datetime.date, state: StateColumns = CURRENT_STATE) -> Q:
    """Open, and the deadline (the last day of the due period) is before `today`."""
    return open_q(state) & Q(deadline__lt=today)


def due_soon_q(today: datetime.date, days: int | None = None, state: StateColumns = CURRENT_STATE) -> Q:
    """Open, and the deadline falls within the next `days` (default DUE_SOON_DAYS), both ends included."""
    days = settings.DUE_SOON_DAYS if days is None else days
    return open_q(state) & Q(deadline__gte=today, deadline__lte=shifted(today, days))


def stale_q(today: datetime.date, days: int | None = None, state: StateColumns = CURRENT_STATE) -> Q:
    """Open, and neither reviewed nor made within `days` (default STALE_AFTER_DAYS) before `today`."""
    cutoff = shifted(today, -(settings.STALE_AFTER_DAYS if days is None else days))
    never_reviewed = Q(**{f"{state.reviewed_on}__isnull": True, f"{state.made_on}__lt": cutoff})
    return open_q(state) & (Q(**{f"{state.reviewed_on}__lt": cutoff}) | never_reviewed)


class CommitmentQuerySet(PublishableQuerySet):
    search_fields = ("title", "description")

    def open(self):
        return self.filter(open_q())

    def overdue(self, today: datetime.date | None = None):
        return self.filter(overdue_q(today or timezone.localdate()))

    def not_overdue(self, today: datetime.date | None = None):
        """Everything overdue() leaves out, as one condition on the row (NOT IN a subquery of
        every overdue id costs a second pass over the table)."""
        return self.exclude(overdue_q(today or timezone.localdate()))

    def due_within(self, days: int | None = None, today: datetime.date | None = None):
        """Due soon: within `days`, by default DUE_SOON_DAYS."""
        return self.filter(due_soon_q(today or timezone.localdate(), days))

    def stale(self, days: int | None = None, today: datetime.date | None = None):
        """Open commitments neither reviewed nor made within `days` (default STALE_AFTER_DAYS)."""
        return self.annotate(made_on=made_on_expression()).filter(stale_q(today or timezone.localdate(), days))

    # Many-to-many conditions as subqueries, so that no commitment is listed or counted twice.

    def responsible_among(self, organizations):
        """Commitments that any of `organizations` (records or a queryset) is responsible for."""
        links = self.model.responsible_organizations.through.objects.filter(organization__in=organizations)
        return self.filter(pk__in=links.values("commitment"))

    def responsible_in_country(self, country_code: str):
        """Commitments that a published organization of the country (ISO code) is responsible for."""
        links = self.model.responsible_organizations.through.objects.filter(
            organization__country__code=country_code, organization__publication_status=PublicationStatus.PUBLISHED
        )
        return self.filter(pk__in=links.values("commitment"))

    def led_by(self, organizations):
        """Commitments that any of `organizations` leads (Responsibility, role "lead")."""
        links = Responsibility.objects.filter(organization__in=organizations, role=Role.LEAD)
        return self.filter(pk__in=links.values("commitment"))

    def to_act_on_side(self, side: str):
        """Commitments on which `side` (Side) must act: a published organization is responsible for
        that side, or for both countries (which includes each of them)."""
        sides = [side, Side.BOTH] if side in (Side.KAZAKHSTAN, Side.SERBIA) else [side]
        links = Responsibility.objects.of_published_organizations().filter(side__in=sides)
        return self.filter(pk__in=links.values("commitment"))

    def in_sector(self, sector):
        links = self.model.sectors.through.objects.filter(sector=sector)
        return self.filter(pk__in=links.values("commitment"))

    # The derived current state.

    def refresh_status(self) -> int:
        """Copy each commitment's latest published status update onto it (latest date, then latest
        entry): status, progress, basis and last review. One lock and one UPDATE however many rows; a commitment with
        no published update is "no information" at 0%. StatusUpdate runs it whenever an update is
        saved, moved, deleted, published or unpublished.

        Serialised per commitment: the commitment rows are locked first (in id order, so that two
        refreshes of several commitments cannot deadlock), and the UPDATE, a statement of its own,
        then reads the history as it is once the lock is held. Otherwise, on PostgreSQL, refreshes
        of one commitment running at the same moment each read the history before the others
        committed, and the last to write left an older update's state. FOR NO KEY UPDATE does not
        wait for the key-share locks that inserting an update takes on its commitment."""
        latest = StatusUpdate.objects.filter(
            commitment=OuterRef("pk"), publication_status=PublicationStatus.PUBLISHED
        ).order_by("-reported_on", "-id")
        # No savepoint of its own inside a caller's transaction: nothing here is worth keeping alone.
        with transaction.atomic(using=self.db, savepoint=False):
            list(self.order_by("pk").select_for_update(no_key=True).values_list("pk", flat=True))
            return self.update(
                status=Coalesce(Subquery(latest.values("status")[:1]), Value(NO_UPDATE_STATUS)),
                progress=Coalesce(Subquery(latest.values("progress")[:1]), Value(0)),
                basis=Coalesce(Subquery(latest.values("basis")[:1]), Value("")),
                last_reviewed_on=Subquery(latest.values("reported_on")[:1]),
            )

    def refresh_status_in_batches(self, batch_size: int = 5000) -> None:
        """`refresh_status` after bulk loads that bypass StatusUpdate.save() (fixtures, demo data)."""
        connection = connections[self.db]
        if connection.vendor == "postgresql":
            # Freshly bulk-loaded tables have no planner statistics yet; without them PostgreSQL
            # scans every status update for each commitment instead of using the history index.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE tracker_statusupdate, tracker_commitment")
        ids = list(self.values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            self.model._default_manager.using(self.db).filter(pk__in=ids[start : start + batch_size]).refresh_status()


class Commitment(SluggedMixin, Publishable):
    """A follow-up promise that came out of a document or a visit."""

    slug_source = "title"

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=slugs.MAX_LENGTH, unique=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    origin_visit = optional_link(Visit, "commitments", _("made at (visit or event)"))
    origin_document = optional_link(Document, "commitments", _("made in (document)"))
    responsible_organizations = models.ManyToManyField(
        Organization,
        through="Responsibility",
        blank=True,
        related_name="commitments",
        verbose_name=_("responsible organizations"),
        help_text=_("Which organization leads and which support, for which side."),
    )
    # The promise in its own words: the passage of the source that makes it, verbatim.
    promise_passage = models.TextField(
        _("the promise in its own words"),
        blank=True,
        help_text=_("The passage of the source that makes the promise, quoted verbatim."),
    )
    promise_source = optional_link(Source, "promises", _("source of the promise"))
    sectors = models.ManyToManyField(Sector, blank=True, related_name="commitments", verbose_name=_("sectors"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    due_precision = models.CharField(
        _("due date precision"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    # Last day of the due period, derived on save; what "overdue" is measured against.
    deadline = models.DateField(_("deadline"), null=True, blank=True, editable=False, db_index=True)
    # Current state, derived from the latest published status update (CommitmentQuerySet.refresh_status).
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommitmentStatus,
        default=NO_UPDATE_STATUS,
        editable=False,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0, editable=False)
    # How the current status is known: the latest published update's basis (empty: none).
    basis = models.CharField(_("basis"), max_length=10, choices=Basis, blank=True, editable=False, db_index=True)
    last_reviewed_on = models.DateField(_("last status update"), null=True, blank=True, editable=False, db_index=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="commitments", verbose_name=_("sources"))
    search_vector = SearchVectorField(null=True, editable=False)

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        # Undated commitments last on every database (SQLite would put NULLs first).
        ordering = [models.F("deadline").asc(nulls_last=True), "title"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        permissions = [("publish_commitment", _("Can publish and unpublish commitments"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(origin_visit__isnull=False) | Q(origin_document__isnull=False),
                name="commitment_has_origin",
                violation_error_message=_("A commitment must come from a visit or a document (or both)."),
            ),
            models.CheckConstraint(condition=Q(progress__range=(0, 100)), name="commitment_progress_0_100"),
        ]
        # The public list's sort orders (see CommitmentTable), each with its tie-breakers, so a page
        # (even the last one) is read from an index in order instead of sorting 100,000 rows.
        indexes = [
            models.Index(
                fields=["publication_status", "status", "deadline", "title", "id"], name="commitment_public_status_idx"
            ),
            models.Index(
                fields=["publication_status", "deadline", "title", "id"], name="commitment_public_deadline_idx"
            ),
            models.Index(fields=["publication_status", "title", "id"], name="commitment_public_title_idx"),
            models.Index(fields=["publication_status", "progress", "id"], name="commitment_public_progress_idx"),
            models.Index(
                fields=["publication_status", "last_reviewed_on", "id"], name="commitment_public_reviewed_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.due_on = normalize(self.due_on, self.due_precision)
        self.deadline = period_end(self.due_on, self.due_precision)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("web:commitment-detail", self.slug)

    @property
    def due_display(self) -> str:
        return format_partial_date(self.due_on, self.due_precision)

    @property
    def is_overdue(self) -> bool:
        """overdue_q for one commitment in memory."""
        return bool(self.deadline and self.deadline < timezone.localdate() and self.status in OPEN_STATUSES)


class StatusUpdateQuerySet(PublishableQuerySet):
    search_fields = ("note",)

    def published(self):
        """Published updates of published commitments: the only ones the public may see."""
        return super().published().filter(commitment__publication_status=PublicationStatus.PUBLISHED)

    def _set_publication(self, status: str, user, reason) -> int:
        ids = list(self.values_list("commitment_id", flat=True))
        count = super()._set_publication(status, user, reason)
        Commitment.objects.filter(pk__in=ids).refresh_status()
        return count


class StatusUpdate(Publishable):
    """One entry in a commitment's history. The latest published one is its current state."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="updates", verbose_name=_("commitment")
    )
    reported_on = models.DateField(_("date"), db_index=True, help_text=_("When this state was reached or reported."))
    status = models.CharField(_("status"), max_length=20, choices=CommitmentStatus, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0, help_text=_("0 to 100."))
    note = models.TextField(_("note"), blank=True)
    # How it is known (README "Basis of a status").
    basis = models.CharField(
        _("basis"),
        max_length=10,
        choices=Basis,
        default=Basis.REPORTED,
        db_index=True,
        help_text=_("Reported: a source says so. Assessed: the editors' judgement, with the reasoning."),
    )
    basis_passage = models.TextField(
        _("quoted passage"), blank=True, help_text=_("Where it helps: the passage of the source that reports it.")
    )
    reasoning = models.TextField(
        _("reasoning"), blank=True, help_text=_("Required when assessed: the editors' reasoning in a sentence.")
    )
    evidence_source = optional_link(
        Source, "evidence_for", _("evidence: source"), help_text=_("The source that reports this state.")
    )
    sources = models.ManyToManyField(
        Source,
        blank=True,
        related_name="assessed_updates",
        verbose_name=_("sources it rests on"),
        help_text=_("For an assessment: the sources the editors' judgement rests on."),
    )
    evidence_visit = optional_link(
        Visit,
        "fulfilled_updates",
        _("evidence: later visit or event"),
        help_text=_("A later visit or event that carried the commitment out."),
    )
    evidence_document = optional_link(
        Document,
        "fulfilled_updates",
        _("evidence: later document"),
        help_text=_("A later document that carried the commitment out."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="status_updates",
        verbose_name=_("entered by"),
    )

    objects = StatusUpdateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_on", "-id"]
        get_latest_by = ["reported_on", "id"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        permissions = [("publish_statusupdate", _("Can publish and unpublish status updates"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__range=(0, 100)),
                name="status_update_progress_0_100",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(progress=100),
                name="status_update_completed_is_100",
                violation_error_message=_("A completed commitment has progress 100 percent."),
            ),
            models.CheckConstraint(
                condition=Q(basis__in=["reported", "assessed"]),
                name="status_update_basis_known",
                violation_error_message=_("The basis is reported or assessed."),
            ),
            models.CheckConstraint(
                condition=~Q(basis="assessed") | ~Q(reasoning=""),
                name="status_update_assessed_has_reasoning",
                violation_error_message=_("An assessed status needs the editors' reasoning."),
            ),
            models.CheckConstraint(
                condition=~Q(status="no_information"),
                name="status_update_not_no_information",
                violation_error_message=NO_INFORMATION_IS_NOT_ENTERED,
            ),
        ]
        indexes = [
            models.Index(fields=["commitment", "reported_on"], name="status_update_history_idx"),
            # The admin's newest-first list: ties on a date (thousands at scale) broken in the index.
            models.Index(fields=["reported_on", "id"], name="status_update_reported_idx"),
        ]

    def __str__(self):
        return f"{self.commitment}: {self.get_status_display()} ({self.reported_on:%d %b %Y})"

    def save(self, *args, **kwargs):
        previous = None
        if self.pk:
            previous = StatusUpdate.objects.filter(pk=self.pk).values_list("commitment_id", flat=True).first()
        super().save(*args, **kwargs)
        Commitment.objects.filter(pk__in={self.commitment_id, previous} - {None}).refresh_status()

    def get_absolute_url(self):
        return self.commitment.get_absolute_url()

    def clean(self):
        super().clean()
        errors = {}
        if self.status == CommitmentStatus.NO_INFORMATION:
            errors["status"] = NO_INFORMATION_IS_NOT_ENTERED
        if self.basis == Basis.ASSESSED and not self.reasoning.strip():
            errors["reasoning"] = _("An assessed status needs the editors' reasoning in a sentence.")
        # "Reported" means a source says so: name it (or the later document or visit that carried
        # the commitment out, which has its own sources). Without one it is an assessment.
        # In clean() only, with no CHECK beside `status_update_assessed_has_reasoning`: that one
        # was safe to add because no row was assessed before migration 0014, but 0014 made every
        # existing update "reported" by default whether or not it named a source, and until this
        # rule the admin and the import saved reported updates without one. A CHECK's migration
        # would fail on such a database, and turning those rows into assessments would need
        # reasoning no editor gave. So they stay, and saving one in the admin or by import asks
        # for its source (or for the editors' reasoning, as assessed). The bulk paths that skip
        # clean() keep the rule themselves (devdata/generator.py; tests/factories.py).
        if self.basis == Basis.REPORTED and not (
            self.evidence_source_id or self.evidence_visit_id or self.evidence_document_id
        ):
            errors["evidence_source"] = _(
                "A reported status needs the source that reports it (or the later document or visit "
                "that carried it out); otherwise it is assessed, with the editors' reasoning."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_assessed(self) -> bool:
        return self.basis == Basis.ASSESSED

    def delete(self, *args, **kwargs):
        commitment_id = self.commitment_id
        result = super().delete(*args, **kwargs)
        Commitment.objects.filter(pk=commitment_id).refresh_status()
        return result


class ResponsibilityQuerySet(models.QuerySet):
    def of_published_organizations(self):
        return self.filter(organization__publication_status=PublicationStatus.PUBLISHED)

    def leads(self):
        return self.filter(role=Role.LEAD)


class Responsibility(models.Model):
    """An organization responsible for a commitment: leading or supporting it, for one side."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("commitment")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.SUPPORT, db_index=True)
    side = models.CharField(
        _("side"),
        max_length=20,
        choices=Side,
        blank=True,
        db_index=True,
        help_text=_("The side it acts for; empty: from the organization's country (a bilateral body if it has none)."),
    )

    objects = ResponsibilityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment", "role", "side", "id"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [
            models.UniqueConstraint(fields=["commitment", "organization"], name="responsibility_unique"),
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()}) — {self.commitment}"

    def save(self, *args, **kwargs):
        if not self.side and self.organization_id:
            self.side = side_of_organization(self.organization_id)
        super().save(*args, **kwargs)


def side_of_organization(organization_id) -> str:
    """The side an organization acts for by default: its country's, else a bilateral body."""
    code = Organization.objects.filter(pk=organization_id).values_list("country__code", flat=True).first()
    return SIDE_OF_COUNTRY.get(code, Side.BILATERAL_BODY)


def responsibility_conflicts(rows) -> list[str]:
    """Why a commitment's responsibilities contradict one another, in words for staff (the
    commitment's inline in the admin and the import's `responsibilities` cell ask this): `rows` are
    (organization, role, side), the side as it will be saved. An organization is listed once (it
    has one role and one side: the constraint `responsibility_unique`), and one organization leads
    for each side."""
    problems = []
    counted = collections.Counter(organization for organization, _role, _side in rows)
    for organization, count in counted.items():
        if count > 1:
            problems.append(
                _("%(organization)s is listed more than once: list each organization once, with one role and side.")
                % {"organization": organization}
            )
    leads = collections.defaultdict(list)
    for organization, role, side in rows:
        if role == Role.LEAD and organization not in leads[side]:
            leads[side].append(organization)
    for side, organizations in leads.items():
        if len(organizations) > 1:
            problems.append(
                _("%(organizations)s all lead for %(side)s: one organization leads for a side, the others support.")
                % {
                    "organizations": _(" and ").join(map(str, organizations)),
                    "side": dict(Side.choices).get(side, side),
                }
            )
    return problems


def complete_responsibilities(commitment_ids, using: str = "default") -> None:
    """Rows added without save() (the many-to-many manager's set/add, fixtures, bulk loads) get
    the side of their organization's country, and a commitment without a lead gets its first
    organization as lead ("the lead organization first", as the old single list said)."""
    rows = Responsibility.objects.using(using).filter(commitment__in=commitment_ids)
    for code, side in [*SIDE_OF_COUNTRY.items(), (None, Side.BILATERAL_BODY)]:
        unset = rows.filter(side="")
        unset = unset.filter(organization__country__code=code) if code else unset
        unset.update(side=side)
    with_lead = rows.filter(role=Role.LEAD).values("commitment")
    first = (
        rows.exclude(commitment__in=with_lead)
        .values("commitment")
        .annotate(first=models.Min("id"))
        .values_list("first", flat=True)
    )
    Responsibility.objects.using(using).filter(pk__in=list(first)).update(role=Role.LEAD)


# --- Cache invalidation ------------------------------------------------------------


class ContentVersion(models.Model):
    """A single row whose number rises after every committed change to tracker data.

    Public caches (pages, the status report) put it in their keys, so a change, above all an
    unpublication, shows on the next request in every process. Kept here for its table (app label
    `tracker`); what it means and when it rises: cooperation/caching/content_version.py.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return str(self.value)


def record_models() -> list[type[models.Model]]:
    """The models of the records staff keep, in the order declared above: not their history
    tables (django-simple-history), not the content version."""
    return [
        model
        for model in apps.get_app_config("tracker").get_models()
        if model is not ContentVersion and not issubclass(model, HistoricalChanges)
    ]
