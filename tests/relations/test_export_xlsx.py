"""The public Excel workbook: the CSV's rows and columns in typed cells, in every language."""

import datetime
import io
import tempfile

import pandas as pd
import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core.partial_dates import Precision
from relations import export, export_xlsx
from relations.models import Agreement
from tests.factories import AgreementFactory, ParticipationFactory, PartnershipFactory

from . import test_export_oracle
from .helpers_export import export_url, jiangsu_sisterhood, rows, year_only_friendship
from .helpers_xlsx import (
    cells_of_csv_rows,
    sheet_rows,
    sheet_xml,
    without_country_names,
    workbook,
    xlsx_body,
    xlsx_url,
)

pytestmark = pytest.mark.django_db

hard_agreements = test_export_oracle.hard_agreements
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def sisterhood():
    return jiangsu_sisterhood()


def test_it_serves_an_attachment_named_by_language_and_local_date(client, sisterhood):
    # 20:00 UTC on 1 January is already 2 January in Seoul, the default TIME_ZONE.
    with time_machine.travel(datetime.datetime(2025, 1, 1, 20, 0, tzinfo=datetime.UTC)):
        response = client.get(xlsx_url("ko"))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="agreements-ko-2025-01-02.xlsx"'
    )
    assert int(response["Content-Length"]) == len(xlsx_body(response))


def test_it_writes_the_csvs_header_with_the_country_name_next_to_its_code(client, sisterhood):
    csv_header = rows(client.get(export_url()))[0]
    header = sheet_rows(xlsx_body(client.get(xlsx_url())))[0]
    assert header == [*csv_header[:6], "Partner country name", *csv_header[6:]]
    assert header[5:7] == ["Partner country", "Partner country name"]


@pytest.mark.parametrize("language", ["en", "ko", "zh-hans"])
def test_it_holds_the_csvs_cells_for_hard_text(client, hard_agreements, language):
    csv_table = rows(client.get(export_url(language)))
    table = sheet_rows(xlsx_body(client.get(xlsx_url(language))))
    assert len(table) == len(csv_table) == hard_agreements.count() + 1
    assert without_country_names(table)[0] == csv_table[0]
    assert without_country_names(table)[1:] == cells_of_csv_rows(csv_table[1:])


def test_it_writes_the_sisterhood_in_english(client, sisterhood):
    (row,) = sheet_rows(xlsx_body(client.get(xlsx_url())))[1:]
    assert row == [
        sisterhood.pk,
        "Sisterhood Agreement between Gyeonggi Province and Jiangsu Province",
        "Sisterhood agreement",
        "Gyeonggi Province",
        "Jiangsu Province",
        "CN",
        "China",
        "Sisterhood",
        datetime.date(2024, 6, 19),
        "In force",
        None,
        "Dodamso, Suwon",
        "Education; Tourism",
        "Dong-yeon Kim (Governor of Gyeonggi Province); "
        "Xin Changxing (Party Secretary of Jiangsu Province)",
        "https://example.org/release",
        f"http://testserver/en/agreements/{sisterhood.pk}/",
    ]


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("ko", ["제목", "경기도와 장쑤성 간 자매결연 협정", "중국", "김동연 (경기도지사)"]),
        ("zh-hans", ["京畿道与江苏省缔结姐妹友好关系协议", "中国", "江苏省", "金东兖"]),
    ],
)
def test_it_keeps_korean_and_chinese_intact_for_openpyxl_and_pandas(
    client, sisterhood, language, texts
):
    data = xlsx_body(client.get(xlsx_url(language)))
    cells = [str(value) for row in sheet_rows(data) for value in row]
    frame = pd.read_excel(io.BytesIO(data))
    in_pandas = [str(value) for value in [*frame.columns, *frame.to_numpy().ravel()]]
    for text in texts:
        assert any(text in cell for cell in cells), text
        assert any(text in cell for cell in in_pandas), text
    assert list(frame.iloc[:, 0]) == [sisterhood.pk]


def test_it_writes_dates_known_to_the_day_as_dates_and_others_as_text(client):
    partnership = PartnershipFactory()
    year_only_friendship(partnership)
    AgreementFactory(
        partnership=partnership,
        signed_on=datetime.date(2024, 6, 1),
        signed_on_precision=Precision.MONTH,
        valid_until=datetime.date(2029, 6, 30),
    )
    AgreementFactory(partnership=partnership, signed_on=datetime.date(2023, 10, 31))
    AgreementFactory(partnership=partnership, signed_on=None)
    sheet = workbook(xlsx_body(client.get(xlsx_url()))).active
    # In the list's order: latest first, undated last.
    signed, valid = [c for (c,) in sheet["I2":"I5"]], [c for (c,) in sheet["K2":"K5"]]
    assert [_value(c) for c in signed] == ["2024-06", datetime.date(2023, 10, 31), "2011", None]
    assert [c.data_type for c in signed[:3]] == ["s", "d", "s"]
    assert signed[1].number_format == "yyyy-mm-dd"
    assert (_value(valid[0]), valid[0].data_type) == (datetime.date(2029, 6, 30), "d")
    assert valid[0].number_format == "yyyy-mm-dd"
    assert [c.value for c in valid[1:]] == [None, None, None]


def test_it_writes_a_date_before_1900_march_as_text(client):
    # Excel has no date before 1900 and a 29 February 1900 that never was.
    AgreementFactory(signed_on=datetime.date(1899, 12, 31))
    AgreementFactory(signed_on=datetime.date(1900, 3, 1))
    sheet = workbook(xlsx_body(client.get(xlsx_url()))).active
    assert [_value(c) for (c,) in sheet["I2":"I3"]] == [datetime.date(1900, 3, 1), "1899-12-31"]


def _value(cell):
    """The cell's value, a date cell's as a date (openpyxl reads a datetime)."""
    return cell.value.date() if cell.data_type == "d" else cell.value


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@"])
def test_it_writes_formula_like_text_as_text(client, trigger):
    title = f'{trigger}HYPERLINK("http://evil.example","x")'
    AgreementFactory(title_en=title, venue_en=f"{trigger}1+2", source_url="")
    data = xlsx_body(client.get(xlsx_url()))
    sheet = workbook(data).active
    assert (sheet["B2"].value, sheet["B2"].data_type) == (title, "s")
    assert (sheet["L2"].value, sheet["L2"].data_type) == (f"{trigger}1+2", "s")
    assert "<f>" not in sheet_xml(data)


def test_it_writes_text_that_looks_like_the_sheets_own_markup_as_it_is(client):
    # XlsxWriter would write these into the sheet's XML unescaped (export_xlsx._string).
    titles = ["<r>plain</r>", "<r><t>x</t></r>", "<r>&amp; \x01 _x0041_ </r>"]
    for title in titles:
        AgreementFactory(title_en=title, signed_on=None)
    table = sheet_rows(xlsx_body(client.get(xlsx_url())))
    assert sorted(row[1] for row in table[1:]) == sorted(titles)


def test_it_freezes_the_header_and_filters_every_column(client, sisterhood):
    AgreementFactory()
    sheet = workbook(xlsx_body(client.get(xlsx_url("ko")))).active
    assert sheet.title == "협정"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:P3"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["B"].width > 40  # the title
    assert sheet.column_dimensions["A"].width < 10  # the id


def test_it_writes_only_the_header_when_nothing_matches(client):
    AgreementFactory(kind=Agreement.Kind.MOU)
    sheet = workbook(xlsx_body(client.get(xlsx_url(query="kind=renewal")))).active
    assert sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:P1"


def _count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        xlsx_body(client.get(xlsx_url()))
    return len(queries)


def _add_agreements(count):
    partnership = PartnershipFactory()
    for _ in range(count):
        agreement = AgreementFactory(partnership=partnership, fields=[])
        ParticipationFactory(agreement=agreement)


def test_it_runs_as_many_queries_for_100_agreements_as_for_10(client):
    # Intended to prevent an n+1 issue: the rows come from the CSV's one set-based query.
    _add_agreements(10)
    before = _count_queries(client)
    _add_agreements(90)
    assert _count_queries(client) == before


def test_it_runs_as_many_queries_for_several_chunks_as_for_one(client, monkeypatch):
    monkeypatch.setattr(export, "CHUNK_SIZE", 10)
    _add_agreements(10)
    one_chunk = _count_queries(client)
    _add_agreements(25)
    assert _count_queries(client) == one_chunk


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """Make the system's temporary directory an empty one of the test's own."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_it_leaves_no_temporary_file_behind(client, sisterhood, scratch):
    response = client.get(xlsx_url())
    assert list(scratch.iterdir()) == []
    xlsx_body(response)  # the test client closes the response at the end
    assert list(scratch.iterdir()) == []


def test_it_leaves_no_temporary_file_behind_when_writing_fails(sisterhood, scratch, monkeypatch):
    def broken_add(sheet, cells):
        raise OSError("No space left on device")

    monkeypatch.setattr(export_xlsx._Sheet, "add", broken_add)
    request = RequestFactory().get("/")
    with pytest.raises(OSError, match="No space left"):
        export_xlsx.agreements_xlsx_response(
            Agreement.objects.all(), language="en", request=request
        )
    assert list(scratch.iterdir()) == []
