"""Files of every kind of wrongness: the import answers each with a report, never a crash."""

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from relations import csv_format
from relations.importing import agreement_import
from relations.models import Agreement
from tests.relations.admin_posts import admin_url
from tests.relations.helpers_import import LONG_TITLE, World, agreement_row, csv_bytes

pytestmark = pytest.mark.django_db

SNIPPETS = (b",", b";", b"\r", b"\n", b'"', b"'", b"\0", b"\t", "\uff11".encode(), b"9" * 30)


@pytest.fixture
def world():
    return World()


def mutated(data, seed):
    """Return the bytes with a few random cuts and insertions."""
    rng = random.Random(seed)
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        position = rng.randrange(len(data) + 1)
        choice = rng.randrange(3)
        if choice == 0:
            del data[position : position + rng.randint(1, 20)]
        elif choice == 1:
            data[position:position] = rng.randbytes(rng.randint(1, 10))
        else:
            data[position:position] = rng.choice(SNIPPETS)
    return bytes(data)


def fuzz_files():
    """Return {name: bytes} of files that are wrong in every way we could think of."""
    export = csv_bytes([agreement_row(), agreement_row(title="Second")])
    header = export.split(b"\r\n", 1)[0] + b"\r\n"
    unknown_columns = ",".join(f"column {i}" for i in range(10_000)).encode()
    return {
        "empty": b"",
        "a byte order mark only": b"\xef\xbb\xbf",
        "a header only": header,
        "random bytes": random.Random(1).randbytes(4096),
        "a header and random bytes": header + random.Random(2).randbytes(4096),
        "a cell past the CSV limit": header + b"x" * 200_000 + b"\r\n",
        "a title of 100,000 characters": csv_bytes([agreement_row(title="x" * 100_000)]),
        "10,000 columns": b"title," + unknown_columns + b"\r\nAgreement\r\n",
        "a row of 10,000 cells": b"title,kind\r\n" + b"x," * 10_000 + b"\r\n",
        "CR-only line ends": export.replace(b"\r\n", b"\r"),
        "a quote left open": header + b'"Agreement,mou\r\n',
        "delimiters only": b",,,;;;\t\t\r\n" * 1000,
        "CP949": csv_bytes(
            [agreement_row(title="협정")], language="ko", encoding="cp949", bom=False
        ),
        "GB18030": csv_bytes([agreement_row(title="协议")], encoding="gb18030", bom=False),
        "Latin-1": csv_bytes([agreement_row(venue="Séoul")], encoding="latin-1", bom=False),
        "UTF-16": csv_bytes([agreement_row()], encoding="utf-16"),
        "UTF-16 without a BOM": csv_bytes([agreement_row()], encoding="utf-16-le", bom=False),
        "a workbook": b"PK\x03\x04" + random.Random(3).randbytes(200),
        "NUL in every cell": csv_bytes([{key: "\0" for key in csv_format.KEYS}], guard=False),
        "NUL in a name": csv_bytes([agreement_row(signatories="Dong-yeon Kim\0 (Governor)")]),
        "an id past the largest": csv_bytes([agreement_row(id="9" * 25)]),
        "an id of 5,000 digits": csv_bytes([agreement_row(id="1" * 5000)]),
        "a signatory title too long": csv_bytes(
            [agreement_row(signatories=f"Dong-yeon Kim ({LONG_TITLE})")]
        ),
        "dates at the ends of the calendar": csv_bytes(
            [agreement_row(signed_on="9999-12-31", valid_until="0001-01-01")]
        ),
        **{f"a mangled export ({seed})": mutated(export, seed) for seed in range(12)},
    }


def test_it_reports_on_any_file_without_raising(world):
    crashes = {}
    for name, data in fuzz_files().items():
        for dry_run in (True, False):
            try:
                agreement_import(file=io.BytesIO(data), dry_run=dry_run)
            except Exception as error:
                crashes[name] = repr(error)
    assert crashes == {}


def test_the_command_fails_on_any_file_with_a_message_only(world, tmp_path):
    path, crashes = tmp_path / "agreements.csv", {}
    for name, data in fuzz_files().items():
        path.write_bytes(data)
        for options in (["--dry-run"], []):
            try:
                call_command(
                    "import_agreements",
                    str(path),
                    *options,
                    stdout=io.StringIO(),
                    stderr=io.StringIO(),
                )
            except CommandError:
                pass
            except Exception as error:
                crashes[name] = repr(error)
    assert crashes == {}


def test_the_admin_answers_any_file_with_a_page(world, admin_client, settings, tmp_path):
    settings.BASE_DIR = tmp_path  # where the uploads are kept
    answers = {}
    for name, data in fuzz_files().items():
        file = SimpleUploadedFile("agreements.csv", data)
        upload = admin_client.post(admin_url(Agreement, "import"), {"file": file})
        if upload.status_code != 302:  # refused by the form, as an empty file is
            answers[name] = (upload.status_code,)
            continue
        preview = admin_client.get(upload.url)
        confirmed = admin_client.post(upload.url)
        answers[name] = (preview.status_code, confirmed.status_code)
    assert {name: codes for name, codes in answers.items() if 500 in codes} == {}
