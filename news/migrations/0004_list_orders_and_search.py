# The indexes that keep the news list and the article admin fast at 10,000 articles (issue 10).

import core.indexes
import core.trigram
from django.db import migrations, models

# In the order news.admin joins them: the index serves only that very expression.
ARTICLE_SEARCHED = ["title_en", "title_ko", "title_zh_hans", "slug"]


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0003_pending_change'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='article',
            name='news_article_public',
        ),
        migrations.AddIndex(
            model_name='article',
            index=core.indexes.OrderIndex(models.F('status'), models.OrderBy(models.F('publish_at'), descending=True, nulls_last=True), models.OrderBy(models.F('id'), descending=True), name='news_article_public'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=core.indexes.OrderIndex(models.OrderBy(models.F('publish_at'), descending=True, nulls_last=True), models.OrderBy(models.F('id'), descending=True), name='news_article_newest'),
        ),
        # PostgreSQL only (the operations do nothing elsewhere): the admin's search.
        core.trigram.TrigramExtension(),
        core.trigram.AddTrigramIndex(
            model_name='article', name='news_article_searched', fields=ARTICLE_SEARCHED
        ),
    ]
