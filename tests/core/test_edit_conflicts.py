"""Two staff edit the same record: the second save never overwrites the first."""

import pytest
from django.test import Client

from core.admin.conflicts import TOKEN_FIELD
from relations.models import (
    Agreement,
    CooperationField,
    Exchange,
    Partnership,
    Person,
    Region,
    WorkingGroup,
)
from tests.factories import (
    AgreementFactory,
    ArticleFactory,
    CooperationFieldFactory,
    ExchangeFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    WorkingGroupMemberFactory,
)
from tests.news.helpers_admin import article_change_data, article_url
from tests.relations.admin_posts import admin_url, agreement_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    """Return a function that logs a new superuser in with a client of their own."""

    def log_in(username, **names):
        user = django_user_model.objects.create_superuser(
            username, f"{username}@example.org", None, **names
        )
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    return log_in


class Editor:
    """One member of staff at one change form: opens it, and saves what it shows plus edits."""

    def __init__(self, client, url):
        self.client = client
        self.url = url

    def open(self):
        r = self.client.get(self.url)
        assert r.status_code == 200
        self.token = form_of(r)[TOKEN_FIELD].value()
        assert self.token
        assert f'name="{TOKEN_FIELD}"' in r.text
        return r

    def save(self, data, **extra):
        r = self.client.post(
            self.url,
            {**data, TOKEN_FIELD: self.token, "csrfmiddlewaretoken": self.csrf_token(), **extra},
        )
        if r.status_code == 200:
            # The form came back: save again from it, as the person would.
            self.token = form_of(r)[TOKEN_FIELD].value()
        return r

    def csrf_token(self):
        return self.client.cookies["csrftoken"].value


def form_of(response):
    return response.context["adminform"].form


def top_errors(response):
    return list(form_of(response).non_field_errors())


def agreement_as_stored(agreement, **overrides):
    stored = {
        "title_en": agreement.title_en,
        "venue_en": agreement.venue_en or "",
        "signed_on": agreement.signed_on.isoformat(),
    }
    return agreement_data(partnership=agreement.partnership, **{**stored, **overrides})


def test_it_refuses_a_stale_save_and_keeps_both_changes_after_merging(staff):
    agreement = AgreementFactory(title_en="Agreement on trade", venue_en="Suwon")
    url = admin_url(Agreement, "change", agreement.pk)
    ana = Editor(staff("ana", first_name="Ana", last_name="Kim"), url)
    ben = Editor(staff("ben"), url)
    ana.open()
    ben.open()
    stored = agreement_as_stored(agreement)

    r = ana.save({**stored, "title_en": "Agreement on trade and investment"})
    assert r.status_code == 302

    r = ben.save({**stored, "venue_en": "Dodamso"})
    assert r.status_code == 200
    headline, *changes = top_errors(r)
    assert headline.startswith("Ana Kim changed this record at ")
    assert "while you were editing it" in headline
    assert changes == ["Title [en]: “Agreement on trade” → “Agreement on trade and investment”"]
    assert form_of(r)["venue_en"].value() == "Dodamso"
    agreement.refresh_from_db()
    assert agreement.title_en == "Agreement on trade and investment"
    assert agreement.venue_en == "Suwon"

    merged = {**stored, "title_en": "Agreement on trade and investment", "venue_en": "Dodamso"}
    r = ben.save(merged)
    assert r.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title_en == "Agreement on trade and investment"
    assert agreement.venue_en == "Dodamso"


def test_it_lists_korean_text_that_someone_else_changed_in_an_article(staff):
    article = ArticleFactory(title_ko="경기도와 장쑤성", summary_ko="자매결연 협정")
    url = article_url("change", article.pk)
    ana = Editor(staff("ana", first_name="Ana", last_name="Kim"), url)
    ben = Editor(staff("ben"), url)
    ana.open()
    ben.open()
    stored = article_change_data(article)

    r = ana.save({**stored, "title_ko": "경기도와 장쑤성, 자매결연 체결"})
    assert r.status_code == 302

    r = ben.save({**stored, "summary_ko": "도담소에서 자매결연 협정에 서명했다."})
    assert r.status_code == 200
    assert top_errors(r)[1:] == [
        "Title [ko]: “경기도와 장쑤성” → “경기도와 장쑤성, 자매결연 체결”"
    ]
    assert form_of(r)["summary_ko"].value() == "도담소에서 자매결연 협정에 서명했다."
    article.refresh_from_db()
    assert article.title_ko == "경기도와 장쑤성, 자매결연 체결"
    assert article.summary_ko == "자매결연 협정"

    merged = {
        **stored,
        "title_ko": "경기도와 장쑤성, 자매결연 체결",
        "summary_ko": "도담소에서 자매결연 협정에 서명했다.",
    }
    assert ben.save(merged).status_code == 302
    article.refresh_from_db()
    assert article.title_ko == "경기도와 장쑤성, 자매결연 체결"
    assert article.summary_ko == "도담소에서 자매결연 협정에 서명했다."


def test_it_lists_a_participant_that_someone_else_added(staff):
    agreement = AgreementFactory(venue_en="Suwon")
    person = PersonFactory(name_en="Dong-yeon Kim")
    url = admin_url(Agreement, "change", agreement.pk)
    ana = Editor(staff("ana"), url)
    ben = Editor(staff("ben"), url)
    ana.open()
    ben.open()
    row = {"person": str(person.pk), "role": "signatory", "side": "home", "order": "0"}

    r = ana.save(agreement_as_stored(agreement, participations=[row]))
    assert r.status_code == 302

    r = ben.save(agreement_as_stored(agreement, venue_en="Dodamso"))
    assert r.status_code == 200
    assert top_errors(r)[1:] == [
        "Participants: signatories, witnesses and attendees: added “Dong-yeon Kim (signatory)”"
    ]
    assert form_of(r)["venue_en"].value() == "Dodamso"
    agreement.refresh_from_db()
    assert agreement.venue_en == "Suwon"

    assert ben.save(agreement_as_stored(agreement, venue_en="Dodamso")).status_code == 302
    agreement.refresh_from_db()
    assert agreement.venue_en == "Dodamso"
    assert [str(p) for p in agreement.participations.all()] == ["Dong-yeon Kim (signatory)"]


def test_it_lists_a_participant_that_someone_else_changed_or_removed(staff):
    kept = ParticipationFactory(person__name_en="Dong-yeon Kim", agreement__venue_en="Suwon")
    agreement = kept.agreement
    removed = ParticipationFactory(agreement=agreement, person__name_en="Xin Changxing")
    url = admin_url(Agreement, "change", agreement.pk)
    ana = Editor(staff("ana"), url)
    ben = Editor(staff("ben"), url)
    ana.open()
    ben.open()
    rows = [
        {
            "id": str(kept.pk),
            "agreement": str(agreement.pk),
            "person": str(kept.person.pk),
            "role": "witness",
            "side": "home",
            "title_en": "Governor",
            "order": "0",
        },
        {
            "id": str(removed.pk),
            "agreement": str(agreement.pk),
            "person": str(removed.person.pk),
            "role": "signatory",
            "side": "home",
            "title_en": "Governor",
            "order": "0",
            "DELETE": "on",
        },
    ]

    r = ana.save(agreement_as_stored(agreement, participations=rows, initial=2))
    assert r.status_code == 302

    r = ben.save(agreement_as_stored(agreement, venue_en="Dodamso"))
    assert r.status_code == 200
    assert top_errors(r)[1:] == [
        "Participants: signatories, witnesses and attendees, “Dong-yeon Kim (witness)”, "
        "Role: “signatory” → “witness”",
        "Participants: signatories, witnesses and attendees: removed “Xin Changxing (signatory)”",
    ]


def test_it_saves_when_only_one_person_edits(staff):
    agreement = AgreementFactory(title_en="Agreement on trade")
    ana = Editor(staff("ana"), admin_url(Agreement, "change", agreement.pk))
    ana.open()

    r = ana.save(agreement_as_stored(agreement, title_en="Agreement on trade and investment"))

    assert r.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title_en == "Agreement on trade and investment"


def test_it_sees_no_conflict_after_a_successful_save(staff):
    agreement = AgreementFactory(title_en="Agreement on trade")
    ana = Editor(staff("ana"), admin_url(Agreement, "change", agreement.pk))
    ana.open()
    r = ana.save(agreement_as_stored(agreement, title_en="Agreement on trade 2"), _continue="1")
    assert r.status_code == 302

    ana.open()  # where "Save and continue editing" leads
    r = ana.save(agreement_as_stored(agreement, title_en="Agreement on trade 3"))

    assert r.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title_en == "Agreement on trade 3"


def test_it_sees_no_conflict_when_a_form_with_errors_is_saved_again(staff):
    agreement = AgreementFactory(title_en="Agreement on trade")
    ana = Editor(staff("ana"), admin_url(Agreement, "change", agreement.pk))
    ana.open()
    r = ana.save(agreement_as_stored(agreement, title_en=""))
    assert r.status_code == 200
    assert top_errors(r) == []

    r = ana.save(agreement_as_stored(agreement, title_en="Agreement on trade 2"))

    assert r.status_code == 302


def test_it_says_so_when_the_same_person_saved_in_another_window(staff):
    agreement = AgreementFactory(title_en="Agreement on trade")
    client = staff("ana")
    url = admin_url(Agreement, "change", agreement.pk)
    first, second = Editor(client, url), Editor(client, url)
    first.open()
    second.open()
    assert first.save(agreement_as_stored(agreement, title_en="Agreement 2")).status_code == 302

    r = second.save(agreement_as_stored(agreement, venue_en="Dodamso"))

    assert r.status_code == 200
    assert top_errors(r)[0].startswith("You changed this record in another window at ")


def test_it_refuses_an_altered_token_and_saves_with_the_fresh_one(staff):
    agreement = AgreementFactory(title_en="Agreement on trade")
    ana = Editor(staff("ana"), admin_url(Agreement, "change", agreement.pk))
    ana.open()
    ana.token = ana.token[:-2] + "xx"

    r = ana.save(agreement_as_stored(agreement, venue_en="Dodamso"))
    assert r.status_code == 200
    assert top_errors(r)[0].startswith("This form could not be checked")
    agreement.refresh_from_db()
    assert not agreement.venue_en

    assert ana.save(agreement_as_stored(agreement, venue_en="Dodamso")).status_code == 302


def test_it_names_no_one_when_the_change_came_from_outside_the_admin(staff):
    agreement = AgreementFactory(title_en="Agreement on trade")
    ana = Editor(staff("ana"), admin_url(Agreement, "change", agreement.pk))
    ana.open()
    Agreement.objects.filter(pk=agreement.pk).update(title_en="Changed by a script")

    r = ana.save(agreement_as_stored(agreement, venue_en="Dodamso"))

    assert r.status_code == 200
    headline, *changes = top_errors(r)
    assert headline.startswith("Someone changed this record while you were editing it.")
    assert changes == ["Title [en]: “Agreement on trade” → “Changed by a script”"]


@pytest.mark.parametrize(
    "model", [Agreement, CooperationField, Exchange, Partnership, Person, Region, WorkingGroup]
)
def test_it_puts_the_token_on_every_change_form(staff, model):
    participation = ParticipationFactory(agreement__fields=[CooperationFieldFactory()])
    partnership = participation.agreement.partnership
    member = WorkingGroupMemberFactory(group__partnership=partnership)
    MeetingFactory(group=member.group)
    ExchangeFactory(partnership=partnership)
    record = model.objects.first()

    Editor(staff("ana"), admin_url(model, "change", record.pk)).open()


def test_it_puts_the_token_on_the_article_form(staff):
    Editor(staff("ana"), article_url("change", ArticleFactory().pk)).open()


def test_it_shows_no_token_on_a_read_only_form(django_user_model, client):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", password=None, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_agreement"))
    client.force_login(user)
    agreement = AgreementFactory()

    r = client.get(admin_url(Agreement, "change", agreement.pk))

    assert r.status_code == 200
    assert TOKEN_FIELD not in r.text
