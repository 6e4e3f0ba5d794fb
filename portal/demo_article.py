"""The demo news article: the province's announcement of the Jiangsu sisterhood, as plain data.

The English body is the text of the announcement word for word (`ANNOUNCEMENT`, the
province's text as published; tests compare the two), set as Markdown so that it keeps its
structure: the quotation is a block quote and the three "▲" points are a list. It
says "May 19" as published; the agreement record keeps 19 June 2024 and its internal notes
say why, and a public change note under the article tells its readers the record's date.
There is no Chinese translation: the Chinese page shows the English with a notice.
`seed_demo` loads this; the natural key is the slug.
"""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from portal.demo_data import T

# The announcement as published: its title, the body, and the title again on the last line.
ANNOUNCEMENT = Path(__file__).with_name("demo_announcement.txt")
SLUG = "from-friendship-to-sisterhood-gyeonggi-jiangsu"

TITLE = T(
    "From Friendship to Sisterhood: Gyeonggi Province and Jiangsu Province",
    "우호에서 자매결연으로: 경기도와 장쑤성",
)

SUMMARY = T(
    "Gyeonggi Province has officially established a sisterhood relationship with Jiangsu "
    "Province! Gyeonggi Province and Jiangsu Province first forged a friendly relationship in "
    "2011 when Party Secretary Xin Changxing visited Korea.",
    "경기도가 장쑤성과 공식적으로 자매결연을 맺었습니다! 경기도와 장쑤성은 2011년 신창싱 "
    "당서기의 방한을 계기로 처음 우호 관계를 맺었습니다.",
)

BODY_EN = """\
Gyeonggi Province has officially established a sisterhood relationship with Jiangsu Province!

On May 19, Gyeonggi Province Governor Dong-yeon Kim and Jiangsu Party Secretary Xin Changxing \
met at Dodamso, the historic former gubernatorial residence of Gyeonggi Province. During this \
meeting, they signed the sisterhood agreement and explored avenues for future collaboration.

Let's delve into the details and see what this exciting partnership entails!

Gyeonggi Province and Jiangsu Province first forged a friendly relationship in 2011 when Party \
Secretary Xin Changxing visited Korea.

Since then, the two regions have collaborated in various ways, such as the dispatch of \
environmental industry representatives from Gyeonggi to Jiangsu, the hosting of Jiangsu medical \
professionals for training in Gyeonggi, and the facilitation of agricultural science and \
technology exchanges along with reciprocal public official training delegations.

During their recent meeting, Party Secretary Xin Changxing highlighted that despite the \
challenges posed by the COVID-19 pandemic, Jiangsu and Gyeonggi have sustained business \
investments as well as exchanges among university students and public officials. He emphasized,

> "The foundation for cooperation between our regions is strong, and the potential for further \
friendly relations is immense."

He outlined the following key areas for future cooperation:

- Enhancing offline exchanges and cooperation between Gyeonggi and Jiangsu, including their \
cities and counties.
- Strengthening industrial partnerships in sectors such as semiconductors, new energy, and auto \
parts to achieve mutual benefits.
- Promoting friendly exchanges in tourism, culture, and education, with a special focus on the \
younger generation.

Following their discussions, the two leaders signed the "Sisterhood Agreement between Gyeonggi \
Province and Jiangsu Province," officially solidifying their partnership.

Moving forward, the regions plan to expand their cooperation across various fields, including \
economy and trade, science and technology, education, environment, healthcare, agriculture, \
tourism, and humanities. They also agreed to set up a working group to systematically enhance \
these efforts.

The signing ceremony was attended by high-ranking officials, such as Fang Kun, Minister of the \
Chinese Embassy in Korea; Representative Park Jung from the Korea-China Parliamentary \
Friendship Association; Park Seung-hee, President of Samsung Electronics' Corporate Relations; \
and Lee Soo-il, CEO and Vice Chairman of Hankook Tire & Technology.

After the ceremony, Party Secretary Xin, his delegation, the Consul General of Shanghai, and \
various political and economic figures attended a dinner to celebrate and strengthen the \
cooperation between Gyeonggi and Jiangsu.

Since his meeting with He Lifeng, China's Vice Premier for Economic Affairs, last November, \
Governor Kim has been actively fostering meaningful cooperative relationships with China's \
central and local governments.

In April, he signed an expanded cooperation agreement with Hao Peng, the Party Secretary of \
Liaoning Province, marking significant progress in these efforts.

With this new agreement, Gyeonggi Province now has sisterhood relationships with Guangdong \
Province, China's largest economy; Jiangsu Province, the second largest; and Shandong Province, \
the third largest.

Looking ahead, Gyeonggi Province plans to expand new exchanges with key economic growth regions \
in China in the second half of this year, continuing its commitment to enhancing Korea-China \
relations.

We look forward to a future where Korea and China collaborate more closely and robustly beyond \
inter regional cooperation. Stay tuned for future updates!
"""

BODY_KO = """\
경기도가 장쑤성과 공식적으로 자매결연을 맺었습니다!

5월 19일, 김동연 경기도지사와 신창싱 장쑤성 당서기가 유서 깊은 옛 경기도지사 공관인 도담소에서 \
만났습니다. 이 자리에서 두 사람은 자매결연 협약을 체결하고 앞으로의 협력 방안을 모색했습니다.

이번 협력에 어떤 내용이 담겼는지 자세히 살펴보겠습니다!

경기도와 장쑤성은 2011년 신창싱 당서기의 방한을 계기로 처음 우호 관계를 맺었습니다.

이후 두 지역은 경기도 환경산업 관계자의 장쑤성 파견, 장쑤성 의료인 초청 연수, 농업 \
과학기술 교류, 공무원 연수단 상호 파견 등 다양한 방식으로 협력해 왔습니다.

이번 만남에서 신창싱 당서기는 코로나19 팬데믹이라는 어려움 속에서도 장쑤성과 경기도가 기업 \
투자는 물론 대학생과 공무원 간 교류를 꾸준히 이어 왔다고 짚었습니다. 그는 이렇게 강조했습니다.

> "우리 두 지역의 협력 기반은 탄탄하며, 우호 관계를 더욱 발전시킬 잠재력은 무궁무진합니다."

그는 앞으로 협력할 핵심 분야로 다음을 제시했습니다.

- 양 지역의 시·군을 포함한 경기도와 장쑤성 간 오프라인 교류와 협력 강화
- 반도체, 신에너지, 자동차 부품 등 산업 분야의 협력을 강화해 상호 이익 실현
- 청년 세대를 중심으로 한 관광·문화·교육 분야의 우호 교류 증진

논의를 마친 두 지도자는 '경기도–장쑤성 자매결연 협약'에 서명하며 양 지역의 관계를 공식적으로 \
굳건히 했습니다.

앞으로 두 지역은 경제·통상, 과학기술, 교육, 환경, 보건의료, 농업, 관광, 인문 등 다양한 분야로 \
협력을 넓혀 나갈 계획입니다. 또한 이러한 노력을 체계적으로 추진하기 위해 실무 협의체를 구성하기로 \
합의했습니다.

협약식에는 팡쿤 주한중국대사관 공사, 한중의원연맹 박정 의원, 박승희 삼성전자 사장(CR담당), 이수일 \
한국타이어앤테크놀로지 대표이사 부회장 등 주요 인사가 참석했습니다.

협약식이 끝난 뒤에는 신창싱 당서기와 대표단, 주상하이 총영사, 여러 정·재계 인사가 만찬에 참석해 \
경기도와 장쑤성의 협력을 축하하고 더욱 다졌습니다.

김동연 지사는 지난해 11월 허리펑 중국 국무원 부총리(경제 담당)와 만난 이후 중국 중앙정부 및 \
지방정부와 의미 있는 협력 관계를 적극적으로 다져 왔습니다.

지난 4월에는 하오펑 랴오닝성 당서기와 확대 협력 협약을 체결하며 이러한 노력에서 뜻깊은 진전을 \
이루었습니다.

이번 협약으로 경기도는 중국에서 경제 규모가 가장 큰 광둥성, 두 번째인 장쑤성, 세 번째인 산둥성과 \
모두 자매결연 관계를 맺게 되었습니다.

경기도는 앞으로도 한중 관계 증진에 힘쓰며, 올해 하반기에는 중국의 주요 경제성장 지역과 \
새로운 교류를 넓혀 나갈 계획입니다.

지역 간 협력을 넘어 한국과 중국이 더욱 긴밀하고 굳건하게 협력하는 미래를 기대합니다. \
앞으로의 소식도 기대해 주세요!
"""

BODY = T(BODY_EN, BODY_KO)

# "Updates to this page", in each language the article is written in. Dated the day of the
# province's English news release, which gives 19 June 2024.
CHANGE_NOTES = [
    {
        "date": datetime.date(2024, 6, 19),
        "text": T(
            "The sisterhood agreement was signed on 19 June 2024; the announcement gives the "
            "date as May 19.",
            "자매결연 협약은 2024년 6월 19일에 체결되었습니다. 보도문에는 날짜가 5월 19일로 "
            "적혀 있습니다.",
        ),
    },
]

ARTICLE = {
    "slug": SLUG,
    "title": TITLE,
    "summary": SUMMARY,
    "body": BODY,
    "original_language": "en",
    # The province's English news release is dated 19 June 2024, in Korean time.
    "publish_at": datetime.datetime(2024, 6, 19, 10, 0, tzinfo=ZoneInfo("Asia/Seoul")),
    "change_notes": CHANGE_NOTES,
    "partnerships": ["jiangsu"],
    "regions": ["gyeonggi", "jiangsu"],
    # Every field the text names: the exchanges since 2011, the three points and the plan.
    "fields": [
        "economy-trade",
        "science-technology",
        "education",
        "environment",
        "healthcare",
        "agriculture",
        "tourism",
        "culture",
        "humanities",
        "semiconductors",
        "new-energy",
        "auto-parts",
    ],
}
