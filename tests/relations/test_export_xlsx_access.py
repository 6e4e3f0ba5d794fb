"""Reaching the workbook: the list's filters, bad input, methods, the download limit, the
list's link and the admin action."""

import pytest
from django.test import Client
from django.urls import reverse

from relations.models import Agreement
from tests.factories import AgreementFactory

from . import test_export_admin, test_export_filters
from .helpers_export import export_url, rows
from .helpers_xlsx import cells_of_csv_rows, sheet_rows, without_country_names, xlsx_url

pytestmark = pytest.mark.django_db

agreements = test_export_filters.agreements
staff_client = test_export_admin.staff_client
CHANGELIST = "admin:relations_agreement_changelist"


def _assert_same_cells_as_the_csv(client, query, language="en"):
    csv_table = rows(client.get(export_url(language, query)))
    response = client.get(xlsx_url(language, query))
    assert response.status_code == 200, query
    table = without_country_names(sheet_rows(b"".join(response.streaming_content)))
    assert table[0] == csv_table[0], query
    assert table[1:] == cells_of_csv_rows(csv_table[1:]), query


@pytest.mark.parametrize("language", ["en", "ko", "zh-hans"])
def test_it_holds_the_csvs_rows_for_every_single_filter(client, agreements, language):
    for query in test_export_filters.SINGLE_FILTERS:
        _assert_same_cells_as_the_csv(client, query, language)


def test_it_holds_the_csvs_rows_for_combined_filters(client, agreements):
    for query in test_export_filters.COMBINED_FILTERS:
        _assert_same_cells_as_the_csv(client, query)


def test_it_ignores_the_page_of_the_list(client, agreements):
    everything = sheet_rows(b"".join(client.get(xlsx_url(query="country=CN")).streaming_content))
    second_page = client.get(xlsx_url(query="country=CN&page=2"))
    assert sheet_rows(b"".join(second_page.streaming_content)) == everything
    assert len(everything) > 21  # more than one page of the list


@pytest.mark.parametrize("query", ["year_from=abc", "country=XX", "partner=nowhere"])
def test_it_answers_an_invalid_filter_with_a_400_and_the_reason(client, query):
    AgreementFactory()
    response = client.get(xlsx_url(query=query))
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("The filters are not valid:\n- ")


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_it_answers_405_to_anything_but_get_and_head(client, method):
    AgreementFactory()
    response = getattr(client, method)(xlsx_url())
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert client.head(xlsx_url()).status_code == 200


def test_it_shares_the_visitors_download_slots_with_the_csv(client):
    AgreementFactory()
    browser = Client(REMOTE_ADDR="198.51.100.7")
    running = [browser.get(export_url()), browser.get(xlsx_url())]
    refused = [browser.get(xlsx_url()), browser.get(export_url())]
    assert [r.status_code for r in running] == [200, 200]
    assert [r.status_code for r in refused] == [429, 429]
    for response in running:
        b"".join(response.streaming_content)  # the test client closes it at the end
    assert browser.get(xlsx_url()).status_code == 200


def test_the_list_links_to_the_workbook_with_its_filters_and_says_which_to_pick(client):
    for _ in range(21):
        AgreementFactory(kind=Agreement.Kind.MOU)
    response = client.get(reverse("relations:agreement_list") + "?kind=mou&page=2")
    page = response.content.decode()
    assert 'href="/en/agreements/export.xlsx?kind=mou"' in page
    assert 'href="/en/agreements/export.csv?kind=mou"' in page
    assert "Export Excel workbook" in page
    assert "CSV: for scripts and databases (UTF-8)." in page


def _export(client, ids, **extra):
    data = {"action": "export_xlsx", "_selected_action": [str(pk) for pk in ids], "index": "0"}
    return client.post(reverse(CHANGELIST), data, **extra)


def test_the_admin_offers_the_workbook_beside_the_csv(staff_client):
    AgreementFactory()
    page = staff_client.get(reverse(CHANGELIST)).content.decode()
    assert "Export selected agreements as CSV" in page
    assert "Export selected agreements as an Excel workbook" in page


def test_the_admin_exports_the_selected_agreements_in_the_users_language(staff_client):
    chosen, _other, also_chosen = [AgreementFactory() for _ in range(3)]
    response = _export(staff_client, [chosen.pk, also_chosen.pk], HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert 'filename="agreements-ko-' in response["Content-Disposition"]
    header, *table = sheet_rows(b"".join(response.streaming_content))
    assert header[1] == "제목"
    assert sorted(row[0] for row in table) == [chosen.pk, also_chosen.pk]


def test_the_admin_does_not_let_anonymous_visitors_export(client):
    agreement = AgreementFactory()
    response = _export(client, [agreement.pk])
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
