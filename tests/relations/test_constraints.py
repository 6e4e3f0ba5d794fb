"""Every database rule, broken through the real admin, comes back as a form error, not a 500."""

import pytest

from relations.models import Agreement, Exchange, Participation, Partnership, Region
from tests.factories import (
    AgreementFactory,
    ParticipationFactory,
    PartnershipFactory,
    PersonFactory,
    RegionFactory,
    WorkingGroupFactory,
    home_region,
)
from tests.relations.admin_posts import (
    admin_url,
    agreement_data,
    errors_of,
    exchange_data,
    partnership_data,
    region_data,
    working_group_data,
)

pytestmark = pytest.mark.django_db


def assert_refused(response, message):
    assert response.status_code == 200
    assert message in errors_of(response)


def test_it_refuses_a_second_home_region(admin_client):
    home_region()
    r = admin_client.post(admin_url(Region, "add"), region_data(is_home="on"))
    assert_refused(r, "Another region is already the home region.")
    assert not Region.objects.filter(slug="zhejiang").exists()


def test_it_refuses_to_mark_a_second_region_as_home_on_change(admin_client):
    home_region()
    region = RegionFactory(slug="zhejiang")
    r = admin_client.post(admin_url(Region, "change", region.pk), region_data(is_home="on"))
    assert_refused(r, "Another region is already the home region.")
    region.refresh_from_db()
    assert not region.is_home


def test_it_refuses_a_negative_population(admin_client):
    r = admin_client.post(admin_url(Region, "add"), region_data(population="-5"))
    assert r.status_code == 200
    assert "population" in r.context["adminform"].form.errors
    assert not Region.objects.exists()


def test_it_refuses_a_negative_area(admin_client):
    r = admin_client.post(admin_url(Region, "add"), region_data(area_km2="-0.5"))
    assert_refused(r, "The area cannot be negative.")
    assert not Region.objects.exists()


def test_it_refuses_a_latitude_of_91(admin_client):
    r = admin_client.post(admin_url(Region, "add"), region_data(latitude="91"))
    assert_refused(r, "The latitude must lie between -90 and 90.")
    assert not Region.objects.exists()


def test_it_refuses_a_longitude_of_minus_181(admin_client):
    r = admin_client.post(admin_url(Region, "add"), region_data(longitude="-181"))
    assert_refused(r, "The longitude must lie between -180 and 180.")
    assert not Region.objects.exists()


def test_it_refuses_a_region_as_its_own_parent(admin_client):
    region = RegionFactory(slug="zhejiang")
    r = admin_client.post(
        admin_url(Region, "change", region.pk), region_data(parent=str(region.pk))
    )
    assert_refused(r, "A region cannot be its own parent.")
    region.refresh_from_db()
    assert region.parent is None


def test_it_refuses_the_home_region_as_partner(admin_client):
    home = home_region()
    r = admin_client.post(admin_url(Partnership, "add"), partnership_data(home=home, partner=home))
    assert_refused(r, "A region cannot be its own partner.")
    assert not Partnership.objects.exists()


def test_it_refuses_a_duplicate_pair(admin_client):
    existing = PartnershipFactory()
    r = admin_client.post(
        admin_url(Partnership, "add"),
        partnership_data(home=existing.home_region, partner=existing.partner_region, slug="new"),
    )
    assert_refused(r, "These two regions already have a partnership.")
    assert Partnership.objects.count() == 1


def test_it_refuses_a_home_region_that_is_not_marked_home(admin_client):
    home_region()
    elsewhere, partner = RegionFactory(), RegionFactory()
    r = admin_client.post(
        admin_url(Partnership, "add"), partnership_data(home=elsewhere, partner=partner)
    )
    assert r.status_code == 200
    [message] = r.context["adminform"].form.errors["home_region"]
    assert "Gyeonggi Province" in message
    assert not Partnership.objects.exists()


def test_it_refuses_valid_until_before_the_signing_date(admin_client):
    partnership = PartnershipFactory()
    r = admin_client.post(
        admin_url(Agreement, "add"),
        agreement_data(partnership=partnership, valid_until="2024-06-18"),
    )
    assert_refused(r, "“Valid until” cannot be before the signing date.")
    assert not Agreement.objects.exists()


def test_it_compares_valid_until_with_the_signing_date_at_its_precision(admin_client):
    # Signed "2024" is stored as 1 January 2024, so valid until March is consistent.
    partnership = PartnershipFactory()
    r = admin_client.post(
        admin_url(Agreement, "add"),
        agreement_data(
            partnership=partnership,
            signed_on="2024-06-19",
            signed_on_precision="year",
            valid_until="2024-03-01",
        ),
    )
    assert r.status_code == 302
    assert Agreement.objects.get().signed_on.isoformat() == "2024-01-01"


def test_it_refuses_an_exchange_ending_before_it_starts(admin_client):
    partnership = PartnershipFactory()
    r = admin_client.post(
        admin_url(Exchange, "add"),
        exchange_data(partnership=partnership, starts_on="2024-05-10", ends_on="2024-05-09"),
    )
    assert_refused(r, "The end date cannot be before the start date.")
    assert not Exchange.objects.exists()


def test_it_refuses_the_same_person_twice_in_one_role_in_one_submission(admin_client):
    partnership = PartnershipFactory()
    person = PersonFactory()
    row = {"person": str(person.pk), "role": "signatory", "side": "home", "order": "0"}
    r = admin_client.post(
        admin_url(Agreement, "add"),
        agreement_data(partnership=partnership, participations=[row, row]),
    )
    assert r.status_code == 200
    assert "This person already has this role in the agreement." in r.content.decode()
    assert not Agreement.objects.exists()
    assert not Participation.objects.exists()


def test_it_refuses_a_participation_that_is_already_recorded(admin_client):
    existing = ParticipationFactory()
    agreement = existing.agreement
    saved = {
        "id": str(existing.pk),
        "agreement": str(agreement.pk),
        "person": str(existing.person_id),
        "role": existing.role,
        "side": existing.side,
        "order": "0",
    }
    again = {"person": str(existing.person_id), "role": existing.role, "side": "home"}
    data = agreement_data(
        partnership=agreement.partnership,
        title_en=agreement.title_en,
        signed_on="2020-05-17",
        participations=[saved, {**again, "order": "1"}],
        initial=1,
    )
    r = admin_client.post(admin_url(Agreement, "change", agreement.pk), data)
    assert r.status_code == 200
    assert "This person already has this role in the agreement." in r.content.decode()
    assert Participation.objects.count() == 1


def test_it_refuses_the_same_member_twice_in_a_working_group(admin_client):
    group = WorkingGroupFactory()
    person = PersonFactory()
    row = {"person": str(person.pk), "side": "home", "role": "member"}
    r = admin_client.post(
        admin_url(type(group), "change", group.pk),
        working_group_data(
            partnership=group.partnership, name_en=group.name_en, members=[row, row]
        ),
    )
    assert r.status_code == 200
    assert "This person is already a member of the group." in r.content.decode()
    assert not group.members.exists()


def test_it_shows_the_cannot_delete_page_for_a_region_with_partnerships(admin_client):
    partnership = PartnershipFactory()
    region = partnership.partner_region
    url = admin_url(Region, "delete", region.pk)

    r = admin_client.get(url)
    assert r.status_code == 200
    assert r.context["protected"]
    r = admin_client.post(url, {"post": "yes"})
    assert r.status_code == 200
    assert r.context["protected"]
    assert Region.objects.filter(pk=region.pk).exists()


def test_it_shows_the_cannot_delete_page_for_a_partnership_with_agreements(admin_client):
    agreement = AgreementFactory()
    r = admin_client.post(
        admin_url(Partnership, "delete", agreement.partnership_id), {"post": "yes"}
    )
    assert r.status_code == 200
    assert r.context["protected"]
    assert Partnership.objects.filter(pk=agreement.partnership_id).exists()
