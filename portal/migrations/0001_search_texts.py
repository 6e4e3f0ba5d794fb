# The site search's text tables (portal.search). Their rows are written by triggers, which
# portal.search.index.sync_after_migrate() installs after every `migrate`, together with the
# first build of the tables from the records already there: the triggers name the columns of
# the models as the code has them, which only the end of a migration run can promise.

from django.db import migrations, models

TABLES = ["articlesearchtext", "partnershipsearchtext", "regionsearchtext", "agreementsearchtext"]

# PostgreSQL: the stored text (see portal/search/backends.py) and its indexes.
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Capitals as icontains compares them; control characters as line breaks; \x01 on both
    # sides of every character beyond ASCII, so that pg_trgm takes each for a word.
    r"""CREATE FUNCTION portal_search_text(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT regexp_replace(regexp_replace(upper($1), '[\x01-\x1f]', E'\n', 'g'),
                                '([^\x01-\x7f])', E'\x01\\1\x01', 'g') $$""",
    *(
        f"CREATE INDEX portal_{table}_trigrams ON portal_{table} USING gin (text gin_trgm_ops)"
        for table in TABLES
    ),
    # The hits newest first, unknown dates last, as articles and agreements are listed.
    "CREATE INDEX portal_articlesearchtext_newest "
    "ON portal_articlesearchtext (status, publish_at DESC NULLS LAST, record_id DESC)",
    "CREATE INDEX portal_agreementsearchtext_newest "
    "ON portal_agreementsearchtext (signed_on DESC NULLS LAST, record_id DESC)",
]
# SQLite puts NULLs last going down by itself, and refuses the words in CREATE INDEX.
SQLITE = [
    "CREATE INDEX portal_articlesearchtext_newest "
    "ON portal_articlesearchtext (status, publish_at DESC, record_id DESC)",
    "CREATE INDEX portal_agreementsearchtext_newest "
    "ON portal_agreementsearchtext (signed_on DESC, record_id DESC)",
]


def create_database_objects(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRESQL if vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    """Drop the triggers and functions the search installed; the tables go next."""
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
                "WHERE tgname LIKE %s AND NOT tgisinternal",
                [r"portal\_search\_%"],
            )
            for table, name in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER {name} ON "{table}"')
            cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE %s", [r"portal\_search\_%"])
            for (name,) in cursor.fetchall():
                arguments = "text" if name == "portal_search_text" else ""
                cursor.execute(f"DROP FUNCTION {name}({arguments})")
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                ["portal_search_%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER {name}")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='AgreementSearchText',
            fields=[
                ('record_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('text', models.TextField()),
                ('signed_on', models.DateField(null=True)),
            ],
            options={
                'verbose_name': 'searched text of an agreement',
                'verbose_name_plural': 'searched texts of agreements',
                'ordering': ('record_id',),
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ArticleSearchText',
            fields=[
                ('record_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('text', models.TextField()),
                ('status', models.CharField(max_length=10)),
                ('publish_at', models.DateTimeField(null=True)),
            ],
            options={
                'verbose_name': 'searched text of an article',
                'verbose_name_plural': 'searched texts of articles',
                'ordering': ('record_id',),
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='PartnershipSearchText',
            fields=[
                ('record_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('text', models.TextField()),
            ],
            options={
                'verbose_name': 'searched text of a partnership',
                'verbose_name_plural': 'searched texts of partnerships',
                'ordering': ('record_id',),
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='RegionSearchText',
            fields=[
                ('record_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('text', models.TextField()),
            ],
            options={
                'verbose_name': 'searched text of a region',
                'verbose_name_plural': 'searched texts of regions',
                'ordering': ('record_id',),
                'abstract': False,
            },
        ),
        migrations.RunPython(create_database_objects, drop_triggers),
    ]
