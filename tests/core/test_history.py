"""Revision history through the real admin views: history, compare, revert, recover."""

import datetime

import pytest
import reversion
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Revision, Version
from reversion.revisions import _get_options

from core.admin.history import HistoryAdmin
from news.models import Article, ChangeNote
from relations.models import (
    Agreement,
    CooperationField,
    Exchange,
    Level,
    Meeting,
    Participation,
    Partnership,
    Person,
    Region,
    WorkingGroup,
    WorkingGroupMember,
)
from tests.factories import (
    ArticleFactory,
    MeetingFactory,
    PartnershipFactory,
    PersonFactory,
    RegionFactory,
    WorkingGroupFactory,
    WorkingGroupMemberFactory,
)
from tests.news.helpers_admin import article_change_data, article_url
from tests.relations.admin_posts import admin_url, agreement_data

pytestmark = pytest.mark.django_db


def form_data(response):
    """Return the POST that saves an admin change form as the response shows it."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {management[name].html_name: management[name].value() for name in management.fields}
        )
        # Only the rows that exist: the empty extra rows are left out.
        data[management["TOTAL_FORMS"].html_name] = str(len(inline.formset.initial_forms))
        forms += inline.formset.initial_forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False or name.endswith(("document", "hero_image")):
                continue
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(v) for v in value]
            elif isinstance(value, datetime.date):
                data[form.add_prefix(name)] = value.isoformat()
            else:
                data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


def signatory(person, **row):
    return {
        "person": str(person.pk),
        "role": "signatory",
        "side": "home",
        "title_en": "Governor",
        "order": "0",
        **row,
    }


@pytest.fixture
def history(admin_client):
    """An agreement added and then changed twice through the admin, by the superuser."""
    partnership = PartnershipFactory()
    first, second = PersonFactory(name_en="Kim Dong-yeon"), PersonFactory(name_en="Xin Changxing")
    post = agreement_data(
        partnership=partnership,
        kind="sisterhood",
        title_en="Sisterhood agreement",
        participations=[signatory(first)],
    )
    assert admin_client.post(admin_url(Agreement, "add"), post).status_code == 302
    agreement = Agreement.objects.get()
    row = {"id": str(agreement.participations.get().pk), "agreement": str(agreement.pk)}
    for title, person in (
        ("Sisterhood agreement of 2024", second),
        ("Sisterhood Agreement, Dodamso", second),
    ):
        post = agreement_data(
            partnership=partnership,
            kind="sisterhood",
            title_en=title,
            participations=[signatory(person, **row)],
            initial=1,
        )
        assert (
            admin_client.post(admin_url(Agreement, "change", agreement.pk), post).status_code
            == 302
        )
    versions = list(Version.objects.get_for_object(agreement))  # newest first
    return agreement, versions, first, second


def participants(agreement):
    return sorted(
        Participation.objects.filter(agreement=agreement).values_list("person__name_en", flat=True)
    )


def level_of(partnership):
    partnership.refresh_from_db()
    return partnership.level


def test_it_lists_every_version_with_its_author(admin_client, history):
    agreement, versions, _first, _second = history
    r = admin_client.get(admin_url(Agreement, "history", agreement.pk))
    assert r.status_code == 200
    assert len(versions) == 3
    assert [a["version"] for a in r.context["action_list"]] == versions
    assert all(v.revision.user.username == "admin" for v in versions)
    assert r.content.decode().count('name="version"') == 3


def test_it_compares_two_versions_field_by_field(admin_client, history):
    agreement, versions, first, second = history
    url = reverse("admin:relations_agreement_compare", args=(agreement.pk,))
    r = admin_client.get(url, {"version": [versions[-1].pk, versions[0].pk]})
    assert r.status_code == 200
    rows = {row["label"]: (row["old"], row["new"]) for row in r.context["rows"]}
    assert rows["Title [en]"] == ("Sisterhood agreement", "Sisterhood Agreement, Dodamso")
    changed_person = [
        v for k, v in rows.items() if k.startswith("Participation") and k.endswith("Person")
    ]
    assert changed_person == [("Kim Dong-yeon", "Xin Changxing")]
    assert "Sisterhood Agreement, Dodamso" in r.content.decode()


def test_it_reverts_to_an_old_version_with_its_participants(admin_client, history):
    agreement, versions, _first, _second = history
    url = reverse("admin:relations_agreement_revision", args=(agreement.pk, versions[-1].pk))
    shown = admin_client.get(url)
    assert shown.status_code == 200
    # Showing an old version changes nothing.
    assert Agreement.objects.get().title_en == "Sisterhood Agreement, Dodamso"
    r = admin_client.post(url, form_data(shown))
    assert r.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title_en == "Sisterhood agreement"
    assert participants(agreement) == ["Kim Dong-yeon"]
    assert level_of(agreement.partnership) == Level.SISTERHOOD


def test_it_recovers_a_deleted_agreement_with_its_participants_and_level(admin_client, history):
    agreement, _versions, _first, _second = history
    partnership = agreement.partnership
    r = admin_client.post(admin_url(Agreement, "delete", agreement.pk), {"post": "yes"})
    assert r.status_code == 302
    assert not Agreement.objects.exists()
    assert level_of(partnership) == ""

    changelist = admin_client.get(admin_url(Agreement, "changelist"))
    assert admin_url(Agreement, "recoverlist").encode() in changelist.content
    assert b"Import CSV" in changelist.content  # the agreements' own change list stays the base
    recover_list = admin_client.get(admin_url(Agreement, "recoverlist"))
    [deleted] = recover_list.context["deleted"]
    url = admin_url(Agreement, "recover", deleted.pk)
    r = admin_client.post(url, form_data(admin_client.get(url)))
    assert r.status_code == 302
    recovered = Agreement.objects.get(pk=agreement.pk)
    assert recovered.title_en == "Sisterhood Agreement, Dodamso"
    assert participants(recovered) == ["Xin Changxing"]
    assert level_of(partnership) == Level.SISTERHOOD


def test_it_refreshes_both_levels_when_a_revert_moves_an_agreement_back(admin_client, history):
    agreement, versions, _first, _second = history
    first_home, other = agreement.partnership, PartnershipFactory()
    with reversion.create_revision():
        agreement.partnership = other
        agreement.save()
    assert (level_of(first_home), level_of(other)) == ("", Level.SISTERHOOD)
    url = reverse("admin:relations_agreement_revision", args=(agreement.pk, versions[0].pk))
    assert admin_client.post(url, form_data(admin_client.get(url))).status_code == 302
    assert (level_of(first_home), level_of(other)) == (Level.SISTERHOOD, "")


def test_it_recovers_a_deleted_working_group_with_members_and_meetings(admin_client):
    group = WorkingGroupFactory()
    WorkingGroupMemberFactory(group=group)
    MeetingFactory(group=group)
    change = admin_url(WorkingGroup, "change", group.pk)
    # A real change: a save that changes nothing records no version to recover.
    renamed = {**form_data(admin_client.get(change)), "name_en": "Joint working group"}
    assert admin_client.post(change, renamed).status_code == 302
    assert (
        admin_client.post(admin_url(WorkingGroup, "delete", group.pk), {"post": "yes"}).status_code
        == 302
    )
    [deleted] = admin_client.get(admin_url(WorkingGroup, "recoverlist")).context["deleted"]
    url = admin_url(WorkingGroup, "recover", deleted.pk)
    assert admin_client.post(url, form_data(admin_client.get(url))).status_code == 302
    recovered = WorkingGroup.objects.get(pk=group.pk)
    assert (recovered.members.count(), recovered.meetings.count()) == (1, 1)


@pytest.fixture
def article_history(admin_client):
    """An article in three languages, saved twice through the admin with new Korean text."""
    partnership = PartnershipFactory()
    article = ArticleFactory(
        title_ko="경기도와 장쑤성", title_zh_hans="京畿道与江苏省缔结友好省道关系"
    )
    article.partnerships.set([partnership])
    url = article_url("change", article.pk)
    for title_ko in ("경기도와 장쑤성, 자매결연", "경기도·장쑤성 자매결연 체결"):
        assert (
            admin_client.post(url, article_change_data(article, title_ko=title_ko)).status_code
            == 302
        )
    article.refresh_from_db()
    return article, list(Version.objects.get_for_object(article)), partnership


def test_it_compares_the_korean_text_of_two_article_versions(admin_client, article_history):
    article, versions, _partnership = article_history
    url = reverse("admin:news_article_compare", args=(article.pk,))
    r = admin_client.get(url, {"version": [versions[1].pk, versions[0].pk]})
    rows = {row["label"]: (row["old"], row["new"]) for row in r.context["rows"]}
    assert rows["Title [ko]"] == ("경기도와 장쑤성, 자매결연", "경기도·장쑤성 자매결연 체결")
    assert "Title [zh-hans]" not in rows


def test_it_reverts_the_korean_text_of_an_article(admin_client, article_history):
    article, versions, _partnership = article_history
    url = article_url("revision", article.pk, versions[1].pk)
    assert admin_client.get(url).status_code == 200
    r = admin_client.post(url, article_change_data(article, title_ko="경기도와 장쑤성, 자매결연"))
    assert r.status_code == 302
    article.refresh_from_db()
    assert article.title_ko == "경기도와 장쑤성, 자매결연"
    assert article.title_zh_hans == "京畿道与江苏省缔结友好省道关系"


def test_it_recovers_a_deleted_article_with_its_translations_and_links(
    admin_client, article_history
):
    article, _versions, partnership = article_history
    data = article_change_data(article)
    assert admin_client.post(article_url("delete", article.pk), {"post": "yes"}).status_code == 302
    [deleted] = admin_client.get(article_url("recoverlist")).context["deleted"]
    r = admin_client.post(article_url("recover", deleted.pk), data)
    assert r.status_code == 302
    recovered = Article.objects.get(pk=article.pk)
    assert recovered.title_ko == "경기도·장쑤성 자매결연 체결"
    assert recovered.title_zh_hans == "京畿道与江苏省缔结友好省道关系"
    assert list(recovered.partnerships.all()) == [partnership]


def test_it_records_seed_demo_as_a_revision():
    call_command("seed_demo", stdout=None)
    revision = Revision.objects.get(comment="seed_demo")
    agreements = revision.version_set.filter(content_type__model="agreement")
    assert agreements.count() == Agreement.objects.count() > 0


@pytest.fixture
def region():
    """A region with one version, as every new or seeded record has."""
    with reversion.create_revision():
        return RegionFactory(name_en="Jiangsu")


def compare_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_compare", args=(record.pk,))


def test_it_says_there_is_nothing_to_compare_for_a_record_with_one_version(admin_client, region):
    r = admin_client.get(compare_url(region))
    assert r.status_code == 200
    assert "There are not two versions to compare yet." in r.content.decode()
    assert r.context["title"] == "Compare versions of Jiangsu"


def test_it_says_so_in_korean(admin_client, region):
    r = admin_client.get(compare_url(region), HTTP_ACCEPT_LANGUAGE="ko")
    assert "아직 비교할 두 버전이 없습니다." in r.content.decode()


def test_it_says_there_is_nothing_to_compare_for_a_seeded_agreement(admin_client):
    call_command("seed_demo", stdout=None)
    agreement = Agreement.objects.first()
    r = admin_client.get(compare_url(agreement))
    assert r.status_code == 200
    assert r.context["old"] is None


def test_it_says_there_is_nothing_to_compare_for_a_record_without_versions(admin_client):
    r = admin_client.get(compare_url(RegionFactory()))
    assert r.status_code == 200
    assert "There are not two versions to compare yet." in r.content.decode()


@pytest.mark.parametrize("version", ["abc", "²", "-1", "1.0", ""])
def test_it_refuses_a_version_id_that_is_not_a_number(admin_client, region, version):
    pk = str(Version.objects.get_for_object(region).get().pk)
    r = admin_client.get(compare_url(region), {"version": [version, pk]})
    assert r.status_code == 400


@pytest.mark.parametrize("count", [1, 3])
def test_it_asks_for_exactly_two_versions(admin_client, region, count):
    with reversion.create_revision():
        region.save()
    with reversion.create_revision():
        region.save()
    pks = [v.pk for v in Version.objects.get_for_object(region)][:count]
    r = admin_client.get(compare_url(region), {"version": pks})
    assert r.status_code == 400
    assert "Check exactly two versions in the history to compare them." in r.content.decode()


def test_it_does_not_find_a_version_of_another_record(admin_client, history, region):
    agreement, versions, _first, _second = history
    other = Version.objects.get_for_object(region).get()
    r = admin_client.get(compare_url(agreement), {"version": [versions[0].pk, other.pk]})
    assert r.status_code == 404


def test_it_does_not_find_a_version_that_does_not_exist(admin_client, history):
    agreement, versions, _first, _second = history
    r = admin_client.get(compare_url(agreement), {"version": [versions[0].pk, 10**20]})
    assert r.status_code == 404


def test_it_compares_the_latest_two_versions_when_none_are_checked(admin_client, history):
    agreement, versions, _first, _second = history
    r = admin_client.get(compare_url(agreement))
    assert (r.context["old"], r.context["new"]) == (versions[1], versions[0])


# ---- What each app registers

# Every content model, with the reverse relations its versions carry along.
VERSIONED = {
    CooperationField: (),
    Region: (),
    Partnership: (),
    Agreement: ("participations",),
    Participation: (),
    Person: (),
    WorkingGroup: ("members", "meetings"),
    WorkingGroupMember: (),
    Meeting: (),
    Exchange: (),
    Article: ("change_notes",),
    ChangeNote: (),
}


def test_it_keeps_the_history_of_every_content_model_with_its_inline_rows():
    registered = reversion.get_registered_models()
    assert {model: tuple(_get_options(model).follow) for model in registered} == VERSIONED


def test_it_keeps_the_history_of_every_model_whose_admin_shows_one():
    shown = {
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, HistoryAdmin)
    }
    assert shown <= set(VERSIONED)
