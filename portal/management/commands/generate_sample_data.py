"""Fill the database with large, deterministic synthetic data for benchmarks.

At scale 1: 3,000 partner regions and partnerships, 3,000 people, 100,000 agreements (two
signatories and one to three fields each), 50,000 exchanges and 10,000 news articles (in
English, English and Korean, all three languages, or written in Korean with an English
translation; mostly published over the past years, some drafts, in review, archived or
scheduled). Everything it creates has a slug starting with `sample-` or hangs off such a
partnership, so it never clashes with the demo data and `--replace` can find it again. Rows
go in in bulk (core.bulk_write: COPY on PostgreSQL), which skips `save()` and signals, so dates are
normalized and article bodies rendered here, and the levels are recomputed at the end. On
PostgreSQL a thread sends each batch to the database while the next one is made (core.pipe),
and the tables are analyzed afterwards, so that the planner knows their new sizes before
autovacuum gets to them.
"""

import datetime
import html
import random
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.utils import timezone

from core.batching import batched
from core.bulk import InstanceBuilder
from core.bulk_write import allocate_ids
from core.cache import content_changed
from core.partial_dates import Precision, normalize
from core.pipe import Pipe, Statements
from news.models import Article
from news.rendering import render_markdown
from portal import demo_data
from portal.demo_data import T, translations
from relations import signals
from relations.models import (
    Agreement,
    CooperationField,
    Exchange,
    Level,
    Participation,
    Partnership,
    Person,
    Region,
    Side,
)
from relations.services import partnership_refresh_all

PREFIX = "sample-"
BATCH_SIZE = 2000
AT_SCALE_1 = {
    "regions": 3000,
    "people": 3000,
    "agreements": 100_000,
    "exchanges": 50_000,
    "articles": 10_000,
}


def table(text):
    """Read "pinyin 한글 汉字, ..." into a list of T(en, ko, zh_hans)."""
    return [T(*item.split()) for item in text.split(",")]


# Syllables for synthetic names: pinyin, Korean transcription, hanzi.
SYLLABLES = table(
    """an 안 安, bao 바오 宝, chang 창 长, dong 둥 东, feng 펑 丰, fu 푸 福, guang 광 光,
    hai 하이 海, he 허 河, hua 화 华, jian 젠 建, jin 진 金, kang 캉 康, lin 린 林, long 룽 龙,
    ming 밍 明, nan 난 南, ning 닝 宁, ping 핑 平, qing 칭 青, rui 루이 瑞, shan 산 山,
    shui 수이 水, tai 타이 泰, tian 톈 天, wen 원 文, xi 시 西, xin 신 新, xing 싱 兴, yang 양 阳,
    yong 융 永, yuan 위안 远, yun 윈 云, ze 쩌 泽, zhen 전 镇, zhong 중 中, zhou 저우 州,
    bei 베이 北, gao 가오 高, hong 훙 红"""
)
CHINESE_SURNAMES = table(
    """Wang 왕 王, Li 리 李, Zhang 장 张, Liu 류 刘, Chen 천 陈, Yang 양 杨, Zhao 자오 赵,
    Huang 황 黄, Zhou 저우 周, Wu 우 吴"""
)
KOREAN_SURNAMES = table(
    """Kim 김 金, Lee 이 李, Park 박 朴, Choi 최 崔, Jung 정 郑, Kang 강 姜, Cho 조 赵, Yoon 윤 尹,
    Jang 장 张, Lim 임 林"""
)
KOREAN_GIVEN = table(
    """min 민 敏, jun 준 俊, seo 서 瑞, ji 지 智, hyun 현 贤, woo 우 宇, yeon 연 妍, soo 수 秀,
    jin 진 珍, young 영 英, ho 호 浩, eun 은 恩, sung 성 成, hee 희 熙, dong 동 东, jae 재 在"""
)
REGION_KINDS = [
    (Region.Kind.CITY, T("City", "시", "市"), 5),
    (Region.Kind.COUNTY, T("County", "현", "县"), 2),
    (Region.Kind.DISTRICT, T("District", "구", "区"), 1),
    (Region.Kind.PREFECTURE, T("Prefecture", "부", "府"), 1),
    (Region.Kind.PROVINCE, T("Province", "성", "省"), 1),
]
COUNTRIES = ["CN"] * 8 + ["JP", "VN", "MN", "US", "DE", "FR", "IN", "ID", "TH", "AU", "BR"]
AGREEMENT_KINDS = {
    Agreement.Kind.LETTER_OF_INTENT: (T("Letter of intent", "의향서", "意向书"), 10),
    Agreement.Kind.MOU: (T("Memorandum of understanding", "업무협약", "谅解备忘录"), 30),
    Agreement.Kind.COOPERATION: (T("Cooperation agreement", "협력 협약", "合作协议"), 30),
    Agreement.Kind.EXPANDED_COOPERATION: (
        T("Expanded cooperation agreement", "확대 협력 협약", "扩大合作协议"),
        10,
    ),
    Agreement.Kind.FRIENDSHIP: (T("Friendship agreement", "우호 협약", "友好协议"), 0),
    Agreement.Kind.SISTERHOOD: (T("Sisterhood agreement", "자매결연 협약", "姐妹友好协议"), 0),
    Agreement.Kind.RENEWAL: (T("Renewal", "갱신 협약", "续签协议"), 8),
    Agreement.Kind.JOINT_DECLARATION: (T("Joint declaration", "공동선언문", "共同宣言"), 8),
    Agreement.Kind.OTHER: (T("Agreement", "협약", "协议"), 4),
}
# Kinds that do not raise the level past cooperation, with their weights.
ORDINARY_KINDS = [kind for kind, (_label, weight) in AGREEMENT_KINDS.items() if weight]
ORDINARY_WEIGHTS = [AGREEMENT_KINDS[kind][1] for kind in ORDINARY_KINDS]
STATUSES = [
    (Agreement.Status.IN_FORCE, 80),
    (Agreement.Status.EXPIRED, 10),
    (Agreement.Status.SUPERSEDED, 7),
    (Agreement.Status.TERMINATED, 3),
]
EXCHANGE_KINDS = {
    Exchange.Kind.DELEGATION_VISIT: T("Delegation visit", "대표단 방문", "代表团访问"),
    Exchange.Kind.TRAINING: T("Training programme", "연수 프로그램", "研修项目"),
    Exchange.Kind.EXPERT_DISPATCH: T("Expert dispatch", "전문가 파견", "专家派遣"),
    Exchange.Kind.BUSINESS: T("Business and investment mission", "경제·투자 교류", "经贸投资交流"),
    Exchange.Kind.STUDENT_EXCHANGE: T("Student exchange", "학생 교류", "学生交流"),
    Exchange.Kind.CULTURE_SPORTS: T("Cultural and sports event", "문화·체육 행사", "文体活动"),
    Exchange.Kind.OTHER: T("Exchange", "교류", "交流"),
}
HOME_TITLES = [
    T("Governor of Gyeonggi Province", "경기도지사", "京畿道知事"),
    T("Vice Governor of Gyeonggi Province", "경기도 부지사", "京畿道副知事"),
    T("Director-General for International Affairs", "국제협력국장", "国际合作局局长"),
]
PRECISIONS = [Precision.DAY] * 7 + [Precision.MONTH] * 2 + [Precision.YEAR]
FIRST_DAY = datetime.date(1992, 8, 24)  # Korea and China establish diplomatic relations.
LAST_DAY = datetime.date(2025, 12, 31)

# ---- News articles
# Texts of sample articles, with REGION and FIELD standing for a partner region and a field.
# Bodies are rendered once per template with the placeholders in them, and the names are put
# into the Markdown and the HTML afterwards (names are plain words, so both stay in step).
NEWS_TITLES = [
    T(
        "Gyeonggi and REGION hold a forum on FIELD",
        "경기도·REGION, FIELD 포럼 개최",
        "京畿道与REGION举办FIELD论坛",
    ),
    T(
        "A delegation from REGION visits Gyeonggi to talk about FIELD",
        "REGION 대표단, FIELD 협력 논의차 경기도 방문",
        "REGION代表团访问京畿道商讨FIELD合作",
    ),
    T(
        "Gyeonggi and REGION sign a memorandum on FIELD",
        "경기도·REGION, FIELD 분야 업무협약 체결",
        "京畿道与REGION签署FIELD领域谅解备忘录",
    ),
    T(
        "Young people of Gyeonggi and REGION meet for an exchange on FIELD",
        "경기도·REGION 청년들, FIELD 교류로 만나",
        "京畿道与REGION青年开展FIELD交流",
    ),
]
NEWS_SUMMARY = T(
    "Gyeonggi Province and REGION agreed to deepen their cooperation on FIELD.",
    "경기도와 REGION 양측은 FIELD 분야 협력을 강화하기로 했습니다.",
    "京畿道与REGION同意深化FIELD领域合作。",
)
NEWS_BODIES = [
    T(
        "Officials of Gyeonggi Province and REGION met this week to review their cooperation "
        "on FIELD.\n\n"
        '> "Our partnership grows stronger with every exchange."\n\n'
        "The two sides agreed to:\n\n"
        "- meet again within the year;\n- exchange experts on FIELD;\n"
        "- report the results to the public.\n",
        "경기도와 REGION 관계자들이 이번 주 만나 FIELD 분야 협력 현황을 점검했습니다.\n\n"
        '> "교류를 거듭할수록 두 지역의 협력은 더욱 튼튼해집니다."\n\n'
        "양측은 다음과 같이 합의했습니다.\n\n"
        "- 연내 다시 만남\n- FIELD 분야 전문가 교류\n- 결과를 시민에게 공개\n",
        "京畿道与REGION官员本周会面，回顾双方在FIELD领域的合作。\n\n"
        "> “每一次交流都让我们的伙伴关系更加牢固。”\n\n"
        "双方商定：\n\n"
        "- 年内再次会面；\n- 开展FIELD领域专家交流；\n- 向公众通报成果。\n",
    ),
    T(
        "**REGION** and Gyeonggi Province held their annual meeting on FIELD.\n\n"
        "Participants shared their experience and discussed new joint projects for next year. "
        "The next meeting will take place in Gyeonggi.\n",
        "경기도와 **REGION** 양측이 FIELD 분야 연례 회의를 열었습니다.\n\n"
        "참석자들은 경험을 공유하고 내년 공동 사업을 논의했습니다. 다음 회의는 경기도에서 "
        "열립니다.\n",
        "**REGION**与京畿道举行FIELD领域年度会议。\n\n"
        "与会者交流了经验，并讨论了明年的新合作项目。下次会议将在京畿道举行。\n",
    ),
]
# (original language, languages written), weight.
NEWS_LANGUAGES = [
    (("en", ("en",)), 35),
    (("en", ("en", "ko")), 30),
    (("en", ("en", "ko", "zh_hans")), 20),
    (("ko", ("ko", "en")), 15),
]
NEWS_STATES = [("published", 84), ("scheduled", 4), ("draft", 5), ("review", 4), ("archived", 3)]
NEWS_YEARS = 12  # published articles spread over the past twelve years
LANGUAGE_SUFFIXES = T._fields  # en, ko, zh_hans: as in the translation fields' names


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

    def generate(self):
        self.fields = self.cooperation_fields()
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

    def region_names(self):
        """Yield (slug part, name, suffix): distinct names, then numbered once they run out."""
        pairs = [(a, b) for a in SYLLABLES for b in SYLLABLES if a != b]
        self.rng.shuffle(pairs)
        round_ = 0
        while True:
            round_ += 1
            suffix = "" if round_ == 1 else f" {round_}"
            for a, b in pairs:
                name = T(f"{a.en.title()}{b.en}", f"{a.ko}{b.ko}", f"{a.zh_hans}{b.zh_hans}")
                yield f"{a.en}{b.en}", name, suffix

    def create_regions(self):
        names = self.region_names()
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
        home = [self.korean_name() for _ in range(self.sizes["people"] - half)]
        partner = [self.chinese_name() for _ in range(half)]
        people = Person.objects.bulk_create(
            (Person(**translations("name", name)) for name in home + partner),
            batch_size=BATCH_SIZE,
        )
        self.progress(f"{len(people)} people")
        return people[: len(home)], people[len(home) :]

    def korean_name(self):
        surname, a, b = (
            self.rng.choice(KOREAN_SURNAMES),
            self.rng.choice(KOREAN_GIVEN),
            self.rng.choice(KOREAN_GIVEN),
        )
        return T(
            f"{a.en.title()}-{b.en} {surname.en}",
            f"{surname.ko}{a.ko}{b.ko}",
            f"{surname.zh_hans}{a.zh_hans}{b.zh_hans}",
        )

    def chinese_name(self):
        surname, a, b = (
            self.rng.choice(CHINESE_SURNAMES),
            self.rng.choice(SYLLABLES),
            self.rng.choice(SYLLABLES),
        )
        return T(
            f"{surname.en} {a.en.title()}{b.en}",
            f"{surname.ko}{a.ko}{b.ko}",
            f"{surname.zh_hans}{a.zh_hans}{b.zh_hans}",
        )

    # ---- Agreements

    def agreement_plan(self, partnerships):
        """Return (partnership, kind) for every agreement to create.

        Each partnership aims at a level: half stay at cooperation, 30% reach friendship, 20%
        sisterhood (after a friendship agreement). Every partnership gets at least one
        agreement; the rest are ordinary kinds spread at random.
        """
        plan = []
        for partnership in partnerships:
            target = self.rng.choices(list(Level), weights=[50, 30, 20])[0]
            if target == Level.COOPERATION:
                plan.append((partnership, self.ordinary_kind()))
            else:
                plan.append((partnership, Agreement.Kind.FRIENDSHIP))
            if target == Level.SISTERHOOD:
                plan.append((partnership, Agreement.Kind.SISTERHOOD))
        for _ in range(self.sizes["agreements"] - len(plan)):
            plan.append((self.rng.choice(partnerships), self.ordinary_kind()))
        return plan

    def ordinary_kind(self):
        return self.rng.choices(ORDINARY_KINDS, weights=ORDINARY_WEIGHTS)[0]

    def partial_date(self, unknown_share=0.03):
        if self.rng.random() < unknown_share:
            return None, Precision.DAY
        day = FIRST_DAY + datetime.timedelta(
            days=self.rng.randrange((LAST_DAY - FIRST_DAY).days + 1)
        )
        precision = self.rng.choice(PRECISIONS)
        return normalize(day, precision), precision

    def agreement(self, partnership, kind):
        """Return the column values of one agreement, and its first field."""
        signed_on, precision = self.partial_date()
        field = self.rng.choice(self.fields)
        label, region = AGREEMENT_KINDS[kind][0], partnership.partner_region
        status = Agreement.Status.IN_FORCE
        if kind not in (Agreement.Kind.FRIENDSHIP, Agreement.Kind.SISTERHOOD):
            status = self.rng.choices(*zip(*STATUSES, strict=True))[0]
        valid_until = None
        if signed_on and (status == Agreement.Status.EXPIRED or self.rng.random() < 0.3):
            valid_until = signed_on + datetime.timedelta(days=365 * self.rng.randint(2, 10))
        approved = None
        if kind == Agreement.Kind.SISTERHOOD and signed_on and precision == Precision.DAY:
            approved = signed_on - datetime.timedelta(days=self.rng.randint(10, 90))
        title = T(
            f"{label.en} on {field.name_en.lower()} with {region.name_en}",
            f"{region.name_ko} {field.name_ko} 분야 {label.ko}",
            f"与{region.name_zh_hans}{field.name_zh_hans}领域{label.zh_hans}",
        )
        values = {
            "partnership_id": partnership.pk,
            "kind": kind,
            "signed_on": signed_on,
            "signed_on_precision": precision,
            "status": status,
            "valid_until": valid_until,
            "council_approved_on": approved,
            **translations("title", title),
        }
        return values, field

    def create_agreements(self, partnerships, home_people, partner_people):
        plan = self.agreement_plan(partnerships)
        new_agreement = InstanceBuilder(Agreement, kind=Agreement.Kind.OTHER, title_en="-")
        new_participation = InstanceBuilder(Participation)
        done = 0
        for batch in batched(plan, BATCH_SIZE):
            made = [self.agreement(partnership, kind) for partnership, kind in batch]
            agreements = [new_agreement(**v) for v, _f in made]
            statements = Statements(self.database)
            self.take_ids(Agreement, agreements)
            statements.insert_instances(Agreement, agreements)
            self.add_fields(
                statements, Agreement, "agreement_id", agreements, [f for _v, f in made]
            )
            participations = [
                new_participation(**values)
                for agreement, (partnership, _kind) in zip(agreements, batch, strict=True)
                for values in self.signatories(agreement, partnership, home_people, partner_people)
            ]
            self.take_ids(Participation, participations)
            statements.insert_instances(Participation, participations)
            self.pipe.put(statements.jobs)
            done += len(agreements)
            self.progress(f"{done}/{len(plan)} agreements")

    def signatories(self, agreement, partnership, home_people, partner_people):
        region = partnership.partner_region
        home_title = self.rng.choice(HOME_TITLES)
        partner_title = T(
            f"Head of {region.name_en}", f"{region.name_ko} 대표", f"{region.name_zh_hans}代表"
        )
        for order, (people, side, title) in enumerate(
            [(home_people, Side.HOME, home_title), (partner_people, Side.PARTNER, partner_title)]
        ):
            yield {
                "agreement_id": agreement.pk,
                "person_id": self.rng.choice(people).pk,
                "role": Participation.Role.SIGNATORY,
                "side": side,
                "order": order,
                **translations("title", title),
            }

    def add_fields(self, statements, model, column, rows, first_fields):
        """Give each row its first field and up to two more, in one bulk insert."""
        links = []
        for row, first in zip(rows, first_fields, strict=True):
            more = self.rng.sample(self.fields, self.rng.randint(0, 2))
            links.extend((row.pk, pk) for pk in sorted({first.pk} | {f.pk for f in more}))
        statements.insert_rows(model.fields.through, (column, "cooperationfield_id"), links)

    # ---- Exchanges

    def exchange(self, partnership):
        kind = self.rng.choice(list(EXCHANGE_KINDS))
        label, region = EXCHANGE_KINDS[kind], partnership.partner_region
        starts_on, precision = self.partial_date(unknown_share=0.1)
        ends_on = None
        if starts_on and precision == Precision.DAY and self.rng.random() < 0.6:
            ends_on = starts_on + datetime.timedelta(days=self.rng.randint(0, 14))
        title = T(
            f"{label.en} with {region.name_en}",
            f"{region.name_ko} {label.ko}",
            f"与{region.name_zh_hans}{label.zh_hans}",
        )
        return {
            "partnership_id": partnership.pk,
            "kind": kind,
            "direction": self.rng.choice(Exchange.Direction.values),
            "starts_on": starts_on,
            "starts_on_precision": precision,
            "ends_on": ends_on,
            "ends_on_precision": Precision.DAY,
            "participants": self.rng.choice([None, self.rng.randint(2, 200)]),
            **translations("title", title),
        }

    def create_exchanges(self, partnerships):
        total, done = self.sizes["exchanges"], 0
        new_exchange = InstanceBuilder(Exchange, kind=Exchange.Kind.OTHER, title_en="-")
        for batch in batched(range(total), BATCH_SIZE):
            exchanges = [
                new_exchange(**self.exchange(self.rng.choice(partnerships))) for _ in batch
            ]
            statements = Statements(self.database)
            self.take_ids(Exchange, exchanges)
            statements.insert_instances(Exchange, exchanges)
            first_fields = [self.rng.choice(self.fields) for _ in exchanges]
            self.add_fields(statements, Exchange, "exchange_id", exchanges, first_fields)
            self.pipe.put(statements.jobs)
            done += len(exchanges)
            self.progress(f"{done}/{total} exchanges")

    # ---- News articles

    def create_articles(self, partnerships, home):
        total, done = self.sizes["articles"], 0
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.news_languages = self.deck(NEWS_LANGUAGES)
        self.news_states = self.deck(NEWS_STATES)
        self.news_html = [
            {code: render_markdown(getattr(body, code)) for code in LANGUAGE_SUFFIXES}
            for body in NEWS_BODIES
        ]
        new_article = InstanceBuilder(Article, title_en="-")
        for batch in batched(range(total), BATCH_SIZE):
            plans = [self.article_plan(index, partnerships, home) for index in batch]
            articles = [new_article(**self.article(plan)) for plan in plans]
            self.pipe.put(self.article_statements(articles, plans))
            done += len(articles)
            self.progress(f"{done}/{total} articles")

    def deck(self, weighted):
        """Return a shuffled hundred choices in the given shares (the weights add up to 100).

        Article i takes choice i % 100, so every hundred articles have exactly these shares,
        and a small scale still has every kind.
        """
        deck = [choice for choice, weight in weighted for _ in range(weight)]
        self.rng.shuffle(deck)
        return deck

    def article_plan(self, index, partnerships, home):
        """Choose what an article is about, in which languages, and its state."""
        chosen = [self.rng.choice(partnerships)]
        if self.rng.random() < 0.1:
            chosen.append(self.rng.choice(partnerships))
        regions = {p.partner_region_id for p in chosen}
        if self.rng.random() < 0.5:
            regions.add(home.pk)
        fields = self.rng.sample(self.fields, self.rng.randint(1, 3))
        original, languages = self.news_languages[index % 100]
        return {
            "index": index,
            "partnerships": sorted({p.pk for p in chosen}),
            "regions": sorted(regions),
            "fields": sorted(f.pk for f in fields),
            "region": chosen[0].partner_region,
            "field": fields[0],
            "title": self.rng.choice(NEWS_TITLES),
            "body": self.rng.randrange(len(NEWS_BODIES)),
            "original": original,
            "languages": languages,
            "state": self.news_states[index % 100],
        }

    def article(self, plan):
        """Return the column values of one article."""
        original, languages = plan["original"], plan["languages"]
        # Some translations predate the latest change to the original.
        revision = 2 if len(languages) > 1 and self.rng.random() < 0.05 else 1
        values = {
            "slug": f"{PREFIX}news-{plan['index'] + 1:05d}",
            "original_language": original,
            "original_revision": revision,
            **self.article_dates(plan["state"]),
        }
        for code in LANGUAGE_SUFFIXES:
            # A language not written has no text and an empty rendering, as after save().
            values |= (
                self.article_texts(plan, code) if code in languages else {f"body_html_{code}": ""}
            )
            values[f"revision_{code}"] = (
                None if code not in languages else revision if code == original else 1
            )
        return values

    def article_texts(self, plan, code):
        """Return the title, summary and body of an article in one language."""
        names = {
            "REGION": getattr(plan["region"], f"name_{code}"),
            "FIELD": getattr(plan["field"], f"name_{code}").lower(),
        }
        return {
            f"title_{code}": fill(getattr(plan["title"], code), names),
            f"summary_{code}": fill(getattr(NEWS_SUMMARY, code), names),
            f"body_{code}": fill(getattr(NEWS_BODIES[plan["body"]], code), names),
            f"body_html_{code}": fill(self.news_html[plan["body"]][code], names, escape=True),
        }

    def article_dates(self, state):
        """Return the status and publish time of an article in a given state."""
        seconds = self.rng.randrange(3600, NEWS_YEARS * 365 * 86400)
        past = self.now - datetime.timedelta(seconds=seconds)
        future = self.now + datetime.timedelta(hours=self.rng.randrange(1, 180 * 24))
        status, publish_at = {
            "published": (Article.Status.PUBLISHED, past),
            "scheduled": (Article.Status.PUBLISHED, future),
            "draft": (Article.Status.DRAFT, None),
            "review": (Article.Status.REVIEW, self.rng.choice([None, future])),
            "archived": (Article.Status.ARCHIVED, past),
        }[state]
        return {"status": status, "publish_at": publish_at}

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


def fill(template, names, escape=False):
    """Put the names into a text template (HTML-escaped into rendered HTML)."""
    for placeholder, name in names.items():
        template = template.replace(placeholder, html.escape(name) if escape else name)
    return template
