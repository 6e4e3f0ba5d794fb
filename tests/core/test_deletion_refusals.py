import pytest
from django.urls import reverse

from relations.models import CooperationField, Partnership, Person, Region
from tests.factories import (
    AgreementFactory,
    ArticleFactory,
    CooperationFieldFactory,
    ExchangeFactory,
    ParticipationFactory,
    PartnershipFactory,
    RegionFactory,
    WorkingGroupFactory,
    WorkingGroupMemberFactory,
)

pytestmark = pytest.mark.django_db


def _delete_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])


def _changelist_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def _delete(client, obj):
    return client.post(_delete_url(obj), {"post": "yes"})


def _delete_selected(client, *objs):
    return client.post(
        _changelist_url(type(objs[0])),
        {
            "action": "delete_selected",
            "_selected_action": [obj.pk for obj in objs],
            "post": "yes",
        },
    )


def _assert_refused(response, *dependents):
    page = response.content.decode()
    assert response.status_code == 200
    assert "because other records depend on it" in page
    # Django's confirmation page lists the protected records instead of a delete button.
    assert "protected related objects" in page
    for dependent in dependents:
        assert str(dependent) in page


@pytest.fixture
def field_in_use():
    field = CooperationFieldFactory(name_en="Semiconductors")
    agreement = AgreementFactory(title_en="Sisterhood Agreement", fields=[field])
    group = WorkingGroupFactory(name_en="Chip working group")
    group.fields.add(field)
    exchange = ExchangeFactory(title_en="Fab visit")
    exchange.fields.add(field)
    article = ArticleFactory(title_en="Chips news")
    article.fields.add(field)
    return field, [agreement, group, exchange, article]


def test_it_refuses_to_delete_a_field_in_use(admin_client, field_in_use):
    field, dependents = field_in_use

    r = admin_client.get(_delete_url(field))

    _assert_refused(r, *dependents)
    assert "Agreements: 1" in r.content.decode()


def test_it_keeps_a_field_in_use_and_its_links_on_a_posted_delete(admin_client, field_in_use):
    field, dependents = field_in_use

    r = _delete(admin_client, field)

    _assert_refused(r, *dependents)
    assert CooperationField.objects.filter(pk=field.pk).exists()
    assert list(dependents[0].fields.all()) == [field]
    assert list(field.articles.all()) == [dependents[3]]


def test_it_refuses_the_delete_action_for_a_field_in_use(admin_client, field_in_use):
    field, dependents = field_in_use
    unused = CooperationFieldFactory()

    r = _delete_selected(admin_client, field, unused)

    _assert_refused(r, *dependents)
    assert CooperationField.objects.filter(pk__in=[field.pk, unused.pk]).count() == 2


def test_it_deletes_an_unused_field(admin_client):
    field = CooperationFieldFactory()

    r = _delete(admin_client, field)

    assert r.status_code == 302
    assert not CooperationField.objects.filter(pk=field.pk).exists()


def test_it_deletes_unused_fields_with_the_action(admin_client):
    fields = [CooperationFieldFactory(), CooperationFieldFactory()]

    r = _delete_selected(admin_client, *fields)

    assert r.status_code == 302
    assert not CooperationField.objects.exists()


def test_it_refuses_to_delete_a_region_with_partnerships(admin_client):
    partnership = PartnershipFactory()
    region = partnership.partner_region

    r = _delete(admin_client, region)

    _assert_refused(r, partnership)
    assert "Partnerships: 1" in r.content.decode()
    assert Region.objects.filter(pk=region.pk).exists()


def test_it_refuses_the_delete_action_for_a_region_with_partnerships(admin_client):
    partnership = PartnershipFactory()

    r = _delete_selected(admin_client, partnership.partner_region, RegionFactory())

    _assert_refused(r, partnership)
    assert Region.objects.count() == 3


def test_it_refuses_to_delete_a_person_who_took_part(admin_client):
    participation = ParticipationFactory(agreement__title_en="Friendship Agreement")
    membership = WorkingGroupMemberFactory(person=participation.person)

    r = _delete(admin_client, participation.person)

    _assert_refused(r, participation, membership)
    assert Person.objects.filter(pk=participation.person.pk).exists()


def test_it_refuses_to_delete_a_partnership_with_records(admin_client):
    partnership = PartnershipFactory()
    agreement = AgreementFactory(partnership=partnership)
    exchange = ExchangeFactory(partnership=partnership)
    group = WorkingGroupFactory(partnership=partnership)
    article = ArticleFactory(partnerships=[partnership])

    r = _delete(admin_client, partnership)

    _assert_refused(r, agreement, exchange, group, article)
    assert Partnership.objects.filter(pk=partnership.pk).exists()
    assert list(article.partnerships.all()) == [partnership]


def test_it_refuses_to_delete_a_partnership_that_only_articles_link_to(admin_client):
    partnership = PartnershipFactory()
    article = ArticleFactory(partnerships=[partnership])

    r = _delete_selected(admin_client, partnership)

    _assert_refused(r, article)
    assert list(article.partnerships.all()) == [partnership]


def test_it_links_each_dependent_to_its_admin_page(admin_client, field_in_use):
    field, dependents = field_in_use

    r = admin_client.get(_delete_url(field))

    article = dependents[3]
    assert reverse("admin:news_article_change", args=[article.pk]) in r.content.decode()
