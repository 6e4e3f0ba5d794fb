"""The texts generate_sample_data makes its records of, in English, Korean and Chinese.

Each T holds one text in the three languages: syllables and names, the kinds of regions,
agreements and exchanges with their shares, and the news articles' templates (portal.sample_news).
"""

import datetime

from core.partial_dates import Precision
from portal.demo_data import T
from relations.models import Agreement, Exchange, Region

# Every region, partnership and article made has a slug starting with it.
PREFIX = "sample-"


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


def region_names(rng):
    """Yield (slug part, name, suffix): distinct names, then numbered once they run out."""
    pairs = [(a, b) for a in SYLLABLES for b in SYLLABLES if a != b]
    rng.shuffle(pairs)
    round_ = 0
    while True:
        round_ += 1
        suffix = "" if round_ == 1 else f" {round_}"
        for a, b in pairs:
            name = T(f"{a.en.title()}{b.en}", f"{a.ko}{b.ko}", f"{a.zh_hans}{b.zh_hans}")
            yield f"{a.en}{b.en}", name, suffix


def _person_name(rng, surnames, given, english):
    """Return a name of a surname and two given syllables; in Korean and Chinese the surname
    comes first, in English as `english(surname, first, second)` writes it."""
    surname, first, second = rng.choice(surnames), rng.choice(given), rng.choice(given)
    return T(
        english(surname, first, second),
        f"{surname.ko}{first.ko}{second.ko}",
        f"{surname.zh_hans}{first.zh_hans}{second.zh_hans}",
    )


def korean_name(rng):
    return _person_name(
        rng, KOREAN_SURNAMES, KOREAN_GIVEN, lambda s, a, b: f"{a.en.title()}-{b.en} {s.en}"
    )


def chinese_name(rng):
    return _person_name(
        rng, CHINESE_SURNAMES, SYLLABLES, lambda s, a, b: f"{s.en} {a.en.title()}{b.en}"
    )
