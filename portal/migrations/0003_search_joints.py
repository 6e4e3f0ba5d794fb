# PostgreSQL: each text table gets a column of its text's joints, indexed by trigrams, for
# queries whose letters stand between spaces or punctuation ("e_c", "a b", "U.S."): pg_trgm
# takes its trigrams from words, so no trigram of theirs is worth looking up in the text
# (portal/search/backends.py, "Joints").
#
# portal_text_joints() turns every ASCII space and punctuation mark into a letter of its own
# (SEPARATORS into CODES, as backends.py has them), so that pg_trgm reads "E_C" as one word,
# and keeps of each run of three or more letters and digits only the first and the last, the
# ones that can stand next to such a mark; the rest, the characters beyond ASCII with their
# marks and the line breaks, become spaces. Its index is a quarter of the size of the text's.

from django.db import migrations

TABLES = ["articlesearchtext", "partnershipsearchtext", "regionsearchtext", "agreementsearchtext"]
SEPARATORS = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
CODES = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"

FUNCTION = rf"""CREATE FUNCTION portal_text_joints(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $function$ SELECT regexp_replace(translate($1, $separators${SEPARATORS}$separators$,
                                                  '{CODES}'),
                                        '([A-Z0-9])[A-Z0-9]+([A-Z0-9])|[^A-Z0-9{CODES}]+',
                                        '\1 \2', 'g') $function$"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        # A column rather than an index on the expression: the index's hits are checked
        # again, and the function takes a quarter of a millisecond over an article's text.
        schema_editor.execute(
            f"ALTER TABLE portal_{table} ADD COLUMN joints text "
            "GENERATED ALWAYS AS (portal_text_joints(text)) STORED",
            params=None,
        )
        schema_editor.execute(
            f"CREATE INDEX portal_{table}_joints ON portal_{table} USING gin (joints gin_trgm_ops)",
            params=None,
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE portal_{table} DROP COLUMN joints", params=None)
    schema_editor.execute("DROP FUNCTION portal_text_joints(text)", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_demo_records"),
    ]

    operations = [migrations.RunPython(create, drop)]
