"""The safety verdict on one utterance: the rules first, then its meaning."""

from __future__ import annotations

import re

from earpiece.nlu.safety.model import model_danger
from earpiece.nlu.safety.patterns import (
    AFTER_EN,
    AFTER_KO,
    OVER_EN,
    OVER_KO,
    Danger,
    concern_rules,
    over,
    rules,
    without_figures,
)


def danger(text: str, intent: str = "unknown") -> Danger | None:
    """The danger an utterance speaks of, by rules first and then by the classifier; None if none.

    Recall comes first: the rules are a floor (what they catch stays caught); the learned
    classifier (models/safety/crisis.npz) reads every turn that is not a plain yes or no.
    CONCERN (the check-in band, companion/checkin.py) comes from the classifier alone.
    """
    found = rules(text)
    if found is not None or intent in _NO_MODEL_INTENTS:
        return found
    literal = without_figures(text)
    if not literal.strip():
        return None
    by_model = model_danger(literal)
    if by_model is Danger.EMERGENCY and _WOKE.search(text.strip()):
        by_model = None  # 'I just woke up' is not 'he won't wake up'
    if by_model is Danger.CONCERN and _ROUTINE_DOSE.search(text.strip()):
        by_model = None  # 'I take insulin every morning': a routine, not a worry (the rules
        # still catch an amount taken, pills hoarded or counted)
    if by_model is not None and not _ACUTE.search(text):
        if _ORDINARY.search(text.strip()):
            by_model = None  # an everyday fact or errand: the rules alone judge it
        elif by_model is Danger.EMERGENCY and _ACHE.search(text.strip()):
            by_model = None  # an aching leg is not an emergency
    if by_model is Danger.EMERGENCY and _ASKING.search(text) and not _ACUTE.search(text):
        by_model = None  # '…자꾸 물어봐': 물어보다 is asking, not 물다 (a bite)
    if by_model is Danger.EMERGENCY and _HABIT.search(text) and not _NOW.search(text):
        by_model = None  # 'mango gives me a rash': a lasting condition told, not one happening
    if _told_condition(text, by_model):
        by_model = None  # 'I'm allergic to latex, by the way': a fact to keep, not a worry
    if (
        by_model is Danger.EMERGENCY
        and _USUAL_DOSE.search(text)
        and not _AMOUNT_OR_SIGN.search(text)
    ):
        by_model = None  # 'a glass of wine and my evening tablets': the usual dose, no amount
    if by_model in (None, Danger.CONCERN) and concern_rules(text):
        return Danger.CONCERN  # 'when I'm gone': ask, give the line, serve nothing
    return by_model


_ROUTINE_DOSE = re.compile(
    r"^(?:i|we|my\s+\w+)\s+(?:take|takes|use|uses|am\s+on|is\s+on)\s+(?:my\s+|his\s+|her\s+)?"
    r"[\w-]+(?:\s+[\w-]+)?(?:\s+(?:pills?|tablets?|shots?|medicine|meds))?\s+"
    r"(?:every|each|twice\s+a|once\s+a|in\s+the)\s+(?:morning|day|night|evening|week)s?[.!]?$"
    r"|^(?:(?:저는|나는|난|전)\s?)?(?:매일|아침마다|저녁마다|밤마다|하루\s?(?:에\s?)?(?:한|두|세)\s?번)\s?"
    r"[가-힣]+(?:을|를)?\s?(?:먹어|먹어요|먹습니다|맞아|맞아요|맞습니다|놔|놔요)[.!]?$",
    re.I,
)
"""A routine dose said plainly ('I take insulin every morning', '매일 아침 혈압약 먹어요'): the
classifier's check-in band, fed on 'pills' beside worries, must not ask a crisis question."""


_ORDINARY = re.compile(
    r"\b(?:an?|one|two|a\s+couple\s+of|[12])\s+(?:\w+\s+)?(?:pills?|tablets?|paracetamols?|ibuprofens?"
    r"|aspirins?|advils?|tylenols?|painkillers?)\s+(?:for|because\s+of)\s+(?:my|the|a|this|her|his)\s+"
    r"(?:\w+\s+)?(?:headache|migraine|back|cold|period|cramps|toothache|fever|knee|pain|hangover)"
    r"|(?:두통약|감기약|진통제|소화제|타이레놀|약)\s?(?:을|를)?\s?(?:한|두|1|2)\s?(?:알|개|봉|포)\s?(?:먹었|챙겨)"
    r"|(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|열한|열두|스무|\d+)\s?(?:살|개월)\s?(?:이야|이에요|이다|이고|됐어"
    r"|됐어요|됐다|이거든|이래|이에요)"
    r"|\b(?:is|turned|turns|'s)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"\s+(?:years?\s+old|today|this\s+year|next\s+week)\b"
    r"|(?:재활용|쓰레기|분리수거|음식물|장\s?보는|청소하는|빨래하는)\s?(?:버리는|내놓는|하는)?\s?날"
    r"|\b(?:recycling|bin|rubbish|trash|garbage)\s+(?:day|collection|goes\s+out)\b"
    r"|(?:야경|경치|풍경|전망|노을|단풍|벚꽃)(?:이|가)?\s?(?:진짜\s?|너무\s?|정말\s?)?(?:예쁘|예뻐|좋|멋|끝내|최고)"
    r"|\b(?:view|views|scenery|sunset|lights)\b.{0,20}\b(?:beautiful|lovely|gorgeous|amazing|stunning"
    r"|pretty|nice)\b"
    r"|\b(?:train|bus|tube|flight|tram)s?\s+(?:was|were|is|are|got)\s+(?:late|delayed|cancelled"
    r"|canceled|packed|crowded|slow)\b"
    r"|(?:내일|다음\s?주|다음에|이따가?|주말에)\s?(?:또\s?)?(?:보자|봐|봐요|만나|만나요|뵐게요|통화해)"
    r"|\bsee\s+you\s+(?:tomorrow|soon|later|next|on\s+\w+day|in\s+the\s+morning)\b"
    r"|\btalk\s+(?:to\s+you\s+)?(?:tomorrow|later|soon)\b"
    r"|\b(?:lovely|beautiful|nice|pretty|great|gorgeous)\s+(?:walking\s+|cycle\s+|bike\s+)?(?:path|walk"
    r"|views?|park|garden|promenade)\b"
    r"|\brope\b.{0,30}\b(?:beans?|peas|tomato\w*|plants?|trellis|boxes|luggage|tent|washing\s+line)\b"
    r"|\b(?:drank|had|finished)\s+(?:a\s+(?:whole\s+)?|the\s+whole\s+)?(?:bottle|glass|jug|pint|litre)\s+of\s+"
    r"(?:water|juice|milk|tea|coffee|squash|lemonade)\b"
    r"|^(?:please\s+)?remember\s+(?:that\s+)?(?:the|my|our)\s+(?:\w+\s+){1,3}(?:is|are)\s+(?:under|in"
    r"|behind|on|at|next\s+to|inside|beside|above|below)\b"
    r"|(?:칼|식칼|부엌칼|과도)(?:로|으로)\s?(?:\S+\s?){0,1}?(?:양파|당근|대파|마늘|고기|야채|채소|감자|배추"
    r"|양배추|과일|사과|생선|두부|호박|오이)(?:를|을|좀)?\s?(?:썰|써는|썬다|다지|다져|손질|깎|자르|잘라)"
    r"|\b(?:chopping|slicing|dicing|peeling|carving)\s+(?:up\s+)?(?:the\s+|some\s+|an?\s+)?(?:onions?"
    r"|carrots?|veg\w*|potatoes|meat|chicken|bread|roast|turkey|garlic|herbs|apples?)\b",
    re.I,
)
"""Everyday facts and errands the classifier misreads (a small dose for a headache, a pet's
age, bin day, a night view, a late train, 'see you tomorrow', where the spare key is, a kitchen
knife at work on the vegetables): the
classifier is not asked; the rules still judge every such line."""

_ACHE = re.compile(
    r"(?:다리|무릎|허리|발목|어깨|팔|발)(?:가|이)?\s?(?:너무\s?|좀\s?|많이\s?)?(?:아파|아프|쑤셔|결려)"
    r"|\bmy\s+(?:legs?|knees?|back|feet|hips?|shoulders?)\s+(?:hurts?|aches?|ache|are\s+sore|is\s+sore)\b",
    re.I,
)
"""An aching limb ('다리가 아파서 계단 못 올라가겠어'): not an emergency by the classifier."""

_SIGNS = (
    r"심장|가슴|숨|호흡|의식|피가|피를|출혈|저려|저리|마비|쓰러|넘어졌|떨어졌|토하|토했|경련|발작|왼팔"
    r"|\b(?:chest|heart|breath\w*|blood|bleed\w*|numb|faint\w*|collaps\w*|fell|fallen|vomit\w*"
    r"|seizure|unconscious|left\s+arm|overdos\w*|die|dying|dead|kill\w*|end\s+it)\b"
)
_ACUTE = re.compile(_SIGNS + r"|약을|약\s?다|손목|그어|긋|\b(?:pills|tablets|wrists?)\b", re.I)
"""Words that keep a line from being called everyday: an ache beside a racing heart or a left
arm, a late bus beside saved pills, is still read by the classifier."""

_ASKING = re.compile(r"물어\s?(?:봐|보|본|볼|봤|봅)")
"""물어보다, to ask ('애가 자꾸 물어봐서'): the classifier can take its 물어 for a bite (물다)."""

_USUAL_DOSE = re.compile(
    r"\b(?:my|her|his)\s+(?:usual|morning|evening|night|nightly|daily|bedtime|blood\s+pressure)\s+"
    r"(?:pills?|meds|tablets?|dose|medication|medicine)\b"
    r"|(?:아침|저녁|점심|자기\s?전|평소|혈압)\s?약(?:을|를|도)?\s?(?:먹었|챙겨\s?먹었)",
    re.I,
)
_AMOUNT_OR_SIGN = re.compile(
    _SIGNS + r"|\b(?:all|whole|rest|lot|lots|load|bunch|many|handful"
    r"|bottle\s+of\s+(?:vodka|wine|whisk\w+|gin|rum))\b"
    r"|\b(?:\d{2,}|twenty|thirty|forty|fifty)\b|다\s?먹|한\s?통|잔뜩|전부|몽땅",
    re.I,
)
"""The usual dose said with a drink ('a glass of wine and my evening tablets') is not read as an
overdose by the classifier unless an amount or an acute sign is said."""

_HABIT = re.compile(
    r"\b(?:when(?:ever)?|if|every\s+time)\s+i\s+(?:eat|have|drink|touch|use|wear)\b"
    r"|\bgives?\s+me\s+(?:a\s+)?(?:rash|hives|eczema|a\s+stomach\s?ache|the\s+runs)\b"
    r"|\b(?:i'?m|i\s+am|(?:she|he)\s+is|(?:she|he)'s)\s+allergic\s+to\b"
    r"|(?:먹으면|마시면|만지면|바르면|닿으면)\s?(?:온몸에\s?|얼굴에\s?)?(?:꼭\s?|항상\s?)?"
    r"(?:두드러기|배탈|알레르기|가려|설사|발진)",
    re.I,
)
"""An allergy or intolerance told as a lasting condition ('I break out in a rash when I eat
mango', '새우 먹으면 두드러기 나'): a fact to keep, not an emergency by the classifier, unless
something is happening now (_NOW; the rules catch a throat closing whatever else is said)."""

_NOW = re.compile(
    r"\b(?:now|just|right\s+now|swell\w*|swollen|throat|lips?|tongue|breath\w*|ate|drank"
    r"|had\s+some|epipen|ambulance)\b|지금|방금|부었|부어|붓|숨|목이|입술|먹었|마셨|에피펜|구급",
    re.I,
)

_CONDITION = re.compile(
    r"\ballergic\s+to\b|\ballerg(?:y|ies)\b|\bintoleran(?:t|ce)\b|\b(?:i'?m|i\s+am|(?:he|she)'?s"
    r"|(?:he|she)\s+is)\s+(?:a\s+)?(?:diabetic|epileptic|asthmatic|coeliac|celiac|anaemic|anemic)\b"
    r"|\b(?:i|he|she|we)\s+(?:have|has|'ve\s+got|'s\s+got|got)\s+(?:type\s+[12]\s+)?(?:diabetes"
    r"|asthma|epilepsy|a\s+heart\s+condition|high\s+blood\s+pressure|a\s+pacemaker|coeliac|celiac"
    r"|eczema|migraines|arthritis|a\s+\w+\s+allergy)\b|\bdiagnosed\s+with\b"
    r"|알레르기|알러지|(?:이|가)\s?(?:안|잘\s?안)\s?맞아|체질이|당뇨(?:가|라서|라|야|예요|있)|천식(?:이|있)"
    r"|뇌전증|지병|진단(?:받|을\s?받)",
    re.I,
)
"""A lasting condition or allergy told as a fact ('I'm allergic to latex, by the way', '참고로 나
라텍스 알레르기 있어'): the classifier's worry or emergency is not asked about unless something
is happening now (_NOW) or, for a crisis, words of dying or leaving are said (_LEAVING)."""


def _told_condition(text: str, by_model: Danger | None) -> bool:
    """The classifier's call on a condition told as a fact, with nothing happening now and, for
    a crisis, no word of dying or leaving."""
    if by_model is None or not _CONDITION.search(text) or _NOW.search(text):
        return False
    return by_model is not Danger.CRISIS or not _LEAVING.search(text)


_LEAVING = re.compile(
    r"\b(?:die|dying|dead|death|kill\w*|end\s+it|gone|goodbye|never\s+wake|all\s+of\s+them"
    r"|enough\s+to|on\s+purpose|anymore|any\s+more)\b|죽|끝내|끝낼|사라|안\s?깨|일부러|더\s?이상",
    re.I,
)

_NO_MODEL_INTENTS = ("affirm", "deny")
"""Intents the classifier does not read: a yes or no to a question is never a crisis by meaning."""


def still_acute(text: str) -> bool:
    """With its 'help is called / it is over' words taken out, does the line still say a
    danger: an emergency still happening ('I called 911 but he's still not breathing'), or a
    crisis or a worry beside the aftermath ('they pumped my stomach, next time I'll take
    more')? Then the companion answers that, not the aftermath."""
    rest = text
    for said in (AFTER_EN, AFTER_KO, OVER_EN, OVER_KO):
        rest = said.sub(" ", rest)
    if not rest.strip():
        return False
    # an emergency told as past beside words of it being over ('he had a seizure earlier, it
    # stopped, we're home now') is the aftermath; a crisis beside it is still one
    past = over(text)
    by_rules = rules(rest)
    if by_rules is not None and not (past and by_rules is Danger.EMERGENCY):
        return True
    if concern_rules(rest):
        return True
    # a word or two left over ('아기가', 'and') is too little for the classifier to read
    # the classifier's check-in band is not 'still acute' ('엄마 병원으로 실려 갔어 나도 따라가고
    # 있어': following the ambulance, not the dead); its crisis and emergency are
    if len(rest.split()) < _LEAST_WORDS:
        return False
    by_model = model_danger(rest)
    return by_model is Danger.CRISIS or (by_model is Danger.EMERGENCY and not past)


_LEAST_WORDS = 3
"""Fewest words left beside the aftermath for the classifier to call it still acute."""


_WOKE = re.compile(
    r"^(?:(?:oh|ok|okay|hi|hey|morning|yeah)[\s,]+)?i\s+(?:just|only\s+just|have\s+just|'ve\s+just)\s+"
    r"(?:woke|got|gotten)\s+up\b|^(?:나\s?|저\s?)?(?:방금|이제\s?막|막|이제|지금)\s?(?:일어났|깼|잠에서\s?깼)",
    re.I,
)
"""'I just woke up': a classifier fed on 'he won't wake up' / '못 일어나' must not call it an
emergency."""
