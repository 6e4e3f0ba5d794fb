# The indexes that keep the lists fast at a national registry's size (issue 10).

import core.indexes
import core.trigram
from django.db import migrations, models

# Each list in the order relations.filters and relations.admin join the columns: the index
# serves only the very expression it was built on.
AGREEMENT_TEXT = [
    "title_en", "title_ko", "title_zh_hans",
    "summary_en", "summary_ko", "summary_zh_hans",
    "venue_en", "venue_ko", "venue_zh_hans",
]
EXCHANGE_TITLES = ["title_en", "title_ko", "title_zh_hans"]


class Migration(migrations.Migration):

    dependencies = [
        ('relations', '0002_upload_checks_in_forms'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='agreement',
            name='relations_agreement_signed',
        ),
        migrations.RemoveIndex(
            model_name='agreement',
            name='relations_agreement_kind',
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=core.indexes.OrderIndex(models.OrderBy(models.F('signed_on'), descending=True, nulls_last=True), models.OrderBy(models.F('id'), descending=True), models.F('kind'), models.F('status'), models.F('partnership'), name='relations_agreement_newest'),
        ),
        migrations.AddIndex(
            model_name='exchange',
            index=core.indexes.OrderIndex(models.OrderBy(models.F('starts_on'), descending=True, nulls_last=True), models.F('id'), name='relations_exchange_newest'),
        ),
        # PostgreSQL only (the operations do nothing elsewhere): substring search with
        # core.trigram.contains() over these columns.
        core.trigram.TrigramExtension(),
        # The agreement list's ?q= and the admin's search of agreements.
        core.trigram.AddTrigramIndex(
            model_name='agreement', name='relations_agreement_text', fields=AGREEMENT_TEXT
        ),
        # The admin's search of exchanges.
        core.trigram.AddTrigramIndex(
            model_name='exchange', name='relations_exchange_titles', fields=EXCHANGE_TITLES
        ),
    ]
