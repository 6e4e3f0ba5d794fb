"""Files the import cannot read: each gets a clear message, never a traceback."""

import io

import pytest

from relations.importing import MAX_BYTES, agreement_import
from relations.models import Agreement
from tests.relations.helpers_import import World, agreement_row, csv_bytes
from tests.relations.test_admin import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def messages_of(data):
    report = agreement_import(file=io.BytesIO(data), dry_run=False)
    assert not report.written
    return [str(problem) for problem in report.errors]


KOREAN_ROW = agreement_row(title="경기도-장쑤성 자매결연 협정서", venue="경기도 도담소")
CHINESE_ROW = agreement_row(title="京畿道与江苏省缔结友好省关系协议书", venue="京畿道道谈所")


def test_it_names_a_korean_windows_file(world):
    data = csv_bytes([KOREAN_ROW], language="ko", bom=False, encoding="cp949")

    (message,) = messages_of(data)

    assert "CP949 (Korean Windows)" in message
    assert "CSV UTF-8" in message
    assert Agreement.objects.count() == 0


def test_it_names_a_korean_windows_file_with_english_headers(world):
    data = csv_bytes([KOREAN_ROW], bom=False, encoding="cp949")

    assert "CP949" in messages_of(data)[0]


def test_it_names_a_chinese_windows_file(world):
    data = csv_bytes([CHINESE_ROW], language="zh-hans", bom=False, encoding="gb18030")

    (message,) = messages_of(data)

    assert "GB18030 (Chinese Windows)" in message


def test_it_names_a_chinese_windows_file_with_english_headers(world):
    data = csv_bytes([CHINESE_ROW], bom=False, encoding="gb18030")

    assert "GB18030" in messages_of(data)[0]


def test_it_says_a_western_windows_file_is_not_utf8(world):
    data = csv_bytes([agreement_row(venue="Café Séoul")], bom=False, encoding="cp1252")

    (message,) = messages_of(data)

    assert "not UTF-8" in message
    assert "CP949" not in message and "GB18030" not in message


def test_it_reads_utf8_without_a_byte_order_mark(world):
    report = agreement_import(
        file=io.BytesIO(csv_bytes([KOREAN_ROW], language="ko", bom=False)), dry_run=False
    )

    assert report.ok, report.errors
    assert Agreement.objects.get().title_ko == KOREAN_ROW["title"]


def test_it_refuses_a_utf16_file(world):
    data = csv_bytes([agreement_row()], bom=False, encoding="utf-16")

    assert "UTF-16" in messages_of(data)[0]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b",,,\r\n"])
def test_it_says_an_empty_file_is_empty(world, data):
    assert messages_of(data) == ["The file is empty."]


def test_it_imports_nothing_from_a_header_without_rows(world):
    report = agreement_import(file=io.BytesIO(csv_bytes([])), dry_run=False)

    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert report.notes == ["The file has a header row but no agreements: nothing to import."]


@pytest.mark.parametrize(
    "data",
    [
        b"Dear colleagues,\r\nplease find the agreements attached.\r\n",
        "1,경기도 자매결연,2024\r\n".encode(),
        b"<html><body>Not found</body></html>",
    ],
)
def test_it_says_when_the_first_row_is_not_a_header(world, data):
    (message,) = messages_of(data)

    assert message.startswith("row 1: The first row is not a header row")
    assert "id, title, kind" in message


def test_it_names_unknown_columns(world):
    data = b"id,title,Signing ceremony,kind,Notes\r\n"

    assert messages_of(data) == [
        "row 1: Unknown column \u201cSigning ceremony\u201d (column 3). The columns are: "
        "id, title, kind, home_region, partner_region, partner_country, level, signed_on, "
        "status, valid_until, venue, fields, signatories, source_url, url.",
        "row 1: Unknown column \u201cNotes\u201d (column 5). The columns are: "
        "id, title, kind, home_region, partner_region, partner_country, level, signed_on, "
        "status, valid_until, venue, fields, signatories, source_url, url.",
    ]


def test_it_refuses_a_column_given_twice_under_two_names(world):
    data = "id,title,제목\r\n".encode()

    (message,) = messages_of(data)

    assert "appears more than once (columns 2, 3)" in message


def test_it_refuses_a_row_with_the_wrong_number_of_cells(world):
    data = b"title,kind,partner_region\r\nAgreement,mou\r\nOther,mou,jiangsu,extra\r\n"

    assert messages_of(data) == [
        "row 2: This row has 2 cells; the header row has 3.",
        "row 3: This row has 4 cells; the header row has 3.",
    ]


def test_it_ignores_blank_lines_and_trailing_blank_cells(world):
    data = b"title,kind,partner_region,\r\n\r\nAgreement,mou,jiangsu,\r\n,,,\r\n"

    report = agreement_import(file=io.BytesIO(data), dry_run=False)

    assert report.ok, report.errors
    assert Agreement.objects.get().title_en == "Agreement"


def test_it_counts_rows_as_lines_of_the_file(world):
    data = b'title,kind,partner_region\r\n"Two\r\nlines",mou,jiangsu\r\nBad,treaty,jiangsu\r\n'

    report = agreement_import(file=io.BytesIO(data), dry_run=False)

    assert [(p.row, p.column) for p in report.errors] == [(4, "kind")]


def test_it_reads_a_file_separated_by_semicolons(world):
    data = b"title;kind;partner_region\r\nAgreement;mou;jiangsu\r\n"

    report = agreement_import(file=io.BytesIO(data), dry_run=False)

    assert report.ok, report.errors


def test_it_refuses_a_cell_too_large_for_csv(world):
    data = b"title,kind\r\n" + b"x" * 200_000 + b",mou\r\n"

    (message,) = messages_of(data)

    assert message.startswith("row 2: This line is not valid CSV")


class EndlessFile(io.RawIOBase):
    """A file that never ends and counts the bytes read from it."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = b"a" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


def test_it_refuses_a_50_mb_file_without_reading_it(world, tmp_path):
    path = tmp_path / "large.csv"
    with path.open("wb") as file:
        file.truncate(50 * 1024 * 1024)

    with path.open("rb") as file:
        report = agreement_import(file=file, dry_run=False)
        assert file.tell() == 0

    assert [str(problem) for problem in report.errors] == [
        "The file is larger than 10.0\xa0MB, the most that can be imported at once. "
        "Split it into smaller files."
    ]


def test_it_stops_reading_a_stream_past_the_limit(world):
    stream = EndlessFile()

    report = agreement_import(file=stream, dry_run=False)

    assert "larger than 10.0\xa0MB" in str(report.errors[0])
    assert stream.read_bytes <= MAX_BYTES + io.DEFAULT_BUFFER_SIZE


def test_it_refuses_a_binary_file(world):
    (message,) = messages_of(png().read())

    assert message.startswith("This is a binary file, not a CSV file.")


def test_it_refuses_a_spreadsheet_workbook(world):
    (message,) = messages_of(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100)

    assert "workbook" in message


def test_it_names_the_row_and_column_of_a_nul_byte(world):
    data = b"title,kind,partner_region\r\nFirst,mou,jiangsu\r\nSec\0ond,mou,jiangsu\r\n"

    assert messages_of(data) == [
        "row 3, Title: This cell holds a NUL character (a zero byte), which cannot be "
        "stored; remove it."
    ]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_it_names_a_utf16_file_without_a_byte_order_mark(world, encoding):
    data = csv_bytes([KOREAN_ROW], bom=False, encoding=encoding)

    (message,) = messages_of(data)

    assert message.startswith("This file is UTF-16 text, not UTF-8.")
