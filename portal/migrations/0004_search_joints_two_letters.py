# PostgreSQL: the joints keep the two letters or digits at each end of a run, not one (runs of
# up to four whole, longer ones cut to their first two and last two). A query with no three
# letters or digits in a row has each of them within two of a mark, so it stands whole in the
# joints of a text that holds it, and the index finds it as selectively as the text's own
# trigrams would: with one letter at each end, "in a" looked up "N A", in half the agreements.
#
# The column is made again from the new function: a generated column is computed when its row
# is written, and would keep the joints of the old one.

from django.db import migrations

TABLES = ["articlesearchtext", "partnershipsearchtext", "regionsearchtext", "agreementsearchtext"]
SEPARATORS = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
CODES = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"

FUNCTION = rf"""CREATE OR REPLACE FUNCTION portal_text_joints(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $function$ SELECT regexp_replace(translate($1, $separators${SEPARATORS}$separators$,
                                                  '{CODES}'),
                                        '([A-Z0-9]{{2}})[A-Z0-9]+([A-Z0-9]{{2}})|[^A-Z0-9{CODES}]+',
                                        '\1 \2', 'g') $function$"""
# Migration 0003's, to go back to.
ONE_LETTER = FUNCTION.replace("{2}", "")


def rebuild(function):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE portal_{table} DROP COLUMN joints", params=None)
        schema_editor.execute(function, params=None)
        for table in TABLES:
            schema_editor.execute(
                f"ALTER TABLE portal_{table} ADD COLUMN joints text "
                "GENERATED ALWAYS AS (portal_text_joints(text)) STORED",
                params=None,
            )
            schema_editor.execute(
                f"CREATE INDEX portal_{table}_joints ON portal_{table} "
                "USING gin (joints gin_trgm_ops)",
                params=None,
            )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_search_joints"),
    ]

    operations = [migrations.RunPython(rebuild(FUNCTION), rebuild(ONE_LETTER))]
