"""Fill the database with large, deterministic synthetic data for benchmarks.

At scale 1: 3,000 partner regions and partnerships, 3,000 people, 100,000 agreements (two
signatories and one to three fields each), 50,000 exchanges and 10,000 news articles (in
English, English and Korean, all three languages, or written in Korean with an English
translation; mostly published over the past years, some drafts, in review, archived or
scheduled). Everything it creates has a slug starting with `sample-` or hangs off such a
partnership, so it never clashes with the demo data and `--replace` can find it again. Rows
go in in bulk (core.bulk_write: COPY on PostgreSQL), which skips `save()` and signals, so dates are
normalized and article bodies rendered here (portal.sample_news; the texts are those of
portal.sample_texts), and the levels are recomputed at the end. On PostgreSQL a thread sends
each batch to the database while the next one is made (core.pipe), and the tables are
analyzed afterwards, so that the planner knows their new sizes before autovacuum gets to
them.
"""

import random
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.db.models.signals import post_delete

from core.batching import batched
from core.bulk import InstanceBuilder
from core.bulk_write import allocate_ids
from core.cache import content_changed
from core.pipe import Pipe, Statements
from news.models import Article
from portal import demo_data
from portal.demo_data import T, translations
from portal.sample_news import SampleNews
from portal.sample_records import SampleRecords
from portal.sample_texts import (
    COUNTRIES,
    PREFIX,
    REGION_KINDS,
    chinese_name,
    korean_name,
    region_names,
)
from relations import signals
from relations.models import (
    Agreement,
    CooperationField,
    Exchange,
    Participation,
    Partnership,
    Person,
    Region,
)
from relations.services import partnership_refresh_all

BATCH_SIZE = 2000
AT_SCALE_1 = {
    "regions": 3000,
    "people": 3000,
    "agreements": 100_000,
    "exchanges": 50_000,
    "articles": 10_000,
}


@contextmanager
def level_signal_muted():
    """Skip the level refresh per deleted agreement when its partnership goes too."""
    post_delete.disconnect(signals.refresh_partnership, sender=Agreement)
    try:
        yield
    finally:
        post_delete.connect(signals.refresh_partnership, sender=Agreement)


def sample_delete():
    """Delete everything an earlier run created; return the number of partnerships removed."""
    partnerships = Partnership.objects.filter(slug__startswith=PREFIX)
    agreements = Agreement.objects.filter(partnership__in=partnerships)
    # People who take part in sample agreements only were made by this command.
    kept = Person.objects.filter(
        Q(memberships__isnull=False)
        | Q(participations__in=Participation.objects.exclude(agreement__in=agreements))
    )
    people = list(
        Person.objects.filter(participations__agreement__in=agreements)
        .exclude(pk__in=kept)
        .values_list("pk", flat=True)
        .distinct()
    )
    count = partnerships.count()
    Article.objects.filter(slug__startswith=PREFIX).delete()
    Exchange.objects.filter(partnership__in=partnerships).delete()
    with level_signal_muted():
        agreements.delete()
    Person.objects.filter(pk__in=people).delete()
    partnerships.delete()
    Region.objects.filter(slug__startswith=PREFIX).delete()
    return count


class Command(BaseCommand):
    help = "Create large synthetic data (slugs `sample-...`) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100,000 agreements")
        parser.add_argument("--seed", type=int, default=2024, help="seed of the generator")
        parser.add_argument(
            "--replace", action="store_true", help="delete earlier sample data first"
        )

    def handle(self, *args, scale, seed, replace, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        self.started = time.monotonic()
        self.rng = random.Random(seed)
        self.sizes = {k: max(1, round(n * scale)) for k, n in AT_SCALE_1.items()}
        self.sizes["people"] = max(2, self.sizes["people"])
        with transaction.atomic():
            if Region.objects.filter(slug__startswith=PREFIX).exists():
                if not replace:
                    raise CommandError(
                        "Sample data exists already; run with --replace to delete it first."
                    )
                self.progress(f"deleted {sample_delete()} sample partnerships")
            with self.writing():
                self.generate()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.progress("analyzed")
        self.progress("done")

    @contextmanager
    def writing(self):
        """Send the bulk writes through a thread on PostgreSQL (core.pipe): the database
        indexes one batch while the next is made. The ids are taken from the sequences on a
        connection of their own, which does not wait for the writes (take_ids)."""
        # The connection itself: the thread puts it in its own `connections`.
        self.database = connections[DEFAULT_DB_ALIAS]
        threaded = self.database.vendor == "postgresql"
        self.pipe = Pipe(self.database, threaded=threaded)
        self.sequences = connections.create_connection(DEFAULT_DB_ALIAS) if threaded else None
        try:
            yield
            self.pipe.wait()
        finally:
            self.pipe.close()
            if self.sequences is not None:
                self.sequences.close()

    def take_ids(self, model, instances):
        """Give the instances ids from their sequence; return None where the insert will
        (not PostgreSQL)."""
        return allocate_ids([(model, instances)], connection=self.sequences)

    def insert(self, statements, model, instances):
        """Add the insert of the instances to the statements; they have their ids after."""
        self.take_ids(model, instances)
        statements.insert_instances(model, instances)

    def generate(self):
        self.fields = self.cooperation_fields()
        self.records = SampleRecords(self.rng, self.fields)
        home = self.home_region()
        regions = self.create_regions()
        partnerships = self.create_partnerships(home, regions)
        home_people, partner_people = self.create_people()
        self.create_agreements(partnerships, home_people, partner_people)
        self.create_exchanges(partnerships)
        self.create_articles(partnerships, home)
        self.pipe.wait()
        partnership_refresh_all()
        content_changed()  # bulk writes send no signals
        self.progress("levels recomputed")

    def progress(self, message):
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f}s] {message}")

    def cooperation_fields(self):
        if not CooperationField.objects.exists():
            CooperationField.objects.bulk_create(
                CooperationField(slug=slug, **translations("name", name))
                for slug, name in demo_data.FIELDS
            )
        return list(CooperationField.objects.order_by("slug"))

    def home_region(self):
        home = Region.objects.home().first()
        if home is None:
            facts = demo_data.HOME_REGION
            home = Region.objects.create(
                slug=facts["slug"],
                country=facts["country"],
                is_home=True,
                **translations("name", facts["name"]),
            )
        return home

    # ---- Regions, partnerships, people

    def create_regions(self):
        names = region_names(self.rng)
        kinds = [k for k in REGION_KINDS for _ in range(k[2])]
        regions = []
        for index in range(self.sizes["regions"]):
            slug_part, name, suffix = next(names)
            kind, kind_name, _weight = self.rng.choice(kinds)
            full = T(
                f"{name.en} {kind_name.en}{suffix}",
                f"{name.ko}{kind_name.ko}{suffix}",
                f"{name.zh_hans}{kind_name.zh_hans}{suffix}",
            )
            regions.append(
                Region(
                    slug=f"{PREFIX}{index + 1:05d}-{slug_part}",
                    country=self.rng.choice(COUNTRIES),
                    kind=kind,
                    **translations("name", full),
                )
            )
        regions = Region.objects.bulk_create(regions, batch_size=BATCH_SIZE)
        self.progress(f"{len(regions)} regions")
        return regions

    def create_partnerships(self, home, regions):
        partnerships = Partnership.objects.bulk_create(
            (
                Partnership(
                    home_region=home,
                    partner_region=region,
                    slug=region.slug,
                    **translations(
                        "summary",
                        T(
                            f"Sample partnership with {region.name_en}.",
                            f"샘플 교류 관계: {region.name_ko}.",
                            f"示例合作关系：{region.name_zh_hans}。",
                        ),
                    ),
                )
                for region in regions
            ),
            batch_size=BATCH_SIZE,
        )
        self.progress(f"{len(partnerships)} partnerships")
        return partnerships

    def create_people(self):
        half = self.sizes["people"] // 2
        home = [korean_name(self.rng) for _ in range(self.sizes["people"] - half)]
        partner = [chinese_name(self.rng) for _ in range(half)]
        people = Person.objects.bulk_create(
            (Person(**translations("name", name)) for name in home + partner),
            batch_size=BATCH_SIZE,
        )
        self.progress(f"{len(people)} people")
        return people[: len(home)], people[len(home) :]

    # ---- Agreements

    def create_agreements(self, partnerships, home_people, partner_people):
        plan = self.records.agreement_plan(partnerships, self.sizes["agreements"])
        new_agreement = InstanceBuilder(Agreement, kind=Agreement.Kind.OTHER, title_en="-")
        new_participation = InstanceBuilder(Participation)
        done = 0
        for batch in batched(plan, BATCH_SIZE):
            made = [self.records.agreement(partnership, kind) for partnership, kind in batch]
            agreements = [new_agreement(**v) for v, _f in made]
            statements = Statements(self.database)
            self.insert(statements, Agreement, agreements)
            self.add_fields(
                statements, Agreement, "agreement_id", agreements, [f for _v, f in made]
            )
            participations = [
                new_participation(**values)
                for agreement, (partnership, _kind) in zip(agreements, batch, strict=True)
                for values in self.records.signatories(
                    agreement, partnership, home_people, partner_people
                )
            ]
            self.insert(statements, Participation, participations)
            self.pipe.put(statements.jobs)
            done += len(agreements)
            self.progress(f"{done}/{len(plan)} agreements")

    def add_fields(self, statements, model, column, rows, first_fields):
        """Give each row its first field and up to two more, in one bulk insert."""
        links = []
        for row, first in zip(rows, first_fields, strict=True):
            more = self.rng.sample(self.fields, self.rng.randint(0, 2))
            links.extend((row.pk, pk) for pk in sorted({first.pk} | {f.pk for f in more}))
        statements.insert_rows(model.fields.through, (column, "cooperationfield_id"), links)

    # ---- Exchanges

    def create_exchanges(self, partnerships):
        total, done = self.sizes["exchanges"], 0
        new_exchange = InstanceBuilder(Exchange, kind=Exchange.Kind.OTHER, title_en="-")
        for batch in batched(range(total), BATCH_SIZE):
            exchanges = [
                new_exchange(**self.records.exchange(self.rng.choice(partnerships))) for _ in batch
            ]
            statements = Statements(self.database)
            self.insert(statements, Exchange, exchanges)
            first_fields = [self.rng.choice(self.fields) for _ in exchanges]
            self.add_fields(statements, Exchange, "exchange_id", exchanges, first_fields)
            self.pipe.put(statements.jobs)
            done += len(exchanges)
            self.progress(f"{done}/{total} exchanges")

    # ---- News articles

    def create_articles(self, partnerships, home):
        total, done = self.sizes["articles"], 0
        news = SampleNews(self.rng, self.fields, partnerships, home)
        new_article = InstanceBuilder(Article, title_en="-")
        for batch in batched(range(total), BATCH_SIZE):
            plans = [news.plan(index) for index in batch]
            articles = [new_article(**news.values(plan)) for plan in plans]
            self.pipe.put(self.article_statements(articles, plans))
            done += len(articles)
            self.progress(f"{done}/{total} articles")

    def article_statements(self, articles, plans):
        """Return the statements that insert the articles and their links.

        Where the ids are known first (PostgreSQL), the links go in before their articles
        (the foreign keys are checked at the commit): the trigger of the articles' insert
        then makes each article's searched text once, with its partnerships' and regions'
        names, where each insert of links after it would make it again.
        """
        statements = Statements(self.database)
        links_first = self.take_ids(Article, articles) is not None
        if not links_first:
            statements.insert_instances(Article, articles)
        self.add_article_links(statements, articles, plans)
        if links_first:
            statements.insert_instances(Article, articles)
        return statements.jobs

    def add_article_links(self, statements, articles, plans):
        """Link each article to its partnerships, regions and fields, in bulk inserts."""
        for name, column in [
            ("partnerships", "partnership_id"),
            ("regions", "region_id"),
            ("fields", "cooperationfield_id"),
        ]:
            statements.insert_rows(
                getattr(Article, name).through,
                ("article_id", column),
                [
                    (article.pk, pk)
                    for article, plan in zip(articles, plans, strict=True)
                    for pk in plan[name]
                ],
            )
