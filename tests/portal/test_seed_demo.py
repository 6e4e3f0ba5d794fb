import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.partial_dates import PartialDate, Precision
from relations.models import (
    Agreement,
    CooperationField,
    Exchange,
    Level,
    Participation,
    Partnership,
    Person,
    Region,
    WorkingGroup,
)
from relations.services import partnership_level_history
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

MODELS = [
    CooperationField,
    Region,
    Partnership,
    Agreement,
    Agreement.fields.through,
    Person,
    Participation,
    WorkingGroup,
    WorkingGroup.fields.through,
    Exchange,
    Exchange.fields.through,
]


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def dump():
    """Every column of every row the demo data touches, by model."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in MODELS}


def jiangsu_sisterhood():
    return Agreement.objects.get(partnership__slug="jiangsu", kind=Agreement.Kind.SISTERHOOD)


def test_it_changes_nothing_when_run_twice():
    seed()
    first = dump()
    seed()
    assert dump() == first
    assert sum(len(rows) for rows in first.values()) > 0


def test_it_prints_a_one_line_summary():
    output = seed()
    assert output.count("\n") == 1
    assert "4 partnerships" in output
    assert "7 agreements" in output


def test_it_loads_exactly_four_partnerships_of_the_home_region():
    seed()
    home = Region.objects.get(is_home=True)
    assert (home.slug, home.country.code, home.name_en) == ("gyeonggi", "KR", "Gyeonggi Province")
    assert sorted(Partnership.objects.values_list("slug", flat=True)) == [
        "guangdong",
        "jiangsu",
        "liaoning",
        "shandong",
    ]
    assert set(Partnership.objects.values_list("home_region", flat=True)) == {home.pk}
    partners = Region.objects.filter(is_home=False)
    assert {(r.country.code, r.kind) for r in partners} == {("CN", Region.Kind.PROVINCE)}


def test_it_computes_the_level_of_every_partnership():
    seed()
    levels = dict(Partnership.objects.values_list("slug", "level"))
    assert levels == dict.fromkeys(["jiangsu", "guangdong", "shandong", "liaoning"], "sisterhood")


def test_it_gives_jiangsu_its_level_history():
    seed()
    jiangsu = Partnership.objects.get(slug="jiangsu")
    history = partnership_level_history(agreements=jiangsu.agreements.all())
    assert [(a.sets_level, a.signed) for a in history] == [
        (Level.FRIENDSHIP, PartialDate(datetime.date(2011, 1, 1), Precision.YEAR)),
        (Level.SISTERHOOD, PartialDate(datetime.date(2024, 6, 19), Precision.DAY)),
    ]
    assert jiangsu.began == PartialDate(datetime.date(2011, 1, 1), Precision.YEAR)


def test_it_dates_the_liaoning_sisterhood_to_the_month():
    seed()
    liaoning = Partnership.objects.get(slug="liaoning")
    assert liaoning.began == PartialDate(datetime.date(1993, 10, 1), Precision.MONTH)
    kinds = dict(liaoning.agreements.values_list("kind", "signed_on"))
    assert kinds == {
        Agreement.Kind.SISTERHOOD: datetime.date(1993, 10, 1),
        Agreement.Kind.JOINT_DECLARATION: datetime.date(2023, 10, 31),
        Agreement.Kind.EXPANDED_COOPERATION: datetime.date(2024, 4, 24),
    }


def test_it_leaves_the_guangdong_and_shandong_dates_unrecorded():
    seed()
    agreements = Agreement.objects.filter(partnership__slug__in=["guangdong", "shandong"])
    assert [(a.kind, a.signed_on) for a in agreements] == [("sisterhood", None)] * 2


def test_it_explains_the_signing_date_in_the_internal_notes():
    seed()
    notes = jiangsu_sisterhood().internal_notes
    assert "May 19" in notes
    assert "2024-06-19" in notes
    assert "19 June 2024 is kept" in notes


def test_it_records_who_signed_and_attended_the_jiangsu_sisterhood():
    seed()
    rows = jiangsu_sisterhood().participations.order_by("order")
    assert [(p.person.name_en, p.role, p.side, p.title_en) for p in rows] == [
        ("Dong-yeon Kim", "signatory", "home", "Governor of Gyeonggi Province"),
        ("Xin Changxing", "signatory", "partner", "Party Secretary of Jiangsu Province"),
        (
            "Fang Kun",
            "attendee",
            "third_party",
            "Minister, Embassy of the People's Republic of China in the Republic of Korea",
        ),
        ("Park Jung", "attendee", "home", "Korea-China Parliamentary Friendship Association"),
        (
            "Park Seung-hee",
            "attendee",
            "home",
            "President of Corporate Relations, Samsung Electronics",
        ),
        ("Lee Soo-il", "attendee", "home", "CEO and Vice Chairman, Hankook Tire & Technology"),
    ]


def test_it_gives_the_jiangsu_sisterhood_its_venue_commitments_and_fields():
    seed()
    agreement = jiangsu_sisterhood()
    assert agreement.venue_en.startswith("Dodamso")
    assert len(agreement.key_commitments_en.splitlines()) == 3
    assert sorted(agreement.fields.values_list("slug", flat=True)) == [
        "agriculture",
        "economy-trade",
        "education",
        "environment",
        "healthcare",
        "humanities",
        "science-technology",
        "tourism",
    ]


def test_it_records_the_liaoning_joint_declaration():
    seed()
    declaration = Agreement.objects.get(kind=Agreement.Kind.JOINT_DECLARATION)
    assert declaration.venue_en == "Shenyang"
    assert sorted(declaration.fields.values_list("slug", flat=True)) == [
        "culture",
        "economy-trade",
        "tourism",
    ]
    people = {(p.person.name_en, p.role) for p in declaration.participations.all()}
    assert people == {
        ("Dong-yeon Kim", "signatory"),
        ("Hao Peng", "signatory"),
        ("Li Lecheng", "attendee"),
    }
    assert "2023-11-01" in declaration.internal_notes


def test_it_records_a_planned_working_group_without_a_date():
    seed()
    group = WorkingGroup.objects.get()
    assert (group.partnership.slug, group.status, group.established_on) == (
        "jiangsu",
        WorkingGroup.Status.PLANNED,
        None,
    )


def test_it_records_the_jiangsu_exchanges_without_dates():
    seed()
    exchanges = Exchange.objects.filter(partnership__slug="jiangsu")
    assert sorted((e.kind, e.direction) for e in exchanges) == [
        ("business", "mutual"),
        ("expert_dispatch", "outbound"),
        ("other", "mutual"),
        ("student_exchange", "mutual"),
        ("training", "inbound"),
        ("training", "mutual"),
    ]
    assert {(e.starts_on, e.ends_on, e.participants) for e in exchanges} == {(None, None, None)}
    assert Exchange.objects.count() == 6


def test_it_invents_nothing():
    seed()
    regions = Region.objects.values_list(
        "population", "area_km2", "latitude", "longitude", "website", "emblem", "parent"
    )
    assert set(regions) == {(None, None, None, None, "", "", None)}
    agreements = Agreement.objects.values_list(
        "valid_until", "council_approved_on", "source_url", "document", "status"
    )
    assert set(agreements) == {(None, None, "", "", Agreement.Status.IN_FORCE)}


def test_it_names_places_and_people_in_korean_and_chinese():
    seed()
    regions = {r.slug: (r.name_ko, r.name_zh_hans) for r in Region.objects.all()}
    assert regions == {
        "gyeonggi": ("경기도", "京畿道"),
        "jiangsu": ("장쑤성", "江苏省"),
        "guangdong": ("광둥성", "广东省"),
        "shandong": ("산둥성", "山东省"),
        "liaoning": ("랴오닝성", "辽宁省"),
    }
    people = dict(Person.objects.values_list("name_en", "name_ko"))
    assert people["Dong-yeon Kim"] == "김동연"
    assert people["Xin Changxing"] == "신창싱"
    assert people["Hao Peng"] == "하오펑"
    assert Region.objects.get(slug="jiangsu").description_en == (
        "China's second largest provincial economy."
    )


def test_it_gives_every_participant_a_title_in_korean_and_chinese():
    seed()
    titles = Participation.objects.values_list("title_en", "title_ko", "title_zh_hans")
    assert [title for title in titles if not all(title)] == []
    park_jung = Participation.objects.get(person__name_en="Park Jung")
    assert (park_jung.title_ko, park_jung.title_zh_hans) == ("한중의원연맹", "韩中议员联盟")


def test_it_loads_the_twelve_cooperation_fields():
    seed()
    assert CooperationField.objects.count() == 12
    semiconductors = CooperationField.objects.get(slug="semiconductors")
    assert (semiconductors.name_ko, semiconductors.name_zh_hans) == ("반도체", "半导体")


def test_it_refuses_to_replace_another_home_region():
    RegionFactory(home=True, slug="elsewhere")
    with pytest.raises(CommandError, match="elsewhere"):
        seed()
    assert Partnership.objects.count() == 0
