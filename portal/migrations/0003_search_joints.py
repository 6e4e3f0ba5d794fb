# PostgreSQL: a second trigram index over each text table, for queries whose letters stand
# between spaces or punctuation ("e_c", "a b", "U.S."): pg_trgm takes its trigrams from words,
# so no trigram of theirs is worth looking up (portal/search/backends.py, "Joints").
#
# portal_text_joints() turns every ASCII space and punctuation mark into a letter of its own
# (SEPARATORS into CODES, as backends.py has them), so that pg_trgm reads "E_C" as one word,
# and keeps of each run of three or more letters and digits only the first and the last, the
# ones that can stand next to such a mark; the rest, the characters beyond ASCII with their
# marks and the line breaks, become spaces. The index is a quarter of the size of the text's.

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
        schema_editor.execute(
            f"CREATE INDEX portal_{table}_joints ON portal_{table} "
            "USING gin (portal_text_joints(text) gin_trgm_ops)",
            params=None,
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX portal_{table}_joints", params=None)
    schema_editor.execute("DROP FUNCTION portal_text_joints(text)", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_demo_records"),
    ]

    operations = [migrations.RunPython(create, drop)]
