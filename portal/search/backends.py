"""What differs between PostgreSQL and SQLite: how the searched text is stored and matched.

Both store each record's searched fields joined by a line break (a query never holds one, so
no match spans two fields) and in capitals, the way each database's `icontains` folds case:
UPPER() of every letter on PostgreSQL, of ASCII letters only on SQLite. A substring of the
stored text is then exactly what `icontains` over the fields matches.

PostgreSQL answers through a trigram index (pg_trgm). Trigrams alone miss the one- and
two-character queries Korean and Chinese are full of (江, 장쑤): pg_trgm takes its trigrams
from words, and a run of Hangul or Chinese characters is one long word. So the stored text
puts \\x01 on both sides of every character beyond ASCII (portal_search_text(), made by the
migration): each such character is a word of its own, indexed by the trigrams "  江" and
" 江 ", and a query gets the same marks, so that "江苏" becomes "\\x01江\\x01\\x01苏\\x01",
which matches exactly where "江苏" does. The marks go around every character beyond ASCII, so
a mark can stand next to a letter only where that letter is one of the query's own; control
characters in the text become line breaks, and a query may hold none (normalize_query).

A query of two ASCII letters or digits ("xq") has no trigram either: it may sit inside any
word. It is matched with a regular expression that says the same thing in trigrams pg_trgm
can look up (PAIR_PATTERN): the pair with a letter or digit before it, or after it, or
alone between characters that are no letter or digit; each branch names a trigram ("axq",
"xqb", " xq"). It is exact, not only a filter: in the stored text a letter or digit can only
stand next to an ASCII letter or digit, an ASCII character that is neither, a line break or
a mark, as the function makes it (LETTERS_AND_DIGITS, NEITHER).

Joints: letters of one or two between spaces or punctuation ("e_c", "a b", "U.S.") have no
trigram worth looking up either: pg_trgm makes none across a space or a mark, and those of
one letter ("  C", a word starting with C) are in nearly every record. So each text table
has a column of the text's joints, made by portal_text_joints() (migrations 0003 and 0004)
and indexed by trigrams: the text with every ASCII space and mark turned into a letter of its
own (SEPARATORS into CODES) and each run of five or more letters and digits cut to its first
two and last two, the ones within two of a mark; the rest become spaces. A query with no
three letters or digits in a row has each of them within two of a mark, so a text that holds
it holds it whole in its joints, and it is looked up there (joint_pattern()); strpos() over
the stored text checks the hits. What is left without a trigram, and so read whole, are
single characters and a letter beside a mark ("e_"): found in most records, they stop at the
first hits.

SQLite scans the table: one narrow table per kind is read quickly at an office's size.
"""

import json
import re

from django.db.models import Aggregate, BooleanField, Expression, Func, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

# A query of two ASCII letters or digits, and what may stand next to one in the stored text.
PAIR = re.compile(r"[A-Za-z0-9]{2}")
# The ASCII spaces and marks, and the letters they are in portal_text_joints(); a query with
# three letters or digits in a row has trigrams of its own.
SEPARATORS = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
CODES = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
JOINTS = str.maketrans(SEPARATORS, CODES)
WORD = re.compile(r"[A-Z0-9]{3}")
LETTERS_AND_DIGITS = "A-Za-z0-9"
NEITHER = "".join(
    f"\\x{code:02x}" for code in (0x01, 0x0A, *range(0x20, 0x80)) if not chr(code).isalnum()
)  # the marks, line breaks, and every other ASCII character, as \xHH


class Newline(Expression):
    """A line break, written without a parameter: trigger bodies cannot take one."""

    output_field = TextField()

    def as_sql(self, compiler, connection):
        return "char(10)", []

    def as_postgresql(self, compiler, connection):
        return "chr(10)", []


class Joined(Func):
    """Texts joined with `||`, NULL taken as empty, each followed by a line break."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = TextField()

    def __init__(self, *columns):
        parts = []
        for column in columns:
            parts += [Coalesce(column, RawSQL("''", ()), output_field=TextField()), Newline()]
        super().__init__(*parts)


class Lines(Aggregate):
    """The texts of a group's rows, one after another, with a line break between two.

    PostgreSQL orders them, so that a record's text is the same whichever plan reads its
    links, and an unchanged text is not written again (triggers.upsert_sql); SQLite reads them
    in the order of the link table's index.
    """

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        text, params = compiler.compile(self.source_expressions[0])
        return f"GROUP_CONCAT({text}, char(10))", params

    def as_postgresql(self, compiler, connection, **extra_context):
        text, params = compiler.compile(self.source_expressions[0])
        return f"STRING_AGG({text}, chr(10) ORDER BY {text})", [*params, *params]


class SearchText(Func):
    """The text as stored and searched: capitals, and on PostgreSQL the marks."""

    function = "UPPER"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="portal_search_text", **extra_context)


def search_text(*columns):
    """Return the stored text of these columns (expressions), joined."""
    return SearchText(Joined(*columns))


class Contains(Func):
    """True where the stored text contains the normalized query."""

    output_field = BooleanField()

    def __init__(self, text, query, *, pairs_through_index=False):
        super().__init__(text, Value(query))
        self.query, self.pairs_through_index = query, pairs_through_index

    def as_sql(self, compiler, connection, **extra_context):
        text, params = compiler.compile(self.source_expressions[0])
        return f"instr({text}, UPPER(%s)) > 0", [*params, self.query]

    def as_postgresql(self, compiler, connection, **extra_context):
        text, params = compiler.compile(self.source_expressions[0])
        if self.pairs_through_index and PAIR.fullmatch(self.query):
            # strpos() for the planner: LIKE, whose estimate it would multiply with the
            # expression's, would make it read the index for a pair in a third of the rows.
            pair = self.query.upper()
            sql = f"strpos({text}, %s) > 0 AND {text} ~ %s"
            return sql, [*params, pair, *params, pair_pattern(pair)]
        pattern = re.sub(r"([\\%_])", r"\\\1", self.query)
        joints = joint_pattern(self.query)
        if joints is None:
            sql = f"{text} LIKE portal_search_text(%s) ESCAPE '\\'"
            return sql, [*params, f"%{pattern}%"]
        # strpos(), which no index answers: the text's trigram index would be read for a
        # trigram in most records ("  C"), alone or with the joints', as its estimates vary.
        column = _sibling_column(self.source_expressions[0], "joints", compiler, connection)
        sql = f"strpos({text}, portal_search_text(%s)) > 0 AND {column} LIKE %s"
        return sql, [*params, self.query, joints]


def _sibling_column(column, name, compiler, connection):
    """Return the SQL of the column `name` of the table of `column` (a Col): the joints,
    which migration 0003 adds on PostgreSQL only, are no field of the model."""
    quoted = connection.ops.quote_name(name)
    if column.alias is None:
        return quoted
    return f"{compiler.quote_name_unless_alias(column.alias)}.{quoted}"


def joint_pattern(query):
    """Return the LIKE pattern of portal_text_joints() of texts that contain the query, or
    None for a query that has a trigram of its own or none in its joints (backends.py,
    "Joints")."""
    text = query.upper()
    if not text.isascii() or WORD.search(text) or len(text) < 3:
        return None
    return f"%{text.translate(JOINTS)}%"


def pair_pattern(pair):
    """Return the regular expression of stored texts that contain the pair (backends.py)."""
    alone = f"(^|[{NEITHER}]){pair}($|[{NEITHER}])"
    return f"[{LETTERS_AND_DIGITS}]{pair}|{pair}[{LETTERS_AND_DIGITS}]|{alone}"


class Ids(RawSQL):
    """A subquery of these ids, sent as one parameter: `pk__in=[...]` with a thousand ids
    costs the ORM a few milliseconds to prepare them one by one."""

    def __init__(self, ids):
        super().__init__("SELECT value FROM json_each(%s)", (json.dumps(ids),))
        self.ids = ids

    def as_postgresql(self, compiler, connection, **extra_context):
        return "(SELECT unnest(%s::bigint[]))", [list(self.ids)]
