"""Load what is known about Gyeonggi's partnerships (portal/demo_data.py), idempotently."""

import reversion
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from news.models import Article
from portal import demo_article, demo_data
from portal.demo_data import T, translations
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


class Command(BaseCommand):
    help = "Load the demo data (Gyeonggi Province and its partners in China). Safe to rerun."

    @transaction.atomic
    def handle(self, *args, **options):
        with reversion.create_revision():
            reversion.set_comment("seed_demo")
            self.load()

    def load(self):
        self.fields = {slug: self.load_field(slug, name) for slug, name in demo_data.FIELDS}
        self.people = {key: self.load_person(name) for key, name in demo_data.PEOPLE.items()}
        home = self.load_home_region()
        regions = {r["slug"]: self.load_region(r) for r in demo_data.PARTNER_REGIONS}
        partnerships = [
            self.load_partnership(facts, home, regions[facts["partner"]])
            for facts in demo_data.PARTNERSHIPS
        ]
        self.load_article(demo_article.ARTICLE)
        self.stdout.write(
            f"Demo data loaded: {1 + len(regions)} regions, {len(partnerships)} partnerships, "
            f"{count('agreements')} agreements, {len(self.people)} people, "
            f"{count('working_groups')} working groups, {count('exchanges')} exchanges, "
            f"{len(self.fields)} cooperation fields, 1 news article."
        )

    def load_field(self, slug, name):
        field, _ = CooperationField.objects.update_or_create(
            slug=slug, defaults=translations("name", name)
        )
        return field

    def load_person(self, name):
        person, _ = Person.objects.update_or_create(
            name_en=name.en, defaults=translations("name", name)
        )
        return person

    def load_home_region(self):
        facts = demo_data.HOME_REGION
        other_home = Region.objects.home().exclude(slug=facts["slug"]).first()
        if other_home is not None:
            raise CommandError(
                f"Another region ({other_home.slug}) is already the home region; "
                f"the demo data needs {facts['slug']!r} as the home region."
            )
        return self.load_region(facts, country=facts["country"], is_home=True)

    def load_region(self, facts, country="CN", is_home=False):
        region, _ = Region.objects.update_or_create(
            slug=facts["slug"],
            defaults={
                **translations("name", facts["name"]),
                **translations("description", facts["description"]),
                "country": country,
                "kind": Region.Kind.PROVINCE,
                "is_home": is_home,
            },
        )
        return region

    def load_partnership(self, facts, home, partner):
        partnership, _ = Partnership.objects.update_or_create(
            slug=facts["slug"],
            defaults={
                "home_region": home,
                "partner_region": partner,
                **translations("summary", facts["summary"]),
            },
        )
        for agreement in facts.get("agreements", []):
            self.load_agreement(partnership, agreement)
        for group in facts.get("working_groups", []):
            self.load_working_group(partnership, group)
        for exchange in facts.get("exchanges", []):
            self.load_exchange(partnership, exchange)
        return partnership

    def load_agreement(self, partnership, facts):
        agreement, _ = Agreement.objects.update_or_create(
            partnership=partnership,
            kind=facts["kind"],
            signed_on=facts["signed_on"],
            defaults={
                "signed_on_precision": facts["signed_on_precision"],
                **translations("title", facts["title"]),
                **translations("summary", facts.get("summary")),
                **translations("venue", facts.get("venue")),
                **translations("key_commitments", facts.get("key_commitments")),
                "internal_notes": facts.get("internal_notes", ""),
            },
        )
        agreement.fields.set([self.fields[slug] for slug in facts.get("fields", [])])
        for order, (person, role, side, title) in enumerate(facts.get("participants", [])):
            Participation.objects.update_or_create(
                agreement=agreement,
                person=self.people[person],
                role=role,
                defaults={"side": side, "order": order, **translations("title", title)},
            )

    def load_working_group(self, partnership, facts):
        group, _ = WorkingGroup.objects.update_or_create(
            partnership=partnership,
            name_en=facts["name"].en,
            defaults={
                **translations("name", facts["name"]),
                **translations("mandate", facts.get("mandate")),
                "status": facts["status"],
            },
        )
        group.fields.set([self.fields[slug] for slug in facts.get("fields", [])])

    def load_exchange(self, partnership, facts):
        exchange, _ = Exchange.objects.update_or_create(
            partnership=partnership,
            title_en=facts["title"].en,
            defaults={
                "kind": facts["kind"],
                "direction": facts["direction"],
                **translations("title", facts["title"]),
            },
        )
        exchange.fields.set([self.fields[slug] for slug in facts.get("fields", [])])

    def load_article(self, facts):
        """Create or update the demo article; an unchanged article is not saved again."""
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
        article = Article.objects.filter(slug=facts["slug"]).first() or Article(slug=facts["slug"])
        # Saving touches `updated_at`, so save only what differs: a rerun changes nothing.
        if article.pk is None or any(getattr(article, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(article, key, value)
            article.save()
        article.partnerships.set(Partnership.objects.filter(slug__in=facts["partnerships"]))
        article.regions.set(Region.objects.filter(slug__in=facts["regions"]))
        article.fields.set([self.fields[slug] for slug in facts["fields"]])
        return article
