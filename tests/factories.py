import datetime

import factory
from django.utils import timezone

from core.partial_dates import Precision
from news.models import Article, PendingChange
from relations.models import (
    Agreement,
    CooperationField,
    Exchange,
    Meeting,
    Participation,
    Partnership,
    Person,
    Region,
    Side,
    WorkingGroup,
    WorkingGroupMember,
)


class CooperationFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationField
        django_get_or_create = ("slug",)

    name_en = factory.Sequence(lambda n: f"Field {n}")
    slug = factory.Sequence(lambda n: f"field-{n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name_en = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    country = "CN"
    kind = Region.Kind.PROVINCE

    class Params:
        home = factory.Trait(is_home=True, country="KR", name_en="Gyeonggi Province")


def home_region():
    """Return the one home region, creating it on first use."""
    return Region.objects.filter(is_home=True).first() or RegionFactory(home=True, slug="home")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    home_region = factory.LazyFunction(home_region)
    partner_region = factory.SubFactory(RegionFactory)
    slug = factory.LazyAttribute(lambda o: o.partner_region.slug)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    kind = Agreement.Kind.COOPERATION
    title_en = factory.Sequence(lambda n: f"Agreement {n}")
    signed_on = datetime.date(2020, 5, 17)
    signed_on_precision = Precision.DAY

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create and extracted:
            self.fields.set(extracted)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name_en = factory.Sequence(lambda n: f"Person {n}")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    agreement = factory.SubFactory(AgreementFactory)
    person = factory.SubFactory(PersonFactory)
    role = Participation.Role.SIGNATORY
    side = Side.HOME
    title_en = "Governor"


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    partnership = factory.SubFactory(PartnershipFactory)
    name_en = factory.Sequence(lambda n: f"Working group {n}")


class WorkingGroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroupMember

    group = factory.SubFactory(WorkingGroupFactory)
    person = factory.SubFactory(PersonFactory)
    side = Side.HOME


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(WorkingGroupFactory)
    held_on = datetime.date(2025, 3, 4)
    place_en = "Suwon"


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exchange

    partnership = factory.SubFactory(PartnershipFactory)
    kind = Exchange.Kind.DELEGATION_VISIT
    direction = Exchange.Direction.OUTBOUND
    title_en = factory.Sequence(lambda n: f"Exchange {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A public article by default; pass status/publish_at for drafts and scheduled ones."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"article-{n}")
    title_en = factory.Sequence(lambda n: f"Article {n}")
    summary_en = "A summary."
    body_en = "Some *text*."
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    @factory.post_generation
    def partnerships(self, create, extracted, **kwargs):
        if create and extracted:
            self.partnerships.set(extracted)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


class PendingChangeFactory(factory.django.DjangoModelFactory):
    """An editor's change, waiting for a publisher, to the English body of a public article."""

    class Meta:
        model = PendingChange

    article = factory.SubFactory(ArticleFactory)
    data = factory.LazyFunction(lambda: {"fields": {"body_en": "Changed *text*."}})
