import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from relations.models import (
    Agreement,
    CooperationField,
    Exchange,
    Level,
    Partnership,
    Person,
    Region,
    WorkingGroup,
)
from tests.factories import (
    AgreementFactory,
    CooperationFieldFactory,
    ExchangeFactory,
    MeetingFactory,
    ParticipationFactory,
    PartnershipFactory,
    PersonFactory,
    RegionFactory,
    WorkingGroupMemberFactory,
    home_region,
)
from tests.relations.admin_posts import (
    admin_url,
    agreement_data,
    errors_of,
    exchange_data,
    partnership_data,
    region_data,
    working_group_data,
)
from tests.uploads import pdf_bytes

pytestmark = pytest.mark.django_db


MODELS = (Agreement, CooperationField, Exchange, Partnership, Person, Region, WorkingGroup)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def some_records():
    participation = ParticipationFactory(agreement__fields=[CooperationFieldFactory()])
    partnership = participation.agreement.partnership
    WorkingGroupMemberFactory(group__partnership=partnership)
    MeetingFactory(group=partnership.working_groups.get())
    ExchangeFactory(partnership=partnership)
    return partnership


def png(name="emblem.png", *, padding=0):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue() + b"\0" * padding, "image/png")


def pdf(content=None, name="agreement.pdf"):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, "application/pdf")


def level_of(partnership):
    partnership.refresh_from_db()
    return partnership.level


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_it_shows_the_changelist(admin_client, some_records, model):
    r = admin_client.get(admin_url(model, "changelist"))
    assert r.status_code == 200
    assert r.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_it_shows_the_add_page_with_language_tabs(admin_client, some_records, model):
    r = admin_client.get(admin_url(model, "add"))
    assert r.status_code == 200
    page = r.content.decode()
    # Our own jQuery UI, not a CDN, drives the per-language tabs.
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in page
    assert "tabbed_translation_fields.js" in page


@pytest.mark.parametrize(
    "model", (Agreement, Partnership, Region, WorkingGroup, Exchange, Person, CooperationField)
)
def test_it_shows_the_change_page(admin_client, some_records, model):
    record = model.objects.first()
    r = admin_client.get(admin_url(model, "change", record.pk))
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("model", "query"),
    (
        (Region, "경기도"),
        (Agreement, "协议"),
        (Person, "김동연"),
        (CooperationField, "반도체"),
    ),
)
def test_it_searches_the_translated_names_in_every_language(admin_client, model, query):
    home = home_region()
    home.name_ko = "경기도"
    home.save()
    AgreementFactory(title_zh_hans="姐妹关系协议")
    PersonFactory(name_ko="김동연")
    CooperationFieldFactory(name_ko="반도체")
    RegionFactory(name_en="Elsewhere")

    r = admin_client.get(admin_url(model, "changelist"), {"q": query})
    assert r.context["cl"].result_count == 1


def test_it_lists_a_region_in_the_parent_autocomplete(admin_client):
    RegionFactory(name_en="Jiangsu Province", name_zh_hans="江苏省")
    r = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "江苏",
            "app_label": "relations",
            "model_name": "region",
            "field_name": "parent",
        },
    )
    assert r.status_code == 200
    assert [item["text"] for item in r.json()["results"]] == ["Jiangsu Province"]


def test_it_lists_partnerships_in_the_agreement_autocomplete(admin_client):
    PartnershipFactory(partner_region__name_en="Jiangsu Province")
    r = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "Jiangsu",
            "app_label": "relations",
            "model_name": "agreement",
            "field_name": "partnership",
        },
    )
    assert [item["text"] for item in r.json()["results"]] == [
        "Gyeonggi Province – Jiangsu Province"
    ]


def test_it_shows_the_agreement_list_with_a_flat_query_count(admin_client):
    def queries_for_the_changelist():
        with CaptureQueriesContext(connection) as context:
            r = admin_client.get(admin_url(Agreement, "changelist"))
        assert r.status_code == 200
        return len(context)

    # Intended to prevent an n+1 issue: each row names its partnership's two regions.
    AgreementFactory(fields=[CooperationFieldFactory()])
    once = queries_for_the_changelist()
    for country in ("JP", "US", "DE", "FR", "VN", "TH", "IN", "BR", "MX"):
        AgreementFactory(partnership__partner_region__country=country)
    assert Agreement.objects.count() == 10
    assert queries_for_the_changelist() == once


def test_it_filters_agreements_by_level_and_partner_country(admin_client):
    sister = AgreementFactory(kind="sisterhood", partnership__partner_region__country="CN")
    AgreementFactory(kind="cooperation", partnership__partner_region__country="JP")
    url = admin_url(Agreement, "changelist")

    r = admin_client.get(url, {"partnership__level": "sisterhood"})
    assert list(r.context["cl"].result_list) == [sister]
    r = admin_client.get(url, {"partnership__partner_region__country": "CN"})
    assert list(r.context["cl"].result_list) == [sister]


def test_it_shows_the_signing_date_at_its_precision_in_the_list(admin_client):
    AgreementFactory(signed_on=datetime.date(2011, 5, 1), signed_on_precision="year")
    r = admin_client.get(admin_url(Agreement, "changelist"))
    assert '<td class="field-signed">2011</td>' in r.content.decode()


def test_it_stores_a_year_precision_date_as_the_first_of_january(admin_client):
    partnership = PartnershipFactory()
    r = admin_client.post(
        admin_url(Agreement, "add"),
        agreement_data(
            partnership=partnership, signed_on="2011-08-15", signed_on_precision="year"
        ),
    )
    assert r.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.signed_on.isoformat() == "2011-01-01"
    assert str(agreement.signed) == "2011"


def test_it_explains_the_precision_next_to_the_signing_date(admin_client):
    r = admin_client.get(admin_url(Agreement, "add"))
    [dates] = [fieldset for fieldset in r.context["adminform"] if fieldset.name == "Dates"]
    assert "stored as 1 January" in dates.description
    [first_line] = [[field.field.name for field in line] for line in dates][:1]
    assert first_line == ["signed_on", "signed_on_precision"]


def test_it_adds_an_agreement_with_its_participants(admin_client):
    partnership = PartnershipFactory()
    person = PersonFactory()
    row = {
        "person": str(person.pk),
        "role": "signatory",
        "side": "home",
        "title_en": "Governor of Gyeonggi Province",
        "order": "0",
    }
    r = admin_client.post(
        admin_url(Agreement, "add"),
        agreement_data(partnership=partnership, participations=[row]),
    )
    assert r.status_code == 302
    [participation] = Agreement.objects.get().participations.all()
    assert participation.person == person
    assert participation.title == "Governor of Gyeonggi Province"


def test_it_accepts_a_pdf_document(admin_client, media_root):
    partnership = PartnershipFactory()
    data = agreement_data(partnership=partnership, document=pdf())
    r = admin_client.post(admin_url(Agreement, "add"), data)
    assert r.status_code == 302
    assert Agreement.objects.get().document.name.startswith("agreements/")


def test_it_refuses_a_document_that_is_not_a_pdf(admin_client, media_root):
    partnership = PartnershipFactory()
    data = agreement_data(partnership=partnership, document=pdf(b"<html>not a pdf</html>"))
    r = admin_client.post(admin_url(Agreement, "add"), data)
    assert r.status_code == 200
    assert "The file is not a PDF document." in errors_of(r)
    assert not Agreement.objects.exists()


def test_it_raises_the_level_when_a_sisterhood_agreement_is_added(admin_client):
    partnership = AgreementFactory(kind="friendship").partnership
    assert level_of(partnership) == Level.FRIENDSHIP

    r = admin_client.post(
        admin_url(Agreement, "add"),
        agreement_data(partnership=partnership, kind="sisterhood", title_en="Sisterhood"),
    )
    assert r.status_code == 302
    assert level_of(partnership) == Level.SISTERHOOD


def test_it_lowers_the_level_when_the_agreement_kind_is_changed_to_cooperation(admin_client):
    agreement = AgreementFactory(kind="sisterhood")
    partnership = agreement.partnership
    assert level_of(partnership) == Level.SISTERHOOD

    r = admin_client.post(
        admin_url(Agreement, "change", agreement.pk),
        agreement_data(partnership=partnership, kind="cooperation", signed_on="2020-05-17"),
    )
    assert r.status_code == 302
    assert level_of(partnership) == Level.COOPERATION


def test_it_lowers_the_level_when_the_agreement_is_deleted(admin_client):
    partnership = AgreementFactory(kind="friendship").partnership
    sisterhood = AgreementFactory(partnership=partnership, kind="sisterhood")
    assert level_of(partnership) == Level.SISTERHOOD

    r = admin_client.post(admin_url(Agreement, "delete", sisterhood.pk), {"post": "yes"})
    assert r.status_code == 302
    assert level_of(partnership) == Level.FRIENDSHIP


def test_it_never_lets_staff_type_the_level(admin_client):
    agreement = AgreementFactory(kind="friendship")
    partnership = agreement.partnership
    data = partnership_data(
        home=partnership.home_region,
        partner=partnership.partner_region,
        slug=partnership.slug,
        level="sisterhood",
        agreements=1,
    )
    r = admin_client.get(admin_url(Partnership, "change", partnership.pk))
    assert "level" not in r.context["adminform"].form.fields

    r = admin_client.post(admin_url(Partnership, "change", partnership.pk), data)
    assert r.status_code == 302
    assert level_of(partnership) == Level.FRIENDSHIP


def test_it_shows_a_partnerships_agreements_read_only(admin_client):
    agreement = AgreementFactory(title_en="Sisterhood Agreement", kind="sisterhood")
    r = admin_client.get(admin_url(Partnership, "change", agreement.partnership_id))
    page = r.content.decode()
    assert "Sisterhood Agreement" in page
    assert admin_url(Agreement, "change", agreement.pk) in page
    assert 'name="agreements-0-title_en"' not in page


def test_it_offers_the_home_region_when_adding_a_partnership(admin_client):
    home = home_region()
    r = admin_client.get(admin_url(Partnership, "add"))
    assert r.context["adminform"].form.initial["home_region"] == home.pk


def test_it_uses_the_partner_regions_slug_when_the_slug_is_left_empty(admin_client):
    home = home_region()
    partner = RegionFactory(slug="jiangsu")
    r = admin_client.post(
        admin_url(Partnership, "add"), partnership_data(home=home, partner=partner)
    )
    assert r.status_code == 302
    assert Partnership.objects.get().slug == "jiangsu"


def test_it_keeps_a_slug_that_staff_typed(admin_client):
    home = home_region()
    partner = RegionFactory(slug="jiangsu")
    data = partnership_data(home=home, partner=partner, slug="jiangsu-province")
    admin_client.post(admin_url(Partnership, "add"), data)
    assert Partnership.objects.get().slug == "jiangsu-province"


def test_it_filters_partnerships_by_level(admin_client):
    sister = AgreementFactory(kind="sisterhood").partnership
    AgreementFactory(kind="cooperation")
    r = admin_client.get(admin_url(Partnership, "changelist"), {"level": "sisterhood"})
    assert list(r.context["cl"].result_list) == [sister]


def test_it_uploads_a_region_emblem(admin_client, media_root):
    r = admin_client.post(admin_url(Region, "add"), region_data(emblem=png()))
    assert r.status_code == 302
    assert Region.objects.get().emblem.name.startswith("regions/emblems/")


def test_it_refuses_an_emblem_that_is_not_an_image(admin_client, media_root):
    fake = SimpleUploadedFile("emblem.png", b"not an image", "image/png")
    r = admin_client.post(admin_url(Region, "add"), region_data(emblem=fake))
    assert r.status_code == 200
    assert "emblem" in r.context["adminform"].form.errors
    assert not Region.objects.exists()


def test_it_refuses_an_emblem_over_five_megabytes(admin_client, media_root):
    large = png(padding=5 * 1024 * 1024)
    r = admin_client.post(admin_url(Region, "add"), region_data(emblem=large))
    assert r.status_code == 200
    assert "The image is larger than 5 MB." in errors_of(r)
    assert not Region.objects.exists()


def test_it_filters_regions_by_country_and_home(admin_client):
    home = home_region()
    RegionFactory(country="CN")
    url = admin_url(Region, "changelist")

    r = admin_client.get(url, {"country": "KR"})
    assert list(r.context["cl"].result_list) == [home]
    r = admin_client.get(url, {"is_home__exact": "1"})
    assert list(r.context["cl"].result_list) == [home]


def test_it_adds_an_exchange_with_partial_dates(admin_client):
    partnership = PartnershipFactory()
    data = exchange_data(
        partnership=partnership,
        starts_on="2024-06-19",
        starts_on_precision="month",
        ends_on="2024-06-10",
    )
    r = admin_client.post(admin_url(Exchange, "add"), data)
    assert r.status_code == 302
    exchange = Exchange.objects.get()
    assert exchange.starts_on.isoformat() == "2024-06-01"
    assert exchange.ends_on.isoformat() == "2024-06-10"


def test_it_adds_a_working_group_with_a_member_and_a_meeting(admin_client, media_root):
    partnership = PartnershipFactory()
    person = PersonFactory()
    data = working_group_data(
        partnership=partnership,
        established_on="2024-06-19",
        established_on_precision="month",
        members=[{"person": str(person.pk), "side": "partner", "role": "chair"}],
        meetings=1,
        **{
            "meetings-0-held_on": "2025-03-04",
            "meetings-0-place_en": "Nanjing",
            "meetings-0-minutes": pdf(name="minutes.pdf"),
        },
    )
    r = admin_client.post(admin_url(WorkingGroup, "add"), data)
    assert r.status_code == 302
    group = WorkingGroup.objects.get()
    assert group.established_on.isoformat() == "2024-06-01"
    assert group.members.get().person == person
    assert group.meetings.get().place == "Nanjing"


def test_it_refuses_meeting_minutes_that_are_not_a_pdf(admin_client, media_root):
    partnership = PartnershipFactory()
    data = working_group_data(
        partnership=partnership,
        meetings=1,
        **{"meetings-0-held_on": "2025-03-04", "meetings-0-minutes": pdf(b"MZ", "minutes.pdf")},
    )
    r = admin_client.post(admin_url(WorkingGroup, "add"), data)
    assert r.status_code == 200
    assert "The file is not a PDF document." in errors_of(r)
    assert not WorkingGroup.objects.exists()
