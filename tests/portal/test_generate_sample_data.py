from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from relations.models import Agreement, Exchange, Level, Participation, Partnership, Region

pytestmark = pytest.mark.django_db

SCALE = 0.01  # 30 regions and partnerships, 1,000 agreements, 500 exchanges


def generate(*args):
    out = StringIO()
    call_command("generate_sample_data", "--scale", str(SCALE), *args, stdout=out)
    return out.getvalue()


def sample_partnerships():
    return Partnership.objects.filter(slug__startswith="sample-")


def content():
    """What was generated, without the primary keys."""
    return list(
        Agreement.objects.order_by("pk").values_list(
            "partnership__slug", "kind", "title_en", "title_ko", "signed_on", "status"
        )
    )


def expected_level(agreements):
    counted = [a.sets_level for a in agreements if a.status != Agreement.Status.TERMINATED]
    return max(counted, key=lambda level: Level(level).rank, default="")


def test_it_creates_the_proportions_of_scale_one():
    generate()
    assert Region.objects.filter(slug__startswith="sample-").count() == 30
    assert sample_partnerships().count() == 30
    assert Agreement.objects.count() == 1000
    assert Participation.objects.count() == 2000
    assert Exchange.objects.count() == 500


def test_it_gives_every_agreement_fields_and_two_signatories():
    generate()
    agreements = Agreement.objects.annotate(
        n_fields=Count("fields", distinct=True), n_people=Count("participations", distinct=True)
    )
    assert set(agreements.values_list("n_people", flat=True)) == {2}
    assert min(agreements.values_list("n_fields", flat=True)) >= 1
    assert not Exchange.objects.filter(fields=None).exists()


def test_it_names_everything_in_three_languages():
    generate()
    assert not Region.objects.filter(name_ko="").exists()
    assert not Agreement.objects.filter(title_zh_hans="").exists()
    assert not Exchange.objects.filter(title_ko="").exists()


def test_it_computes_the_levels():
    generate()
    partnerships = sample_partnerships().prefetch_related("agreements")
    levels = {p.level for p in partnerships}
    assert levels == {"cooperation", "friendship", "sisterhood"}
    for partnership in partnerships:
        assert partnership.level == expected_level(partnership.agreements.all())


def test_it_creates_the_home_region_when_missing():
    generate()
    home = Region.objects.get(is_home=True)
    assert (home.slug, home.country.code) == ("gyeonggi", "KR")
    assert set(sample_partnerships().values_list("home_region", flat=True)) == {home.pk}


def test_it_uses_the_existing_home_region_and_leaves_the_demo_data_alone():
    call_command("seed_demo", stdout=StringIO())
    generate()
    assert Region.objects.filter(is_home=True).count() == 1
    demo = Partnership.objects.exclude(slug__startswith="sample-")
    assert demo.count() == 4
    assert Agreement.objects.filter(partnership__in=demo).count() == 7


def test_it_is_deterministic():
    generate()
    first = content()
    generate("--replace")
    assert content() == first


def test_it_refuses_to_run_twice():
    generate()
    with pytest.raises(CommandError, match="--replace"):
        generate()
    assert Agreement.objects.count() == 1000


def test_it_replaces_its_own_data_only():
    call_command("seed_demo", stdout=StringIO())
    generate()
    output = generate("--replace")
    assert "deleted 30 sample partnerships" in output
    assert sample_partnerships().count() == 30
    assert Agreement.objects.count() == 1000 + 7
    assert Participation.objects.filter(agreement__partnership__slug="jiangsu").count() == 6
    assert Partnership.objects.get(slug="jiangsu").level == "sisterhood"


def test_it_prints_progress():
    output = generate()
    assert "1000/1000 agreements" in output
    assert "500/500 exchanges" in output
    assert "levels recomputed" in output
