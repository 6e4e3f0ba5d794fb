"""Site search of letters between spaces and punctuation ("e_c", "a b", "U.S."): the same hits
as a plain Python substring search wherever they stand, found on PostgreSQL through the
joints index (portal/search/backends.py, "Joints")."""

import importlib

import pytest
from django.db import connection

from portal.search import KINDS
from portal.search.backends import CODES, SEPARATORS, joint_pattern
from tests.factories import AgreementFactory, ArticleFactory, RegionFactory

from .helpers_search import python_search, search_hits

pytestmark = pytest.mark.django_db

# Each place letters beside a mark can stand in a text, and some where they do not.
PLACES = {
    "inside words": "provincE_Cooperation and ab-cdef",
    "alone": "e_c",
    "single letters": "a b c d",
    "an abbreviation": "the U.S. and the U.K.",
    "runs of two": "ab cd, xy-zw",
    "runs of two inside longer ones": "grab cdrom",
    "runs of three to six": "abc-de fghi.jk lmnop_q rstuvw+x",
    "beside Chinese characters": "江e_c苏 江a b苏 江x-1",
    "across a line": "e\n_c a\nb",
    "apart": "e _c a  b",
    "digits": "room 1-2, x-1",
    "marks in a row": "a, b (x) e%c q--r",
    "accented letters": "é_c à b É-C",
}
QUERIES = [
    "e_c",
    "E_C",
    "a b",
    "b c d",
    "U.S.",
    "u.s",
    ".S. a",
    "ab cd",
    "b-c",
    "y-z",
    "1-2",
    "x-1",
    "a, b",
    "(x)",
    "e%c",
    "q--r",
    "é_c",
    "e-c",
    "z_z",
    "bc-d",
    "hi.j",
    "i.jk",
    "op_q",
    "vw+x",
    "uv+x",
]


@pytest.fixture
def places():
    for text in PLACES.values():
        AgreementFactory(title_en=text)
        ArticleFactory(summary_en=text)
        RegionFactory(description_en=text)


@pytest.mark.parametrize("query", QUERIES)
def test_it_finds_letters_between_marks_wherever_they_stand(places, query):
    assert search_hits(query) == python_search(query)


def test_the_queries_are_found_somewhere():
    # Guards the test above against a list of queries found nowhere, which any search passes.
    for text in PLACES.values():
        AgreementFactory(title_en=text)
    missing = {query for query in QUERIES if not search_hits(query)["agreements"]}
    assert missing == {"e-c", "z_z", "uv+x"}


@pytest.mark.parametrize(
    ("query", "pattern"),
    [
        ("e_c", "%EъC%"),
        ("a b", "%AаB%"),
        ("ab cd", "%ABаCD%"),  # each letter within two of a mark: whole in the joints
        ("a.b.c", "%AнBнC%"),
        ("_ab_", "%ъABъ%"),
        ("e_", None),  # no trigram to look up
        ("abc d", None),  # three letters in a row: the text's own trigrams find it
        ("江 b", None),  # beyond ASCII: the marks give it trigrams
        ("xq", None),
    ],
)
def test_the_joint_pattern(query, pattern):
    assert joint_pattern(query) == pattern


def test_the_query_codes_the_marks_as_the_migration_does():
    # The migrations keep their own copies, as migrations do: they must not drift apart.
    for name in ("0003_search_joints", "0004_search_joints_two_letters"):
        migration = importlib.import_module(f"portal.migrations.{name}")
        assert (migration.SEPARATORS, migration.CODES) == (SEPARATORS, CODES)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_letters_between_marks_are_looked_up_in_the_joints_index(kind):
    AgreementFactory(title_en="e_c")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    table = kind.source.table
    assert f"{table._meta.db_table}_joints" in table.objects.containing("e_c").order_by().explain()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's function")
def test_the_joints_keep_two_letters_at_each_end_of_a_run():
    with connection.cursor() as cursor:
        cursor.execute("SELECT portal_text_joints(%s)", ["A BC-DEF GHIJ.KLMNOP 江Q\nR"])
        assert cursor.fetchone()[0] == "AаBCмDEFаGHIJнKL OPа Q R"
