"""Records in English, Korean and Chinese for the search tests, and a plain Python search."""

import datetime

from django.db.models import Manager
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from core.i18n import LANGUAGE_CODES
from news.models import Article
from portal.search import normalize_query, search
from relations.models import Agreement, Partnership, Region
from tests.factories import AgreementFactory, ArticleFactory, PartnershipFactory, RegionFactory

SECRET = "Quokkasecret"  # only ever in internal notes
# What the public may find, written out here rather than taken from portal.search.
FIELDS = {
    # An article is found by the names of the partnerships and regions it is linked to; a
    # partnership's name is its partner region's.
    "news": ("title", "summary", "body", "partnerships__partner_region__name", "regions__name"),
    "partnerships": ("summary", "partner_region__name"),
    "regions": ("name", "description"),
    "agreements": ("title", "summary", "venue"),
}


def jiangsu_records(n=0):
    """Create Jiangsu, Jiangxi and Guangdong with partnerships, agreements and articles.

    `n` tells copies apart: call it again with another number for more of the same data.
    """
    jiangsu = RegionFactory(
        slug=f"jiangsu-{n}",
        name_en="Jiangsu Province",
        name_ko="장쑤성",
        name_zh_hans="江苏省",
        description_en="China's second largest provincial economy, on the Yangtze (JIANGSU).",
        description_ko="중국 제2의 성급 경제권, 장쑤.",
        description_zh_hans="中国第二大省级经济体。",
    )
    jiangxi = RegionFactory(
        slug=f"jiangxi-{n}",
        name_en="Jiangxi",
        name_ko="장시성",
        name_zh_hans="江西省",
        description_en="A snake_case_name and 100% of the text.",
    )
    guangdong = RegionFactory(
        slug=f"guangdong-{n}",
        name_en="Guangdong Province",
        name_ko="광둥성",
        name_zh_hans="广东省",
        description_ko="중국 최대의 성급 경제권.",
    )
    partnership = PartnershipFactory(
        partner_region=jiangsu,
        summary_en="Friendship since 2011, sisterhood since 2024: jiangsu and Gyeonggi.",
        summary_ko="2011년 우호 관계, 2024년 자매결연.",
    )
    PartnershipFactory(partner_region=jiangxi, summary_zh_hans="江西与京畿道的合作。")
    guangdong_partnership = PartnershipFactory(partner_region=guangdong, summary_en="Sisterhood.")
    AgreementFactory(
        partnership=partnership,
        kind=Agreement.Kind.SISTERHOOD,
        title_en="Sisterhood Agreement between Gyeonggi Province and Jiangsu Province",
        title_ko="경기도-장쑤성 자매결연 협정",
        title_zh_hans="京畿道与江苏省缔结姐妹关系协议",
        summary_en="Offline exchanges, semiconductors and new energy.",
        venue_en="Dodamso, Suwon",
        venue_ko="도담소",
        internal_notes=f"{SECRET}: the announcement says May 19; 장쑤 江苏 Jiangsu.",
    )
    AgreementFactory(
        partnership=partnership,
        title_en="Memorandum on 100% renewable energy",
        summary_zh_hans="关于江苏新能源的谅解备忘录。",
    )
    AgreementFactory(partnership=guangdong_partnership, title_en="Guangdong trade_mou")
    _articles(n, partnership, regions=[guangdong, jiangxi])
    return jiangsu


def _articles(n, partnership, regions):
    now = timezone.now()
    ArticleFactory(
        slug=f"sisterhood-{n}",
        title_en="From Friendship to Sisterhood: Gyeonggi Province and Jiangsu Province",
        title_ko="우호에서 자매로: 경기도와 장쑤성",
        summary_ko="경기도와 장쑤성이 자매결연을 맺었다.",
        body_en="Gyeonggi and **Jiangsu** signed at Dodamso.",
        partnerships=[partnership],
    )
    ArticleFactory(
        slug=f"chinese-{n}",
        title_en="Delegation",
        title_zh_hans="江苏代表团访问京畿道",
        body_zh_hans="江苏省代表团。",
        regions=regions,
    )
    hidden = {
        "draft": {"status": Article.Status.DRAFT, "publish_at": None},
        "review": {"status": Article.Status.REVIEW},
        "archived": {"status": Article.Status.ARCHIVED},
        "scheduled": {"publish_at": now + datetime.timedelta(days=1)},
    }
    for name, fields in hidden.items():
        ArticleFactory(
            slug=f"{name}-{n}",
            title_en=f"Hidden {name} article on Jiangsu",
            title_ko="장쑤성 비공개 기사",
            title_zh_hans="江苏省未公开文章",
            summary_en="% _ Dodamso",
            partnerships=[partnership],
            regions=regions,
            **fields,
        )


def _text(record, field):
    """Return the record's text of a field in every language, following `__` relations, of
    every record linked where a relation is many-to-many."""
    step, _sep, rest = field.partition("__")
    if not rest:
        texts = [
            getattr(record, build_localized_fieldname(field, code)) for code in LANGUAGE_CODES
        ]
        return [text or "" for text in texts]
    related = getattr(record, step)
    linked = related.all() if isinstance(related, Manager) else [related]
    return [text for other in linked for text in _text(other, rest)]


def _ascii_casefold(text):
    return "".join(char.lower() if char.isascii() else char for char in text)


def _contains(record, fields, query):
    needle = _ascii_casefold(query)
    return any(
        needle in _ascii_casefold(text) for field in fields for text in _text(record, field)
    )


def python_search(raw_query):
    """Return the pks of each kind whose text contains the query: the plain Python answer."""
    query = normalize_query(raw_query)
    records = {
        "news": Article.objects.public().prefetch_related(
            "partnerships__partner_region", "regions"
        ),
        "partnerships": Partnership.objects.with_regions(),
        "regions": Region.objects.all(),
        "agreements": Agreement.objects.all(),
    }
    return {
        kind: {record.pk for record in records[kind] if _contains(record, FIELDS[kind], query)}
        for kind in FIELDS
    }


def search_hits(raw_query):
    """Return the pks of each kind the site search finds: every hit, not only the first ten."""
    results = search(query=normalize_query(raw_query), language="en", limit_per_kind=1000)
    return {group.kind: {record.pk for record in group.items} for group in results.groups}
