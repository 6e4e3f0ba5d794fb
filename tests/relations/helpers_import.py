"""CSV files for the import tests, written the way relations/export.py writes them."""

import csv
import io

from django.utils import translation

from relations import csv_format
from relations.models import Agreement, Participation
from tests.factories import (
    CooperationFieldFactory,
    PartnershipFactory,
    PersonFactory,
    RegionFactory,
)


def csv_bytes(
    rows, *, language=None, columns=csv_format.KEYS, bom=True, encoding="utf-8", guard=True
):
    """Return a CSV file of `rows` (dicts of column key: text; missing cells are empty).

    The header is the column keys, or the headers in `language`; cells are neutralized
    as the export does, unless `guard` is false (a file typed by hand).
    """
    headers = _headers(columns, language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    neutralize = csv_format.neutralize if guard else str
    for row in rows:
        writer.writerow([neutralize(row.get(key, "")) for key in columns])
    return ("\ufeff" if bom else "").encode(encoding) + buffer.getvalue().encode(encoding)


def _headers(columns, language):
    if language is None:
        return list(columns)
    headers = {column.key: column.header for column in csv_format.COLUMNS}
    with translation.override(language):
        return [str(headers[key]) for key in columns]


def csv_file(rows, **kwargs):
    return io.BytesIO(csv_bytes(rows, **kwargs))


class World:
    """The home region, two partner regions (one without a partnership), fields, people."""

    def __init__(self):
        self.home = RegionFactory(
            home=True, slug="gyeonggi", name_ko="경기도", name_zh_hans="京畿道"
        )
        self.jiangsu = RegionFactory(
            name_en="Jiangsu Province", name_ko="장쑤성", name_zh_hans="江苏省", slug="jiangsu"
        )
        self.liaoning = RegionFactory(name_en="Liaoning Province", slug="liaoning")
        self.partnership = PartnershipFactory(home_region=self.home, partner_region=self.jiangsu)
        self.economy = CooperationFieldFactory(
            name_en="Economy and trade",
            name_ko="경제·통상",
            name_zh_hans="经济贸易",
            slug="economy",
        )
        self.tourism = CooperationFieldFactory(name_en="Tourism", slug="tourism")
        self.kim = PersonFactory(name_en="Dong-yeon Kim", name_ko="김동연", name_zh_hans="金东渊")
        self.xin = PersonFactory(name_en="Xin Changxing", name_ko="신창싱", name_zh_hans="信长星")


def agreement_row(**cells):
    """Return the cells of a valid new sisterhood agreement with Jiangsu, in English."""
    row = {
        "title": "Sisterhood Agreement",
        "kind": "Sisterhood agreement",
        "home_region": "Gyeonggi Province",
        "partner_region": "Jiangsu Province",
        "partner_country": "CN",
        "level": "Sisterhood",
        "signed_on": "2024-06-19",
        "status": "In force",
        "valid_until": "",
        "venue": "Dodamso",
        "fields": "Economy and trade; Tourism",
        "signatories": "Dong-yeon Kim (Governor of Gyeonggi Province); Xin Changxing",
        "source_url": "https://example.org/news/1",
        "url": "https://portal.example.org/en/agreements/1/",
    }
    return {**row, **cells}


def signatories_of(agreement):
    participations = agreement.participations.filter(role=Participation.Role.SIGNATORY)
    return [(p.person.name_en, p.title_en or "", p.side) for p in participations.order_by("order")]


LONG_TITLE = "x" * 301  # a title holds 300 characters


def refused_files():
    """Return {name: (file, the error it gets)}: files the checks must refuse before writing.

    Agreements 1 and 10 must exist (see `agreements_1_and_10`).
    """
    id_columns = ("id", "title")
    return {
        "signatory title too long": (
            csv_bytes([agreement_row(signatories=f"Dong-yeon Kim ({LONG_TITLE})")]),
            "row 2, Signatories: Dong-yeon Kim: Ensure this value has at most 300 characters "
            "(it has 301).",
        ),
        "title too long": (
            csv_bytes([agreement_row(title=LONG_TITLE)]),
            "row 2, Title: Ensure this value has at most 300 characters (it has 301).",
        ),
        "id with an underscore": (
            csv_bytes([{"id": "1_0", "title": "Renamed"}], columns=id_columns),
            "row 2, ID: \u201c1_0\u201d is not an ID: an ID is a number from 1 up, written in "
            "the digits 0-9.",
        ),
        "full-width id": (
            csv_bytes([{"id": "\uff11", "title": "Renamed"}], columns=id_columns),
            "row 2, ID: \u201c\uff11\u201d is not an ID: an ID is a number from 1 up, "
            "written in the digits 0-9.",
        ),
        "id past the largest": (
            csv_bytes([{"id": "9" * 25, "title": "Renamed"}], columns=id_columns),
            "row 2, ID: Ensure this value is less than or equal to 9223372036854775807.",
        ),
        "NUL byte": (
            b"id,title\r\n1,Renamed\r\n10,Re\0named\r\n",
            "row 3, Title: This cell holds a NUL character (a zero byte), which cannot be "
            "stored; remove it.",
        ),
    }


def agreements_1_and_10(world):
    """Create agreements 1 and 10, which a misread id would update."""
    for pk in (1, 10):
        Agreement.objects.create(
            pk=pk, partnership=world.partnership, kind="mou", title_en=f"Agreement {pk}"
        )
