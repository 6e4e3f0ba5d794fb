"""The public CSV export: bytes, cells, languages, formula injection, pandas and queries."""

import datetime
import io

import pandas as pd
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.partial_dates import Precision
from relations import csv_format, export
from relations.models import Agreement
from tests.factories import AgreementFactory, ParticipationFactory, PartnershipFactory

from .helpers_export import (
    body,
    export_url,
    exported_ids,
    jiangsu_sisterhood,
    records,
    rows,
    year_only_friendship,
)

pytestmark = pytest.mark.django_db

ENGLISH_HEADER = [
    "ID",
    "Title",
    "Kind",
    "Home region",
    "Partner region",
    "Partner country",
    "Level",
    "Signed on",
    "Status",
    "Valid until",
    "Venue",
    "Fields",
    "Signatories",
    "Source URL",
    "URL",
]


@pytest.fixture
def sisterhood():
    return jiangsu_sisterhood()


def test_it_starts_with_a_bom_and_ends_every_line_with_crlf(client, sisterhood):
    data = body(client.get(export_url()))
    assert data.startswith(b"\xef\xbb\xbfID,Title,Kind,")
    assert data.endswith(b"\r\n")
    assert data.count(b"\r\n") == 2
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_it_serves_an_attachment_named_by_language_and_local_date(client, sisterhood):
    # 20:00 UTC on 1 January is already 2 January in Seoul, the default TIME_ZONE.
    with time_machine.travel(datetime.datetime(2025, 1, 1, 20, 0, tzinfo=datetime.UTC)):
        response = client.get(export_url("ko"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="agreements-ko-2025-01-02.csv"'
    )


def test_it_writes_every_column_in_english(client, sisterhood):
    table = rows(client.get(export_url()))
    assert table[0] == ENGLISH_HEADER
    assert table[0] == [str(column.header) for column in csv_format.COLUMNS]
    assert table[1] == [
        str(sisterhood.pk),
        "Sisterhood Agreement between Gyeonggi Province and Jiangsu Province",
        "Sisterhood agreement",
        "Gyeonggi Province",
        "Jiangsu Province",
        "CN",
        "Sisterhood",
        "2024-06-19",
        "In force",
        "",
        "Dodamso, Suwon",
        "Education; Tourism",
        "Dong-yeon Kim (Governor of Gyeonggi Province); "
        "Xin Changxing (Party Secretary of Jiangsu Province)",
        "https://example.org/release",
        f"http://testserver/en/agreements/{sisterhood.pk}/",
    ]


def test_it_writes_headers_and_values_in_korean_with_english_fallback(client, sisterhood):
    table = rows(client.get(export_url("ko")))
    assert table[0][1] == "제목"
    assert table[0][12] == "서명자"
    (row,) = records(client.get(export_url("ko")))
    assert row["title"] == "경기도와 장쑤성 간 자매결연 협정"
    assert row["kind"] == "자매결연 협정"
    assert row["status"] == "유효"
    assert row["home_region"] == "경기도"
    assert row["partner_region"] == "장쑤성"
    assert row["venue"] == "도담소"
    # Fields sort by their name in the export's language.
    assert row["fields"] == "관광; 교육"
    # The partner's title has no Korean text: English stands in.
    assert row["signatories"] == (
        "김동연 (경기도지사); 신창싱 (Party Secretary of Jiangsu Province)"
    )
    assert row["url"] == f"http://testserver/ko/agreements/{sisterhood.pk}/"


def test_it_keeps_chinese_text_intact_in_utf8(client, sisterhood):
    data = body(client.get(export_url("zh-hans")))
    assert "京畿道与江苏省缔结姐妹友好关系协议".encode() in data
    assert "金东兖".encode() in data
    assert "江苏省".encode() in data


def test_it_writes_signatories_without_a_title_by_name_only(client):
    agreement = AgreementFactory()
    ParticipationFactory(agreement=agreement, person__name_en="Hao Peng", title_en="")
    (row,) = records(client.get(export_url()))
    assert row["signatories"] == "Hao Peng"


def test_it_writes_partial_dates_at_their_precision(client):
    partnership = PartnershipFactory()
    year_only_friendship(partnership)
    AgreementFactory(
        partnership=partnership,
        signed_on=datetime.date(2024, 6, 1),
        signed_on_precision=Precision.MONTH,
        valid_until=datetime.date(2029, 6, 30),
    )
    AgreementFactory(partnership=partnership, signed_on=None)
    table = records(client.get(export_url()))
    assert [(r["signed_on"], r["valid_until"]) for r in table] == [
        ("2024-06", "2029-06-30"),
        ("2011", ""),
        ("", ""),
    ]
    assert table[1]["level"] == "Friendship"


def test_it_quotes_commas_quotes_and_newlines(client):
    agreement = AgreementFactory(
        title_en='Agreement on "trade", tourism\r\nand culture', venue_en="Suwon, Korea"
    )
    data = body(client.get(export_url()))
    line = (
        f'{agreement.pk},"Agreement on ""trade"", tourism\r\nand culture",Cooperation agreement,'
    ).encode()
    assert line in data
    assert b',"Suwon, Korea",' in data
    (row,) = records(client.get(export_url()))
    assert row["title"] == 'Agreement on "trade", tourism\r\nand culture'


# PostgreSQL cannot store NUL in text; the NUL case is covered by test_it_neutralizes_nul.
@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_it_writes_formulas_so_no_spreadsheet_evaluates_them(client, trigger):
    title = f'{trigger}HYPERLINK("http://evil.example","x")'
    AgreementFactory(title_en=title, venue_en=f"{trigger}1+2")
    (row,) = records(client.get(export_url()))
    assert row["title"] == f"'{title}"
    assert row["venue"] == f"'{trigger}1+2"
    assert csv_format.restore(row["title"]) == title


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL stores no NUL")
def test_it_neutralizes_nul(client):
    AgreementFactory(title_en="\0cmd", venue_en="a\0,b")
    (row,) = records(client.get(export_url()))
    assert row["title"] == "'\0cmd"
    assert row["venue"] == "a\0,b"


def test_it_escapes_a_leading_quote_so_the_import_can_restore_it(client):
    AgreementFactory(title_en="'quoted' agreement")
    (row,) = records(client.get(export_url()))
    assert row["title"] == "''quoted' agreement"
    assert csv_format.restore(row["title"]) == "'quoted' agreement"


def test_it_uses_the_public_url_for_links(client, settings, sisterhood):
    settings.PUBLIC_URL = "https://portal.example.org"
    (row,) = records(client.get(export_url("zh-hans")))
    assert row["url"] == f"https://portal.example.org/zh-hans/agreements/{sisterhood.pk}/"


def test_it_reads_in_pandas_with_no_options(client, sisterhood):
    AgreementFactory(title_en='Commas, "quotes"\nand lines', signed_on=None)
    frame = pd.read_csv(io.BytesIO(body(client.get(export_url("ko")))))
    assert len(frame.columns) == len(csv_format.COLUMNS)
    assert frame.columns[1] == "제목"
    assert len(frame) == 2
    assert frame.dtypes.iloc[0] == "int64"
    assert pd.api.types.is_string_dtype(frame.iloc[:, 1])
    assert list(frame.iloc[:, 0]) == [sisterhood.pk, sisterhood.pk + 1]
    assert frame.iloc[0, 1] == "경기도와 장쑤성 간 자매결연 협정"
    assert frame.iloc[1, 1] == 'Commas, "quotes"\nand lines'


def test_it_lists_agreements_in_the_order_of_the_list(client):
    partnership = PartnershipFactory()
    old = year_only_friendship(partnership)
    undated = AgreementFactory(partnership=partnership, signed_on=None)
    new = AgreementFactory(partnership=partnership, signed_on=datetime.date(2024, 1, 1))
    same_day = AgreementFactory(partnership=partnership, signed_on=datetime.date(2024, 1, 1))
    response = client.get(export_url())
    assert exported_ids(response) == [same_day.pk, new.pk, old.pk, undated.pk]


def test_it_writes_only_the_header_when_nothing_matches(client):
    AgreementFactory(kind=Agreement.Kind.MOU)
    table = rows(client.get(export_url(query="kind=renewal")))
    assert table == [ENGLISH_HEADER]


def test_it_hands_the_response_batches_of_lines(client, monkeypatch):
    monkeypatch.setattr(export, "LINES_PER_WRITE", 2)
    for _ in range(5):
        AgreementFactory()
    chunks = list(client.get(export_url()).streaming_content)
    # The header, then rows in writes of two lines: 2 + 2 + 1.
    assert [chunk.count(b"\r\n") for chunk in chunks] == [1, 2, 2, 1]


def _count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(export_url())
        body(response)
    return len(queries)


def _add_agreements(count):
    partnership = PartnershipFactory()
    for _ in range(count):
        agreement = AgreementFactory(partnership=partnership, fields=[])
        ParticipationFactory(agreement=agreement)


def test_it_runs_as_many_queries_for_100_agreements_as_for_10(client):
    # Intended to prevent an n+1 issue: fields and signatories are read per chunk.
    _add_agreements(10)
    before = _count_queries(client)
    _add_agreements(90)
    assert _count_queries(client) == before


def test_it_runs_as_many_queries_for_several_chunks_as_for_one(client, monkeypatch):
    # The lines come from one query, fetched CHUNK_SIZE at a time through one cursor.
    monkeypatch.setattr(export, "CHUNK_SIZE", 10)
    _add_agreements(10)
    one_chunk = _count_queries(client)
    _add_agreements(25)
    assert _count_queries(client) == one_chunk


@pytest.mark.parametrize(
    "query",
    ["year_from=abc", "country=XX", "year_from=2024&year_to=2011", "partner=nowhere"],
)
def test_it_answers_an_invalid_filter_with_a_400_and_the_reason(client, query):
    AgreementFactory()
    response = client.get(export_url(query=query))
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("The filters are not valid:\n- ")


def test_it_names_the_invalid_filter_in_the_visitors_language(client):
    response = client.get(export_url("ko", query="year_from=abc"))
    assert response.status_code == 400
    assert "- 체결 연도(부터): " in response.content.decode()


def test_the_list_links_to_the_export_with_its_filters_but_not_its_page(client):
    for _ in range(21):
        AgreementFactory(kind=Agreement.Kind.MOU)
    response = client.get(reverse("relations:agreement_list") + "?kind=mou&page=2")
    assert response.status_code == 200
    assert 'href="/en/agreements/export.csv?kind=mou"' in response.content.decode()
