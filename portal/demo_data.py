"""What is known about Gyeonggi's partnerships in China, as plain data (DESIGN.md, "Demo data").

Only stated facts go here: anything not known (populations, areas, coordinates, websites,
validity dates, source addresses) is left out so that it stays empty. Texts are `T(en, ko, zh)`;
`None` leaves that language empty, so a visitor sees the fallback rather than a guess.
`seed_demo` loads this; the natural keys are noted next to each list.
"""

import datetime
from typing import NamedTuple


class T(NamedTuple):
    """One text in English, Korean and simplified Chinese."""

    en: str
    ko: str | None = None
    zh_hans: str | None = None


def translations(field, text):
    """Return the keyword arguments that set every language of a translated field to `text`.

    By attribute name (`title_en`, `title_ko`, `title_zh_hans`); a language without text is "".
    """
    text = text or T("")
    return {f"{field}_{suffix}": value or "" for suffix, value in text._asdict().items()}


# Natural key: slug.
FIELDS = [
    ("economy-trade", T("Economy and trade", "경제·통상", "经济贸易")),
    ("science-technology", T("Science and technology", "과학기술", "科学技术")),
    ("education", T("Education", "교육", "教育")),
    ("environment", T("Environment", "환경", "环境")),
    ("healthcare", T("Healthcare", "보건의료", "医疗卫生")),
    ("agriculture", T("Agriculture", "농업", "农业")),
    ("tourism", T("Tourism", "관광", "旅游")),
    ("culture", T("Culture", "문화", "文化")),
    ("humanities", T("Humanities", "인문", "人文")),
    ("semiconductors", T("Semiconductors", "반도체", "半导体")),
    ("new-energy", T("New energy", "신에너지", "新能源")),
    ("auto-parts", T("Auto parts", "자동차 부품", "汽车零部件")),
]

# Natural key: slug.
HOME_REGION = {
    "slug": "gyeonggi",
    "name": T("Gyeonggi Province", "경기도", "京畿道"),
    "description": T(""),
    "country": "KR",
}

PARTNER_REGIONS = [
    {
        "slug": "jiangsu",
        "name": T("Jiangsu Province", "장쑤성", "江苏省"),
        "description": T(
            "China's second largest provincial economy.",
            "중국에서 두 번째로 경제 규모가 큰 성.",
            "中国第二大经济省份。",
        ),
    },
    {
        "slug": "guangdong",
        "name": T("Guangdong Province", "광둥성", "广东省"),
        "description": T(
            "China's largest provincial economy.",
            "중국에서 경제 규모가 가장 큰 성.",
            "中国第一大经济省份。",
        ),
    },
    {
        "slug": "shandong",
        "name": T("Shandong Province", "산둥성", "山东省"),
        "description": T(
            "China's third largest provincial economy.",
            "중국에서 세 번째로 경제 규모가 큰 성.",
            "中国第三大经济省份。",
        ),
    },
    {
        "slug": "liaoning",
        "name": T("Liaoning Province", "랴오닝성", "辽宁省"),
        "description": T(""),
    },
]

# Natural key: the English name.
PEOPLE = {
    "kim": T("Dong-yeon Kim", "김동연", "金东兖"),
    "xin": T("Xin Changxing", "신창싱", "信长星"),
    "hao": T("Hao Peng", "하오펑", "郝鹏"),
    "li": T("Li Lecheng", "리러청", "李乐成"),
    "fang": T("Fang Kun", "팡쿤", "方坤"),
    "park_jung": T("Park Jung", "박정", "朴正"),
    "park_seung_hee": T("Park Seung-hee", "박승희", "朴承熙"),
    "lee_soo_il": T("Lee Soo-il", "이수일", "李秀日"),
}

GOVERNOR_OF_GYEONGGI = T("Governor of Gyeonggi Province", "경기도지사", "京畿道知事")
DODAMSO = T(
    "Dodamso, the former gubernatorial residence of Gyeonggi Province",
    "도담소(옛 경기도지사 공관)",
    "Dodamso（京畿道原知事官邸）",
)

# Participations: (person key, role, side, title at the time). Natural key: agreement,
# person and role.
# The fields of the Jiangsu sisterhood agreement, and of the working group it agreed.
_JIANGSU_SISTERHOOD_FIELDS = [
    "economy-trade",
    "science-technology",
    "education",
    "environment",
    "healthcare",
    "agriculture",
    "tourism",
    "humanities",
]

_JIANGSU_SISTERHOOD_PARTICIPANTS = [
    ("kim", "signatory", "home", GOVERNOR_OF_GYEONGGI),
    (
        "xin",
        "signatory",
        "partner",
        T("Party Secretary of Jiangsu Province", "장쑤성 당서기", "江苏省委书记"),
    ),
    (
        "fang",
        "attendee",
        "third_party",
        T(
            "Minister, Embassy of the People's Republic of China in the Republic of Korea",
            "주한 중국대사관 공사",
            "中国驻韩国大使馆公使",
        ),
    ),
    (
        "park_jung",
        "attendee",
        "home",
        T("Korea-China Parliamentary Friendship Association", "한중의원연맹", "韩中议员联盟"),
    ),
    (
        "park_seung_hee",
        "attendee",
        "home",
        T(
            "President of Corporate Relations, Samsung Electronics",
            "삼성전자 대외협력(CR) 담당 사장",
            "三星电子企业关系总裁",
        ),
    ),
    (
        "lee_soo_il",
        "attendee",
        "home",
        T(
            "CEO and Vice Chairman, Hankook Tire & Technology",
            "한국타이어앤테크놀로지 대표이사 부회장",
            "韩泰轮胎首席执行官兼副会长",
        ),
    ),
]

LIAONING_PARTY_SECRETARY = T(
    "Party Secretary of Liaoning Province", "랴오닝성 당서기", "辽宁省委书记"
)

JIANGSU_SISTERHOOD_NOTE = (
    'Date: the province\'s announcement "From Friendship to Sisterhood" says the agreement was '
    "signed on May 19, but the province's English news release created 2024-06-19 gives "
    "19 June 2024, so 19 June 2024 is kept."
)

# Natural key of an agreement: partnership, kind and signing date.
# Natural key of a working group and of an exchange: partnership and English name or title.
PARTNERSHIPS = [
    {
        "slug": "jiangsu",
        "partner": "jiangsu",
        "summary": T(
            "Gyeonggi and Jiangsu first forged a friendly relationship in 2011, when Xin "
            "Changxing visited Korea, and signed a sisterhood agreement on 19 June 2024.",
            "경기도와 장쑤성은 2011년 신창싱의 방한을 계기로 처음 우호 관계를 맺었고, "
            "2024년 6월 19일 자매결연 협약을 체결했다.",
            "京畿道与江苏省于2011年信长星访问韩国时首次建立友好关系，"
            "并于2024年6月19日签署姐妹友好关系协议。",
        ),
        "agreements": [
            {
                "kind": "friendship",
                "signed_on": datetime.date(2011, 1, 1),
                "signed_on_precision": "year",
                "title": T(
                    "Friendly relationship between Gyeonggi Province and Jiangsu Province",
                    "경기도–장쑤성 우호 관계",
                    "京畿道与江苏省友好关系",
                ),
                "summary": T(
                    "First forged when Xin Changxing visited Korea.",
                    "신창싱의 방한을 계기로 처음 맺어졌다.",
                    "信长星访问韩国时首次建立。",
                ),
                "internal_notes": (
                    "Known only to the year, from the province's announcement of the 2024 "
                    'sisterhood ("first forged a friendly relationship in 2011").'
                ),
            },
            {
                "kind": "sisterhood",
                "signed_on": datetime.date(2024, 6, 19),
                "signed_on_precision": "day",
                "title": T(
                    "Sisterhood Agreement between Gyeonggi Province and Jiangsu Province",
                    "경기도–장쑤성 자매결연 협약",
                    "京畿道与江苏省姐妹友好关系协议",
                ),
                "summary": T(
                    "Signed by Governor Dong-yeon Kim and Party Secretary Xin Changxing, "
                    "raising the partnership from friendship to sisterhood. The two provinces "
                    "also agreed to set up a working group.",
                    "김동연 경기도지사와 신창싱 장쑤성 당서기가 서명하여 우호 관계를 자매결연으로 "
                    "격상했다. 양 지역은 실무 협의체 구성에도 합의했다.",
                    "由京畿道知事金东兖与江苏省委书记信长星签署，两地关系由友好关系提升为"
                    "姐妹友好关系。双方还同意成立工作组。",
                ),
                "venue": DODAMSO,
                "key_commitments": T(
                    "Offline exchanges and cooperation between Gyeonggi and Jiangsu, "
                    "including their cities and counties\n"
                    "Industrial partnership in semiconductors, new energy and auto parts\n"
                    "Tourism, culture and education exchanges focused on the younger generation",
                    "시·군을 포함한 경기도와 장쑤성 간 오프라인 교류·협력\n"
                    "반도체·신에너지·자동차 부품 분야 산업 협력\n"
                    "청년 세대를 중심으로 한 관광·문화·교육 교류",
                    "京畿道与江苏省（包括下辖市县）之间的线下交流与合作\n"
                    "半导体、新能源、汽车零部件领域的产业合作\n"
                    "以青年一代为重点的旅游、文化、教育交流",
                ),
                "fields": _JIANGSU_SISTERHOOD_FIELDS,
                "participants": _JIANGSU_SISTERHOOD_PARTICIPANTS,
                "internal_notes": JIANGSU_SISTERHOOD_NOTE,
            },
        ],
        "working_groups": [
            {
                "name": T(
                    "Gyeonggi–Jiangsu working group",
                    "경기도–장쑤성 실무 협의체",
                    "京畿道—江苏省工作组",
                ),
                "mandate": T(
                    "Agreed with the sisterhood agreement of 19 June 2024 to enhance the "
                    "cooperation between the two provinces systematically.",
                    "2024년 6월 19일 자매결연 협약과 함께 합의되었으며, 양 지역 간 협력을 "
                    "체계적으로 강화한다.",
                    "随2024年6月19日姐妹友好关系协议商定成立，旨在系统性地加强两省合作。",
                ),
                "status": "planned",
                "fields": _JIANGSU_SISTERHOOD_FIELDS,
            },
        ],
        # Since 2011; no dates are recorded. The last item of DESIGN.md ("university student
        # exchanges and business investment sustained through the COVID-19 pandemic") is split
        # in two so that each exchange has its own kind.
        "exchanges": [
            {
                "kind": "expert_dispatch",
                "direction": "outbound",
                "title": T(
                    "Dispatch of environmental industry representatives to Jiangsu",
                    "환경산업 대표단 장쑤성 파견",
                    "向江苏省派遣环保产业代表",
                ),
                "fields": ["environment"],
            },
            {
                "kind": "training",
                "direction": "inbound",
                "title": T(
                    "Training of Jiangsu medical professionals in Gyeonggi",
                    "장쑤성 의료인 경기도 연수",
                    "江苏省医疗专业人员赴京畿道研修",
                ),
                "fields": ["healthcare"],
            },
            {
                "kind": "other",
                "direction": "mutual",
                "title": T(
                    "Agricultural science and technology exchanges",
                    "농업 과학기술 교류",
                    "农业科技交流",
                ),
                "fields": ["agriculture", "science-technology"],
            },
            {
                "kind": "training",
                "direction": "mutual",
                "title": T(
                    "Reciprocal public official training delegations",
                    "공무원 연수단 상호 파견",
                    "互派公务员研修团",
                ),
                "fields": [],
            },
            {
                "kind": "student_exchange",
                "direction": "mutual",
                "title": T(
                    "University student exchanges sustained through the COVID-19 pandemic",
                    "코로나19 대유행 중에도 이어진 대학생 교류",
                    "新冠疫情期间持续开展的大学生交流",
                ),
                "fields": ["education"],
            },
            {
                "kind": "business",
                "direction": "mutual",
                "title": T(
                    "Business investment sustained through the COVID-19 pandemic",
                    "코로나19 대유행 중에도 이어진 기업 투자",
                    "新冠疫情期间持续的企业投资",
                ),
                "fields": ["economy-trade"],
            },
        ],
    },
    {
        "slug": "guangdong",
        "partner": "guangdong",
        "summary": T(
            "Gyeonggi and Guangdong, China's largest provincial economy, are sister regions.",
            "경기도와 중국 최대 경제 규모의 성인 광둥성은 자매결연 관계이다.",
            "京畿道与中国第一大经济省份广东省是姐妹友好省道。",
        ),
        "agreements": [
            {
                "kind": "sisterhood",
                "signed_on": None,
                "signed_on_precision": "day",
                "title": T(
                    "Sisterhood between Gyeonggi Province and Guangdong Province",
                    "경기도–광둥성 자매결연",
                    "京畿道与广东省姐妹友好关系",
                ),
            },
        ],
    },
    {
        "slug": "shandong",
        "partner": "shandong",
        "summary": T(
            "Gyeonggi and Shandong, China's third largest provincial economy, are sister regions.",
            "경기도와 중국 3위 경제 규모의 성인 산둥성은 자매결연 관계이다.",
            "京畿道与中国第三大经济省份山东省是姐妹友好省道。",
        ),
        "agreements": [
            {
                "kind": "sisterhood",
                "signed_on": None,
                "signed_on_precision": "day",
                "title": T(
                    "Sisterhood between Gyeonggi Province and Shandong Province",
                    "경기도–산둥성 자매결연",
                    "京畿道与山东省姐妹友好关系",
                ),
            },
        ],
    },
    {
        "slug": "liaoning",
        "partner": "liaoning",
        "summary": T(
            "Sister regions since October 1993: Liaoning was Gyeonggi's first sister region "
            "in China, the year after Korea and China established diplomatic relations. A joint "
            "declaration marked the 30th anniversary in 2023, and an expanded cooperation "
            "agreement followed in 2024.",
            "1993년 10월 자매결연을 맺었다. 랴오닝성은 한중 수교 이듬해 경기도가 중국에서 처음 "
            "맺은 자매 지역이다. 2023년 자매결연 30주년 공동선언문에 이어 2024년 확대 협력 "
            "협약을 체결했다.",
            "双方自1993年10月起为姐妹友好省道：辽宁省是京畿道在中国的第一个姐妹地区，"
            "缔结于中韩建交的次年。2023年双方签署结好30周年共同宣言，2024年又签署扩大合作协议。",
        ),
        "agreements": [
            {
                "kind": "sisterhood",
                "signed_on": datetime.date(1993, 10, 1),
                "signed_on_precision": "month",
                "title": T(
                    "Sisterhood between Gyeonggi Province and Liaoning Province",
                    "경기도–랴오닝성 자매결연",
                    "京畿道与辽宁省姐妹友好关系",
                ),
                "summary": T(
                    "Gyeonggi's first sister region in China, the year after Korea and China "
                    "established diplomatic relations.",
                    "한중 수교 이듬해 맺은 경기도의 첫 중국 자매 지역.",
                    "京畿道在中国的第一个姐妹地区，缔结于中韩建交的次年。",
                ),
            },
            {
                "kind": "joint_declaration",
                "signed_on": datetime.date(2023, 10, 31),
                "signed_on_precision": "day",
                "title": T(
                    "Joint declaration for the 30th anniversary of the sisterhood between "
                    "Gyeonggi Province and Liaoning Province",
                    "경기도–랴오닝성 자매결연 30주년 공동선언문",
                    "京畿道与辽宁省缔结姐妹友好关系30周年共同宣言",
                ),
                "summary": T(
                    "For cooperation in economy, tourism, culture and the future generation.",
                    "경제·관광·문화 및 미래 세대 분야 협력을 위한 선언.",
                    "旨在推动经济、旅游、文化及未来一代领域的合作。",
                ),
                "venue": T("Shenyang", "선양", "沈阳"),
                "fields": ["economy-trade", "tourism", "culture"],
                "participants": [
                    ("kim", "signatory", "home", GOVERNOR_OF_GYEONGGI),
                    ("hao", "signatory", "partner", LIAONING_PARTY_SECRETARY),
                    (
                        "li",
                        "attendee",
                        "partner",
                        T("Governor of Liaoning Province", "랴오닝성장", "辽宁省省长"),
                    ),
                ],
                "internal_notes": "Source: Korean press of 2023-11-01.",
            },
            {
                "kind": "expanded_cooperation",
                "signed_on": datetime.date(2024, 4, 24),
                "signed_on_precision": "day",
                "title": T(
                    "Expanded cooperation agreement between Gyeonggi Province and Liaoning "
                    "Province",
                    "경기도–랴오닝성 확대 협력 협약",
                    "京畿道与辽宁省扩大合作协议",
                ),
                "venue": DODAMSO,
                "participants": [
                    ("kim", "signatory", "home", GOVERNOR_OF_GYEONGGI),
                    ("hao", "signatory", "partner", LIAONING_PARTY_SECRETARY),
                ],
                "internal_notes": "Source: the province's English news release of 2024-04-24.",
            },
        ],
    },
]
