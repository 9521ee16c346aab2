"""What the companion remembers about a person: facts, their structure, and finding them again.

Longer than most modules: most of it is the Korean and English word lists and patterns that
read a fact's person, attribute and value, and whether a line tells something lasting;
finding a fact again by its words (`matches`, `about`) uses the same lists and stems.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from earpiece.nlu.featurizer import normalize
from earpiece.nlu.lang import has_korean, written_in

# fmt: skip (at its end): a word list read as a table, several words a line.
RELATIONS: dict[str, tuple[str, ...]] = {
    "mother": ("엄마", "어머니", "어머님", "엄니", "모친", "mom", "mother", "mum", "mommy",
               "mama", "momma", "ma", "umma", "omma", "eomma", "eomeoni"),
    "father": ("아빠", "아버지", "아버님", "부친", "dad", "father", "daddy", "papa", "pa", "pop",
               "appa", "abeoji"),
    "sister": ("언니", "누나", "여동생", "누이", "큰언니", "작은언니", "큰누나", "sister", "sis",
               "unni", "eonni", "noona", "nuna"),
    "brother": ("형", "오빠", "남동생", "큰형", "작은형", "큰오빠", "brother", "bro", "oppa",
                "hyung", "hyeong"),
    "sibling": ("동생", "sibling", "siblings"),
    "daughter": ("딸", "딸내미", "큰딸", "작은딸", "막내딸", "첫째딸", "둘째딸", "daughter"),
    "son": ("아들", "큰아들", "작은아들", "막내아들", "첫째아들", "둘째아들", "son", "boy"),
    "child": ("자식", "자녀", "애들", "아이들", "child", "children", "kid", "kids"),
    "grandchild": ("손자", "손녀", "손주", "외손자", "외손녀", "손녀딸", "grandson",
                   "granddaughter", "grandchild", "grandkid", "grandchildren", "grandkids"),
    "grandmother": ("할머니", "외할머니", "친할머니", "grandma", "grandmother", "granny", "nana",
                    "grandmom", "halmeoni", "halmoni", "halmuni"),
    "grandfather": ("할아버지", "외할아버지", "친할아버지", "grandpa", "grandfather", "granddad",
                    "grandad", "harabeoji", "halabeoji", "harabuji"),
    "husband": ("남편", "husband", "hubby", "영감"),
    "wife": ("아내", "와이프", "부인", "wife", "집사람", "안사람", "마누라"),
    "partner": ("애인", "남자친구", "여자친구", "남친", "여친", "partner", "boyfriend",
                "girlfriend"),
    "fiance": ("약혼자", "약혼녀", "예비신랑", "예비신부", "fiance", "fiancé", "fiancee",
               "fiancée"),
    "son-in-law": ("사위", "son-in-law"),
    "daughter-in-law": ("며느리", "daughter-in-law"),
    "mother-in-law": ("시어머니", "장모", "장모님", "mother-in-law"),
    "father-in-law": ("시아버지", "장인", "장인어른", "father-in-law"),
    "ex": ("전남친", "전여친", "전남자친구", "전여자친구", "전애인", "전남편", "전처", "ex",
           "ex-boyfriend", "ex-girlfriend", "ex-husband", "ex-wife", "exboyfriend",
           "exgirlfriend"),
    "roommate": ("룸메", "룸메이트", "roommate", "roomie", "flatmate", "housemate"),
    "coworker": ("동료", "직장동료", "coworker", "co-worker", "colleague"),
    "neighbor": ("이웃", "옆집", "아랫집", "윗집", "앞집", "neighbor", "neighbour"),
    "friend": ("친구", "절친", "베프", "friend", "buddy", "bestie", "bff", "pal"),
    "classmate": ("동기", "동창", "classmate", "schoolmate"),
    "cat": ("고양이", "냥이", "코숏", "페르시안", "샴고양이", "러시안블루", "cat", "kitty",
            "kitten", "tabby", "siamese", "persian"),
    "dog": ("강아지", "개", "반려견", "댕댕이", "푸들", "진돗개", "진도개", "말티즈", "시츄",
            "시바견", "포메", "포메라니안", "리트리버", "비글", "웰시코기", "코기", "치와와",
            "닥스훈트", "요크셔테리어", "슈나우저", "비숑", "믹스견", "dog", "puppy", "doggy",
            "pup", "poodle", "beagle", "retriever", "labrador", "corgi", "terrier", "husky",
            "chihuahua", "dachshund", "pug", "bulldog", "collie", "spaniel", "schnauzer",
            "pomeranian", "mutt"),
    "doctor": ("의사", "주치의", "doctor", "doc", "gp", "physician", "dentist"),
    "nurse": ("간호사", "간호사님", "nurse"),
    "caregiver": ("간병인", "요양보호사", "aide", "caregiver", "carer"),
    "landlord": ("집주인", "landlord", "landlady"),
    "teacher": ("선생님", "teacher"),
    "boss": ("사장님", "상사", "팀장님", "부장님", "boss", "manager", "supervisor"),
    "uncle": ("삼촌", "uncle", "samchon"),
    "aunt": ("이모", "고모", "aunt", "auntie", "imo", "gomo"),
    "cousin": ("사촌", "cousin"),
    "niece": ("조카", "niece", "nephew"),
}  # fmt: skip
"""One relation, every way it is said in Korean and English (엄마/mother/mom are one), and as
Korean is written in English ("my halmeoni")."""
# fmt: skip (at its end): a word list read as a table, several words a line.
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "name": ("이름", "성함", "name", "names", "called", "named"),
    "birthday": ("생일", "생신", "birthday", "bday", "b-day", "birthdays", "born"),
    "allergy": ("알레르기", "알러지", "allergy", "allergies", "allergic"),
    "phone": ("전화번호", "번호", "phone", "number"),
    "like": ("좋아", "좋아해", "좋아하는", "좋아한다", "like", "likes", "love", "loves",
             "favorite", "favourite", "enjoy", "enjoys"),
    "dislike": ("싫어", "싫어해", "싫어하는", "hate", "hates", "dislike", "dislikes"),
    "place": ("병원", "입원", "어디", "어느", "hospital", "where", "ward", "staying", "live",
              "lives", "living", "살아", "사는", "살고", "계셔", "계신"),
    "work": ("직장", "회사", "직업", "일해", "일한", "일하는", "일하고", "근무", "work", "works",
             "job", "workplace", "occupation"),
    "health": ("약", "혈압약", "혈압", "당뇨", "병", "질환", "지병", "건강", "health", "medicine",
               "medication",
               "meds", "pills", "pill", "blood", "condition", "illness", "sick"),
    "plan": ("계획", "일정", "plan", "plans", "trip"),
    "weight": ("몸무게", "체중", "weight", "weigh"),
}  # fmt: skip
FAMILY: dict[str, tuple[str, ...]] = {
    "sibling": ("sister", "brother", "sibling"),
    "child": ("son", "daughter", "child"),
    "partner": ("partner", "husband", "wife", "fiance"),
}
"""A relation asked about that covers others: 동생 is a sister or a brother, 자식 a son or a
daughter; a fact about the narrower one answers a question about the wider one."""


def same_person(asked: str, told: str) -> bool:
    """Whether a fact about `told` answers a question about `asked` (동생 ~ 여동생)."""
    return asked == told or told in FAMILY.get(asked, ()) or asked in FAMILY.get(told, ())


_ALIAS = {w: rel for rel, words in RELATIONS.items() for w in words}
_ATTR_ALIAS = {w: attr for attr, words in ATTRIBUTES.items() for w in words}
_KO_PARTICLE = re.compile(
    r"(?:의|은|는|이|가|을|를|에게|한테|께|이랑|랑|과|와|도|만|이야|야|이에요|예요|이는|이가|이도)$"
)
_KO_PREFIX = re.compile(r"^(?:울|우리|내|제|나의|저의)(?=[가-힣]{1,})")

# Attributes a fact's value follows ("my dad's name is Raj", "엄마 생신은 3월 5일이야").
_ADJ = r"(?:(?:best|little|big|older|younger|elder|late|new|old|baby|step)\s+)?"
"""Words before a relation that do not change who it is ('my late wife', 'my best friend')."""
_OWNER = (
    r"(?:\b(?:my|our|his|her|their)\s+|^(?=(?-i:[A-Z])))(?:[a-z-]+['’]s\s+)?"
    + _ADJ
    + r"(?:[a-z-]+\s+)??"
)
"""Whose someone is: 'my', 'his', a sentence opening on a relation said as a name ('Dad's…'),
an owner before them ("my dad's nurse") and a word that does not change who ('hospice nurse')."""
_EN_REL_ATTR = re.compile(
    _OWNER + r"(?P<rel>[a-z-]+?)(?:'s|s'|s)?\s+(?P<attr>name|birthday|bday|b-day|"
    r"phone\s+number|number)\s+(?:is|was|'s|are)\s+(?P<value>.+)$",
    re.I,
)
_EN_REL_CALLED = re.compile(
    _OWNER + r"(?P<rel>[a-z-]+?)(?:'s)?\s+(?:is\s+|was\s+|'s\s+)?(?:called|named)\s+"
    r"(?!(?:me|us|him|her|them|you|it|back|again|today|earlier|to|at|about)\b)(?P<value>.+)$",
    re.I,
)
_EN_REL_FAVORITE = re.compile(
    r"(?i:"
    + _OWNER
    + r")(?P<rel>[A-Za-z-]+?)(?:['’]s)\s+(?i:favou?rite)\s+(?P<what>[a-z]+(?:\s[a-z]+)?)\s+"
    r"(?i:is|was|are)\s+(?P<value>[^.;!,]+)"
)
""""Dad's favorite singer is Sinatra", "my wife's favourite flower was the peony"."""
_EN_REL_IS_NAMED = re.compile(
    r"(?i:" + _OWNER + r")(?P<rel>[A-Za-z-]+)\s+is\s+(?P<value>[A-Z][\w'-]+(?:-[A-Za-z]+)?)"
    r"(?:$|[,.;!]|\s+(?i:and|but|btw|by\s+the\s+way)\b)"
)
"""'my roommate is Dana', 'my coach is Brandon, he is strict', 'her physio is Lena'."""
_EN_ME_ATTR = re.compile(
    r"\bmy\s+(?P<attr>name|birthday|bday|b-day|phone\s+number)\s+(?:is|'s)\s+(?P<value>.+)$", re.I
)
_EN_NAME = re.compile(
    r"\b(?:my name's|call me|i am called|i'm called|(?<![\w'])name's)\s+(?P<value>.+)$", re.I
)
_EN_I_AM_NAME = re.compile(
    r"^(?i:(?:hi|hey|hello|so|well|oh|ok(?:ay)?|and)[\s,!.]+)*(?i:i['’]?m|i\s+am|this\s+is)\s+"
    r"(?P<value>[A-Z][a-z'’]+(?:-[A-Za-z]+)?)(?=\s*(?:[,.!;]|$)|\s+(?i:and|by\s+the\s+way|btw)\b)"
)
"""A self-introduction: "I'm Dan, 42", "Hey, I'm Priya. I'm 29." (a capitalised word, not 'I'm
Fine' or a day: _EN_NOT_NAME)."""
_KO_SELF_NAME = re.compile(
    r"(?:^|[\s,.!])(?:나는|저는|난|전|나|저|제\s?이름은|내\s?이름은)\s?(?P<value>[가-힣]{2,4}?)"
    r"(?:이라고|라고)\s?(?:해요|합니다|해|하는데|하고요|해요|불러\s?(?:줘|주세요)|부르세요)"
    r"|(?:^|[\s,.!])(?:나는|저는|난|전|나|저)\s(?P<value2>[가-힣]{2,4}?)(?:이야|야|입니다|이에요|예요)"
    r"(?=[\s,.!~]|$)"
)
"""'나는 정순자라고 해요', '저는 김영희입니다', '나 이준호야': the person's own name (a job or a
common word after '저는' is not: _NOT_A_NAME)."""
_EN_ALLERGY = re.compile(
    r"\b(?:i'?m|i\s+am|im)\s+(?:very\s+|really\s+|super\s+)?allergic\s+to\s+(?P<value>.+)$"
    r"|\bi\s+have\s+(?:an?\s+|a\s+bad\s+|a\s+severe\s+)?(?P<value2>.+?)\s+allerg(?:y|ies)\b"
    r"|\b(?:i'?m|i\s+am|im)\s+(?P<value3>lactose|gluten|dairy|fructose)[\s-]+intolerant\b",
    re.I,
)
"""An intolerance is kept as an allergy: the food question checks both ('can I have a latte?')."""
_EN_LIKE = re.compile(
    r"^(?:(?:i|and i)\s+(?:really\s+|just\s+)?(?P<verb>love|like|enjoy|adore|hate|dislike|"
    r"can'?t\s+stand|don'?t\s+like)\s+(?P<value>.+))$",
    re.I,
)
_KO_ALLERGY = re.compile(
    r"(?P<value>[가-힣a-zA-Z]+(?:\s[가-힣a-zA-Z]+)?)\s?(?:에\s?|에\s?대한\s?)?(?:알레르기|알러지)"
)
_KO_REACTION = re.compile(
    r"(?:^|\s)(?P<value>[가-힣A-Za-z]{1,8}?)(?:을|를|이|가|은|는|도)?\s?(?:먹으면|마시면|먹기만\s?하면|먹었다\s?하면"
    r"|닿으면|만지면|바르면)\s?(?:[가-힣]+에\s?)?(?:두드러기|알레르기|알러지|가려|간지러|숨이|목이\s?부"
    r"|부어|붓|발진|배탈|설사|토해|토하|토를|입술이|몸이\s?가)"
)
"""'새우 먹으면 두드러기 나', '우유 마시면 배탈 나요': an allergy or an intolerance, told by
what it does."""
_EN_REACTION = re.compile(
    r"^(?:(?:fyi|btw|oh|and|also|so)[\s,]+)*(?P<value>[a-z]+(?:\s[a-z]+)?)\s+(?:gives?|gave)\s+me\s+"
    r"(?:hives|a\s+rash|rashes|a\s+reaction|an\s+allergic\s+reaction)"
    r"|\b(?P<value2>[a-z]+(?:\s[a-z]+)?)\s+makes?\s+(?:me|my\s+\w+)\s+(?:swell|itch|break\s+out)"
    r"|\bi\s+(?:break|broke)\s+out(?:\s+in\s+(?:hives|a\s+rash))?\s+(?:when|if|whenever)\s+i\s+"
    r"(?:eat|have|touch|drink)\s+(?P<value3>[a-z]+(?:\s[a-z]+)?)"
    r"|\b(?:when|if|whenever)\s+i\s+(?:eat|have|touch|drink)\s+(?P<value4>[a-z]+(?:\s[a-z]+)?),?\s+"
    r"(?:i\s+)?(?:get\s+(?:hives|a\s+rash)|break\s+out|swell\s+up|can'?t\s+breathe)",
    re.I,
)
"""'shellfish gives me hives', 'I break out in hives when I eat strawberries'."""
_KO_ATTR_VALUE = re.compile(
    r"(?P<who>\S+)\s?(?P<attr>이름|성함|생일|생신|전화번호)(?:은|는|이|가)?\s+(?P<value>.+?)"
    r"(?:이야|야|입니다|이에요|예요|에요|이고|이라고|라고|이다|다|요)?$"
)
_KO_LIKE = re.compile(
    r"^(?:(?:나는|저는|난|전|나|저)\s)?(?P<value>.+?)\s?(?:을|를|이|가)?\s?"
    r"(?P<verb>좋아해|좋아한다|좋아함|좋아요|싫어해|싫어한다|싫어요)"
)
_EN_REL_LIKE = re.compile(
    r"\b(?:my|our)\s+(?P<rel>[a-z-]+?)(?:'s)?\s+(?:really\s+)?(?P<verb>loves|likes|enjoys|adores|"
    r"hates|dislikes|can'?t\s+stand)\s+(?P<value>.+)$",
    re.I,
)
_EN_WORK = re.compile(
    r"^(?:(?:fyi|btw|so|well|oh|and)[\s,]+)*i(?:\s+|['’])(?:(?:still\s+|now\s+)?(?:work|['’]?ve\s+worked"
    r"|have\s+worked)(?:\s+(?:nights|days|full[\s-]time|part[\s-]time|weekends))?|am\s+working"
    r"|m\s+working|(?:am\s+|m\s+)(?:an?|the)\s+(?!(?:little|bit|lot|only|last|first|one|fan|mess|wreck"
    r"|big\s+fan|huge\s+fan)\b)(?:[\w-]+\s+){0,2}?[\w-]+"
    r"|do\s+(?!(?:it|that|this|all|everything|anything|what|so|my|stuff)\b)(?:[\w-]+\s+){0,1}"
    r"[\w-]+(?=\s+for\s+(?-i:[A-Z])))"
    r"\s+(?:at|for|in)\s+(?P<value>.+)$",
    re.I,
)
"""'I work at…', "I'm a line cook at…", 'I work nights at…', 'I do payroll for Acme': where the
person works (a company named after 'for': 'I do yoga at the Y' is no job)."""
_EN_REL_AT = re.compile(
    r"\b(?:my|our)\s+(?P<rel>[a-z-]+?)\s+(?:is|'s|was|got|lives|stays|works)\s+(?:still\s+|now\s+|staying\s+|"
    r"admitted\s+|moved\s+)?(?:at|in|to)\s+(?P<value>.+)$",
    re.I,
)
_EN_REL_NAME_INLINE = re.compile(
    r"\b(?:my|our)\s+(?:best\s+|little\s+|big\s+|older\s+|younger\s+)?(?P<rel>[a-z-]+)\s+"
    r"(?P<value>[A-Z][a-z'-]+(?:-[a-z]+)?)\b(?!\s+(?:and|or)\b)"
)
"""'my sister Jenny is visiting': a relation, then their name."""
_PLACE_WORD = re.compile(
    r"(?-i:[A-Z])|hospital|clinic|home|ward|icu|care|center|centre|병원|요양원|집|중환자실", re.I
)
_EN_PLAN = re.compile(
    r"^(?:(?:fyi|btw|so|well|oh|and|also)[\s,]+)*(?:i'?m|i\s+am|we'?re|we\s+are)\s+"
    r"(?:going|gonna\s+go|heading|flying|driving|moving|travel+ing|visiting|seeing|meeting"
    r"|having\s+(?:lunch|dinner|coffee|breakfast)|starting|taking\s+(?:an?|the|my)\s+\w+)"
    r"\s+(?P<value>.+)$"
    r"|^(?:(?:fyi|btw|so|oh|and|also)[\s,]+)*i\s+have\s+(?:an?\s+|my\s+)?(?P<value2>(?:\w+\s+)?"
    r"(?:appointment|exam|exams|interview|test|surgery|check-?up|shift|shifts|class|flight)\b.*)$",
    re.I,
)
_EN_HEALTH = re.compile(
    r"^(?:(?:fyi|btw|so|oh|and|also)[\s,]+)*i\s+(?:take|am\s+on|'m\s+on|have\s+to\s+take)\s+"
    r"(?P<value>.*\b(?:pills?|medication|meds|medicine|insulin|tablets?|inhaler)\b.*)$"
    r"|^(?:(?:fyi|btw|so|oh|and|also)[\s,]+)*i\s+(?:take|am\s+on|'m\s+on)\s+(?P<value3>(?-i:[A-Z])[\w-]+"
    r"(?:\s+\d+\s?(?:mg|mcg|ml|units?))?)(?=\s+\d+\s?(?:mg|mcg|ml|units?)\b|\s+(?:(?:every|each)\s+(?:morning|night|"
    r"evening|day)|once|twice|daily|at\s+night|in\s+the\s+morning)\b)"
    r"|^(?:(?:fyi|btw|so|oh|and|also)[\s,]+)*i\s+(?:have|'ve\s+got|got)\s+(?P<value2>(?:high|low)\s+"
    r"blood\s+pressure|diabetes|asthma|arthritis|a\s+bad\s+back|migraines?|epilepsy|"
    r"(?:a\s+)?heart\s+condition)\b",
    re.I,
)
_DRUG_WORD = (
    r"[a-z]{3,}(?:ine|ol|am|ide|one|pril|sartan|statin|azole|mab|pam|lam|cin|cillin|formin|fen"
    r"|pine|tide|zide|lol|pezil|quel|prazole|olol|tinib|mide|xone|done|drel|ban|arin)"
)
"""How most medicine names end (sertraline, oxycodone, metformin, donepezil, Apoquel, warfarin)."""
_EN_MEDICINE = re.compile(
    r"^(?:(?:and|also|oh|so|fyi|btw|plus)[\s,]+)*(?:(?:i|he|she|they|we|(?:my|our|his|her)\s+"
    r"[\w'-]+|(?-i:[A-Z])[\w'-]+)(?:\s+|(?=['’])))?(?:takes?|taking|gets?|getting"
    r"|(?:is|['’]s|am|['’]m|are|['’]re)\s+on)"
    r"\s+(?P<value>(?!(?:a|an|the|it|that|this|his|her|my|care|time|off|over|up|out|home|back|the"
    r"|walks?|naps?|breaks?|turns|shower|bus|train|call|calls)\b)[\w-]{3,}(?:\s+\d+\s?(?:mg|mcg|ml))?)"
    r"(?=[\s,.!]|$)",
    re.I,
)
"""'Taking oxycodone as needed', 'and he gets Apoquel in the evening, half a tablet', "I'm on
sertraline since October": a medicine taken, by its name or how it is taken (_EN_REGIMEN)."""
_EN_REGIMEN = re.compile(
    r"\b(?:as\s+needed|a\s+day|daily|twice|once|every\s+(?:morning|night|evening|day|\d+\s+hours?)"
    r"|in\s+the\s+(?:morning|evening)|at\s+(?:night|bedtime)|tablets?|pills?|capsules?|mg|dose)\b",
    re.I,
)
_KO_MEDICINE = re.compile(
    r"(?:아침저녁으로|아침\s저녁으로|하루에?\s?(?:한|두|세|네|\d)\s?(?:번|알)씩?|매일\s?(?:아침|저녁|밤)?(?:마다)?"
    r"|아침마다|저녁마다|밤마다|자기\s?전에?|식후에?|식전에?)\s(?:(?:꼭|꼬박꼬박|챙겨서)\s)?"
    r"(?P<value>(?!(?:밥|물|죽|빵|과일|커피|차|우유|술|간식|아침|저녁|점심)(?:을|를))[가-힣A-Za-z]{2,12}?)"
    r"(?:을|를)\s?(?:(?:꼭|꼬박꼬박|챙겨서?|잘)\s)?(?:(?:한|두|반)\s?(?:알|개|봉)씩?\s)?"
    r"(?:먹(?!었)|복용(?!했)|드시|드세|챙겨\s?드)"
)
"""'남편은 아침저녁으로 도네페질을 먹어요', '하루 두 번 타이레놀을 먹어': a medicine, by when."""
_EN_WEIGHT = re.compile(
    r"\b(?:i\s+weigh|i['’]?m\s+at|i\s+am\s+at|my\s+weight\s+is|i['’]?m\s+(?:up|down)\s+to)\s+"
    r"(?P<value>\d{2,3}(?:\.\d)?)(?:\s?(?:pounds|lbs?|kilos?|kg))?\b",
    re.I,
)
_WEIGHT_WORD = re.compile(r"\b(?:pounds|lbs?|kilos?|kg|weigh\w*|scale)\b", re.I)
_KO_WEIGHT = re.compile(
    r"(?:몸무게|체중)(?:이|가|은|는)?\s?(?P<value>\d{2,3}(?:\.\d)?\s?(?:킬로|kg|키로))"
)
"""'Surgeon wants me to drop 20 pounds. I'm at 230', '몸무게가 82킬로예요': the person's weight."""
_EN_QUIT = re.compile(
    r"\bi\s+(?:quit|stopped|gave\s+up)\s+(?:smoking|drinking|cigarettes|alcohol|vaping|booze)\b"
    r"|\b(?:i['’]?ve\s+been|i['’]?m|i\s+am)\s+(?:sober|smoke-free|off\s+(?:the\s+)?(?:booze|cigarettes))\b",
    re.I,
)
_KO_QUIT = re.compile(
    r"(?:담배|술|금연|금주)(?:를|을|는|도)?\s?(?:끊은\s?지|끊었|끊고|끊은\s?게|한\s?지)"
)
"""'I quit smoking in March', '담배 끊은 지 석 달 됐어': a habit given up, kept as health."""
_EN_SURGERY = re.compile(
    r"\b(?:(?:right|left)\s+)?(?:knee|hip|shoulder|heart|back|eye|ankle|wrist|spine|gallbladder)"
    r"\s+(?:got|was)\s+(?:replaced|operated\s+on|fixed|repaired|done)\b"
    r"|\bi\s+had\s+(?:a\s+|my\s+)?(?:(?:right|left)\s+)?(?:knee|hip|shoulder|heart|back|eye|cataract"
    r"|bypass)\s+(?:surgery|replacement|operation)\b",
    re.I,
)
_KO_SURGERY = re.compile(
    r"(?:무릎|고관절|허리|어깨|눈|백내장|심장|발목|손목|척추)\s?(?:인공관절\s?)?(?:수술|시술)(?:을|를)?\s?(?:받았|했)"
)
"""'Right hip got replaced on the 3rd', '작년에 무릎 수술 받았어': an operation, kept as health."""
_EN_REL_NAME_ALONE = re.compile(
    r"^(?:(?:my|our)\s+)?(?P<rel>[a-z-]+)['’]s\s+(?P<value>(?-i:[A-Z])[a-z'-]+)\s*(?:[.!,]|$)", re.I
)
""""Wife's Linda.": a relation's name, said tersely."""
_KO_HEALTH = re.compile(
    r"(?P<value>[가-힣]*약|인슐린)(?:을|를|은|는|도)?\s.*(?:먹(?!었)|복용(?!했)|챙겨\s?먹(?!었))|"
    r"(?P<value2>고혈압|저혈압|당뇨|천식|관절염|디스크)(?:이|가)?\s?(?:있|생겼|왔)"
)
_KO_PLAN = re.compile(
    r"(?:다음\s?주|내일|모레|이번\s?주|주말|[월화수목금토일]요일|\d+일|다음\s?달)[^?]*"
    r"(?:가|가요|갑니다|갈\s?거야|갈\s?거예요|가기로\s?했어|가기로\s?했어요|있어|있어요|있습니다"
    r"|만나|만나요|만나기로\s?했어|와|와요|온대|온대요|기로\s?했어|기로\s?했어요|기로\s?했습니다"
    r"|예정이야|예정이에요|예정입니다)[.!~]*$"
)
_KO_PLACE = re.compile(
    r"^(?:우리\s|울|내\s|제\s)?(?P<who>[가-힣]+?)(?:은|는|이|가|께서는|께서)?\s+(?P<value>[가-힣A-Za-z\s]*"
    r"(?:병원|요양원|중환자실|집))에\s?(?:입원|계셔|계세요|계신|있어|있어요|있습니다|계십니다)"
)
_KO_WORK = re.compile(
    r"^(?:나는|저는|난|전|나|저)?\s?(?P<value>[가-힣A-Za-z\s]+?)에서\s?(?:일해|일하고|일합니다|일해요"
    r"|근무해|근무합니다|근무해요|근무하고)"
)
_KO_STUDENT = re.compile(
    r"^(?:나는|저는|난|전|나|저)\s(?P<value>[가-힣A-Za-z]+(?:대|대학교|대학|고등학교|고|중학교)"
    r"(?:\s[가-힣A-Za-z]+과)?)\s?(?:\d+\s?학년|(?:일|이|삼|사|한|두|세|네)\s?학년|다녀|다니고|다닙니다"
    r"|재학)"
)
"""'나 한국대 경영학과 3학년이야', '저 한빛고 다녀요': where one studies, kept as one's work."""
_KO_REL_IS = re.compile(
    r"^(?:우리\s|울|내\s|제\s|나의\s|저의\s)?(?P<who>[가-힣]+?)(?:는|은)\s+(?P<value>[가-힣]{2,3}|[A-Z][a-z]+)"
    r"(?:이야|야|이에요|예요|입니다|이고|이래|래)[.!~]*$"
)
"""'내 룸메이트는 수진이야': a relation, then a name (not a job or a word for how they are)."""
# fmt: skip (at its end): a word list read as a table, several words a line.
_NOT_A_NAME = frozenset({
    "학생", "의사", "간호사", "회사원", "선생님", "대학생", "직장인", "공무원",
    "군인", "경찰", "주부", "요리사", "개발자", "변호사", "미용사", "교수",
    "사장", "백수", "최고", "바보", "천재", "동갑", "외동", "막내", "첫째",
    "둘째", "미국인", "한국인", "일본인", "중국인", "부자", "가수", "배우",
    "작가", "기자", "농부", "목사", "스님", "은퇴", "환자", "임신", "싱글",
    "연하", "연상", "친구", "가족", "어른", "애기", "아기", "고양이", "강아지",
})  # fmt: skip
_KO_END = re.compile(
    r"(?:이었습니다|였습니다|이었어요|였어요|이었어|였어|이었지|였지|이야|야|입니다|이에요|예요|에요|이고"
    r"|이라고|라고|이다|요)$"
)
_TRAIL = " .,!?~\"'"
_FILLER_END = re.compile(
    r"(?:[\s,]+(?:btw|by the way|lol|haha+|hehe+|just so you know|fyi|ok|okay|please|you know|"
    r"though|too))+[\s.!?]*$|(?:\s*(?:ㅋ+|ㅎ+|ㅠ+|ㅜ+))+$",
    re.I,
)


@dataclass(frozen=True)
class Fact:
    """One thing the person told, as said, with its structure where it has one."""

    text: str
    lang: str
    kind: str = "fact"
    value: str = ""
    person: str = ""
    """Whom it is about: 'me' (the person), a relation ('mother'), or '' when unknown."""
    attribute: str = ""
    """What about them: name, birthday, allergy, phone, like, dislike, or ''."""

    said_as: str = ""
    """For a fact about someone else: the word the person used for them ('엄마', 'dad')."""
    names: tuple[str, ...] = ()
    """Names said in passing ('my daughter Chloe starts school', '강아지 뭉치가 밥을 안 먹어'):
    what a question or a forget by name finds the fact by."""

    def to_body(self, at: str, turn: str) -> dict[str, object]:
        """The stored row. A fact about someone else is kind 'person' with the word used for
        them as its value (as before structure) and the attribute's value as 'detail'."""
        body: dict[str, object] = {
            "text": self.text,
            "lang": self.lang,
            "kind": self.kind,
            "value": self.value,
            "at": at,
            "turn": turn,
        }
        if self.person:
            body["person"] = self.person
        if self.attribute:
            body["attribute"] = self.attribute
        if self.person not in ("", "me") and self.attribute:
            body.update(kind="person", value=self.said_as or self.person, detail=self.value)
        if self.names:
            body["names"] = list(self.names)
        return body


_IN_LAW = re.compile(r"\s+in\s+law\b")
"""'mother in law' (as normalize leaves 'mother-in-law'): one relation, not a mother."""


def relation(word: str) -> str:
    """The canonical relation a word names ('울엄마' -> mother, "dad's" -> father)."""
    word = normalize(re.sub(r"['’]s$", "", word.strip(_TRAIL))).strip(_TRAIL)
    word = _IN_LAW.sub("-in-law", word)  # normalize reads 'mother-in-law' as three words
    if not word:
        return ""
    if word.isascii():
        word = re.sub(r"(?:'s|s'|’s)$", "", word)
        return _ALIAS.get(word) or (_ALIAS.get(word[:-1], "") if word.endswith("s") else "")
    word = _KO_PREFIX.sub("", word)
    for candidate in (word, _KO_PARTICLE.sub("", word)):
        if candidate in _ALIAS:
            return _ALIAS[candidate]
    return ""


def attribute(word: str) -> str:
    """The canonical attribute a word names ('생신', 'bday' -> birthday)."""
    word = normalize(word).strip(_TRAIL)
    word = re.sub(r"(?:'s)$", "", word)
    if word in _ATTR_ALIAS:
        return _ATTR_ALIAS[word]
    stripped = _KO_PARTICLE.sub("", word)
    return _ATTR_ALIAS.get(stripped, "")


_NOT_WELL = re.compile(r"(?:안|잘\s?안)\s?좋(?!아하|아해|아한)")
"""'무릎이 안 좋아서': unwell (health), not a liking; '안 좋아해' stays a dislike's words."""
_TURNS_AGE_ON = re.compile(
    r"\bturn(?:s|ing)?\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|[a-z]+teen|[a-z]+ty(?:[\s-][a-z]+)?)\s+(?:on|in)\s",
    re.I,
)
"""'my grandson Eli turns nine on March 3rd': a birthday told without the word."""


_SEEMS_LIKE = re.compile(
    r"\b(feel|feels|felt|looks?|looked|sounds?|sounded|seems?|seemed)\s+like\b", re.I
)
"""'why do I feel like this': a likeness, not a liking."""


_CLINIC_TEACHER = re.compile(
    r"(?:병원|의원|내과|외과|치과|한의원|안과|피부과|이비인후과|정형외과|소아과)\s?(?:선생님|쌤)"
)
"""'남편 병원 선생님': a doctor, not a teacher (nor the hospital's whereabouts)."""


_MEDICAL_BEFORE = re.compile(
    r"주치의|의사|병원|의원|내과|외과|치과|한의원|안과|피부과|소아과|클리닉"
)
"""Words before a '선생님' that make them a doctor."""


def _words_of(text: str) -> list[str]:
    """The words an utterance names things with: 'mother in law' one word, '안 좋아' health,
    '병원 선생님' a doctor."""
    text = _CLINIC_TEACHER.sub("의사", text)
    text = _IN_LAW.sub("-in-law", normalize(_NOT_WELL.sub("건강 ", _SEEMS_LIKE.sub(r"\1", text))))
    return re.split(r"[\s,.!?~]+", text)


def mentions(text: str) -> tuple[str, str]:
    """The first relation and the first attribute an utterance names, each '' if none."""
    rel = attr = ""
    for word in _words_of(text):
        for part in _word_parts(word):
            rel = rel or relation(part)
            attr = attr or attribute(part)
    return rel, attr


_POSSESSIVE_GAP = 2
"""Words that may stand between an owner and what is theirs ('my dad's hospice nurse')."""


def whom(text: str) -> str:
    """The person an utterance is about: in a chain of owners the last one ("my dad's nurse"
    -> nurse, '우리 딸 약혼자 이름' -> fiance, '아빠의 간병인' -> caregiver), else the first
    relation named ('엄마랑 아빠 생일' -> mother); '' if none."""
    found: list[tuple[int, str, str]] = []
    for i, token in enumerate(re.findall(r"[\w'’-]+", _CLINIC_TEACHER.sub("의사", text))):
        rel = relation(token)
        if not rel and not token.isascii():
            rel = next((relation(p) for p in _word_parts(token.lower())[1:] if relation(p)), "")
        if rel:
            found.append((i, rel, token))
    if not found:
        return ""
    person = found[0][1]
    for (i, rel, token), (j, later, _) in itertools.pairwise(found):
        if rel != person or later == rel or j - i > _POSSESSIVE_GAP:
            break
        owner = (
            re.search(r"(?:['’]s|s['’])$", token)
            if token.isascii()
            else re.search(r"의$", token) or _KO_PARTICLE.sub("", token) == token
        )
        if not owner:
            break
        person = later
    return person


def attributes_in(text: str) -> set[str]:
    """Every attribute an utterance names ('큰딸은 미국에 살아요. 이름은 수정이고요')."""
    found = {a for word in _words_of(text) for part in _word_parts(word) if (a := attribute(part))}
    return found | {"birthday"} if _TURNS_AGE_ON.search(text) else found


_KO_OBJECT_END = re.compile(
    r"(?:이를|이가|이는|이도|이랑|이한테|이하고|를|을|가|는|은|도|랑|한테|이)$"
)


def words_after(text: str, person: str) -> list[str]:
    """Korean words said right after a relation of `person`, without their particle ('손주
    민준이를 제가 키우고 있어요' -> 민준): names maybe, to be found again in another fact."""
    words = text.split()
    found = []
    for before, word in itertools.pairwise(words):
        rel = relation(before)
        if not rel or not same_person(person, rel) or word.isascii():
            continue
        bare = _KO_OBJECT_END.sub("", word.strip(_TRAIL))
        if len(bare) >= 2 and _a_name(bare):
            found.append(bare)
    return found


def tells_a_reaction(text: str) -> bool:
    """Whether a line tells what a food or a thing does to someone ('민준이는 새우 먹으면
    두드러기가 나요', 'shellfish gives me hives'): an allergy told without the word."""
    return bool(_KO_REACTION.search(text) or _EN_REACTION.search(text))


def names_of(body: dict) -> list[str]:
    """The names a kept fact holds: said in passing, or its value when it is a name."""
    found = [str(n) for n in body.get("names", [])]
    if about(body)[1] == "name":
        found.append(str(body.get("detail") or body.get("value") or ""))
    return [n for n in found if len(n) >= 2]


def _word_parts(word: str) -> list[str]:
    """A word and, for Korean compounds ('엄마생신'), its known leading and trailing parts."""
    parts = [word]
    if not word.isascii():
        for known in (*_ALIAS, *_ATTR_ALIAS):
            if len(known) >= 2 and known in word and known != word:
                parts.append(known)
    return parts


def analyse(text: str, lang: str) -> Fact:
    """The fact with its structure where one is found, else its kind.

    >>> analyse("my dads name is Raj", "en").person, analyse("my dads name is Raj", "en").value
    ('father', 'Raj')
    """
    clean = " ".join(text.split())
    structured = _structured(clean)
    if structured is not None:
        person, attr, value = structured
        kinds = {
            "name": "name" if person == "me" else "person",
            "birthday": "birthday",
            "allergy": "allergy",
            "like": "like",
            "dislike": "dislike",
            "place": "place",
            "work": "work",
            "health": "health",
            "plan": "plan",
        }
        kind = kinds.get(attr, "fact")
        value = _FILLER_END.sub("", value).strip(_TRAIL)
        named = tuple(n for _, n in names_in(clean) if n != value)
        return Fact(clean, lang, kind, value, person, attr, _said_as(clean, person), named)
    if said := _named_attribute(clean):  # 'Dana's birthday is March 3rd', '지호 생일이 3월 2일'
        name, attr, value = said
        kind = attr if attr in SINGLE_KINDS_OF_OTHERS else "fact"
        return Fact(clean, lang, kind, value, "", attr, "", (name,))
    found = names_in(clean)
    named = tuple(n for _, n in found)
    if found:  # 'Jake is my running buddy', '울 강아지 뭉치가 밥을 안 먹어서 걱정이야'
        rel = next((r for r, _ in found if r), "") or mentions(clean)[0]
        return Fact(clean, lang, "person" if rel else "fact", "", rel, "", "", named)
    for kind, pattern in _KINDS:
        match = pattern.search(clean)
        if match:
            value = match.groupdict().get("value") or ""
            rel, _ = mentions(clean)
            return Fact(clean, lang, kind, value.strip(_TRAIL), rel or "", names=named)
    return Fact(clean, lang, person=mentions(clean)[0])


SINGLE_KINDS_OF_OTHERS = ("birthday",)
# fmt: skip (at its end): a list of words, kept as lines of words, not one word a line.
_NOT_OWNERS = frozenset(
    {"Today", "Tomorrow", "Tonight", "Yesterday", "Everyone", "Everybody", "Nobody", "Someone",
     "Who", "What", "Whose", "Somebody", "Anyone"}
)  # fmt: skip
_EN_NAMED_ATTR = re.compile(
    r"^(?:(?:so|oh|and|also|btw|fyi)[\s,]+)*(?P<name>(?-i:[A-Z])[a-z'-]+)['’]s\s+"
    r"(?P<attr>birthday|bday|b-day|phone\s+number|number)\s+(?:is|'s)\s+(?P<value>[^.,;!]+)",
    re.I,
)
_KO_NAMED_ATTR = re.compile(
    r"^(?P<name>[가-힣]{2,3}?)(?:이)?\s?(?P<attr>생일|생신|전화번호|번호)(?:은|는|이|가)?\s+"
    r"(?P<value>[^.!?~]*?\d[^.!?~]*?)(?:이에요|예요|이야|야|입니다|이래요|이래|래|이고|이라던데|인데)?"
    r"(?=[.!~,]|$)"
    r"|^(?P<name2>[가-힣]{2,3}?)(?:이)?\s?(?P<attr2>직업|직장)(?:은|는|이|가)\s?(?P<value2>[가-힣A-Za-z\s]{2,20}?)"
    r"(?:이에요|예요|이야|야|입니다|이래요|이래|래|이고|이라던데|인데|이라더라|라더라)(?=[.!~,\s]|$)"
)


def _named_attribute(text: str) -> tuple[str, str, str] | None:
    """(name, attribute, value) of a birthday or number told of someone by name, not by how
    they are related ('Dana's birthday is March 3rd', '수빈이 생일 7월 8일이야')."""
    m = _EN_NAMED_ATTR.search(text) or _KO_NAMED_ATTR.search(text)
    if m is None:
        return None
    if m.groupdict().get("name2"):  # '태호 직업이 목수래': what they do
        name, value = m["name2"], m["value2"]
        return (name, "work", value.strip()) if _a_name(name) and not relation(name) else None
    name = m["name"]
    if relation(name) or not _a_name(name) or name in _EN_NOT_NAME or name in _NOT_OWNERS:
        return None
    attr = attribute(m["attr"].split()[0]) or "phone"
    return name, attr, m["value"].strip(_TRAIL)


def _said_as(text: str, person: str) -> str:
    """The word in the text that names the relation ('울엄마' -> '엄마', "dads" -> 'dad')."""
    if person in ("", "me"):
        return ""
    for word in re.split(r"[\s,.!?~]+", normalize(re.sub(r"['’]s\b", "", text))):
        for part in _word_parts(word):
            if relation(part) == person:
                if part.isascii():
                    return part[:-1] if part.endswith("s") and part[:-1] in _ALIAS else part
                return _KO_PARTICLE.sub("", _KO_PREFIX.sub("", part))
    return person


def _structured(text: str) -> tuple[str, str, str] | None:
    """(person, attribute, value) of a fact said in one of the usual shapes, or None."""
    for pattern in (_EN_REL_ATTR, _EN_REL_CALLED, _EN_REL_IS_NAMED):
        m = pattern.search(text)
        if m and relation(m["rel"]):
            if pattern is _EN_REL_IS_NAMED and not _an_en_name(m["value"]):
                continue  # 'my mom is Korean'
            said = (m.groupdict().get("attr") or "name").split()[0]  # 'phone number' -> phone
            attr = attribute(said) or "name"
            return relation(m["rel"]), attr, _first_words(m["value"], attr)
    if (m := _EN_REL_FAVORITE.search(text)) and relation(m["rel"]):
        return relation(m["rel"]), "like", f"{m['what']}: {m['value'].strip(_TRAIL)}"
    if (m := _EN_REL_AT.search(text)) and relation(m["rel"]) and _PLACE_WORD.search(m["value"]):
        attr = "work" if re.search(r"\bworks\b", m.group(0), re.I) else "place"
        return relation(m["rel"]), attr, m["value"].strip(_TRAIL)
    if m := _EN_WORK.search(text):
        return "me", "work", m["value"].strip(_TRAIL)
    if m := _EN_HEALTH.search(text):
        return "me", "health", (m["value"] or m["value2"] or m["value3"]).strip(_TRAIL)
    if (m := _EN_REL_NAME_ALONE.match(text)) and relation(m["rel"]):
        return relation(m["rel"]), "name", m["value"]
    if (m := _EN_MEDICINE.search(text)) and (
        re.fullmatch(_DRUG_WORD, m["value"], re.I) or _EN_REGIMEN.search(text[m.end() :])
    ):
        return mentions(text)[0] or "me", "health", m["value"].strip(_TRAIL)
    if m := _KO_MEDICINE.search(text):
        return mentions(text)[0] or "me", "health", m["value"].strip(_TRAIL)
    for pattern in (_EN_QUIT, _KO_QUIT, _EN_SURGERY, _KO_SURGERY):
        if m := pattern.search(text):
            return mentions(text)[0] or "me", "health", m.group(0).strip(_TRAIL)
    if (m := _EN_WEIGHT.search(text)) and _WEIGHT_WORD.search(text):
        return "me", "weight", m["value"]
    if m := _KO_WEIGHT.search(text):
        return "me", "weight", m["value"]
    if m := _EN_PLAN.search(text):
        return "me", "plan", (m["value"] or m["value2"]).strip(_TRAIL)
    if (m := _KO_PLACE.search(text)) and relation(m["who"]):
        return relation(m["who"]), "place", m["value"].strip()
    if (m := _KO_WORK.search(text)) and not mentions(m["value"])[0]:  # not '아들 이름은 …'
        return "me", "work", m["value"].strip()
    if m := _KO_STUDENT.search(text):
        return "me", "work", m["value"].strip()
    if m := _KO_HEALTH.search(text):
        return "me", "health", (m["value"] or m["value2"]).strip()
    if _KO_PLAN.search(text) and not re.search(r"\?|까$|니$|냐$", text):
        return "me", "plan", text.strip(_TRAIL)
    if (m := _EN_REL_NAME_INLINE.search(text)) and relation(m["rel"]):
        return relation(m["rel"]), "name", re.sub(r"['’]s$", "", m["value"])
    if m := _EN_ME_ATTR.search(text):
        return "me", attribute(m["attr"].split()[0]), _first_words(m["value"], "")
    if m := _EN_NAME.search(text):
        return "me", "name", _first_words(m["value"], "name")
    if (m := _EN_I_AM_NAME.search(text)) and _an_en_name(m["value"]):
        return "me", "name", m["value"]
    if m := _KO_SELF_NAME.search(text):
        value = m["value"] or m["value2"]
        if (
            _a_name(value)
            and value not in ("학생", "엄마", "아빠")
            and not _KO_NOT_SELF.search(value)
        ):
            return "me", "name", value
    if m := _EN_ALLERGY.search(text):
        return "me", "allergy", (m["value"] or m["value2"] or m["value3"]).strip(_TRAIL)
    if (m := _EN_REL_LIKE.search(text)) and relation(m["rel"]):
        hate = m["verb"].lower() not in ("loves", "likes", "enjoys", "adores")
        return relation(m["rel"]), "dislike" if hate else "like", m["value"]
    if m := _EN_LIKE.match(text.strip(_TRAIL)):
        hate = m["verb"].lower() not in ("love", "like", "enjoy", "adore")
        return "me", "dislike" if hate else "like", m["value"]
    if m := _KO_ATTR_VALUE.search(text):
        who = m["who"]
        person = relation(who) or (
            "me"
            if _KO_PREFIX.sub("", who) in ("", "내", "제")
            or who in ("내", "제", "나", "저", "나의", "저의")
            else ""
        )
        if person:
            value = re.split(
                r"[.!?]\s|(?<=[가-힣])(?:인데|이고|이구|이었는데|였는데)(?=\s|$)", m["value"]
            )[0]
            return person, attribute(m["attr"]), _KO_END.sub("", value.strip(_TRAIL))
    if (m := _KO_REL_IS.match(text)) and relation(m["who"]) and m["value"] not in _NOT_A_NAME:
        return relation(m["who"]), "name", m["value"]
    if (m := _KO_NAME_LATER.search(text)) and _a_name(m["name"]):
        before = text[: m.start()]
        rel = mentions(before)[0]
        if rel and not attribute(before.split()[-1] if before.split() else ""):
            return rel, "name", m["name"]
    if (
        (m := _KO_NAME_ALONE.search(text))
        and _a_name(m["name"])
        and not _KO_NOT_SELF.search(m["name"])
        and (
            re.search(r"라고", m.group(0))
            or not re.search(r"[해요다어아워와지네고게서죠까래대야니나]$", m["name"])
        )  # '…웃었어. 고마워.' ends on a word, not a name
        and not re.search(r"^(?:혼자|같이|둘이|셋이)", m["name"])
    ):
        before = text[: m.start("name")]
        if (rel := whom(before)) and not attributes_in(before) - {"place"}:
            return rel, "name", m["name"]
    if (m := _KO_REACTION.search(text)) and (whose := _reaction_whose(text[: m.start("value")])):
        value = _KO_PARTICLE.sub("", m["value"])
        if value and not relation(value) and value not in ("나", "저", "난", "전", "이거", "그거"):
            return whose, "allergy", value
    if m := _EN_REACTION.search(text):
        value = next(v for v in m.groups() if v)
        determiner = value.split()[0].lower() in ("it", "that", "this", "the", "his", "her", "he")
        if relation(value.split()[-1]) == "" and not determiner and value.lower() != "she":
            return "me", "allergy", value.strip(_TRAIL)
    if m := _KO_ALLERGY.search(text):
        value = re.sub(r"^(?:나|저|난|전|나는|저는)\s", "", m["value"])
        value = _KO_PARTICLE.sub("", value)
        if value and value not in ("나", "저", "난", "전"):
            return "me", "allergy", value
    if m := _KO_LIKE.search(text):
        hate = m["verb"].startswith("싫")
        value = m["value"].strip(_TRAIL)
        if re.search(r"(?:^|\s)안$", value):  # '오이를 안 좋아해요': a dislike
            hate, value = not hate, value[:-1].strip()
        words = _KO_PARTICLE.sub("", value).split()
        if len(words) > 1 and words[0] in ("우리", "울", "내", "제"):
            words = words[1:]  # 우리 엄마는 -> 엄마는
        rel = relation(words[0]) if words else ""
        if rel and len(words) > 1:
            return rel, "dislike" if hate else "like", _KO_PARTICLE.sub("", " ".join(words[1:]))
        return "me", "dislike" if hate else "like", " ".join(words)
    return None


def _reaction_whose(before: str) -> str:
    """Whose allergy a Korean line tells by its effect: the person's ('나 새우 먹으면…', or no
    one named), a relation's ('우리 딸은 …'), or '' when someone else is named ('민준이는 …')."""
    words = before.split()
    if not words or all(
        w in ("나", "저", "난", "전", "나는", "저는", "내가", "제가") for w in words
    ):
        return "me"
    return relation(words[-1]) or mentions(before)[0]


_EN_ADJ = r"(?:(?:best|little|big|older|younger|elder|late|new|old|baby|step|twin|dear)\s+)?"
_EN_NAME_WORD = r"[A-Z][a-z'’]+(?:-[A-Za-z]+)?"
_EN_REL_THEN_NAME = re.compile(
    r"\b(?i:my|our)\s+(?i:"
    + _EN_ADJ
    + r")(?P<rel>[a-z-]+|[가-힣]+)\s+(?P<name>"
    + _EN_NAME_WORD
    + r")\b"
)
"""'my daughter Chloe starts…', 'my late husband Harold', 'my 동생 Amy lives in Busan'."""
_EN_REL_NAMES = re.compile(
    r"\b(?i:my|our|the|his|her)\s+(?:[a-z-]+\s+)?(?P<rel>[a-z-]+|[가-힣]+),\s+(?P<name>"
    + _EN_NAME_WORD
    + r")"
    r"(?:,?\s+and\s+(?P<name2>" + _EN_NAME_WORD + r"))?"
)
_EN_MY_NAME = re.compile(r"\b(?i:my|our)\s+(?P<name>" + _EN_NAME_WORD + r")\b")
_EN_NAME_IS_MY = re.compile(
    r"^(?:(?:so|oh|btw|and|well)[\s,]+)*(?P<title>(?:Dr|Mr|Mrs|Ms|Miss)\.?\s+)?(?P<name>"
    + _EN_NAME_WORD
    + r")(?:\s+is|'s|’s|\s+was)\s+(?:my|our)\s+(?P<what>[\w\s-]{1,30}?)"
    r"(?=[,.!;]|$|\s+(?:and|but|who"
    r"|so|from|at|in|since|we|she|he)\b)"
)
"""'Jake is my running buddy, we…', 'Dr. Hill is my GP', 'Priya is my manager'."""
_EN_TITLED = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss)\.?\s+(?P<name>" + _EN_NAME_WORD + r")")
_EN_NAME_FROM = re.compile(
    r"^(?P<name>" + _EN_NAME_WORD + r")\s+from\s+(?:the\s+|my\s+)?(?P<what>[\w\s]{2,20}?)\s+"
    r"(?:is|was|has|owes|brings|comes|came|helps|calls|lives|works|drives|does|checks|takes)\b"
)
"""'Bill from the pub owes me a tenner', 'Mr. Patel from next door brings my groceries'."""
_EN_NAME_FROM_PLACE = re.compile(
    r"\b(?P<name>" + _EN_NAME_WORD + r")\s+from\s+(?i:(?:the\s+|my\s+|our\s+)?(?P<what>church|work"
    r"|the\s+office|office|next\s+door|upstairs|downstairs|down\s+the\s+hall|school|gym|class"
    r"|[a-z]+\s+group|group|club|pub|shop|bakery|clinic|pharmacy|(?:the\s+)?[a-z]+\s+center))\b"
)
"""'ran into Tom from church', 'Gloria from upstairs': a name with where the person knows them."""
_EN_NAME_COMMA_MY = re.compile(
    r"(?:^|[.!?]\s+|\b(?i:and|with|to|so|oh|well)\s+)(?P<name>"
    + _EN_NAME_WORD
    + r"),\s+(?i:my|our)\s+"
    r"(?P<what>[\w\s'-]{1,30}?)(?=,|[.!?]|$)"
)
"""'Linda, my sister-in-law, called': a name, then whom they are to the person."""
_EN_MET_NAMED = re.compile(
    r"\b(?i:met|meet|know|knew|ran\s+into|there'?s)\s+(?i:a|an|this|some|the)\s+(?:[a-z-]+\s+){0,2}?"
    r"(?i:guy|girl|woman|man|lady|kid|boy|neighbou?r|nurse|couple|friend|person|student|teacher)\s+"
    r"(?i:named|called)\s+(?P<name>" + _EN_NAME_WORD + r")"
)
_KO_MET_NAMED = re.compile(
    r"(?P<name>[가-힣]{2,3}?)(?:이)?라는\s?(?:분|사람|친구|애|아이|언니|오빠|누나|형|동생|할머니|할아버지"
    r"|아주머니|아저씨|학생|선생님)(?:을|를|이랑|하고|과|와|이|가)?\s"
)
"""'met a girl named Priya', '지영이라는 분을 만났어요': someone new, by name."""
_EN_NAME_DIET = re.compile(
    r"(?:^|[.!?]\s+|\b(?i:and|so|oh|also|btw)\s+)(?P<name>" + _EN_NAME_WORD + r")\s+(?i:is|'s)\s+"
    r"(?i:a\s+)?(?i:vegetarian|vegan|pescatarian|diabetic|celiac|gluten[- ]free"
    r"|lactose[- ]intolerant|kosher|halal|allergic)\b"
)
"""'Priya is vegetarian', 'and Omar's diabetic': what a named person eats or cannot."""
_NOT_SOMEONE = frozenset(
    ["there", "this", "that", "it", "he", "she", "they", "everyone", "everything", "nobody", "food"]
)
_NEXT_DOOR = re.compile(r"\bnext\s+door\b|\bdown\s+the\s+hall\b|옆집", re.I)
_KO_NAME = r"[가-힣]{2,3}?"
_KO_NAME_PARTICLE = r"(?:이가|이는|이도|이랑|이한테|이고|이네|이하고|가|는|도|랑|한테|이)"
_KO_REL_THEN_NAME = re.compile(
    r"(?:^|\s)(?:우리\s|울|내\s|제\s)?(?P<rel>[가-힣]+)\s(?P<name>"
    + _KO_NAME
    + r")"
    + _KO_NAME_PARTICLE
    + r"(?=[\s,.!?~]|$)"
)
"""'울 강아지 뭉치가 밥을…', '손녀 하은이가 온대요', '회사 동료 지현이 생일이…'."""
_KO_NAME_IS_REL = re.compile(
    r"^(?P<name>" + _KO_NAME + r")(?:이는|는|은)\s+(?:(?:내|제|우리|울|나의|저의)\s)?"
    r"(?P<what>(?:[가-힣]+\s){0,2}?[가-힣]+?)(?:이야|야|인데|이고|예요|이에요|이거든|거든|이었어|였어"
    r"|이었는데|였는데|입니다|이에요|이었어요|였어요|이라서|라서|고(?=[.!~\s]*$))(?=[\s,.!?~]|$)"
)
"""'민수는 내 전 남친이야', '태오는 과 동기인데 걔가…', '콩이는 우리 집 진돗개 믹스고' (a bare
'고' is also a verb's, '만나고 왔어': it ends the line, and what comes before it names a
relation)."""
_KO_PET_BARE = re.compile(
    r"(?:^|\s)(?:우리|울|내|제)\s(?:집\s)?(?P<rel>[가-힣]+)\s(?P<name>[가-힣]{1,2}[^\s가는를을은도랑의와과에])"
    r"(?=\s)"
)
"""'우리 고양이 두부 벌써 열 살이야': a pet's name said right after it, with no particle."""
# fmt: skip (at its end): a word list read as a table, several words a line.
_KO_PET_NOT_NAME = frozenset({
    "산책", "사료", "간식", "목욕", "미용", "꼬리", "다리", "발톱", "이빨", "피부", "예방", "접종",
    "중성화", "수술", "병원", "밥그릇", "장난감", "배변", "훈련", "털이", "눈이", "귀가", "발이",
    "밥이", "요새", "벌써", "이제", "오늘", "어제", "진짜", "너무", "완전", "엄청", "되게", "나이",
})  # fmt: skip
_KO_NAME_HONORIFIC = re.compile(
    r"(?:^|[\s,.!?])(?P<name>[가-힣]{2,3})\s?(?P<hon>언니|누나|오빠|형님|형|이모|고모|삼촌|선생님|쌤|씨"
    r"|아저씨|아줌마|아주머니|할머니|할아버지|선배|후배|님|여사|집사님|권사님|장로님)"
    r"(?:이|가|은|는|도|랑|이랑|한테|에게|께|께서|이라고|라고|이래|이야|의|네|하고|이가|이에요|예요"
    r"|이세요|세요|입니다|이십니다)?(?=[\s,.!?~]|$)"
)
"""'옆집 사는 미숙 언니가…', '박선영 선생님이라고', '민지 씨가 커피를…': a name, then a title."""
_KO_ROLE_END = re.compile(r"(?:사|장|원|관|임|님|생|집|네|동|실|과|팀|반|층|쪽)$")
"""A word before a title that is a role or a place ('담임 선생님', '간호사 선생님', '옆집 언니')."""
_KO_NAME_LATER = re.compile(
    r"이름(?:은|이)\s?(?P<name>"
    + _KO_NAME
    + r")(?:이었지요|이었죠|이었어요|였어요|였지요|였죠|이었어|였어"
    r"|이었지|였지|이에요|예요|이야|야|이고요|이고|입니다|이었습니다|였습니다|이래요|이래|래|이라고|라고)"
    r"(?=[\s,.!?~]|$)"
)
"""'…먼저 갔어요. 이름이 영숙이었지요': a name told after whom it belongs to."""
_KO_NAME_ALONE = re.compile(
    r"[.!]\s+(?P<name>[가-힣]{2,4}?)(?:(?:이)?라고(?:요)?(?=[\s,.!~]|$)|[.!~]*$)"
)
"""'아들은 서울 살아요. 민혁이라고.': a name said alone after a sentence about whose it is (the
NLU's fact slot drops its '라고')."""
_KO_EX = re.compile(r"전\s(남친|여친|남자친구|여자친구|애인|남편|와이프|부인)")
# fmt: skip (at its end): a word list read as a table, several words a line.
_NOT_A_KO_NAME = frozenset({
    "요즘", "진짜", "정말", "너무", "이번", "오늘", "내일", "어제", "작년", "올해", "다음", "지금",
    "아까", "많이", "이름", "생일", "생신", "번호", "얘기", "이거", "그거", "저거", "그게", "이게",
    "사람", "하나", "둘이", "혼자", "같이", "매일", "자꾸", "계속", "항상", "벌써", "아직", "이제",
    "거기", "여기", "나중", "처음", "마지막", "다시", "정도", "때문", "회사", "학교", "병원",
    "집에",
    "밥을", "밥도", "우리", "제가", "내가", "엄청", "완전", "되게", "조금", "그냥", "요새",
    "재작년", "이번에", "다음주", "주말", "올해는",
})  # fmt: skip


# fmt: skip (at its end): a word list read as a table, several words a line.
_KO_NOT_BEFORE_TITLE = frozenset({
    "담임", "옆집", "앞집", "윗집", "동네", "교회", "성당", "절친", "친한", "그", "저", "이",
    "우리", "사촌", "큰", "작은", "막내", "경비", "택배", "주인", "옆", "앞", "위", "아래",
    "우체부", "건너", "같은", "우리반", "예쁜", "착한", "그집", "그분", "다른", "새로", "새",
    "아는", "그냥", "어떤",
    "아저", "아주머", "다들", "모두", "애들", "우리들", "여러분",
})  # fmt: skip


def _a_name(word: str) -> bool:
    """A word that can be a name (not a relation, an attribute, a job or a common word)."""
    return (
        bool(word)
        and word not in _NOT_A_KO_NAME
        and word not in _NOT_A_NAME
        and not relation(word)
        and not attribute(word)
    )


def names_in(text: str) -> list[tuple[str, str]]:
    """(relation or '', name) for each name a line says in passing, in order.

    >>> names_in("Jake is my running buddy, we do 5k on Saturdays")
    [('friend', 'Jake')]
    >>> names_in("울 강아지 뭉치가 요즘 밥을 잘 안 먹어")
    [('dog', '뭉치')]
    """
    text = _KO_EX.sub(r"전\1", text)
    found: list[tuple[str, str]] = []

    def add(rel: str, name: str) -> None:
        name = re.sub(r"['’]s$", "", name)
        if name and all(n != name for _, n in found):
            found.append((rel, name))

    for hit in _EN_REL_THEN_NAME.finditer(text):
        if relation(hit["rel"]) and hit["name"] not in _EN_NOT_NAME:
            add(relation(hit["rel"]), hit["name"])
    for hit in _EN_REL_NAMES.finditer(text):  # 'the grandkids, Noah and Lily, come over'
        if relation(hit["rel"]):
            for name in (hit["name"], hit["name2"]):
                if name and name not in _EN_NOT_NAME:
                    add(relation(hit["rel"]), name)
    for hit in _EN_MY_NAME.finditer(text):  # 'a widower six years now, my Linda passed'
        if not relation(hit["name"]) and hit["name"] not in _EN_NOT_NAME:
            widowed = re.search(r"\bwidow(er)?\b", text, re.I)
            add(("wife" if widowed[1] else "husband") if widowed else "", hit["name"])
    if (m := _EN_NAME_IS_MY.search(text)) and m["name"] not in _EN_NOT_NAME:
        words = m["what"].split()
        rel = next((relation(w) for w in reversed(words) if relation(w)), "")
        add(rel, (m["title"] or "") + m["name"])
    if (m := _EN_NAME_FROM.search(text)) and m["name"] not in _EN_NOT_NAME:
        add(
            "neighbor" if _NEXT_DOOR.search(m["what"]) else relation(m["what"].split()[-1]),
            m["name"],
        )
    for hit in _EN_NAME_FROM_PLACE.finditer(text):
        if hit["name"] not in _EN_NOT_NAME and all(hit["name"] != n for _, n in found):
            add(
                "neighbor"
                if _NEXT_DOOR.search(hit["what"]) or re.search(r"stairs", hit["what"], re.I)
                else "",
                hit["name"],
            )
    for hit in _EN_NAME_COMMA_MY.finditer(text):
        if hit["name"] not in _EN_NOT_NAME:
            rel = next((relation(w) for w in reversed(hit["what"].split()) if relation(w)), "")
            add(rel, hit["name"])
    for pattern in (_EN_MET_NAMED, _KO_MET_NAMED, _EN_NAME_DIET):
        for hit in pattern.finditer(text):
            name = hit["name"]
            if name in _EN_NOT_NAME or name.lower() in _NOT_SOMEONE:
                continue
            if pattern is not _KO_MET_NAMED or _a_name(name):
                add("", name)
    for hit in _EN_TITLED.finditer(text):
        if all(hit["name"] not in n for _, n in found):
            add("neighbor" if _NEXT_DOOR.search(text) else "", hit.group(0))
    for hit in _KO_REL_THEN_NAME.finditer(text):
        if relation(hit["rel"]) and _a_name(hit["name"]):
            add(relation(hit["rel"]), hit["name"])
    for hit in _KO_PET_BARE.finditer(text):
        pet, name = relation(hit["rel"]), hit["name"]
        if pet in ("dog", "cat") and _a_name(name) and name not in _KO_PET_NOT_NAME:
            add(pet, name)
    for hit in _KO_NAME_HONORIFIC.finditer(text):
        name = hit["name"]
        if _a_name(name) and not _KO_ROLE_END.search(name) and name not in _KO_NOT_BEFORE_TITLE:
            titled, before = relation(hit["hon"]), mentions(text[: hit.start()])[0]
            kin_word = titled in (
                "sister",
                "brother",
                "aunt",
                "uncle",
                "grandmother",
                "grandfather",
            )
            if titled == "teacher" and _MEDICAL_BEFORE.search(text[: hit.start()]):
                titled = "doctor"  # '남편 주치의는 서울내과 최민석 선생님이에요'
            add(before if (kin_word and before) or not titled else titled, name)
    for sentence in re.split(r"(?<=[.!?~])\s+", text):  # one name a sentence: the son, the dog
        if (m := _KO_NAME_IS_REL.search(sentence.strip())) and _a_name(m["name"]):
            rel = next((relation(w) for w in reversed(m["what"].split()) if relation(w)), "")
            if rel:
                add(rel, m["name"])
    return found


# fmt: skip (at its end): a word list read as a table, several words a line.
_EN_NOT_NAME = frozenset({
    "I", "I'm", "I've", "I'd", "I'll", "Ok", "Okay", "So", "Oh", "Well", "And", "But", "The",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Christmas", "Easter", "Thanksgiving", "My", "Our", "He", "She",
    "They", "We", "It", "This", "That", "Just", "Also", "Ugh", "Btw", "Fyi", "Lol",
})  # fmt: skip


# fmt: skip (at its end): a word list read as a table, several words a line.
_EN_NOT_SELF_NAME = frozenset({
    "Fine", "Good", "Great", "Okay", "Ok", "Sorry", "Back", "Home", "Here", "There", "Done", "Sure",
    "Tired", "Bored", "Korean", "American", "British", "Canadian", "Australian", "Indian", "Irish",
    "English", "Chinese", "Japanese", "Filipino", "Vietnamese", "Mexican", "German", "French",
    "Christian", "Catholic", "Buddhist", "Muslim", "Jewish", "Not", "So", "Really", "Just", "Still",
    "Alone", "Retired", "Single", "Married", "Happy", "Sad", "Late", "Off", "Out", "Up", "Free",
})  # fmt: skip
_KO_NOT_SELF = re.compile(
    r"(?:길|중|쪽|집|날|때|편|거|것|뿐|차례|번|살|째|님|들|생|원|사|관|장)$"
    r"|^(?:스물|서른|마흔|쉰|예순|일흔|여든|아흔|열|지금|여기|거기|완전|진짜|오늘|아직|벌써|혼자|또|이제)"
)
"""Words that end '나는 …야' without being a name: a place on the way, a state, an age, a job."""


def _an_en_name(word: str) -> bool:
    """A capitalised word that can be the person's own name ('Dan', not 'Fine' or 'Korean')."""
    return (
        word not in _EN_NOT_NAME
        and word not in _EN_NOT_SELF_NAME
        and not relation(word)
        and not attribute(word)
    )


def _first_words(value: str, attr: str) -> str:
    """The value as said, cut where a name ends ('Raj and he is 70' -> 'Raj')."""
    value = value.strip(_TRAIL)
    if attr == "name":
        value = re.split(r"\s+(?:and|but|btw|by the way|,)\b|,", value)[0]
    return value.strip(_TRAIL)


# fmt: skip (at its end): one kind and its pattern a line, read as a table.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("name", re.compile(
        r"(?:^|\s)(?:내|제)\s*이름은\s*(?P<value>\S+?)(?:이야|야|입니다|이에요|예요|이라고|라고|$)")),
    ("name", re.compile(
        r"\b(?:my name is|my name's|call me|i am called|i'm called)\s+(?P<value>[a-z][\w'-]*)",
        re.I)),
    ("birthday", re.compile(r"생일|생신|birthday", re.I)),
    ("person", re.compile(
        r"(?P<value>언니|누나|형|오빠|동생|엄마|어머니|아빠|아버지|딸|아들|남편|아내|할머니|할아버지|"
        r"친구|고양이|강아지)\s*(?:이름|는|은|가|이)", re.I)),
    ("person", re.compile(
        r"\bmy (?P<value>sister|brother|mom|mother|mum|dad|father|daughter|son|husband|wife|"
        r"friend|cat|dog)(?:'s)?\b", re.I)),
    ("dislike", re.compile(
        r"싫어|못 ?먹|안 ?먹|안 ?좋아하|안 ?좋아해|별로야"
        r"|\b(?:hate|don't like|do not like|dislike|can't stand)\b",
        re.I)),
    ("like", re.compile(
        r"(?<!안 )(?<!안)좋아|사랑해|즐겨|\b(?:love|like|enjoy|favou?rite|adore)\b", re.I)),
)  # fmt: skip

_KIND_WORDS = {
    "name": {"이름", "name", "called"},
    "birthday": {"생일", "생신", "birthday", "born"},
    "like": {"좋아", "좋아하는", "like", "likes", "love", "favorite", "favourite", "enjoy"},
    "dislike": {"싫어", "싫어하는", "hate", "dislike", "like"},
    "allergy": {"알레르기", "알러지", "allergy", "allergic", "allergies"},
    "person": set(),
    "note": set(),
    "fact": set(),
}


def _stem(word: str) -> str:
    """A Korean word without its trailing particle, an English one without plural/possessive."""
    word = re.sub(r"(은|는|이|가|을|를|의|에|에게|한테|께|이랑|랑|과|와|도|만|이야|야)$", "", word)
    return re.sub(r"('s|s)$", "", word) if word.isascii() else word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in normalize(text).split() if len(_stem(w)) >= 1}


_STOP = {
    "my",
    "your",
    "the",
    "a",
    "an",
    "about",
    "of",
    "is",
    "what",
    "내",
    "제",
    "나",
    "저",
    "우리",
}


def matches(body: dict, topic: str) -> bool:
    """Whether a remembered fact is about `topic` by its words (either language)."""
    wanted = _words(topic) - _STOP
    if not wanted:
        return False
    have = _words(body.get("text", "")) | _KIND_WORDS.get(body.get("kind", "fact"), set())
    if body.get("value"):
        have |= _words(body["value"])
    text = normalize(body.get("text", ""))
    return any(w in have or (len(w) >= 2 and w in text) for w in wanted)


def about(body: dict) -> tuple[str, str]:
    """(person, attribute) of a stored fact; facts kept before structure are analysed again."""
    if "person" in body or "attribute" in body:
        return body.get("person", ""), body.get("attribute", "")
    fact = analyse(body.get("text", ""), body.get("lang", "en"))
    return fact.person, fact.attribute


_vectors: dict[tuple[str, str], object] = {}
"""Embeddings of fact texts by (key, text): a cache derived from the facts, rebuilt per process."""


LOOSE_BEST = 0.25
"""Below the usual threshold, the best fact still answers when it is this close in meaning…"""
LOOSE_MARGIN = 0.08
"""…and this far ahead of the next ('내가 무슨 운동 한다고 했지?' ~ '필라테스 다니는데')."""


def by_meaning(
    query: str, facts: list[tuple[str, dict]], threshold: float = 0.5, loose: bool = False
) -> list[tuple[str, dict]]:
    """Facts whose text means what the query asks about (sentence encoder), best first; with
    `loose`, a single fact clearly nearer than all others answers below the threshold."""
    if not facts:
        return []
    try:
        import numpy as np

        from earpiece.nlu.encoder import EncoderError, embed
    except ImportError:  # pragma: no cover
        return []
    try:
        missing = [(k, b["text"]) for k, b in facts if (k, b["text"]) not in _vectors]
        if missing:
            for (k, t), v in zip(missing, embed([t for _, t in missing]), strict=True):
                _vectors[(k, t)] = v
        q = embed([query])[0]
    except EncoderError:
        return []
    scores = np.array([float(_vectors[(k, b["text"])] @ q) for k, b in facts])
    best = float(scores.max())
    order = np.argsort(-scores)
    if best < threshold:
        second = float(scores[order[1]]) if len(order) > 1 else -1.0
        if loose and best >= LOOSE_BEST and best - second >= LOOSE_MARGIN:
            return [facts[int(order[0])]]
        return []
    return [facts[i] for i in order if scores[i] >= max(threshold, best - 0.04)]


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two short texts by meaning (0 when the encoder is missing)."""
    try:
        from earpiece.nlu.encoder import EncoderError, embed

        va, vb = embed([a, b])
    except (ImportError, EncoderError):
        return 0.0
    return float(va @ vb)


# --- telling: a statement that says something lasting about the person or their people

_WISH = re.compile(r"싶|\b(?:want|wanna|wish|hope|should|might|maybe|thinking\s+about)\b", re.I)
_PASSING_TODAY = re.compile(
    r"\b(?:earlier|today|this\s+(?:morning|afternoon|evening)|tonight|last\s+night|yesterday"
    r"|just\s+now|a\s+(?:minute|while)\s+ago|for\s+(?:lunch|dinner|breakfast))\b|아까|방금|오늘|어제|좀\s?전에",
    re.I,
)
_EN_PAST = re.compile(
    r"\b(?:called|went|ate|had|got|watched|came|saw|did|made|bought|took|met|finished|was|were"
    r"|texted|visited|cooked|walked|said|told|sent|asked)\b",
    re.I,
)
_KO_PAST_END = re.compile(
    r"(?:었|았|했|였|갔|왔|봤|샀|먹었)(?:어|어요|습니다|다|네|네요|지|더라)?[.!~]*$"
)
_EN_LASTING = re.compile(
    r"\bi(?:'m|\s+am)\s+(?:an?\s+\w+|lactose|gluten|vegetarian|vegan|diabetic|pregnant|deaf|blind"
    r"|retired|married|divorced|widowed|single|left-handed|allergic|intolerant|from|originally)\b"
    r"|\bi(?:'ve|\s+have)\s+got\s+(?:an?\s+|my\s+)?(?!a\s+(?:question|sec|minute|feeling)\b)\w+"
    r"|\bi\s+have\s+(?:an?\s+)?(?:pacemaker|diabetes|asthma|arthritis|dementia|cancer|hearing\s+aid"
    r"|bad\s+\w+|heart\s+\w+|kidney\s+\w+|two|three|\d)\b"
    r"|\bi\s+(?:drive|live|work|study|volunteer|teach|coach|play|swim|knit|paint|collect|sing"
    r"|go\s+to\s+(?:church|the\s+gym|school|college|university|class))\b"
    r"|\b(?:every|each)\s+(?:day|morning|evening|night|week|weekend|sunday|monday|tuesday"
    r"|wednesday|thursday|friday|saturday)\b|\bon\s+(?:sundays|mondays|tuesdays|wednesdays"
    r"|thursdays|fridays|saturdays|weekends)\b"
    r"|\b(?:lives|works|studies|stays|goes\s+to|plays|teaches|volunteers|visits|calls|comes)\b"
    r"|\b(?:is|'s|are|'re)\s+(?:\w+\s+)?(?:at|in)\s+(?-i:[A-Z])"
    r"|\bowes?\s+(?:me|him|her|us|them|\$|\d)|\bi\s+(?:lent|loaned|owe)\b"
    r"|\b(?:agreed|promised)\s+to\s+(?:pay|give|return|bring)\b"
    r"|\b(?:worked|lived|taught|ran)\s+(?:[\w'-]+\s+){0,5}?for\s+(?:\d+|[a-z]+ty(?:-[a-z]+)?)\s+years\b"
    r"|\b(?:lands|arrives|gets\s+in(?:to)?|flies\s+(?:in|back|home|out)|is\s+(?:flying|coming|driving)"
    r"\s+(?:in|up|down|home|over|back))\b",
    re.I,
)
_EN_LASTING_WORD = re.compile(
    r"\b(?:pacemaker|diabetes|diabetic|asthma|arthritis|dementia|surgery|hearing\s+aid|wheelchair"
    r"|allergic|intolerant|medication|meds|pills|insulin|hospital|clinic|nursing\s+home|school"
    r"|college|university|married|divorced|pregnant|knees?|hips?|eyesight|hearing)\b",
    re.I,
)
"""Words of something lasting; in a line that only tells what was done ('I took my pills') they
do not make it a fact to keep."""
_KO_LASTING = re.compile(
    r"다니(?:는데|고|어|며|거든|잖아|는\s?중)|다녀(?:요)?(?=[\s,.!~]|$)|배우(?:고|는데|는\s?중)"
    r"|키우(?:고|는데|거든|잖아|어|는)|키워|(?:에|에서)\s?(?:살아|살고|사는데|살거든)|알바|근무|일하(?:고|는데)"
    r"|일해|마다|매일|매주|무릎|허리|어깨|심장|혈압|당뇨|관절|치매|디스크|수술|보청기|틀니|지팡이"
    r"|못\s?먹|안\s?먹어|알러지|알레르기|두드러기|(?:먹으면|마시면)\s?(?:배탈|설사|가려)|결혼(?:해|했|한대|할|식)|이사(?:해|했|갈|간)|취업|입원|퇴원"
    r"|임신|은퇴|돌아가셨|먼저\s?갔|하늘나라|병원|요양원|학교|대학|회사|유치원|어린이집|잘하|좋아하|싫어하"
    r"|기로\s?(?:했|한)|빌려\s?(?:줬|줌)|빌렸|갚(?:아야|을|기로)|\d+\s?년\s?(?:동안\s?|간\s?|넘게\s?)?[가-힣]*(?:일했|근무했|다녔|장사했)"
)
_WEATHER = re.compile(
    r"날씨|비\s?(?:와|오|온)|눈\s?(?:와|오|온)|\b(?:weather|rain\w*|snow\w*)\b", re.I
)
_EN_POSSESSED = re.compile(r"\b(?:my|our)\s+(?:\w+\s+){0,2}?(?P<rel>[a-z-]+|[가-힣]+)", re.I)
_ANIMALS = ("cat", "dog")


def _possessed_relation(text: str) -> str:
    """A relation the line says is theirs: 'my mom', '우리 엄마', '남편이' (Korean leaves the
    'my' out for people, not for a cat or a dog), 'Dad has…' (a relation said as a name)."""
    for m in _EN_POSSESSED.finditer(text):
        if rel := relation(m["rel"]):
            return rel
    for m in re.finditer(r"(?:^|[.!?]\s+)(?P<rel>[A-Z][a-z]+)(?:['’]s)?\b", text):
        if (rel := relation(m["rel"])) and rel not in _ANIMALS:
            return rel
    if has_korean(text):
        rel = mentions(text)[0]
        mine = re.search(r"(?:^|\s)(?:우리|울|내|제|저희)\s?\S", text)
        if rel and (rel not in _ANIMALS or mine):
            return rel
    return ""


_INFO_NOUN = (
    r"code|password|passcode|pin|number|address|locker|car|plate|size|type|email|e-mail|wifi|wi-fi"
    r"|anniversary|favou?rite\s+\w+|account|room|seat|flight|licen[cs]e|id|insurance|bank|postcode"
    r"|zip|apartment|unit|floor|parking\s+spot|spot"
)
_EN_INFO = re.compile(
    r"^(?:(?:fyi|btw|oh|and|so|also|ok|okay)[\s,]+)*(?P<whose>my|our|the)\s+(?P<what>[\w\s'-]{1,30}?)"
    r"\s+(?P<verb>is|are|'s|was)\s+(?P<value>.+)$"
    r"|\bi(?:'m|\s+am)\s+\d{1,3}(?:\s+years?\s+old)?[\s.!,]*$|\b(?:i\s+was\s+)?born\s+(?:in|on)\s+\S",
    re.I,
)
_KO_INFO = re.compile(
    r"(?:비번|비밀번호|번호|주소|혈액형|사이즈|사물함|이메일|메일|와이파이|기념일|차종|계좌|호수|좋아하는\s?\S+)"
    r"(?:은|는|이|가)?\s+\S*(?:\d|[A-Za-z])|\d+\s?살(?:이야|야|이에요|예요|입니다|이고|인데)?[.!~]*$"
    r"|혈액형\s?\S*형|(?:에서|에서\s?태어)\s?태어났"
)


def _tells_info(text: str) -> bool:
    """'our wifi password is bluefish22', 'my locker is 212', 'I'm 74', '현관 비밀번호 4821',
    '나 27살이야': a piece of information about the person, kept as told."""
    if _KO_INFO.search(text) or _EN_NUMBER_IS.search(text) or _EN_NAMED_PLACE.search(text):
        return True
    m = _EN_INFO.search(text)
    if not m:
        return False
    if not m.groupdict().get("what"):
        return True  # an age, a birthplace
    mine_now = m["whose"].lower() != "the" and m["verb"].lower() != "was"
    return bool(  # 'the bus was 10 minutes late' is not about them
        re.search(rf"\b(?:{_INFO_NOUN})\b", m["what"], re.I)
        or (mine_now and re.search(r"\d", m["value"]))
        or (m["verb"].lower() != "was" and _PHONE_SHAPE.search(m["value"]))
        or (mine_now and re.search(r"(?:^|\s)(?:the\s+)?(?-i:[A-Z])[\w'’-]+", m["value"]))
    )  # 'the clinic's line is 312-555-0188', 'our vet is the Parkside clinic'


_EN_NAMED_PLACE = re.compile(
    r"^(?:(?:our|my|the)\s+)?(?:[a-z][\w'-]*\s+){1,3}(?:is|are)\s+(?:the\s+)?(?-i:[A-Z])[\w'’&-]+"
    r"(?:\s+(?-i:[A-Z])[\w'’&-]+)*\s+(?:on|at|in|by)\s+(?:the\s+)?(?-i:[A-Z])",
    re.I,
)
"""'Funeral home is Schoedinger on Main', 'the dry cleaner is Kim's on Elm': where a thing is."""
_EN_NUMBER_IS = re.compile(r"^(?:[\w'’-]+\s+){1,4}(?:is|are)\s+\+?\d[\d\s().-]{6,}\d\b")
"""'Clinic after-hours line is 312-555-0111': a number told, whoever's it is."""
_PHONE_SHAPE = re.compile(r"\d{2,4}[-.\s]\d{3,4}[-.\s]?\d{0,4}")


_KO_REMARK_END = re.compile(
    r"(?:네요|네|구나|군요|구만|더라|더라고요|더라구요|겠다|겠어|겠네|잖아|잖아요|죠|지)[.!~…]*$"
)
"""A Korean sentence said as a remark ('아침마다 전쟁이네요'), not as something to know."""
_KO_REQUEST_END = re.compile(r"(?:줘|주세요|줄래|줄래요|주실래요|줘요|주라)[.!~…]*$")
_KO_LASTING_PAST = re.compile(
    r"돌아가셨|먼저\s?갔|하늘나라|결혼했|이사했|은퇴했|수술(?:했|을\s?했|받았)|입원했"
    r"|\d+\s?년\s?(?:동안\s?|간\s?|넘게\s?|가까이\s?)?[가-힣]*(?:일했|근무했|다녔|장사했|살았|가르쳤)"
    r"|기로\s?했"
)
"""Things done that last: a death, a move, years of work ('20년 장사했는데'), an agreement
('월말에 받기로 했어')."""


def _ko_past(sentence: str) -> bool:
    """A Korean sentence ending in the past tense: a syllable with ㅆ ('보냈어요', '왔다')."""
    m = re.search(
        r"([가-힣])(?:어|어요|습니다|다|네|네요|지|더라|는데|거든|거든요)?[.!~…]*$", sentence
    )
    if m is None or m[1] in "있밌없잇":
        return False
    return (ord(m[1]) - 0xAC00) % 28 == 20


_KO_GUESS = re.compile(
    r"(?:나|는가|ㄴ가|인가|은가|다나|대나|했나|갔나|왔나)\s?(?:봐|봐요|보다|봅니다|보네|보네요)"
    r"|(?:것|거)\s?같(?:아|아요|다|네|네요|더라)|다더라|다던데|대더라|라던데"
)
"""'딸네 갔나 봐요', '이사 간 것 같아', '아프다던데': a guess or hearsay about someone."""


def is_a_wish(text: str) -> bool:
    """'고양이 키우고 싶다', 'I wish I had a dog': a wish naming nobody."""
    return bool(_WISH.search(text)) and not names_in(text)


def passing_korean(text: str) -> bool:
    """Every sentence of a Korean line is a request, a remark, an account of something done
    or about today; an interjection alone ('아이고') says nothing either way."""
    if _PASSING_TODAY.search(text) and not re.search(r"오늘부터|이제부터", text):
        return True
    said = [p.strip(" .!?~…") for p in re.split(r"(?<=[.!?~])\s+|,\s+", text.strip())]
    said = [p for p in said if len(p.split()) > 1 or len(p) > 3]
    return bool(said) and all(
        _KO_REQUEST_END.search(p)
        or _KO_REMARK_END.search(p)
        or _KO_GUESS.search(p)
        or (_ko_past(p) and not _KO_LASTING_PAST.search(p))
        for p in said
    )


def _ko_lasting(text: str) -> bool:
    """A Korean sentence with a word of something lasting, said as a statement: not a request
    ('소리 좀 키워 주세요'), a remark ('…전쟁이네요') or an account of something done
    ('학교 보냈어요'), unless what was done lasts ('작년에 돌아가셨어요')."""
    for sentence in re.split(r"(?<=[.!?~])\s+|,\s+", text.strip()):
        sentence = sentence.strip(" .!?~…")
        if not sentence or not _KO_LASTING.search(sentence):
            continue
        if _KO_LASTING_PAST.search(sentence):
            return True  # '…20년 장사했는데 나가라더라': years of work, told as a remark
        if _KO_REQUEST_END.search(sentence) or _KO_REMARK_END.search(sentence):
            continue
        if _ko_past(sentence):
            continue
        return True
    return False


def told_in_passing(text: str, fact: Fact | None = None) -> bool:
    """Whether a statement tells something lasting about the person or their people although
    it has no usual shape ('Jake is my running buddy', '할머니가 요양원에 계셔서 주말마다 가',
    '제가 당뇨가 있어서요, 아침마다 혈당을 재요'); not a thing that happened today ('I went to
    the store earlier'), a wish, or a remark about the weather. The caller has ruled out a
    question."""
    fact = fact or analyse(text, written_in(text))
    if _EN_MET_NAMED.search(text) or _KO_MET_NAMED.search(text):
        return True  # someone new, by name: lasting, though met today
    if _PASSING_TODAY.search(text) and (_EN_PAST.search(text) or _KO_PAST_END.search(text)):
        return False  # 'my sister called me earlier', '아까 엄마랑 통화했어'
    if (_WISH.search(text) or _WEATHER.search(text)) and not fact.names:
        return False  # '고양이 키우고 싶다', '주말마다 비 오네'
    korean = has_korean(text)
    mine = re.search(r"(?:^|\s)(?:우리|울|내|제|저희)\s?\S", text)
    if korean and fact.names and _KO_GUESS.search(text) and not mine:
        return False  # '옆집 순자 할머니가 요즘 안 보이네. 딸네 갔나 봐': a guess about another
    if fact.names or _tells_info(text):
        return True
    if korean and _PASSING_TODAY.search(text) and not re.search(r"오늘부터|이제부터", text):
        return False  # '오늘 병원 가는 날이라 좀 떨리네요': about today, not lasting
    english_words = _EN_LASTING_WORD.search(text) and (
        not _EN_PAST.search(text) or re.search(r"\b(?:has|have)\s+(?:an?\s+)?", text, re.I)
    )  # 'Mom has a pacemaker, she got it in March'

    lasting = bool(_EN_LASTING.search(text) or english_words or _ko_lasting(text))
    if not lasting:
        return False  # 'my dog died', '딸이 바빠서요': something that happened, a passing state
    if _possessed_relation(text):
        return True  # 'my mom's at Asan', '남편이 작년에 허리 수술을 해서요'
    return korean or bool(
        re.search(r"\b(?:i|i'm|i've|my|me)\b", text, re.I)
    )  # a Korean line leaves out '나'; an English one about nobody in particular is not kept
