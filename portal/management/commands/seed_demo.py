"""Load what is known about Gyeonggi's partnerships (portal/demo_data.py): create what is
missing, never change what exists.

`make run` and `make serve` run this on every start, on a database where staff may have
edited the demo records: a rerun must never undo their work. Each demo record is remembered
(portal.models.DemoRecord), so that it is found again however it was edited; one that is
missing (never loaded, or deleted since) is created, with its links and parts.
"""

import reversion
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from news.models import Article, ChangeNote
from portal import demo_article, demo_data
from portal.demo_data import T, translations
from portal.models import DemoRecord
from relations.models import (
    Agreement,
    CooperationField,
    Exchange,
    Participation,
    Partnership,
    Person,
    Region,
    WorkingGroup,
)


def count(kind):
    """Return how many records of a kind ("agreements" ...) the demo partnerships hold."""
    return sum(len(facts.get(kind, [])) for facts in demo_data.PARTNERSHIPS)


def _date_key(date):
    return date.isoformat() if date else "undated"


class Command(BaseCommand):
    help = (
        "Load the demo data (Gyeonggi Province and its partners in China). Safe to rerun: it "
        "creates the demo records that are missing (never loaded, or deleted since: a deleted "
        "one comes back) and never changes a record that exists, whatever staff edited in it. "
        "On an unchanged database it writes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        self.created = 0
        self.remembered = dict(DemoRecord.objects.values_list("key", "object_id"))
        # A revision only when something is created: one with no versions is not saved.
        with reversion.create_revision():
            reversion.set_comment("seed_demo")
            self.load()

    def load(self):
        self.fields = {slug: self.load_field(slug, name) for slug, name in demo_data.FIELDS}
        self.people = {key: self.load_person(key, name) for key, name in demo_data.PEOPLE.items()}
        home = self.load_home_region()
        regions = {r["slug"]: self.load_region(r) for r in demo_data.PARTNER_REGIONS}
        partnerships = [
            self.load_partnership(facts, home, regions[facts["partner"]])
            for facts in demo_data.PARTNERSHIPS
        ]
        self.load_article(demo_article.ARTICLE)
        self.stdout.write(
            f"Demo data: {self.created} missing records created. The demo holds "
            f"{1 + len(regions)} regions, {len(partnerships)} partnerships, "
            f"{count('agreements')} agreements, {len(self.people)} people, "
            f"{count('working_groups')} working groups, {count('exchanges')} exchanges, "
            f"{len(self.fields)} cooperation fields, 1 news article."
        )

    def find(self, model, key, natural_key):
        """Return the record of a demo fact, or None when it is missing.

        Found by the id an earlier run remembered, else by its natural key (a database loaded
        before the ids were remembered).
        """
        remembered = self.remembered.get(f"{model._meta.label_lower}:{key}")
        record = remembered and model.objects.filter(pk=remembered).first()
        return record or model.objects.filter(**natural_key).first()

    def ensure(self, model, key, natural_key, values=()):
        """Return (record, created): the record of a demo fact, created when it is missing.

        A record found is returned as it is: never changed, whatever staff edited in it.
        """
        record = self.find(model, key, natural_key)
        created = record is None
        if created:
            record = model.objects.create(**{**natural_key, **dict(values)})
            self.created += 1
        key = f"{model._meta.label_lower}:{key}"
        if self.remembered.get(key) != record.pk:
            DemoRecord.objects.update_or_create(key=key, defaults={"object_id": record.pk})
            self.remembered[key] = record.pk
        return record, created

    def load_field(self, slug, name):
        field, _ = self.ensure(CooperationField, slug, {"slug": slug}, translations("name", name))
        return field

    def load_person(self, key, name):
        person, _ = self.ensure(Person, key, {"name_en": name.en}, translations("name", name))
        return person

    def load_home_region(self):
        facts = demo_data.HOME_REGION
        missing = self.find(Region, facts["slug"], {"slug": facts["slug"]}) is None
        other_home = Region.objects.home().first()
        if missing and other_home is not None:
            raise CommandError(
                f"Another region ({other_home.slug}) is already the home region; "
                f"the demo data needs {facts['slug']!r} as the home region."
            )
        return self.load_region(facts, country=facts["country"], is_home=True)

    def load_region(self, facts, country="CN", is_home=False):
        values = {
            **translations("name", facts["name"]),
            **translations("description", facts["description"]),
            "country": country,
            "kind": Region.Kind.PROVINCE,
            "is_home": is_home,
        }
        region, _ = self.ensure(Region, facts["slug"], {"slug": facts["slug"]}, values)
        return region

    def load_partnership(self, facts, home, partner):
        values = {
            "home_region": home,
            "partner_region": partner,
            **translations("summary", facts["summary"]),
        }
        slug = facts["slug"]
        partnership, _ = self.ensure(Partnership, slug, {"slug": slug}, values)
        for agreement in facts.get("agreements", []):
            self.load_agreement(partnership, slug, agreement)
        for group in facts.get("working_groups", []):
            self.load_working_group(partnership, slug, group)
        for exchange in facts.get("exchanges", []):
            self.load_exchange(partnership, slug, exchange)
        return partnership

    def load_agreement(self, partnership, partnership_key, facts):
        key = f"{partnership_key}/{facts['kind']}/{_date_key(facts['signed_on'])}"
        natural_key = {
            "partnership": partnership,
            "kind": facts["kind"],
            "signed_on": facts["signed_on"],
        }
        values = {
            "signed_on_precision": facts["signed_on_precision"],
            **translations("title", facts["title"]),
            **translations("summary", facts.get("summary")),
            **translations("venue", facts.get("venue")),
            **translations("key_commitments", facts.get("key_commitments")),
            "internal_notes": facts.get("internal_notes", ""),
        }
        agreement, created = self.ensure(Agreement, key, natural_key, values)
        if created:
            agreement.fields.set([self.fields[slug] for slug in facts.get("fields", [])])
        for order, (person, role, side, title) in enumerate(facts.get("participants", [])):
            self.ensure(
                Participation,
                f"{key}/{person}/{role}",
                {"agreement": agreement, "person": self.people[person], "role": role},
                {"side": side, "order": order, **translations("title", title)},
            )

    def load_working_group(self, partnership, partnership_key, facts):
        natural_key = {"partnership": partnership, "name_en": facts["name"].en}
        values = {
            **translations("name", facts["name"]),
            **translations("mandate", facts.get("mandate")),
            "status": facts["status"],
        }
        key = f"{partnership_key}/{facts['name'].en}"
        group, created = self.ensure(WorkingGroup, key, natural_key, values)
        if created:
            group.fields.set([self.fields[slug] for slug in facts.get("fields", [])])

    def load_exchange(self, partnership, partnership_key, facts):
        natural_key = {"partnership": partnership, "title_en": facts["title"].en}
        values = {
            "kind": facts["kind"],
            "direction": facts["direction"],
            **translations("title", facts["title"]),
        }
        key = f"{partnership_key}/{facts['title'].en}"
        exchange, created = self.ensure(Exchange, key, natural_key, values)
        if created:
            exchange.fields.set([self.fields[slug] for slug in facts.get("fields", [])])

    def load_article(self, facts):
        values = {
            **translations("title", facts["title"]),
            **translations("summary", facts["summary"]),
            **translations("body", facts["body"]),
            "original_language": facts["original_language"],
            "status": Article.Status.PUBLISHED,
            "publish_at": facts["publish_at"],
            # Every translation was written against the first and only original text.
            "original_revision": 1,
            **{
                f"revision_{code}": 1 if getattr(facts["title"], code) else None
                for code in T._fields
            },
        }
        slug = facts["slug"]
        article, created = self.ensure(Article, slug, {"slug": slug}, values)
        if created:
            article.partnerships.set(Partnership.objects.filter(slug__in=facts["partnerships"]))
            article.regions.set(Region.objects.filter(slug__in=facts["regions"]))
            article.fields.set([self.fields[slug] for slug in facts["fields"]])
        for note in facts["change_notes"]:
            natural_key = {"article": article, "date": note["date"], "text_en": note["text"].en}
            key = f"{slug}/{note['date'].isoformat()}/{note['text'].en}"
            self.ensure(ChangeNote, key, natural_key, translations("text", note["text"]))
        return article
