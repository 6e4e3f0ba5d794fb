# The agreements of a partnership indexed with the columns the lists filter by (issue 10), in
# place of the foreign key's own index.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('relations', '0005_newest_partnerships_and_region_names'),
    ]

    operations = [
        migrations.AlterField(
            model_name='agreement',
            name='partnership',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='agreements', to='relations.partnership', verbose_name='partnership'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['partnership', 'kind', 'status', 'signed_on', 'id'], name='relations_agreement_filters'),
        ),
    ]
