"""The admin action: the same CSV for the selected agreements, or for the whole filtered list."""

import pytest
from django.urls import reverse

from relations.models import Agreement
from tests.factories import AgreementFactory, PartnershipFactory, RegionFactory

from .helpers_export import exported_ids, rows

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:relations_agreement_changelist"


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(user)
    return client


@pytest.fixture
def agreements():
    osaka = PartnershipFactory(partner_region=RegionFactory(name_en="Osaka", country="JP"))
    mous = [AgreementFactory(kind=Agreement.Kind.MOU) for _ in range(3)]
    mous.append(AgreementFactory(partnership=osaka, kind=Agreement.Kind.MOU))
    others = [AgreementFactory(kind=Agreement.Kind.RENEWAL) for _ in range(2)]
    return mous, others


def _export(client, ids, *, query="", select_across=False, **extra):
    data = {"action": "export_csv", "_selected_action": [str(pk) for pk in ids], "index": "0"}
    if select_across:
        data["select_across"] = "1"
    return client.post(reverse(CHANGELIST) + query, data, **extra)


def test_it_offers_the_export_action(staff_client, agreements):
    response = staff_client.get(reverse(CHANGELIST))
    assert "Export selected agreements as CSV" in response.content.decode()


def test_it_exports_the_selected_agreements(staff_client, agreements):
    mous, others = agreements
    chosen = [mous[0], others[1]]
    response = _export(staff_client, [a.pk for a in chosen])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="agreements-en-')
    table = rows(response)
    assert table[0][:2] == ["ID", "Title"]
    assert sorted(int(row[0]) for row in table[1:]) == sorted(a.pk for a in chosen)


def test_it_exports_everything_the_filters_and_search_match(staff_client, agreements):
    mous, _others = agreements
    # Only the first page's checkboxes are posted; select_across means every match.
    response = _export(
        staff_client, [mous[0].pk], query="?kind__exact=mou&q=Osaka", select_across=True
    )
    assert exported_ids(response) == [mous[3].pk]
    response = _export(staff_client, [mous[0].pk], query="?kind__exact=mou", select_across=True)
    assert sorted(exported_ids(response)) == sorted(a.pk for a in mous)


def test_it_exports_in_the_admin_users_language(staff_client, agreements):
    mous, _others = agreements
    response = _export(staff_client, [mous[0].pk], HTTP_ACCEPT_LANGUAGE="ko")
    header, row = rows(response)
    assert header[1] == "제목"
    assert row[2] == "양해각서"
    assert row[-1].endswith(f"/ko/agreements/{mous[0].pk}/")
    assert 'filename="agreements-ko-' in response["Content-Disposition"]


def test_it_does_not_let_anonymous_visitors_export(client, agreements):
    mous, _others = agreements
    response = _export(client, [mous[0].pk])
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
