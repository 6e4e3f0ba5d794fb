from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_agreements(apps, schema_editor):
    Agreement = apps.get_model("relations", "Agreement")
    Partnership = apps.get_model("relations", "Partnership")
    counted = (
        Agreement.objects.filter(partnership=OuterRef("pk"))
        .order_by()
        .values("partnership")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Partnership.objects.update(
        agreement_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0003_list_orders_and_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="partnership",
            name="agreement_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="number of agreements"
            ),
        ),
        migrations.RunPython(count_agreements, migrations.RunPython.noop, elidable=True),
    ]
