"""factory_boy factories for every library and teaching model.

Countries and topics are reference data loaded by a migration, so their factories
reuse the existing row when the code or slug is known (`CountryFactory(code="PE")`
returns Peru). Fresh countries get codes from ISO's user-assigned range (QM–QZ, XA–XJ).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from lantern.core.text import fold
from lantern.library.models import (
    Access,
    Country,
    CountryProfile,
    DatePrecision,
    Entry,
    Helpline,
    Publisher,
    Series,
    SourcePage,
    Tier,
    TierPlacement,
    TipSummary,
    Topic,
)
from lantern.teaching.models import (
    DebateProposition,
    Guidance,
    LessonPlan,
    ResourceLink,
)

_SPARE_CODES = [f"Q{c}" for c in "MNOPQRSTUVWXYZ"] + [f"X{c}" for c in "ABCDEFGHIJ"]


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"curator{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: _SPARE_CODES[n % len(_SPARE_CODES)])
    alpha3 = factory.LazyAttribute(lambda o: f"{o.code}Z")
    name = factory.LazyAttribute(lambda o: f"Testland {o.code}")
    official_name = factory.LazyAttribute(lambda o: f"Republic of {o.name}")
    region = "Americas"
    region_code = "019"
    sub_region = "Latin America and the Caribbean"
    sub_region_code = "419"
    intermediate_region = "South America"
    intermediate_region_code = "005"
    calling_code = "999"


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test topic {n}")
    slug = factory.LazyAttribute(lambda o: fold(o.name).replace(" ", "-"))
    parent = factory.LazyFunction(lambda: Topic.objects.get(slug="forms"))
    position = 999


class PublisherFactory(DjangoModelFactory):
    class Meta:
        model = Publisher
        django_get_or_create = ("name_key",)

    name = factory.Sequence(lambda n: f"Publisher {n}")
    name_key = factory.LazyAttribute(lambda o: fold(o.name))
    kind = Publisher.Kind.NGO


class SeriesFactory(DjangoModelFactory):
    class Meta:
        model = Series
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Annual report {n}")
    slug = factory.LazyAttribute(lambda o: fold(o.name).replace(" ", "-"))
    publisher_name = "Example Agency"


class SourcePageFactory(DjangoModelFactory):
    class Meta:
        model = SourcePage

    key = factory.Sequence(lambda n: f"country:page-{n}")
    kind = SourcePage.Kind.COUNTRY
    rendering = SourcePage.Rendering.TEXT
    file_path = factory.Sequence(lambda n: f"humantrafficking/Page{n}.txt")
    title = factory.Sequence(lambda n: f"Page {n}")
    content_hash = factory.LazyAttribute(
        lambda o: hashlib.sha256(o.key.encode()).hexdigest()
    )
    line_count = 100


class EntryFactory(DjangoModelFactory):
    """An entry; its primary country is also added to `countries`."""

    class Meta:
        model = Entry
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Report on trafficking number {n}")
    publisher = factory.SubFactory(PublisherFactory)
    published_raw = "25 November 2020"
    published_date = dt.date(2020, 11, 25)
    published_precision = DatePrecision.DAY
    source_line = factory.LazyAttribute(
        lambda o: f"{o.publisher.name}, {o.published_raw}" if o.publisher else ""
    )
    url = factory.Sequence(lambda n: f"https://example.org/reports/{n}")
    excerpt = factory.LazyFunction(
        lambda: ["Traffickers exploit adolescents with false promises of work."]
    )
    primary_country = factory.LazyFunction(lambda: Country.objects.get(code="PE"))
    key = factory.Sequence(lambda n: f"entry-key-{n}")
    position = factory.Sequence(lambda n: n)
    origin = Entry.Origin.CURATOR

    @factory.post_generation
    def countries(
        self, create: bool, extracted: list[Country] | None, **kwargs: object
    ):
        if not create:
            return
        wanted = list(extracted or [])
        if self.primary_country is not None and self.primary_country not in wanted:
            wanted.insert(0, self.primary_country)
        if wanted:
            self.countries.add(*wanted)

    @factory.post_generation
    def topics(self, create: bool, extracted: list[Topic] | None, **kwargs: object):
        if create and extracted:
            self.topics.add(*extracted)


class AccessFactory(DjangoModelFactory):
    class Meta:
        model = Access

    entry = factory.SubFactory(EntryFactory)
    position = factory.Sequence(lambda n: n)
    url = factory.LazyAttribute(lambda o: o.entry.url)
    accessed_on = dt.date(2010, 12, 16)
    raw = factory.LazyAttribute(
        lambda o: (
            f"[accessed {o.accessed_on.day} {o.accessed_on:%B %Y}]"
            if o.accessed_on
            else ""
        )
    )
    origin = Access.Origin.IMPORT


class TierPlacementFactory(DjangoModelFactory):
    class Meta:
        model = TierPlacement

    country = factory.SubFactory(CountryFactory)
    report_year = 2020
    tier = Tier.TIER2
    source = TierPlacement.Source.CURATOR


class CountryProfileFactory(DjangoModelFactory):
    class Meta:
        model = CountryProfile
        django_get_or_create = ("country",)

    country = factory.SubFactory(CountryFactory)
    official_name = factory.LazyAttribute(lambda o: o.country.official_name)
    background = factory.LazyFunction(
        lambda: ["The economy reflects a varied geography.", "Growth was strong."]
    )
    background_source = "The World Factbook, U.S.C.I.A."
    background_year = 2009
    tip_summary = factory.LazyFunction(
        lambda: ["The country is a source, transit, and destination country."]
    )
    tip_source = "U.S. State Dept Trafficking in Persons Report, June, 2009"
    tip_report_year = 2009
    tip_report_month = 6


class TipSummaryFactory(DjangoModelFactory):
    class Meta:
        model = TipSummary

    country = factory.SubFactory(CountryFactory)
    report_year = 2023
    tier = Tier.TIER2
    tier_line = factory.LazyAttribute(
        lambda o: (
            f"{o.country.name.upper()} (Tier 2) Extracted in part from the "
            f"U.S. State Dept {o.report_year} TIP Report"
        )
    )
    summary = factory.LazyFunction(lambda: ["The government does not fully meet ..."])
    recommendations = factory.LazyFunction(lambda: ["Increase efforts to prosecute."])


class HelplineFactory(DjangoModelFactory):
    """A help-line; by default Peru's valid Lima number."""

    class Meta:
        model = Helpline

    country = factory.LazyFunction(lambda: Country.objects.get(code="PE"))
    organisation = "Ministry of Interior"
    number_raw = "01518 0000"
    country_code_raw = "51-"
    e164 = "+5115180000"
    is_valid = True
    position = factory.Sequence(lambda n: n)
    number_key = factory.LazyAttribute(
        lambda o: "".join(ch for ch in o.number_raw if ch.isdigit())
    )


class ResourceLinkFactory(DjangoModelFactory):
    class Meta:
        model = ResourceLink

    title = factory.Sequence(lambda n: f"Classroom resource {n}")
    url = factory.Sequence(lambda n: f"https://example.org/teach/{n}")
    description = "Material for a lesson on modern slavery."
    menu = "Resources for Teachers"
    position = factory.Sequence(lambda n: n)


class DebatePropositionFactory(DjangoModelFactory):
    class Meta:
        model = DebateProposition

    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Resolved: proposition {n} should be debated.")


class LessonPlanFactory(DjangoModelFactory):
    class Meta:
        model = LessonPlan

    title = factory.Sequence(lambda n: f"Lesson plan {n}")
    unit_topic = "Human trafficking"
    grade_level = "9-12"
    objectives = factory.LazyFunction(
        lambda: ["Define human trafficking.", "Name three forms of forced labour."]
    )
    fields = factory.LazyFunction(
        lambda: [
            {"label": "Materials", "value": "Newspaper articles"},
            {"label": "Assessment", "value": "A one-page essay"},
        ]
    )


class GuidanceFactory(DjangoModelFactory):
    class Meta:
        model = Guidance

    audience = Guidance.Audience.STUDENTS
    heading = ""
    paragraphs = factory.Sequence(
        lambda n: [f"Scan the postings on this page and others ({n})."]
    )
    text_key = factory.LazyAttribute(
        lambda o: hashlib.sha256("\n".join(o.paragraphs).encode()).hexdigest()
    )
