"""Crisis and medical-emergency statements found by rules: what is said, in Korean and
English, and how to split an utterance into the clauses the model scores.

Longer than most modules: it is one list of patterns, read and reviewed together (a
miss here is a person in crisis not answered); splitting it by topic would scatter them.
"""

from __future__ import annotations

import re
from enum import StrEnum

from earpiece.nlu.lang import written_in


class Danger(StrEnum):
    """What kind of danger one utterance speaks of."""

    CRISIS = "crisis"
    """Thoughts of suicide or self-harm, said directly or indirectly."""
    EMERGENCY = "emergency"
    """A medical emergency happening now (chest pain, not breathing, a fall)."""
    CONCERN = "concern"
    """Might be a crisis: the classifier's crisis score is below the crisis threshold but at
    or above the language's lower concern threshold; the companion checks in (checkin.py)."""


_CRISIS_EN = re.compile(
    r"\b(?:kill(?:ing)?\s+my\s*self|end(?:ing)?\s+(?:my\s+(?:own\s+)?life|it\s+all|things|everything)"
    r"|take\s+my\s+(?:own\s+)?life|suicid\w*|(?:want|wanna|going|need|ready)\s+(?:to\s+)?die\b"
    r"|wish\s+i\s+(?:was|were)\s+(?:dead|never\s+born|gone)|wish\s+i\s+(?:wasn'?t|weren'?t)\s+"
    r"(?:alive|here|born)|better\s+off\s+(?:dead|without\s+me)|(?:don'?t|do\s+not|no\s+longer)\s+"
    r"(?:want|wanna)\s+(?:to\s+)?(?:live|be\s+alive|exist|be\s+here"
    r"|wake\s+up(?!\s+(?:early|at|so|before|for|too)\b))"
    r"|no\s+(?:reason|point)\s+(?:to|in)\s+(?:live|living|go(?:ing)?\s+on|being\s+alive)"
    r"|can'?t\s+go\s+on(?!\s+(?:the|a|an|my|that|this|holiday|trips?|rides?)\b)|can'?t\s+(?:do|take)\s+(?:this|it)\s+any\s*more|(?:hurt|harm|cut)(?:ing)?\s+"
    r"my\s*self|not\s+wake\s+up|disappear\s+(?:forever|for\s+good)|want\s+to\s+disappear"
    r"|(?:never|not)\s+wake\s+up\s+again|never\s+wake\s+up|done\s+with\s+(?:life|living|everything)"
    r"|(?:a|such\s+a)\s+burden\s+to\s+every\w*|(?:what'?s|whats)\s+the\s+point\s+(?:of|in)\s+"
    r"(?:anything|living|life|going\s+on)|want\s+to\s+vanish|(?:about|of)\s+not\s+existing"
    r"|take\s+all\s+(?:of\s+)?my\s+pills|take\s+(?:them|it|these)\s+all\b|(?:pills|tablets)\b.{0,40}"
    r"\b(?:all\s+at\s+once|take\s+them\s+all)|sav(?:ed|ing)\s+up\s+(?:my\s+)?(?:pills|tablets)"
    r"|(?:everyone|everybody|people|they|my\s+family|the\s+world)\s+would\s+be\s+(?:happier|better)"
    r"(?:\s+off)?\s+(?:if\s+i|without\s+me)|(?:nobody|no\s+one)\s+would\s+(?:even\s+)?(?:notice|care|"
    r"miss\s+me)(?!\s+if\s+i\s+(?:left|went|skipped|missed|didn'?t\s+go)\b)|if\s+i\s+(?:was|were)\s+(?:gone|dead)|if\s+i\s+died|\bend(?:ing)?\s+it\b(?![\s,.]+(?:with|there|here|now|please))"
    r"|(?:tired|sick)\s+of\s+(?:being\s+alive|living|life|existing)|\b(?:live|living|alive)\s+any\s*more"
    r"|thinking\s+(?:about|of)\s+jumping|jump\s+(?:off|from|in\s+front)|cutt?(?:ing)?\s+my\s*self"
    r"|(?:jump|jumping)\s+off\s+(?:a|the)\s+(?:bridge|building|roof)|life\s+(?:is|isn'?t)\s+"
    r"(?:not\s+)?worth\s+living|nobody\s+would\s+(?:miss|care\s+if)\s+i"
    r"|hope\s+i\s+(?:don'?t|never|won'?t)\s+wake\s+up|(?:ready|want)\s+to\s+be\s+done\s+with\s+"
    r"(?:all\s+of\s+)?(?:it\b(?!\s+\w)|everything|life|living)|my\s+(?:own\s+)?funeral"
    r"|want\s+(?:it\s+all|everything)\s+to\s+stop\s+(?:for\s+good|forever|permanently)"
    r"|(?:go\s+to\s+sleep|fall\s+asleep)\s+and\s+(?:stay\s+asleep|never\s+wake|not\s+wake))",
    re.I,
)
_CRISIS_KO = re.compile(
    r"죽고\s?싶|(?:다시는?|영영)\s?(?:눈을?\s?)?(?:안|못)\s?(?:떴으면|뜨면\s?좋|깼으면|깨면\s?좋)|죽어\s?버리고\s?싶|죽어야\s?겠|죽을래|자살|목숨을?\s?끊|생을\s?마감|사라지고\s?싶"
    r"|없어지고\s?싶|살고\s?싶지\s?않|살기\s?싫|살\s?이유가?\s?없|더\s?이상\s?살|자해|손목을?\s?(?:긋|그|그어)"
    r"|뛰어내리(?:고\s?싶|고\s?말|려고|ㄹ|릴)|세상을?\s?떠나고\s?싶|(?:삶|인생|모든\s?걸|다)\s?끝내고\s?싶"
    r"|(?:안|못)\s?깨어났으면|깨어나지\s?않았으면|태어나지\s?말|나\s?없으면\s?(?:다|모두|다들)"
    r"|(?:나|저)만\s?빠지면\s?(?:다들|모두|다)|나\s?(?:하나\s?)?없어도\s?(?:아무도|다들|다)|그만\s?살고\s?싶|없어졌으면\s?좋겠|나\s?(?:같은\s?건\s?)?없는\s?게\s?(?:나아|나을|낫)|사라졌으면\s?좋겠"
    r"|옥상에?\s?(?:올라|서\s?있|와\s?있)|다리\s?위에?\s?(?:서|올라)|난간|(?:나만|저만)\s?없으면|(?:내가|제가)\s?없으면\s?(?:다|모두|다들|가족)"
    r"|의미\s?없.{0,12}끝내고\s?싶|(?:^|[.!]\s{0,3})끝내고\s?싶"
    r"|살아\s?있는\s?게\s?(?:너무\s?)?(?:지쳐|지겨|괴로|싫|죄)|사는\s?게\s?(?:너무\s?)?(?:지쳐|지겨|괴로|싫)"
    r"|놓아?\s?버리고\s?싶|(?:내가|제가|나|저)\s?(?:없어져도|사라져도|죽어도|없어지면|사라지면|죽으면)\s?"
    r"(?:아무도|다들|모두|누가|다)|사라질래|사라져\s?버[리릴려]|없어질래|끝낼\s?거|끝내\s?버릴|끝내려고"
    r"|약을?\s?(?:한꺼번에|한\s?번에|다|전부|몽땅)\s?(?:다\s?)?먹어\s?버[리릴려]"
    r"|약을?\s?모아(?!.{0,20}(?:버리|버렸|폐기|반납|약국에|수거))"
    r"|살아서\s?뭐|사는\s?게\s?(?:의미가?\s?없|무슨\s?의미)|영원히\s?잠들|약을?\s?(?:다|전부)\s?먹어\s?버[리릴려]"
)
_EMERGENCY_EN = re.compile(
    r"bleeding\b.{0,25}\b(?:won'?t|doesn'?t|not)\s+stop|throat\s+(?:is\s+)?(?:swelling|closing|tight)"
    r"|(?:crushing|sharp|severe|bad)\s+pain\s+in\s+my\s+chest|pain\s+in\s+my\s+(?:chest|left\s+arm)"
    r"|can'?t\s+(?:wake\s+(?:him|her|them)|stop\s+(?:the\s+)?bleeding)|(?:isn'?t|is\s+not|not|stopped|aren'?t)\s+breathing|lots?\s+of\s+blood|blood\s+everywhere"
    r"|too\s+many\b.{0,30}\b(?:pills|tablets|medicine|meds)|can'?t\s+(?:move|feel)\s+(?:my|one)"
    r"|(?:arm|leg|side)\s+(?:went|is|feels)\s+(?:weak|dead)|slurr\w+\s+(?:my\s+)?(?:speech|words)|\b(?:can'?t|cannot|can\s+not|hard\s+to|trouble|struggling\s+to)\s+breath(?:e|ing)"
    r"|can'?t\s+catch\s+my\s+breath|chest\b.{0,30}\b(?:crush|tight|pain|hurt|pressure|squeez)"
    r"|\b(?:fell|fallen|fall(?:en)?\s+over)\b(?!\s+(?:asleep|in\s+love|for\b|behind|apart|short|through))"
    r".{0,60}?\b(?:can'?t|cannot|can\s+not|unable\s+to)"
    r"\s+(?:get\s+(?:back\s+)?up|move|stand|get\s+off\s+the\s+floor)"
    r"|\bon\s+the\s+floor\b.{0,40}?\b(?:can'?t|cannot|unable\s+to)\s+(?:get\s+up|move|stand)"
    r"|(?:face|arm|leg|side)\s+"
    r"(?:feels\s+|is\s+|went\s+|goes\s+)?numb|collapsed|unconscious|won'?t\s+wake\s+up"
    r"|chest\s+(?:pain|hurts|is\s+(?:really\s+)?(?:hurting|tight|crushing))|my\s+chest\s+hurts"
    r"|heart\s+attack|(?:having|had|have)\s+a\s+(?:stroke|seizure)(?!\s+of\b|[^.?!]{0,20}\b(?:last\s+(?:year|month|week|spring|summer|winter|autumn)|years?\s+ago|in\s+(?:19|20)\d\d|when\s+(?:he|she|i)\s+was))|i'?m\s+choking|(?:i\s+)?fell"
    r"\s+(?:down\s+)?and\s+(?:can'?t|cannot)\s+(?:get\s+up|move)|bleeding\s+(?:a\s+lot|badly|heavily"
    r"|won'?t\s+stop)|passed\s+out|took\s+too\s+many\s+pills|overdos\w+|call\s+(?:an?\s+)?"
    r"ambulance|face\s+is\s+drooping|can'?t\s+feel\s+my\s+(?:arm|leg|face)",
    re.I,
)
_EMERGENCY_KO = re.compile(
    r"목이?\s?(?:부어|붓|막혀|조여)|갑자기.{0,10}(?:말을?\s?못|못\s?움직|안\s?보여|마비|힘이\s?안)"
    r"|머리에서\s?피|피가\s?(?:철철|계속|많이)\s?나|숨을?\s?안\s?쉬|피가\s?(?:많이|계속|철철)|한쪽.{0,10}(?:힘이\s?안|마비|저려|감각이\s?없)"
    r"|(?:팔|다리)에\s?힘이\s?(?:안|하나도)|넘어(?:졌|져서|지셨|지셔서).{0,30}?(?:일어날\s?수가?\s?없|못\s?일어|일어나(?:질|지를)\s?못|움직일\s?수가?\s?없|못\s?움직)"
    r"|가슴이?.{0,12}(?:아파|아프|아픈)|말이\s?어눌|약을?.{0,12}너무\s?많이|숨이?\s?(?:잘\s?)?안\s?쉬어|숨을?\s?쉴\s?수가?\s?없|쓰러(?:졌|지셨|진|지셔)|가슴이?.{0,10}(?:조이|쥐어)"
    r"|심장이?.{0,6}(?:빨리\s?뛰|멎|이상해)(?!.{0,20}(?:괜찮|나아졌|진정|가라앉|설레))|의식을?\s?잃|안\s?깨어나"
    r"|숨(?:을|이)?\s?(?:못\s?쉬|안\s?쉬어|막혀|막힐|안\s?쉬어져|쉬기\s?(?:힘들|어려))|숨쉬기\s?(?:가\s?)?(?:힘들|어려)"
    r"|가슴이?\s?(?:너무\s?|엄청\s?|막\s?)?(?:아파|아프|답답해|조여|쥐어짜|찢어질)|심장이?\s?(?:너무\s?)?(?:아파|멎)"
    r"|(?<!소파에\s)쓰러졌|피가\s?(?:많이|안\s?멈|멈추지)|의식이?\s?없|발작|구급차|넘어져서\s?(?:못|일어날)"
    r"|약을?\s?너무\s?많이\s?먹었|한쪽이?\s?마비|마비가?\s?(?:왔|됐)"
)
_DEATH_EN = re.compile(
    r"\b(?:die|dying|dead|death|suicide|overdose|be\s+gone|disappear|vanish|(?:stop|quit|not)\s+"
    r"exist(?:ing)?|end\s+it\b(?!\s+(?:with|there|here|now|please))|end\s+it\s+all|way\s+out|goodbye\s+(?:letters?|notes?)"
    r"|suicide\s+note)\b",
    re.I,
)
_WISH_EN = re.compile(
    r"\b(?:want|wanna|wish|hope|rather|better|plan(?:ning)?|going\s+to|gonna|ready|how\s+to|looking"
    r"\s+up|stop|except|no\s+way|don'?t|won'?t|never|nothing\s+matters|i'?d|i\s+would|wrote|written)\b",
    re.I,
)
_OTHERS_EN = re.compile(
    r"\b(?:plants?|flowers?|phone|battery|laptop|car|game|movie|show|joke|party|tired|fish|"
    r"dog|cat|grand(?:ma|pa|mother|father)|died\s+(?:last|in|years?)|dead\s+(?:tired|serious|"
    r"wrong|right|end)|killed\s+it|kill\s+(?:for|to\s+have|time))\b",
    re.I,
)
_STRONG_KO = re.compile(
    r"유서|자살|자해|죽는\s?게\s?(?:나아|낫|편해)|죽었으면\s?좋겠|뛰어내리|영원히\s?(?:눈\s?감|잠들)"
    r"|살아갈\s?(?:자신|이유|힘)이?\s?없|살\s?(?:자신|힘)이?\s?없|죽으면\s?(?:다들|모두|다)\s?편해"
    r"|죽을\s?(?:거야|거예요|생각|방법)|죽는\s?방법|목을?\s?매"
)
_DEATH_KO = re.compile(
    r"죽(?!\s?(?:먹|끓|집|한\s?그릇|을\s?먹))|사라지|사라질|없어지|없어질|(?:다|모든\s?걸|모두|전부|인생|삶)\s?끝[내낼]"
    r"|영원히\s?눈\s?감|깨어나지|안\s?깨어"
)
_WISH_KO = re.compile(r"싶|좋겠|나아|낫|편해|래|거야|거예요|려고|할까|볼까|생각")
_NOT_LITERAL = re.compile(
    r"dying\s+to\s+(?:see|try|know|hear|meet|go)|kill\s+myself\s+laughing|killing\s+me\b"
    r"|(?:배고파|배고프|더워|덥다|추워|춥다|졸려|피곤해|힘들어|웃겨|귀찮아|심심해|바빠|짜증나|궁금해|좋아)\s?죽겠"
    r"|the\s+death\s+of\s+me|disappear\s+into\s+(?:a|the|my)\b|(?:^|\s)죽\s?(?:좀\s?)?(?:먹|끓|사\s?와|한\s?그릇)|(?:호박|전복|야채|팥|흰)죽|웃겨\s?죽는|(?:졸려|피곤해|배고파)서?\s?쓰러질|\bdead\s+tired\b|killed\s+me\b|i'?d\s+kill\s+(?:to|for)"
    r"|laugh(?:ed|ing)\s+so\s+(?:hard|much)\b.{0,20}\b(?:die|died|dying)\b"
    r"|(?:die|died|dying)\s+(?:of\s+|from\s+)?laugh(?:ing|ter)|hurt\s+myself\s+laughing"
    r"|(?:보고\s?싶어|듣기\s?싫어|싫어|귀여워|답답해|궁금해|지겨워|목말라|배불러)\s?죽겠"
    r"|(?:nearly|almost|practically|about\s+to|gonna|going\s+to|you'?ll|you\s+will|you)\s+"
    r"(?:gave|give|giving|had|have)\s+(?:me\s+)?a\s+heart\s+attack|(?:gave|give|giving)\s+me\s+a"
    r"\s+heart\s+attack|\b(?:is|are|'s|'re|was|were|will|'ll)\s+(?:gonna\s+|going\s+to\s+)?"
    r"(?:kill|murder|strangle)\s+me\b|cut\s+myself\s+(?:shaving|chopping|cooking|on\s+(?:a|the)"
    r"|by\s+accident)|목숨\s?(?:걸고|걸어|바쳐)|죽는\s?줄\s?알았|죽을\s?뻔\s?했"
    r"|(?:사라지고|죽고|숨고)\s?싶을\s?(?:만큼|정도로)\s?(?:창피|부끄|민망|쪽팔)"
    r"|(?:나|날|너)\s?죽이(?:려고|려|겠|ㄹ)|나\s?죽일\s?거|나\s?(?:이제\s?)?죽었다"
    r"|[가-힣]+(?:아|어|워|해|서|라|고|니까|는데)\s?죽겠|(?:^|\s)죽겠(?:다|어|네|음|는데)"
    r"|(?:죽을|떨어질|멎을|쓰러질|숨\s?넘어갈)\s?(?:뻔|것\s?같았)"
    r"|(?:죽는|멎는|떨어지는|쓰러지는|숨\s?넘어가는)\s?줄\s?(?:알았|았)"
    r"|(?:심장|간)(?:이)?\s?(?:떨어지는|철렁|내려앉는)|죽다\s?살아났"
    r"|(?:오는|온|올|나는|터지는|죽는|멎는|쓰러지는)\s?줄\s?알았|(?:맞아|혼나|얻어맞아|깨져)\s?죽"
    r"|(?:심심|배고파|배고프|졸려|더워|추워|웃겨|궁금|설레|떨려|부끄러|창피|귀찮|짜증|지루)(?:해서|서|워서|러서)?"
    r"\s?죽을\s?것\s?같"
    r"|(?:nearly|almost)\s+(?:died|had\s+a\s+stroke|passed\s+out)\s+(?:of|from|when|at|laughing)"
    r"|\bon\s+fire\s+(?:today|tonight|in\s+the|at\s+the|this\s+(?:season|week|year))"
    r"|\bdrowning\s+in\s+(?:work|paperwork|emails?|debt|bills|homework|tears|sauce|gravy|laundry"
    r"|admin|assignments|deadlines|paper)"
    r"|목\s?(?:이\s?)?빠지게|[가-힣]+(?:에|에서)\s?파묻혀\s?(?:살|지내|있)|끝내주(?:다|네|는|더라|던|네요|ㄴ다)"
    r"|끝내준(?:다|다고|대)|끝내줬|끝내줌"
    # round 7 kinds: praise, deaths in a game, a crowd or a deadline that 'chokes', someone
    # who 'will kill me', a heart bursting with joy, an accident told as a past experience
    r"|(?<!나\s)(?<!날\s)(?<![나날])죽(?:인다|이네|이더라|이던데|여주네|여준다|여줘|였어|였다|임)(?![가-힣])"
    r"|(?:게임|판|보스|레벨|스테이지|캐릭터?|롤|배그|좀비|라운드|레이드|퀘스트)[^.?!]{0,25}?죽(?:어|었|는|음|네|잖|이)"
    r"|\b(?:game|level|boss|round|match|raid|respawn\w*|character|zombies?|stage)\b[^.?!]{0,30}?"
    r"\b(?:die|dies|dying|died|dead|killed|keep\s+dying)\b"
    r"|(?:마감|과제|숙제|업무|일이|일에|시험|공부|사람|만원|꽉\s?차|분위기|잔소리|회의|스트레스|눈치|인파"
    r"|출근길|퇴근길|지하철|버스)[^.?!,]{0,15}?숨\s?(?:이\s?)?(?:턱\s?)?(?:막혀|막힌다|막히네|막힐|막혔)"
    r"|(?:엄마|아빠|마누라|와이프|남편|아내|선생님|쌤|부장님?|사장님?|팀장님?|형|누나|언니|오빠|동생"
    r"|친구|여친|남친|애인|할머니|할아버지|코치|감독)(?:가|이|께서|는|은)\s.{0,30}?"
    r"(?:날\s?|나를\s?|내\s?)?죽일(?:라|래|려|려고|걸|\s?거)"
    r"(?![^.?!]{0,25}(?:맞고|맞았|때려|때리|무서워|살려|도와|칼|위협|진짜로|경찰))"
    r"|(?:설레|좋아|노래|보면|떨려|신나|사랑)[^.?!]{0,20}심장이?\s?(?:터질|폭발할|뛰어서)"
    r"|심장이?\s?터질\s?것\s?같[^.?!]{0,10}(?:ㅎㅎ|ㅋㅋ|좋아|설레|행복)"
    r"|(?:빠진|쓰러진|다친|떨어진|베인|데인|넘어진|체한|기절한)\s?적(?:이)?\s?(?:있|있어|있는|있었)",
    re.I,
)
"""Figures of speech that look like danger but are not."""


def rules(text: str) -> Danger | None:
    """The rule layer alone: a word of death or disappearing said with a wish, a plan or a
    'better' counts, unless it is about a thing or a figure of speech."""
    if _NOT_LITERAL.search(text):
        text = without_figures(text)  # judge what is left once the figure of speech is taken out
    text = _MENTION.sub(" ", text)  # talk about suicide or where to live is left to the model
    if overdose_taken(text) or (self_harm(text) and medical_emergency(text)):
        return Danger.EMERGENCY  # the number first; the reply adds the crisis line (respond)
    if _CRISIS_PLUS_EN.search(text):
        return Danger.CRISIS
    if self_harm(text) or plan_or_means(text) or farewell(text) or with_another(text):
        return Danger.CRISIS
    if _UNSAID_EN.search(text) or _UNSAID_KO.search(text):
        return Danger.CRISIS
    said = _CRISIS_KO.search(text)
    if _STRONG_KO.search(text) or (
        said and not (_THING_KO.search(said.group()) and _OTHERS_KO.search(text))
    ):
        return Danger.CRISIS
    if _CRISIS_EN.search(text) and not _COMMAND.match(text):
        return Danger.CRISIS
    emergency = _EMERGENCY_EN.search(text) or _EMERGENCY_KO.search(text) or medical_emergency(text)
    if emergency and not _accidental_overdose_question(text):
        return Danger.EMERGENCY
    if _DEATH_EN.search(text) and _WISH_EN.search(text) and not _OTHERS_EN.search(text):
        return Danger.CRISIS
    if _DEATH_KO.search(text) and _WISH_KO.search(text) and not _OTHERS_KO.search(text):
        return Danger.CRISIS
    return None


def without_figures(text: str) -> str:
    """The utterance with its figures of speech ('dying to see', '배고파 죽겠어') blanked out."""
    return _NOT_LITERAL.sub(" ", text)


_MENTION = re.compile(
    r"\bsuicide\s+(?:prevention|hotline|helpline|line|bomb\w*|attack|squad|awareness|rates?"
    r"|is\s+painless)|\b(?:documentary|book|film|movie|programme|show|song|article|talk)\s+"
    r"(?:about|on)\s+suicide|(?:live|living|be\s+here|stay)\s+(?:alone\s+)?(?:in|at)\s+"
    r"(?:the|this|that|a|my)\s+(?!world\b|life\b|body\b)\w+"
    r"|\bwith\s+my\s+(?:old\s+)?(?:computer|phone|car|knees?|back)"
    r"|(?:vanish|disappear)\s+(?:to|into|for|under)\s+\w+|die\s+of\s+(?:embarrassment|shame|boredom)"
    r"|(?:i'?d|i\s+would)\s+rather\s+die\s+than\s+(?:wear|eat|go\s+to|watch|listen|sing|dance)"
    r"|(?:sick|tired)\s+of\s+living\s+(?:with|in|next|out\s+of)\b"
    r"|\b(?:book|film|movie|song|story|novel|show|programme)\s+(?:is|was|ended)\s+(?:about|with)"
    r"\s+[^,.;]*|^(?:please\s+)?(?:remind|tell)\s+me\s+to\s+take\s+all\s+(?:of\s+)?my\s+\w+\s+"
    r"(?:at|in|after|before|with)\b"
    r"|자살\s?(?:예방|방지|률|율|상담|폭탄|테러|뉴스|기사)|자살하는\s?(?:장면|내용|영화|드라마|얘기)"
    r"|죽음(?:에\s?대해|에\s?관한|이라는)|(?<!세상)에서?\s?(?:혼자\s?|더\s?|그만\s?)?"
    r"(?:살기\s?싫|살고\s?싶지\s?않|그만\s?살고\s?싶)"
    r"|주인공(?:이|은|가)\s?[^,.]*|(?:싶던|싶었던)\s?(?:남자|여자|사람|주인공|아이|얘기)",
    re.I,
)
"""Talk about suicide (news, prevention, a film) or about where to live: not for the rules to
call a crisis; the classifier still reads the whole utterance."""
_CRISIS_PLUS_EN = re.compile(
    r"\b(?:want|wanna|going|gonna|plan(?:ning)?|thinking\s+(?:of|about)|try(?:ing)?|tried)\s+"
    r"(?:to\s+)?(?:overdos\w*|unalive|off\s+myself)|\bunalive\s+myself|\bkms\b"
    r"|(?:pray|hope|wish)\s+(?:that\s+)?i\s+(?:won'?t|don'?t|never|wouldn'?t)\s+wake\s+up",
    re.I,
)
"""Crisis wording the emergency rules would otherwise claim first ('I want to overdose')."""


_UNSAID_EN = re.compile(
    r"\b(?:the|my)\s+(?:note|letter)\s+is\s+(?:written|ready|done|finished|signed)\b.{0,60}"
    r"\b(?:find|drawer|pillow|dresser|for\s+(?:him|her|them|someone|my\s+\w+)\s+to\s+(?:find|read))\b"
    r"|\b(?:wrote|written|left|leaving|put)\s+(?:a|the|my)\s+note\b.{0,40}\bwhere\s+(?:she|he|they"
    r"|someone|somebody|my\s+\w+)(?:'ll|\s+will|'d|\s+would)\s+find\b"
    r"|\bwhere\s+(?:she|he|they|someone|somebody|my\s+\w+)(?:'ll|\s+will)\s+find\s+(?:me|my\s+body)\b"
    r"|\b(?:floors?|storeys?|stories|roof|rooftop|bridge|building|balcony|ledge|cliff|height)\b.{0,40}"
    r"\b(?:should|would|will|'ll|'d|is|'s)\s+(?:be\s+)?(?:enough|high\s+enough|do\s+it|do\s+the\s+job)\b"
    r"|\b(?:edge|cliff|quarry|ledge|tracks|railing|rooftop|roof)\b.{0,40}\bwhere\s+(?:nobody|no\s+one"
    r"|no-one)\s+(?:goes|will\s+(?:find|see|stop)|would\s+(?:find|see|stop)|can\s+(?:find|see|stop))\b"
    r"|\b(?:this|next)\s+time\s+i'?(?:ll|\s+will)\s+(?:get\s+it\s+right|do\s+it\s+(?:right|properly)"
    r"|make\s+sure)\b(?![^.?!]{0,30}\b(?:recipe|cake|bread|exam|test|answer|order|form|song|dish|sauce))"
    r"|\b(?:picked|chose|chosen|decided\s+on|settled\s+on)\s+(?:the\s+)?(?:\d+(?:st|nd|rd|th)|\w+day"
    r"|tonight|tomorrow)\b.{0,60}\b(?:so\s+(?:it\s+)?(?:doesn'?t|won'?t)\s+(?:ruin|spoil)"
    r"|everything(?:'s|\s+is|\s+will\s+be)\s+(?:sorted|ready|in\s+order|arranged|done))"
    r"|\byou\s+were\s+the\s+only\s+one\s+who\s+(?:listened|cared|understood)\b.{0,30}\b(?:goodbye"
    r"|bye|farewell)\b"
    r"|\btell\s+(?:my\s+)?\w+\s+(?:that\s+)?i'?m\s+sorry\b.{0,50}\b(?:wasn'?t|isn'?t|not)\s+"
    r"(?:his|her|their|your)\s+fault\b"
    r"|\b(?:this|it)\s+is\s+the\s+last\s+time\s+(?:we'?ll|we\s+will|i'?ll|i\s+will)\s+(?:talk"
    r"|speak|hear)\b"
    r"|\bsomething\s+to\s+remember\s+me\s+by\b(?![^.?!]{0,40}\b(?:while|when\s+i'?m\s+(?:away|abroad"
    r"|travel\w*)|on\s+(?:her|his|their|the)\s+trip|at\s+(?:uni|university|college|school|camp)))",
    re.I,
)
"""Plans and farewells said without a word about death: a note left where someone will find
it, a height that 'should be enough', a place where nobody goes, 'this time I'll get it right',
a date picked so it won't spoil another's day, a goodbye to the only one who listened, 'tell
him I'm sorry, it wasn't his fault', 'this is the last time we'll talk'."""
_UNSAID_KO = re.compile(
    r"(?:이번엔|이번에는|다음엔|다음에는)\s?(?:진짜\s?|꼭\s?)?(?:제대로|확실하게|실수\s?없이)\s?(?:할|끝낼|해\s?낼)"
    r"\s?(?:거|게|꺼)(?!.{0,25}(?:김치|요리|시험|공부|청소|운동|다이어트|발표|숙제|케이크|빵|반찬|면접|연습|운전"
    r"|주차|노래|그림|뜨개|준비했|외웠))"
    r"|(?:유서|편지|쪽지)(?:는|를|도)?\s?(?:다\s?)?(?:써\s?놨|써\s?뒀|써\s?놓았).{0,30}(?:찾을|발견|볼\s?거|읽을)"
    r"|(?:여기|이\s?높이|이\s?층|옥상|다리)(?:면|이면|라면|에서면)\s?(?:충분|될\s?거)"
    r"|아무도\s?(?:안|못)\s?(?:오는|찾는|보는|찾을)\s?(?:데|곳)(?:를|을)?\s?(?:찾았|알아\s?놨|봐\s?뒀)"
)
"""The same kinds in Korean: '이번엔 제대로 할 거야', a letter left to be found, '여기면 충분해'."""
_TAIL_EN = re.compile(
    r"\bso\s+i\s+(?:don'?t|can'?t|won'?t)\s+(?:think|hear\s+myself|chicken\s+out|change\s+my\s+mind"
    r"|back\s+out)\s+(?:about\s+it\s+)?while\s+i\s+do\s+(?:this|it)\b"
    r"|\bsomeone\s+else\s+(?:will|'ll|is\s+going\s+to|'s\s+going\s+to)\s+(?:have|need)\s+to\b"
    r"[^.?!]{0,30}\b(?:after\s+(?:that|then)|from\s+then(?:\s+on)?)\b"
    r"|\b(?:after\s+that|from\s+then\s+on),?\s+someone\s+else\s+(?:will|'ll)\s+(?:have|need)\s+to\b"
    r"|\b(?:play|hear|listen\s+to|sing)\b.{0,40}\bone\s+(?:last|final)\s+time\b"
    r"|\b(?:it'?s|it\s+has)\s+been\s+(?:nice|good|lovely)\s+knowing\s+you\b"
    r"|\bbefore\s+i\s+(?:go\s+through\s+with\s+it|do\s+(?:it|this)(?=\s*(?:[,.!?]|$|\s+(?:tonight|now)\b)))"
    r"|\bnot\s+that\s+i'?(?:ll|\s+will)\s+(?:be\s+)?(?:need\w*|us\w*)\s+(?:it|them)\s+(?:after|anymore"
    r"|much\s+longer|for\s+(?:much\s+)?long)\b"
    r"|\bwhoever\s+finds\s+(?:me|my\s+(?:body|note))\b"
    r"|\bsorry\s+(?:about|for)\s+what\s+(?:he|she|they|you)(?:'s|'re|\s+is|\s+are|\s+will|'ll)\s+"
    r"(?:going\s+to\s+|gonna\s+)?find\b"
    r"|\bif\s+i'?m\s+still\s+(?:alive|around)\b|\bif\s+i'?m\s+still\s+here,?\s+(?:which|and)\s+i\s+doubt\b"
    r"|\b(?:wrote|written|write|writing|left)\s+(?:down\s+)?(?:all\s+)?my\s+(?:passwords|pins?|bank\s+details"
    r"|account\s+details|login\w*)\s+(?:down\s+)?for\s+(?:my\s+)?\w+"
    r"|\byou'?ll\s+(?:have|need)\s+to\s+(?:tell|ask|get)\s+someone\s+(?:else\s+)?to\s+(?:take|feed|look\s+after"
    r"|have|keep|walk)\s+(?:the|my)\s+(?:cat|dog|pet|kitten|puppy|plants?|fish|bird|rabbit)\b"
    r"|\b(?:keeps?|takes?|look\s+after|looks\s+after|feeds?|adopts?|have|has)\s+(?:my|our)\s+(?:cat|dog"
    r"|pet|kitten|puppy|plants?|fish|bird|rabbit|hamster)\s+after(?:wards)?\b(?=\s*(?:[,.!?]|$))",
    re.I,
)
"""A request whose tail may say a crisis ('turn it up so I don't think while I do this', 'remind
me on Friday, someone else will have to after that', 'who keeps my cat after'): asked about,
the line given, nothing served."""
_TAIL_KO = re.compile(
    r"(?:아무\s?)?생각\s?(?:안\s?나게|못\s?하게|안\s?하게|나지\s?않게).{0,15}(?:이거|그거|이걸|그걸|일)\s?"
    r"(?:하는|할)\s?(?:동안|때)"
    r"|(?:그\s?다음|그\s?뒤|그\s?후|그때|그날)(?:부터는?|부턴|엔|에는|로는)\s?(?:이제\s?)?다른\s?사람이\s?"
    r"(?:해야|해\s?줘야|맡아야|챙겨야)"
    r"|마지막으로\s?(?:한\s?번\s?)?(?:듣고|틀어|불러)"
    r"|마지막으로\s?.{0,15}(?:웃고|듣고)\s?(?:가게|갈게|가려고|떠나)"
    r"|^(?:나\s?|내가\s?)?(?:가기|떠나기)\s?전에\s?(?:마지막으로|한\s?번(?:은|쯤은))"
    r"|(?:간|떠난|없어진)\s?(?:건|거|게)\s?.{0,8}(?:때문이|탓이|잘못이)\s?아니(?:라고|란)\s?(?:꼭\s?)?"
    r"(?:전해|말해)\s?(?:줘|주세요|줄래|달라)"
    r"|남(?:은|겨진)\s?(?:가족|식구|애들|아이들)(?:들)?(?:이|가)?\s?(?:고생|힘들지|곤란|걱정)"
    r"|(?:내가|나|제가|저)\s?죽으면\s?.{0,30}(?:줘|드려|주세요|가져|맡아|부탁)"
    r"|스크린\s?도어\s?(?:없는|안\s?된|안\s?되어\s?있는)\s?(?:역|데|곳)"
    r"|(?:그때까지|그날까지|내일까지|주말까지)\s?(?:내가\s?|제가\s?)?살아\s?있으면"
    r"|(?:내년엔|내년에는|다음\s?달엔|그때부턴|이제부턴)\s?(?:내가|제가)\s?못\s?(?:챙기|챙겨|해\s?주|보)"
    r"(?!.{0,30}(?:출장|여행|휴가|이사|해외|발령|입원|근무|당직|시험|훈련|연수|캠프|본가|시골|비행기|유학|군대|입대))"
    r"|(?:방|문|집)(?:을|를|문을|문)?\s?(?:여시면|열면|열어\s?보시면|열어\s?보면|들어오시면|들어오면).{0,10}(?:놀라|충격)"
    r"(?!.{0,20}(?:강아지|개가|고양이|짖|선물|깜짝|서프라이즈|파티|케이크|풍선))"
    r"|(?:그때까지|그때는|그땐|그\s?날엔|다음\s?주엔|다음\s?달엔)\s?(?:나\s?|저\s?|난\s?|전\s?)?(?:이미\s?)?(?:없을|여기\s?없을|이\s?세상에\s?없을)"
    r"\s?(?:거|테|꺼)(?!.{0,30}(?:출장|여행|휴가|이사|해외|입원|근무|당직|시험|훈련|연수|캠프|본가|시골|비행기))"
    r"|(?:가족|식구)들?\s?한\s?명\s?한\s?명(?:한테|에게|께).{0,15}(?:편지|쪽지|유서)"
    r"|(?:편지|쪽지|유서)(?:를|는)?\s?.{0,15}(?:가족|식구)들?\s?한\s?명\s?한\s?명(?:한테|에게|께)"
    r"|(?:딸|아들|가족|애들|아이들|엄마|아빠|남편|아내|동생|언니|오빠|누나|형|손주|부모님)\S{0,3}\s?(?:에게|한테|께)\s?"
    r".{0,15}(?:미안하다고|미안했다고|사랑했다고|고마웠다고)\s?(?:꼭\s?)?(?:전해|말해)\s?(?:줘|주세요|줄래|줄\s?수)"
    r"|(?:[가-힣]+대교|한강\s?다리)(?:에|로|까지)?\s?(?:가는\s?(?:중|길|버스|택시|지하철)|가고\s?있|향하고|왔어|와\s?있어"
    r"|도착했|위에\s?(?:있|서\s?있|올라))(?!.{0,30}(?:건너|회사|출근|퇴근|드라이브|야경|산책|자전거|러닝|구경|사진|친구))"
)
_COMMAND = re.compile(r"^(?:ok(?:ay)?[\s,]+)?end\s+it(?:\s+(?:there|here|now))?[\s.!]*$", re.I)
"""'End it there': the end of a letter being dictated, not a crisis."""
_OTHERS_KO = re.compile(
    r"배터리|핸드폰|폰|화분|식물|꽃|게임|영화|드라마|벌레|모기|시간|걱정|고통|통증|스트레스|두통|여드름|뱃살|주름"
    r"|흉터|얼룩|냄새|숙제|(?<![가-힣])일(?![가-힣]{2})|피로|잡생각|문제|강아지|고양이|햄스터|금붕어"
    r"|물고기|앵무새|공사|소음|감기|기침|통화"
)
"""Things that die, disappear or end without a crisis: a wish about them is not a crisis."""
_THING_KO = re.compile(r"사라지|사라졌|사라질|없어지|없어졌|없어질|끝내|끝낼|끝났|놓아?\s?버리")
"""Crisis wordings that can be about a thing ('걱정이 사라졌으면 좋겠어'), unlike '죽고 싶어'."""


def _accidental_overdose_question(text: str) -> bool:
    return bool(re.search(r"how\s+to\s+overdose|looking\s+up", text, re.I))


# --- issue 19: the kinds people say without the words the rules above wait for ---------------

_TAKEN_EN = re.compile(
    r"\b(?:took|taken|swallowed|swallowing|downed|necked|popped|chugged|gulped|injected|ate"
    r"|eaten|drank|drunk|overdosed\s+on|washed\s+down|(?:i'?ve|i\s+have|i\s+just|just)\s+had)\b",
    re.I,
)
_AMOUNT_EN = re.compile(
    r"\b(?:whole|entire|rest\s+of|handful|dozens?\s+of|blister\s+packs?|(?:a|the|my)\s+(?:full\s+)?"
    r"(?:bottle|pack(?:et)?|box|strip|tub|jar)(?!\s+of\s+(?:water|juice|milk|wine|beer|coke|soda"
    r"|pop|tea|chocolates?|biscuits|cereal|crisps))"
    r"|(?:1\d|[2-9]\d|\d{3}|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty"
    r"|ninety|a\s+hundred|hundreds|dozens)"
    r"(?:\s+or\s+so)?\s+(?:of\s+(?:my|the|them|those|her|his)\s+)?(?:\w+\s+)?(?:pills|tablets"
    r"|capsules|caps|of\s+them|klonopin|clonazepam|benadryl|diphenhydramine|melatonin|nyquil|ativan|tramadol|gabapentin|trazodone|percocet|vicodin|hydrocodone|adderall|xanax|valium|ambien|seroquel|zopiclone|prozac|zoloft|lexapro|wellbutrin)"
    r"|all\s+(?:of\s+)?(?:my|the|her|his|those|these|\w+'s)\s+(?:\w+\s+){0,2}(?:pills|tablets"
    r"|capsules|meds|medicines?|medications?|painkillers|sleeping\s+\w+|heart\s+\w+|insulin"
    r"|antidepressants|prescriptions?|klonopin|clonazepam|benadryl|diphenhydramine|melatonin|nyquil|ativan|tramadol|gabapentin|trazodone|percocet|vicodin|hydrocodone|adderall|xanax|valium|ambien|seroquel|zopiclone|prozac|zoloft|lexapro|wellbutrin)\b|(?:them|it)\s+all\b|all\s+of\s+(?:them|it)\b"
    r"|every\s+(?:one\s+of|pill|tablet|capsule|single)\b"
    r"|(?:way\s+)?too\s+many|so\s+many|a\s+lot\s+of|loads\s+of|everything\s+in\s+the"
    r"|(?:way\s+|much\s+|a\s+lot\s+)?more\s+(?:of\s+)?(?:[\w']+\s+){0,3}than\s+(?:i'?m|i\s+am|i\s+was|you'?re)\s+(?:meant|supposed)"
    r"|(?:two|three|four|five|six|several|\d+)\s+(?:whole\s+|full\s+)?(?:packets|packs|boxes|bottles"
    r"|strips|blister\s+packs|tubs|sheets))",
    re.I,
)
_PILLS_EN = re.compile(
    r"\b(?:pills?|tablets?|capsules?|meds|medicines?|medications?|sleeping\s+\w+|painkillers?"
    r"|tylenol|paracetamol|acetaminophen|ibuprofen|aspirin|advil|insulin|antidepressants?"
    r"|sertraline|xanax|valium|diazepam|lorazepam|oxy\w*|codeine|morphine|opioids?|fentanyl"
    r"|zolpidem|ambien|lithium|quetiapine|seroquel|bleach|antifreeze|weed\s*killer|pesticide"
    r"|rat\s+poison|bottle|pack|packet|box|tub|blister|klonopin|clonazepam|benadryl|diphenhydramine|melatonin|nyquil|ativan|tramadol|gabapentin|trazodone|percocet|vicodin|hydrocodone|adderall|xanax|valium|ambien|seroquel|zopiclone|prozac|zoloft|lexapro|wellbutrin)\b",
    re.I,
)
_ROUTINE_DOSE_EN = re.compile(
    r"\b(?:for\s+(?:today|the\s+day|tonight)|today'?s|this\s+morning|as\s+(?:prescribed|usual"
    r"|always)|like\s+(?:the\s+doctor|always|every\s+day)|(?:did|have|had)\s+i\s+(?:take|taken|had)"
    r"|vitamins?|supplements?|remind\s+me|should\s+i|can\s+i|is\s+it\s+(?:ok|okay|safe|bad)"
    r"|what\s+happens\s+if|the\s+dog|the\s+cat|my\s+dog|my\s+cat|the\s+puppy|(?:morning|evening"
    r"|night|daily)\s+(?:pills|meds|tablets|dose)|course\s+of|finished\s+(?:the|my)\s+course"
    r"|antibiotics)\b",
    re.I,
)
"""A dose taken as meant ('took all my pills this morning'), asked about, or taken by a pet:
not the overdose rule's (the older 'too many pills' rule still answers an accident)."""
_TAKEN_KO = re.compile(
    r"먹었|먹어\s?버렸|먹어버렸|삼켰|삼켜\s?버렸|털어\s?넣었|털어넣었|마셨|마셔\s?버렸|주사했|놨어"
    r"|(?<!둘\s)(?<!둘)다\s?먹(?!을|기|으면|어야|일|이)"
)
"""Taken, in the past; '다 먹' (ate it all) but not 'enough for 둘 다 먹을' (for both to take)."""
_AMOUNT_KO = re.compile(
    r"한\s?통|통째|한\s?병|한꺼번에|몽땅|한\s?움큼|한\s?줌|있는\s?(?:대로|거\s?다|약\s?다)|모아\s?둔|모아둔"
    r"|(?:[1-9]\d|\d{3})\s?(?:알|정|개|봉)|(?:열|스무|서른|마흔|쉰|예순|일흔|여든|아흔|백|[이삼사오육칠팔구]?십)\s?(?:알|정|개|봉)"
    r"|여러\s?(?:알|통|봉)"
    r"|한\s?(?:봉지|상자|곽|갑|판)\s?(?:다|전부|을|를)?|너무\s?많이"
    r"|(?:한\s?달|일주일|보름|며칠|몇\s?주|두\s?달)\s?치"
    r"|잔뜩|왕창|한\s?번에|\d+\s?(?:주|일|달|개월)\s?치"
)
_WEAK_AMOUNT_KO = re.compile(r"(?:다|전부|모두)\s?(?:먹|삼켰|털어|마셨|주사|맞았|놨)")
_SUBSTANCE_KO = re.compile(
    r"약|수면제|진통제|타이레놀|안정제|수면\s?유도제|졸피뎀|항우울제|알약|인슐린|농약|제초제|락스|부동액"
    r"|쥐약|살충제|쎄로켈|세로켈|자낙스|리보트릴|트라마돌|스틸녹스|멜라토닌|신경안정제"
)
_RISKY_KO = re.compile(
    r"수면제|진통제|타이레놀|안정제|수면\s?유도제|졸피뎀|항우울제|정신과\s?약|인슐린|농약|제초제|락스"
    r"|부동액|쥐약|살충제|모아\s?둔\s?약|모아둔\s?약|우울증\s?약|항불안제|쎄로켈|세로켈|자낙스|리보트릴|트라마돌|스틸녹스"
)
_ROUTINE_DOSE_KO = re.compile(
    r"먹었나|먹었는지|먹어야|먹을까|알려\s?줘|알림|오늘\s?치|아침\s?약|저녁\s?약|점심\s?약|실수로|강아지"
    r"|고양이|비타민|영양제|항생제|처방대로|먹어도\s?(?:돼|되)|괜찮을까|밥|과자|사탕"
)


_POISON_EN = re.compile(
    r"\b(?:drank|drunk|drinking|swallowed|swallowing|ate|eaten|downed|had|took|taken|injected)\s+"
    r"(?:some\s+(?:of\s+(?:the|my|that)\s+)?|a\s+(?:bit|cup|glass|mouthful|bottle|lot)\s+of\s+(?:the\s+)?|the\s+"
    r"|a\s+whole\s+\w+\s+of\s+)?"
    r"(?:bleach|antifreeze|weed\s*killer|pesticide|rat\s+poison|poison|drain\s+cleaner|paraquat"
    r"|lye|insecticide|slug\s+pellets|white\s+spirit|methanol)\b",
    re.I,
)
_POISON_KO = re.compile(
    r"(?:농약|제초제|락스|부동액|쥐약|살충제|표백제|독극물|청산가리|그라목손|메탄올|세제|빙초산)(?:을|를)?\s?"
    r"(?:좀\s?|조금\s?|다\s?|한\s?(?:병|컵|잔|모금|통)\s?(?:을|를)?\s?(?:다\s?)?)?"
    r"(?:마셨|먹었|삼켰|들이켰|마셔\s?버렸|먹어\s?버렸|마셔\s?버려|원샷)"
)
_HARMLESS_DRINK_EN = re.compile(
    r"\b(?:bottle|glass|jug|carton|pint|litre|liter|can|cup|mug)s?\s+of\s+(?:cold\s+|sparkling\s+)?"
    r"(?:water|juice|milk|tea|coffee|squash|lemonade|coke|soda|pop|smoothie)\b",
    re.I,
)
"""A whole bottle of water is a drink, not an amount of a substance."""
_DRUG_EN = re.compile(
    r"\b(?:pills?|tablets?|capsules?|meds|medicines?|medications?|sleeping\s+\w+|painkillers?"
    r"|tylenol|paracetamol|acetaminophen|ibuprofen|aspirin|insulin|antidepressants?|bleach"
    r"|antifreeze|poison|pesticide|klonopin|clonazepam|benadryl|diphenhydramine|melatonin|nyquil|ativan|tramadol|gabapentin|trazodone|percocet|vicodin|hydrocodone|adderall|xanax|valium|ambien|seroquel|zopiclone|prozac|zoloft|lexapro|wellbutrin)\b",
    re.I,
)
_WITH_DRINK_EN = re.compile(
    r"\b(?:took|taken|swallowed|downed|necked|popped|had|mixed|mixing|washed\s+down)\s+(?:\w+\s+){0,4}"
    r"(?:pills|tablets|capsules|meds|medicines|medication|painkillers|antidepressants|sleeping\s+\w+)\b"
    r".{0,40}\b(?:with|and|plus|on\s+top\s+of)\s+(?:a\s+|the\s+|some\s+|half\s+a\s+|a\s+whole\s+|a\s+lot\s+of\s+)?"
    r"(?:bottle\s+of\s+|glass\s+of\s+|few\s+)?(?:vodka|whiskey|whisky|wine|beer|gin|rum|booze"
    r"|alcohol|tequila|brandy|cider|drinks|soju)\b"
    r"|\bmixed\s+(?:the|my|them|\w+)\s+(?:\w+\s+)?(?:with|and)\s+(?:\w+\s+)?(?:vodka|whiskey|whisky"
    r"|wine|beer|gin|rum|booze|alcohol|drink)",
    re.I,
)
"""Pills taken with alcohol, in any order ('my antidepressants with a bottle of vodka', 'mixed
the pills with whiskey'): an overdose even with no count said."""
_WITH_DRINK_KO = re.compile(
    r"(?:약|수면제|진통제|알약|안정제|항우울제|타이레놀)(?:을|를|이랑|하고)?\s?(?:\S+\s?){0,2}?"
    r"(?:술|소주|맥주|양주|와인|막걸리)(?:이랑|랑|하고|과|와|에)?\s?(?:같이|함께|섞어)?\s?"
    r"(?:먹었|삼켰|마셨|털어\s?넣었|먹어\s?버렸)"
    r"|(?:술|소주|맥주|양주|와인|막걸리)(?:이랑|랑|하고|과|와|에)\s?(?:같이|함께|섞어)?\s?"
    r"(?:약|수면제|진통제|알약|안정제|항우울제)(?:을|를)?\s?(?:\S+\s?)?(?:먹었|삼켰|털어\s?넣었)"
)
_PET = re.compile(r"\b(?:dog|cat|puppy|kitten|pet)\b|강아지|고양이|개가|반려", re.I)
_MANY = (
    r"(?:1\d|[2-9]\d|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
    r"|nineteen|twenty|thirty|forty|fifty|a\s+handful)"
)
_DRINK_THEN_DOSE_EN = re.compile(
    r"\b(?:(?:half\s+|most\s+of\s+)?a\s+(?:whole\s+)?bottle|\w+\s+(?:cans|pints|glasses|shots))\s+of\s+"
    r"(?:vodka|whiskey|whisky|wine|beer|gin|rum|tequila|brandy|cider|soju|booze)\s+(?:and|with|plus)\s+"
    r"(?:about\s+|maybe\s+|like\s+|around\s+|roughly\s+|at\s+least\s+)?" + _MANY + r"\s+"
    r"(?:of\s+(?:my|his|her|the|those)\s+(?![\w-]*\s*(?:friends|mates|pals|colleagues|guests|people|family"
    r"|cousins|mates|team|class|photos|songs|mates)\b)(?:[\w-]+\s+)?[\w-]+|(?:\w+\s+)?(?:pills|tablets"
    r"|capsules)|of\s+them)\b",
    re.I,
)
"""A drink and a count of pills with no verb ('half a bottle of gin and maybe 15 of my
zopiclone'): the count and the drink are the fact."""
_COUNTING_UP = re.compile(
    r"\b(?:on|at|up\s+to)\s+(?:my\s+|number\s+)?(?:1\d|[2-9]\d|tenth|eleventh|twelfth|\w+teenth"
    r"|twentieth|thirtieth|fortieth|twenty-\w+|thirty-\w+)(?:th|st|nd|rd)?\s+(?:pill|tablet|capsule)\b"
    r"|(?:열|스물|스무|서른|마흔|쉰|[1-9]\d)\s?(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉)?\s?(?:알|정)\s?째"
    r"(?=.{0,30}(?:먹|삼키|삼켰|털어|약))|(?:먹|삼키|삼켰|털어|약).{0,30}(?:열|스물|스무|서른|마흔|쉰|[1-9]\d)\s?"
    r"(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉)?\s?(?:알|정)\s?째",
    re.I,
)
"""Pills taken one after another, counted as they go ('I'm on my twelfth tablet', '스무 알째')."""


def overdose_taken(text: str) -> bool:
    """Pills (or a poison) already taken in an amount: taken + an amount or 'the whole' + a
    substance, in any order or tense ('I swallowed the whole bottle 20 min ago', '수면제 한 통
    다 먹었어'). Said beside a request for the time or a timer it is still an overdose."""
    if (_POISON_EN.search(text) or _POISON_KO.search(text)) and not _PET.search(text):
        return True
    if (_WITH_DRINK_EN.search(text) or _WITH_DRINK_KO.search(text)) and not (
        _ROUTINE_DOSE_EN.search(text) or _ROUTINE_DOSE_KO.search(text)
    ):
        return True
    if (_DRINK_THEN_DOSE_EN.search(text) or _COUNTING_UP.search(text)) and not _PET.search(text):
        return True
    if _TAKEN_EN.search(text) and _AMOUNT_EN.search(text) and _PILLS_EN.search(text):
        if _HARMLESS_DRINK_EN.search(text) and not _DRUG_EN.search(text):
            return False
        return not _ROUTINE_DOSE_EN.search(text)
    if _TAKEN_KO.search(text) and _SUBSTANCE_KO.search(text):
        amount = _AMOUNT_KO.search(text) or (
            _WEAK_AMOUNT_KO.search(text) and _RISKY_KO.search(text)
        )
        return bool(amount) and not _ROUTINE_DOSE_KO.search(text)
    return False


_SYMPTOMS_EN = re.compile(
    r"\b(?:baby|infant|toddler|newborn|son|daughter|boy|girl|he|she|kid|child|mum|mom|mam|dad"
    r"|husband|wife|grand\w+|father|mother|partner|nan|gran)\b[^.?!]{0,40}\b(?:is\s*n'?t|is\s+not"
    r"|not|won'?t|stopped|hasn'?t|doesn'?t|can'?t|isnt|wont)\s+(?:moving(?!\s+(?:out|in|house|away"
    r"|to|back|on|forward|abroad|here|there))|move(?!\s+(?:out|in|house|away|on|back|to|abroad))"
    r"|respond(?:ing)?(?!\s+to\s+(?:my|me|messages|texts|emails|calls))|wak\w+\s+up(?!\s+(?:for"
    r"|early|in\s+time|on\s+time))|breath\w*|open\s+(?:his|her|their)\s+eyes)\b"
    r"|\b(?:baby|infant|toddler|he|she|newborn)\b[^.?!]{0,30}(?:\bgone\s+|\bwent\s+|\bis\s+|'s\s+)"
    r"(?:all\s+)?(?:limp|floppy|unresponsive)\b|\b(?:shaking|jerking|twitching)\b.{0,30}\b(?:on\s+the"
    r"\s+floor|won'?t\s+stop|can'?t\s+stop\s+(?:him|her))|\bpouring\s+(?:with\s+)?blood"
    r"|\b(?:seizure|convuls\w+|having\s+a\s+fit\b(?!\s+(?:about|over))|eyes\s+(?:rolled|rolling)"
    r"\s+back|foam\w*\s+at\s+the\s+mouth)"
    r"|\bdiabet\w*\b.{0,60}\b(?:sweat\w*|clammy|confus\w*|can'?t\s+(?:speak|talk|wake)|not\s+making"
    r"\s+sense|slurr\w*|shaking|won'?t\s+(?:talk|answer|wake)|pass\w*\s+out|drows\w+|not\s+right)"
    r"|\b(?:sweat\w*|clammy|confus\w*|can'?t\s+speak|slurr\w*)\b.{0,60}\b(?:diabet\w*|insulin|sugar)"
    r"|\blow\s+(?:blood\s+)?sugar\b.{0,40}\b(?:can'?t|won'?t|confus|pass|shak|sweat)"
    r"|\b(?:hit|bang\w*|bump\w*|knock\w*|smack\w*|whack\w*|blow\s+to|fell\s+on)\b.{0,40}\bhead\b"
    r".{0,60}\b(?:vomit\w*|throw\w*\s+up|threw\s+up|being\s+sick|been\s+sick|puk\w+|drows\w+)"
    r"|\b(?:vomit\w*|throw\w*\s+up|threw\s+up|puk\w+)\b.{0,60}\b(?:hit|bang\w*|bump\w*|knock\w*)"
    r"\b.{0,30}\bhead\b"
    r"|\b(?:cut|chopped|sliced|severed|took)\s+off\s+(?:the\s+(?:tip|end)\s+of\s+)?(?:my|his|her"
    r"|their|a)\s+(?:\w+\s+)?(?:finger|thumb|toe)"
    r"|\b(?:cut|chopped|sliced|severed)\s+(?:the\s+(?:tip|end)\s+of\s+)?(?:my|his|her|their|a)\s+"
    r"(?:\w+\s+)?(?:finger|thumb|toe)\s+(?:clean\s+|right\s+|clear\s+)?off"
    r"|\b(?:finger|thumb|toe)\b.{0,25}\b(?:came\s+off|is\s+off|hanging\s+(?:off|by)|severed"
    r"|cut\s+off|chopped\s+off)"
    r"|\b(?:heart|pulse)\b.{0,30}\b(?:racing|pounding|hammering|going\s+(?:so|really|very)\s+fast"
    r"|beating\s+(?:so|really|too|very)\s+fast|won'?t\s+slow)\b.{0,60}\b(?:faint\w*|pass\w*\s+out"
    r"|black\w*\s+out|collaps\w*|keel\w*\s+over|can'?t\s+stand)"
    r"|\b(?:fainted|passed\s+out|blacked\s+out|collapsed)\b.{0,60}\b(?:heart|pulse)\b.{0,30}"
    r"\b(?:racing|pounding|hammering|fast)"
    r"|\bchest\b.{0,40}\b(?:tight|heavy|band|elephant|squeez\w*|pressure|weight)\b.{0,60}\barm\b"
    r"|\bleft\s+arm\b.{0,50}\b(?:numb|tingl\w*|heavy|funny|pins\s+and\s+needles|no\s+feeling)"
    r"|\b(?:lips|face|skin|fingers|fingertips)\b.{0,20}\b(?:turn\w*|going|gone|went|are|is"
    r"|look\w*)\s+(?:a\s+bit\s+|all\s+)?(?:blue|purple)\b"
    r"|\b(?:he|she|baby|the\s+baby)\b.{0,15}\b(?:turn\w*|going|gone|went)\s+(?:blue|purple)\b"
    r"|\b(?:blood\s+(?:is\s+)?(?:pouring|gushing|spurting|pumping)|soaked\s+through\b.{0,30}blood"
    r"|blood\b.{0,30}soaked\s+through|(?:won'?t|can'?t)\s+stop\s+(?:the\s+)?bleeding"
    r"|bleeding\s+(?:badly|heavily|everywhere|really\s+badly))"
    r"|\b(?:he|she|they|baby|mum|mom|dad)\b.{0,20}\b(?:unconscious|unresponsive)"
    r"|\b(?:he'?s|she'?s|baby'?s?|he\s+is|she\s+is|baby\s+is|i'?m|i\s+am)\s+choking\b"
    r"|\bchoking\s+on\s+(?:a|an|his|her|some|the|food|something)\b|can'?t\s+cough"
    r"|stuck\s+in\s+(?:his|her|my|the\s+baby'?s)\s+throat"
    r"|\b(?:face|mouth|smile)\b.{0,20}\b(?:droop\w*|lopsided)|\bone\s+side\s+of\s+(?:his|her|my)"
    r"\s+(?:face|body|mouth|smile)\b.{0,30}\b(?:droop|numb|weak|dead|won'?t|can'?t|gone|crooked"
    r"|sagg\w*|slack|twisted|fallen)"
    r"|(?:speech|words|talking)\b.{0,15}\b(?:slurr\w*|garbled)"
    r"|can'?t\s+(?:lift|raise)\s+(?:his|her)\s+(?:arm|leg)"
    r"|\b(?:crushing|tight|heavy|squeezing)\s+(?:feeling|pain|pressure|sensation)\s+in\s+my\s+chest"
    r"|\b(?:fell|fallen|collapsed|tripped)\b(?!\s+out)[^.?!]{0,40}\b(?:not|isn'?t|won'?t|doesn'?t)\s+"
    r"(?:answer\w*|respond\w*|talking|moving|getting\s+up|waking)\b(?!\s+(?:my\s+)?(?:calls?|phone"
    r"|texts?|messages?))"
    r"|\bthroat\b.{0,25}\b(?:closing|swelling\s+up|closing\s+up)"
    r"|\b(?:is|'s|are|'re|keeps?)\s+(?:seizing|convulsing)\b",
    re.I,
)
_SYMPTOMS_KO = re.compile(
    r"(?:아기|애기|아이|애|아들|딸|손주|손녀|손자|엄마|아빠|남편|아내|와이프|할머니|할아버지|어머니|아버지)"
    r".{0,30}(?:안\s?움직|움직이지\s?(?:않|를\s?않|도\s?않)|축\s?(?:처져|처졌|늘어)|눈을?\s?안\s?떠"
    r"|숨을?\s?안|의식이?\s?없|깨워도|불러도\s?(?:반응|대답)이?\s?없)"
    r"|경련|거품을?\s?물|눈이?\s?(?:돌아가|뒤집)|(?:떨어졌|굴렀|넘어졌|부딪).{0,20}꼼짝(?:도|을)?\s?(?:안|못)"
    r"|당뇨.{0,40}(?:식은땀|땀을|땀이|말을?\s?(?:못|안)|횡설수설|의식|떨어|쓰러|정신이?\s?없|멍해|이상)"
    r"|(?:식은땀|말을?\s?못|횡설수설).{0,40}(?:당뇨|인슐린|혈당)|저혈당.{0,20}(?:쓰러|의식|말을|떨|땀)"
    r"|머리.{0,20}(?:부딪|박았|박고|찧|맞았|맞고|다쳤|다치).{0,40}(?:토[해하했를]|토를|구토|게워|토하)"
    r"|(?:토[해하했]|구토|게워|토하).{0,40}머리.{0,15}(?:부딪|박았|찧|맞았|다쳤)"
    r"|(?:손가락|발가락).{0,20}(?:잘렸|잘려|잘라졌|절단|떨어져\s?나|날아갔)"
    r"|(?:심장|가슴).{0,20}(?:두근|쿵쾅|벌렁|빨리\s?뛰|미친\s?듯).{0,40}(?:기절|쓰러|정신을?\s?잃|눈앞이?\s?캄캄)"
    r"|(?:기절|쓰러|정신을?\s?잃).{0,40}(?:심장|가슴).{0,15}(?:두근|쿵쾅|빨리)"
    r"|가슴.{0,20}(?:꽉|답답|묵직|조여|짓눌|돌덩이).{0,40}(?:왼팔|왼쪽\s?팔|팔이|팔까지)"
    r"|(?:왼팔|왼쪽\s?팔).{0,20}(?:저려|저리|감각이?\s?없|마비|찌릿)"
    r"|입술이?\s?(?:파래|파랗|퍼래|퍼렇|보라)"
    r"|피가\s?(?:안\s?멈|멈추지|멈추질|철철|콸콸|뿜|솟)|피를?\s?(?:너무\s?)?많이\s?흘"
    r"|목에\s?(?:뭐가|떡이|사탕이|음식이|뭔가|뼈가)?\s?걸려.{0,20}(?:숨|캑캑|얼굴|말을)"
    r"|(?:떡|사탕|음식|뼈|땅콩)이?\s?목에\s?걸려"
    r"|얼굴\s?한쪽이?\s?(?:처졌|마비|돌아갔|내려갔|비뚤)|입이?\s?(?:돌아갔|비뚤어)|발음이?\s?(?:어눌|뭉개)"
    r"|깨워도\s?(?:안|반응|못)"
    r"|가슴.{0,15}(?:짓눌|눌리|조이|쥐어|답답).{0,30}식은땀|식은땀.{0,30}가슴.{0,10}(?:짓눌|눌리|조이|아파|답답)"
    r"|(?:굴러|떨어져|넘어져|쓰러져|떨어졌|굴렀|넘어졌|쓰러졌).{0,20}(?:대답을?\s?(?:안|못)|반응이?\s?없"
    r"|눈을?\s?(?:안|못)\s?떠|의식이?\s?없)"
    r"|(?:얼굴|입술)(?:이|가)?\s?(?:파래|파랗|퍼래|퍼렇|보라).{0,20}(?:헐떡|숨|캑캑|켁켁)"
)
_NOT_SYMPTOM_KO = re.compile(
    r"(?:눈\s?(?:밑|가|꺼풀)|근육|종아리|다리|발|얼굴)\s?(?:이|에|가)?\s?경련"
)
"""An eyelid or calf twitching (눈 밑 경련) is not a seizure."""


_NAMED_EN = re.compile(
    r"\b(?:house|home|flat|apartment|kitchen|room|bedroom|living\s+room|building|hall(?:way)?"
    r"|stairs|car|pan|chip\s+pan|oven|stove|cooker|garage|curtains?|sofa|couch|bed|roof|place"
    r"|shed|toaster|microwave|wiring|socket|heater|bin|next\s+door|neighbou?r'?s|upstairs"
    r"|downstairs|it)\b[^.?!]{0,15}\b(?:is|'s|are|'re|caught|has\s+caught|went|just\s+went"
    r"|going)\s+(?:still\s+|now\s+|up\s+)?(?:on\s+fire|alight|ablaze|burning(?:\s+down)?|in\s+flames"
    r"|fire)\b"
    r"|\bthere'?s\s+(?:a\s+)?(?:fire|flames)\b(?![^.?!]{0,25}\b(?:drill|in\s+the\s+(?:fireplace"
    r"|grate|hearth|stove|pit|garden|film|book)|pit|place|going|lit|on\s+(?:tv|the\s+news)|last))"
    r"|\b(?:fire|smoke|flames)\b[^.?!]{0,30}\b(?:can'?t\s+get\s+out|trapped|spreading|everywhere"
    r"|coming\s+(?:under|through|from\s+(?:the|upstairs|downstairs|next))|filling)"
    r"|\b(?:smell(?:s|ing)?|stinks?|reeks?|whiff)\s+(?:of\s+)?(?:gas|burning)\b(?![^.?!]{0,25}"
    r"\b(?:toast|food|dinner|bbq|barbecue|from\s+outside|earlier|yesterday))"
    r"|\bgas\s+(?:is\s+)?leak\w*|\bleaking\s+gas|\b(?:carbon\s+monoxide|co)\s+alarm\b[^.?!]{0,20}"
    r"\b(?:going\s+off|went\s+off|beeping|sounding)"
    r"|\b(?:is|'s|are|'re|someone|somebody|kid|child|boy|girl|man|woman|person|dog|guy|lady|baby"
    r"|toddler|swimmer|people|he|she|they|son|daughter)\s+drowning\b"
    r"(?!\s+in\s+(?:work|paperwork|emails?|debt|bills))"
    r"|\b(?:fell|fallen|went|gone|slipped|jumped|pulled)\s+(?:in|into|under|through)\s+(?:the\s+)?"
    r"(?:water|river|pool|sea|lake|pond|canal|bath|ice|waves)\b[^.?!]{0,40}\b(?:not\s+coming"
    r"\s+up|hasn'?t\s+come\s+up|can'?t\s+swim|isn'?t\s+coming|gone\s+under|went\s+under"
    r"|not\s+breathing|can'?t\s+see\s+(?:him|her|them)|struggling|face\s+down|under\s+the\s+water)"
    r"|\bface\s+down\s+in\s+the\s+(?:water|pool|bath|pond)|\b(?:fell|fallen|gone|went)\s+through\s+the\s+ice\b"
    r"|\bswallowed\s+(?:a\s+|some\s+|one\s+of\s+(?:my|the)\s+)?(?:button\s+|coin\s+|watch\s+)?(?:batter(?:y|ies)"
    r"|magnets?|dishwasher\s+tablet|washing\s+(?:pod|capsule)|liquitab)"
    r"|\b(?:cold\s+and\s+)?clammy\b[^.?!]{0,40}\b(?:not\s+making\s+(?:any\s+)?sense|confus\w*|can'?t\s+speak"
    r"|won'?t\s+wake|drows\w*|grey|gray)|\b(?:not\s+making\s+(?:any\s+)?sense|confused)\b[^.?!]{0,40}"
    r"\b(?:clammy|cold\s+and\s+sweaty|grey|gray)\b"
    r"|\b(?:is|'s|are|'re|might\s+be|could\s+be|think\s+(?:he|she|i)\s+(?:is|am|'s|'m))\s+having"
    r"\s+(?:a\s+|an\s+)?(?:stroke|heart\s+attack|seizure|fit|asthma\s+attack|allergic\s+reaction"
    r"|anaphyla\w+|cardiac\s+arrest)"
    r"|\banaphyla\w+|\ballergic\s+reaction\b[^.?!]{0,40}\b(?:swell\w*|swollen|breath\w*|throat"
    r"|now|right\s+now|bad)|\b(?:face|lips|tongue|throat|mouth)\b[^.?!]{0,20}\b(?:swelling|swollen"
    r"|puffing|blowing)\s+up"
    r"|\ballerg\w*\b.{0,80}\b(?:lips?|tongue|throat|face|mouth)\s+(?:is\s+|are\s+|'s\s+|'re\s+|has\s+"
    r"|have\s+|feels?\s+)?(?:started\s+)?(?:swell\w*|swollen|puff\w*|going\s+numb|tingl\w*)"
    r"|\b(?:got|been|was|just\s+got)\s+(?:hit|knocked\s+down|run\s+over)\s+by\s+(?:a|the)\s+"
    r"(?:car|bus|van|lorry|truck|bike|motorbike|train)"
    r"|\b(?:crash\w*|collision|wreck|pile-?up|accident)\b[^.?!]{0,60}\b(?:not\s+moving|isn'?t\s+moving"
    r"|won'?t\s+move|not\s+responding|unresponsive|unconscious|trapped|pinned|stuck\s+inside)\b"
    r"|\b(?:electrocuted|electric\s+shock\b[^.?!]{0,30}\b(?:not|won'?t|unconscious|collapsed))",
    re.I,
)
_NAMED_KO = re.compile(
    r"(?:집|부엌|주방|방|안방|건물|차|냄비|프라이팬|가스레인지|복도|계단|베란다|옆집|윗집|아랫집|아파트"
    r"|거실|창고|식당|가게|콘센트|전기장판|난로|히터)(?:에|에서|이|가|에도)?\s?(?:갑자기\s?)?"
    r"불(?:이|길이)?\s?(?:났|나서|나고|붙었|붙어|번지|번져|옮겨\s?붙)(?!대|다던|다고|었대|었다던|었다고)"
    r"|(?<![열속])불이\s?(?:났|나서|번지|번져)(?!대|다던|다고|었대|었다던)|불이야"
    r"|화재(?:가)?\s?(?:났|발생|나서)(?!대|다던|다고|었대|했대|했다)"
    r"|(?:불길|연기)(?:가|이)?\s?(?:가득|꽉|자욱|번지|번져|들어와|새어|차\s?올라|올라와)"
    r"(?!.{0,20}(?:고기|굽|구워|삼겹|담배|캠핑|바베큐|향))"
    r"|(?:연기|불)\s?때문에\s?(?:못\s?나가|갇혔|숨을)|(?:불|연기).{0,20}(?:갇혔|못\s?나가)"
    r"|가스\s?(?:냄새|새|누출|샌|새는|가\s?새)(?!비|요금|값)"
    r"|(?<!폰이\s)(?<!폰\s)(?:물|강|바다|수영장|호수|저수지|계곡|하천|냇가|욕조|풀장|개울|강물)(?:에|에서|으로)"
    r"\s?(?:사람이\s?|애가\s?|아이가\s?)?(?:빠졌|빠져\s?(?:서|가지고|있|허우적)|빠진|떠내려)(?!\s?(?:생쥐|꼴))"
    r"(?!.{0,30}(?:나왔|웃|깔깔|놀았|재밌|신나))"
    r"|익사\s?(?:하고\s?있|직전|하겠|할\s?것\s?같|하려)|허우적|물\s?속에서\s?(?:안\s?나와|못\s?나와|안\s?올라)"
    r"|(?:뇌졸중|중풍|뇌출혈|심장\s?마비|심근\s?경색|심정지|협심증)(?:이|가)?\s?(?:온(?!\s?적)|왔(?!었)|오는|인|일어난(?!\s?적)"
    r"|일어났|같아|같은)"
    r"|(?:알레르기|아나필락시스|쏘였|쏘여서|쏘이고|땅콩|갑각류).{0,30}(?:부었|부어|붓고|숨이|숨을|목이)"
    r"|(?:차|자동차|버스|트럭|오토바이|택시)(?:에|한테)\s?(?:치였|치여|받혔|깔렸)"
    r"|(?:교통사고|차\s?사고|접촉\s?사고|추돌|충돌|사고(?:가|를)?\s?(?:났|당했|나서)).{0,40}"
    r"(?:안\s?움직|못\s?움직|의식(?:이)?\s?없|반응(?:이)?\s?없|갇혔|끼었|끼어\s?있|못\s?나와)"
    r"|(?:얼굴|입)\s?(?:한쪽|반쪽)(?:이)?\s?(?:갑자기\s?|좀\s?|살짝\s?)?(?:처지|처졌|돌아가|돌아갔|비뚤|마비)"
    r"|(?:한쪽|반쪽)\s?(?:얼굴|입꼬리|입)(?:이|가)?\s?(?:처지|처졌|돌아가|돌아갔|비뚤|마비)"
    r"|(?:머리|뒤통수|이마)(?:를|가)?\s?(?:세게\s?)?(?:부딪|박았|박고|박아|다쳤|다치고|찧).{0,40}"
    r"(?:졸려|잠만\s?자|토하|토했|구토|귀에서|코에서|맑은\s?물|횡설수설|못\s?알아)"
    r"|감전(?:됐|되었|돼서|당했|돼)|얼음(?:이|에)?.{0,10}(?:깨져|깨졌).{0,15}빠졌"
    r"|(?:건전지|배터리|자석|세제\s?캡슐|동전)(?:를|을)?\s?(?:삼켰|먹었|삼킨)"
    r"|(?:떨어졌|떨어져서|굴러\s?떨어).{0,20}(?:감각이\s?없|못\s?움직|마비|안\s?움직)"
    r"|(?:말이\s?안\s?통|횡설수설|헛소리).{0,30}(?:식은땀|차가워|차갑)|(?:식은땀|차가워|차갑).{0,30}(?:말이\s?안\s?통|횡설수설|헛소리)"
)
"""Emergencies called by their name: a fire, a gas leak, drowning, a stroke or heart attack
happening now, anaphylaxis, being hit by a car, an electric shock."""
_COOKING_SMOKE_KO = re.compile(r"고기|굽|구워|삼겹|담배|캠핑|바베큐|바비큐|향을|훈제|모기향|생선")
"""Smoke from cooking or a cigarette is not a fire."""


_THUNDERCLAP = re.compile(
    r"\b(?:worst|worse)\s+headache\s+(?:of\s+my\s+(?:whole\s+)?life|i'?ve\s+ever\s+(?:had|felt)|ever)\b"
    r"|\b(?:sudden|suddenly|out\s+of\s+nowhere)\b[^.?!]{0,40}\bheadache\b.{0,60}\b(?:seeing\s+double"
    r"|double\s+vision|can'?t\s+see|can'?t\s+(?:speak|talk)|slurr\w+|numb)"
    r"|\b(?:he|she|they|baby|child|son|daughter|dad|mum|mom|it)"
    r"(?:'s|\s+is|\s+has\s+been|'s\s+been|\s+keeps)\s+(?:been\s+)?"
    r"(?:fitting(?!\s+(?:the|a|an|in|into|nicely|well|perfectly|together|new)\b)|convulsing"
    r"|having\s+(?:a\s+)?(?:fit|seizure|convulsion)s?)\b"
    r"|(?:태어나서|살면서|평생|인생)\s?(?:제일|가장|최악으로)\s?(?:심한|센|아픈|지독한)\s?두통"
    r"|갑자기.{0,20}(?:머리가?\s?(?:깨질|터질|쪼개질)|두통).{0,40}(?:두\s?개로\s?보|겹쳐\s?보"
    r"|앞이\s?(?:안|잘\s?안)\s?보|말이\s?(?:안|잘\s?안)\s?(?:나|돼)|마비|저려)",
    re.I,
)
"""A sudden 'worst headache of my life', or a sudden headache with double vision, blindness,
slurred speech or numbness: a bleed or a stroke until a doctor says otherwise (an emergency,
never the crisis reply that a classifier fed on 'pain' might give); someone 'fitting' or
'convulsing' (a seizure in British words)."""


def medical_emergency(text: str) -> bool:
    """A medical emergency said in symptoms rather than its name: a baby not moving after a
    fall, a seizure, a diabetic parent sweating and unable to speak, a head blow with vomiting,
    a severed finger, a racing heart with fainting, chest tightness with a numb left arm, blue
    lips, heavy bleeding, unconsciousness, choking, a face drooping."""
    if _SYMPTOMS_EN.search(text) or _NAMED_EN.search(text) or _THUNDERCLAP.search(text):
        return True
    named = _NAMED_KO.search(text)
    if named and not (
        named.group().startswith(("연기", "불길")) and _COOKING_SMOKE_KO.search(text)
    ):
        return True
    found = _SYMPTOMS_KO.search(text)
    if found is None:
        return False
    return not (found.group() == "경련" and _NOT_SYMPTOM_KO.search(text))


_MEANS_EN = re.compile(
    r"\b(?:on\s+my\s+way|heading|walking|driving|going|gonna\s+go|getting\s+a\s+(?:cab|taxi|bus))"
    r"\s+(?:out\s+|up\s+|down\s+|over\s+)?(?:to|towards?)\s+(?:the\s+)?[\w' ]{0,25}\b(?:bridge"
    r"|cliffs?|viaduct|overpass)\b(?![^.?!]{0,40}\b(?:with\s+(?:my|the|a|some)|for\s+(?:a|the|my)"
    r"\s+(?:walk|run|picnic|meeting|work|shift|photos?|view|concert)|to\s+(?:meet|see|take|walk"
    r"|pick|photograph)|party|festival|fireworks|job|office|club|game|market|traffic))"
    r"|\b(?:standing|sitting|stood|sat|climbed)\s+(?:on|onto|over|at)\s+(?:the\s+)?(?:ledge|railing"
    r"|parapet|edge\s+of\s+(?:the|a)\s+(?:roof|bridge|building|cliff|car\s+park|balcony|platform))"
    r"|\b(?:roof(?:top)?|top\s+floor)\b.{0,30}\b(?:door|hatch)\b.{0,20}\b(?:open|unlocked)"
    r"|\b(?:door|hatch)\b.{0,20}\bto\s+the\s+roof\b.{0,40}\b(?:open|unlocked)"
    r"|\b(?:\d{1,2}(?:st|nd|rd|th)?|tenth|\w+teenth|twentieth|top)[-\s]+floor\b.{0,40}\bwindow"
    r"\b(?![^.?!]{0,30}\b(?:clean|wash|fix|repair|cleaner|blind|curtain))"
    r"|\bwindow\b(?!\s+(?:cleaner|washer|box|seat|frame|fitter))(?!s)[^.?!]{0,40}\b(?:\d{1,2}(?:st|nd|rd|th)?|\w+teenth|top)[-\s]+floor\b(?![^.?!]{0,30}"
    r"\b(?:clean|wash|fix|repair|cleaner|blind|curtain|view))"
    r"|\b(?:pills|tablets|meds|painkillers|insulin)\b.{0,20}\b(?:saved|stashed|stockpiled|hoarded"
    r"|put\s+by)\b|so\s+(?:you|i)\s+(?:don'?t|won'?t|wouldn'?t)\s+survive|(?:don'?t|won'?t)\s+"
    r"survive\s+the\s+fall|\bscratch\w*\s+my\s+\w+\s+until\s+(?:they|it)\s+bleed"
    r"|\b(?:high|tall)\s+enough\b.{0,30}\b(?:to\s+(?:fall|drop|jump)|floor|window|bridge|building"
    r"|roof)|\bhow\s+(?:high|far)\b.{0,30}\b(?:to\s+(?:die|not\s+survive)|you'?d\s+need|is\s+fatal"
    r"|to\s+be\s+sure)"
    r"|\b(?:saving|saved|stockpil\w+|hoard\w*|stash\w*|squirrel\w*|put\s+aside|set\s+aside"
    r"|collecting|collected|building\s+up)\b.{0,30}\b(?:pills|tablets|meds|sleeping\s+\w+"
    r"|painkillers|insulin|oxy\w*|morphine|codeine|tramadol|diazepam|valium|xanax|zopiclone"
    r"|antidepressants|opioids|fentanyl|methadone)\b(?![^.?!]{0,30}\b(?:from\s+the\s+(?:pharmacy|chemist|doctor|surgery)"
    r"|at\s+the\s+(?:pharmacy|chemist)|prescription))"
    r"|\b(?:counted|counting|count)\s+(?:them|my\s+(?:\w+\s+)?(?:pills|tablets)|the\s+(?:\w+\s+)?"
    r"(?:pills|tablets))\b.{0,40}\b(?:enough|again|every\s+night|over\s+and\s+over|how\s+many)"
    r"|\b(?:pills|tablets|painkillers|sleeping\s+\w+)\b.{0,40}\b(?:should\s+be\s+enough"
    r"|is\s+enough|will\s+be\s+enough|would\s+be\s+enough|enough\s+now|to\s+do\s+it)"
    r"|\b(?:know|worked\s+out|figured\s+out|looked\s+up)\s+(?:exactly\s+)?how\s+many\b.{0,30}"
    r"\b(?:need|it\s+(?:would|will|'d)\s+take|to\s+take|is\s+enough|would\s+do)"
    r"|\b(?:last|first)\s+time\b.{0,25}\b(?:didn'?t|did\s+not|wasn'?t\s+enough|failed)\b.{0,50}"
    r"\b(?:differently|properly|right|make\s+sure|this\s+time|enough)"
    r"|\b(?:this|next)\s+time\s+i(?:'?ll|\s+will|'?m\s+going\s+to|'?m\s+gonna)\s+(?:do\s+it\s+(?:right"
    r"|properly)|make\s+sure\s+it\s+works|get\s+it\s+right|take\s+(?:more|them\s+all|the\s+lot"
    r"|enough)|use\s+more)\b(?![^.?!]{0,40}\b(?:recipe|cake|bread|exam|test|interview|driving"
    r"|sauce|soup|dish|dinner|salt|sugar|speech|presentation|knit\w*|paint\w*|form|order|answer"
    r"|song|lyrics|puzzle|crossword|park\w*|homework|essay|report|dance|steps|stitch\w*|pastry))"
    r"|\b(?:bought|got|buy|have|found|tied|tying|hung|hanging|made)\s+(?:a\s+|the\s+|some\s+)?"
    r"(?:rope|noose|length\s+of\s+rope)\b(?![^.?!]{0,40}\b(?:boat|tent|swing|climb\w*|garden"
    r"|camping|beans?|peas|tomato\w*|plants?|vines?|trellis|tie\s+(?:up|down|back)|boxes|parcels?|luggage|tow\w*|washing|clothes|dog|skipping|hammock|fence|tree\s*house|gym|sailing))"
    r"|\bnoose\b(?![^.?!]{0,20}\b(?:knot\s+for|in\s+the\s+(?:film|movie|show)))"
    r"|\b(?:beam|banister|hook|door\s+handle|loft\s+hatch)\b.{0,30}\b(?:holds?\s+my\s+weight|take\s+my\s+weight|rope)"
    r"|\bcharcoal\b.{0,50}\b(?:bedroom|in\s+the\s+car|tape|seal\w*|closed|windows|shut|bathroom"
    r"|small\s+room)\b(?![^.?!]{0,40}\b(?:bbq|barbecue|grill))"
    r"|\b(?:sealed|taped|taping|sealing)\s+(?:up\s+)?(?:the\s+)?(?:windows|doors?|vents|gaps)\b"
    r"(?![^.?!]{0,40}\b(?:winter|draught|draft|cold|insects?|bugs|mould|mold|paint\w*|decorat\w*"
    r"|renovat\w*|storm|typhoon|hurricane|dust|smoke\s+from))"
    r"|\b(?:hose|pipe)\b.{0,30}\bexhaust|\bengine\s+running\b.{0,30}\bgarage"
    r"|\b(?:razor|blade)s?\b.{0,30}\b(?:in\s+the\s+bath|ready\s+(?:for\s+)?tonight|wrists?)"
    r"|\b(?:looked\s+up|googled|searched|read\s+up\s+on|researched|researching|checked)\s+how\s+"
    r"(?:many|much)\b.{0,40}\b(?:it\s+takes|would\s+(?:kill|do\s+it)|is\s+(?:fatal|lethal|deadly)"
    r"|to\s+die|you\s+need|i'?d\s+need)"
    r"|\b(?:lethal|fatal|deadly)\s+(?:dose|amount)\b"
    r"|\bhose\b[^.?!]{0,30}\btape\b|\btape\b[^.?!]{0,30}\bhose\b"
    r"|\b(?:looking|staring|peering)\s+(?:down\s+)?(?:at|over|into)\s+the\s+(?:drop|edge)\b"
    r"|\b(?:pills|tablets|meds|rope|blades?|razors?|charcoal)\b.{0,60}\bi\s+know\s+(?:exactly\s+)?"
    r"what\s+i'?m\s+(?:going\s+to|gonna)\s+do\s+with\s+(?:them|it|those|these)"
    r"|\b(?:pills|tablets|rope|blades?|razors?|charcoal)\b.{0,60}\bi\s+know\s+(?:exactly\s+)?what\s+"
    r"(?:they'?re|they\s+are|it'?s|it\s+is)\s+for\b"
    r"|\b(?:fast|express|non-?stop\w*|freight)\s+train\s+to\s+(?:come|pass|go)\s+through"
    r"|\b(?:up\s+on|on\s+top\s+of|standing\s+on|sitting\s+on|on)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:roof|rooftop|top\s+(?:floor|level|deck))\b[^.?!]{0,40}\b(?:alone|on\s+my\s+own"
    r"|nobody|no\s+one|by\s+myself|looking\s+down|the\s+drop|edge|one\s+last)"
    r"|\b(?:step|walk|lie|lying|jump|throw\s+myself)\s+(?:out\s+)?(?:in\s+front\s+of|onto|under)"
    r"\s+(?:the\s+|a\s+)?(?:tracks|train|rails|lorry|truck|bus|traffic|cars?)\b"
    r"|\b(?:standing|sitting|lying|waiting)\s+(?:on|by|near)\s+the\s+(?:train\s+)?(?:tracks"
    r"|rails|level\s+crossing)"
    r"|\bnext\s+time\s+i\s+(?:won'?t|will\s+not)\s+(?:mess\s+(?:it\s+)?up|fail|screw\s+(?:it\s+)?up"
    r"|wake\s+up|survive|get\s+it\s+wrong|be\s+found|stop)\b(?![^.?!]{0,30}\b(?:recipe|cake|bread"
    r"|exam|test|interview|driving|speech|presentation|knit\w*|paint\w*))",
    re.I,
)
_MEANS_KO = re.compile(
    r"(?:\S*대교|한강\s?다리|철교|절벽|낭떠러지|선로|철로)\s?(?:에|로|쪽으로|까지|위로|위에|위|난간에)?\s?"
    r"(?:가는\s?중|가고\s?있|걸어가|와\s?있|왔어|왔다|서\s?있|서서|앉아|매달려|올라\s?(?:왔|가|섰|서)"
    r"|가려고|갈\s?거|갈래|내려다)"
    r"(?!.{0,30}(?:버스|드라이브|산책|자전거|러닝|친구|약속|맛집|야경|데이트|출근|퇴근|막혀|공연|축제|불꽃|사진))"
    r"|옥상\s?문이?\s?(?:열려|열렸|열어|안\s?잠겨|잠겨\s?있지)|옥상\s?(?:난간|끝에|위에\s?서\s?있)"
    r"|(?:\d{1,2}|십\S?|이십\S?)\s?층.{0,20}(?:창문|베란다|난간).{0,20}(?:열|내려다|뛰|높|떨어|밖)"
    r"(?!.{0,20}(?:환기|청소|닦|바람|공기|모기장|방충망|고쳐|수리|경치|전망|뷰|풍경|야경|노을|햇빛|햇살))"
    r"|몇\s?층(?:이면|에서\s?떨어지면|에서\s?떨어져야|에서\s?뛰)|높이가?\s?충분"
    r"|(?:수면제|약|진통제|안정제|알약)(?:을|를|은|이|들)?.{0,10}(?:모았|모아\s?(?:놨|뒀|두었|둔|놓)|모아서|모으고|모으는|쌓아\s?(?:놨|뒀)|숨겨\s?(?:놨|뒀|두)"
    r"|숨겼)(?!.{0,20}(?:버리|버렸|폐기|반납|약국에\s?(?:갖다|가져)))"
    r"|(?:수면제|진통제|안정제)(?:을|를|은|이|들)?.{0,10}(?:세어|세\s?봤|세고|몇\s?알|충분)"
    r"|몇\s?알(?:이면|을\s?먹어야|먹으면\s?(?:죽|끝|되|안\s?깨))|치사량"
    r"|(?:선로|철로|기찻길|찻길)(?:에|로|위에)\s?(?:뛰어|누워|들어가|서\s?있|내려가)"
    r"|(?:차|트럭|기차|지하철)에\s?(?:뛰어들|몸을\s?던지)"
    r"|(?:면도날|면도칼|커터칼|칼|밧줄|끈|노끈|수면제|약|번개탄).{0,25}(?:어디\s?쓸지\s?알|준비되면\s?(?:쓰|할|먹)"
    r"|때가\s?되면\s?(?:쓰|먹))"
    r"|(?:지난번|저번|예전|그때)(?:엔|에는|에)?.{0,20}(?:실패|안\s?됐|안\s?되|모자랐|덜\s?먹).{0,40}(?:이번엔|이번에는|확실|제대로|다르게|더\s?많이)"
    r"|이번엔\s?(?:확실하게|제대로|꼭)\s?(?:할|해|끝)(?!.{0,25}(?:김치|요리|시험|공부|청소|운동|다이어트|발표|숙제"
    r"|케이크|빵|반찬|면접|연습|운전|주차|노래|그림|뜨개|준비했|외웠))|다음(?:엔|에는|번엔)\s?(?:더\s?많이|확실하게)\s?(?:먹|할|해|끝)"
    r"|번개탄.{0,30}(?:방|차\s?안|차에|차에서|문|테이프|창문|피우|피울|피워)(?!.{0,30}(?:고기|구워|굽|캠핑|바베큐|바비큐|숯불|삼겹|캠프|화로|난로))"
    r"|(?:밧줄|노끈)(?:을|를|이)?\s?(?:하나\s?|한\s?(?:개|묶음)\s?|튼튼한\s?(?:거|걸)\s?)?(?:샀|사\s?왔|사\s?놨|준비|걸어\s?놨|걸었|매달)(?!.{0,30}(?:텐트|캠핑|이사|짐|빨래|화분|강아지|그네|운동|박스|상자|택배|재활용|신문))"
    r"|목을?\s?(?:맬|매달|매려|매고\s?싶)|(?:창문|문)\s?틈.{0,15}(?:테이프|막았|막아)(?!.{0,20}(?:외풍|바람|겨울|추워|벌레|모기|곰팡이|냄새))"
    r"|(?:테이프|청테이프)로\s?(?:창문|문|틈)\s?(?:다\s?)?(?:막|붙)(?!.{0,20}(?:외풍|바람|겨울|추워|벌레|모기|곰팡이|태풍))"
    r"|(?:농약|제초제|살충제|그라목손|락스|부동액|쥐약)(?:을|를|이|도|은)?.{0,20}(?:마실|먹을|마셔\s?버릴|먹어\s?버릴|들이킬)"
    r"\s?(?:란다|련다|래|래요|거야|거다|거예요|려고|라고|까\s?해|야지|게)(?![가-힣]|\s?\?)"
)
_MEANS_WEAK = re.compile(
    r"번개탄(?!.{0,30}(?:고기|구워|굽|캠핑|바베큐|바비큐|숯불|삼겹|캠프|화로|난로))"
    r"|\b(?:rope|charcoal)\b(?![^.?!]{0,40}\b(?:boat|tent|swing|climb\w*|garden|camping|beans?|peas|tomato\w*|plants?|vines?|trellis|tie\s+(?:up|down|back)|boxes|parcels?|luggage|tow\w*"
    r"|washing|clothes|dog|skipping|hammock|fence|gym|sailing|bbq|barbecue|grill|drawing|sketch"
    r"|art|pencil|toothpaste|filter|face\s+mask|mask))",
    re.I,
)
"""Means named with nothing around them ('where do I get 번개탄'): a check-in, not the full
reply."""

_LETHAL_QUESTION = re.compile(
    r"\bhow\s+(?:much|many)\b.{0,40}\b(?:lethal|fatal|to\s+(?:die|kill"
    r"|overdose|not\s+wake\s+up)|before\s+(?:your|my|the)\s+(?:liver|heart|kidneys?)|would\s+(?:kill"
    r"|do\s+it))"
    r"|\b(?:most|max(?:imum)?)\s+(?:\w+\s+){0,2}(?:you|a\s+person|someone|i)\s+can\s+take\s+before\b"
    r"|\b(?:lethal|fatal|deadly)\s+(?:dose|amount)\b"
    r"|\bhow\s+(?:long|quick(?:ly)?|fast)\b.{0,40}\b(?:to\s+work\s+on\s+a\s+(?:person|human)"
    r"|to\s+(?:die|kill\s+(?:you|a\s+person|someone))|would\s+(?:you|i)\s+(?:pass\s+out|die|drown))"
    r"|(?:몇\s?(?:알|개|mg|밀리)|얼마나)\s?(?:까지|이나|를|을)?\s?(?:먹|마시|맞)\S{0,4}\s?면\s?"
    r"(?:위험|죽|치사|안\s?깨)"
    r"|치사량|(?:사람이|사람한테)\s?(?:마시면|먹으면)\s?(?:얼마|몇)"
    r"|(?<!빨랫)(?<!빨래)(?<!전깃)(?<!전선)(?:줄|끈|밧줄|넥타이).{0,30}(?:문고리|문틀|옷걸이|샤워\s?봉|방문).{0,15}(?:걸어도|걸면)\s?.{0,6}(?:버틸|견딜|안\s?끊)"
    r"|(?:농약|제초제|살충제|락스|부동액|그라목손).{0,15}(?:마시면|먹으면).{0,15}(?:금방|바로|빨리|한\s?번에)"
    r"\s?(?:가|죽|끝나)"
    r"|몇\s?층.{0,15}(?:한\s?번에|확실하게|바로)\s?(?:끝나|죽|가)"
    r"|(?:들이받|뛰어들|떨어지)\S{0,3}\s?.{0,10}사고로\s?(?:처리|보이|위장)"
    r"|(?:약|수면제|진통제|알약|안정제)(?:을|를)?\s?(?:한꺼번에|한\s?번에|전부|몽땅)\s?(?:다\s?)?(?:먹|삼키|털어\s?넣)"
    r"으면\s?(?:어떻게|죽|위험|안\s?깨)",
    re.I,
)
_DOSE_QUESTION = re.compile(
    r"\bhow\s+(?:much|many)\b.{0,40}\b(?:too\s+much|too\s+many|enough)\b", re.I
)
"""'How much X is too much / enough': a lethal-amount question only about a drug or poison."""
"""A question after the amount that kills or the time it takes ('how much insulin is too much',
'the most tylenol you can take before your liver gives out', '몇 알까지 먹으면 위험해?',
'치사량'): it may be a carer's question and may be a plan, so the check-in band (the line given
in a question), never an answer."""


_COUNTED_ENOUGH = re.compile(
    r"\b(?:1\d|[2-9]\d|\d{3}|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty)(?:[-\s]\w+)?\s+"
    r"(?:pills|tablets|capsules)\b[^?]{0,40}\b(?:should\s+do\s+it|that'?ll\s+do\s+it|will\s+do\s+it"
    r"|that\s+should\s+do|(?:should|will|would)\s+be\s+(?:enough|plenty)|is\s+enough|that'?s\s+enough)"
    r"|(?:[1-9]\d|\d{3}|열|스무|스물|서른|마흔|쉰|예순)\s?(?:[가-힣]{0,2}\s?)?알(?:이네|이야|이면|이니까|이나|은|이|,)?"
    r"[^?]{0,20}(?:되겠|될\s?것\s?같|될\s?거|충분|모자라진\s?않|이만하면|이만하믄|이\s?정도면)",
    re.I,
)
_SUPPLIED = re.compile(
    r"\b(?:vitamin\w*|supplements?|prescri\w+|doctor|gp|chemist|pharmacy|refill|until|till|for\s+(?:a|the"
    r"|two|three)\s+(?:weeks?|months?|trip|holiday)|(?:this|next|the)\s+(?:week|month|trip|holiday))\b",
    re.I,
)
"""A supply said to last ('30 tablets from the doctor, enough till June'): not pills made ready."""
_PILL_CONTEXT = re.compile(
    r"\b(?:pills|tablets|capsules)\b|약|모았|모였|모아|세\s?봤|세어|셌", re.I
)
_NOT_PILLS = re.compile(
    r"\?|\bvitamin\w*|\bsupplements?\b|계란|달걀|메추리|알밤|비타민|영양제", re.I
)
"""Pills counted and said to be enough ('twenty-eight tablets, that should be plenty', '마흔 알,
이 정도면 되겠지'): the means made ready."""


def plan_or_means(text: str) -> bool:
    """A plan or the means said without a word about death: on the way to a bridge, the
    rooftop door open, a high-floor window, pills hoarded and counted, 'last time it didn't
    work', a rope, charcoal or 번개탄, sealed windows, a hose to the exhaust."""
    means = _MEANS_EN.search(text)
    if means and "enough" in means.group().lower() and _SUPPLIED.search(text):
        means = None  # 'the doctor gave me 30 tablets, that should be enough till June'
    if means or _JUMP_EN.search(text):
        return True
    counted = _COUNTED_ENOUGH.search(text) and _PILL_CONTEXT.search(text)
    if counted and not (_NOT_PILLS.search(text) or _SUPPLY.search(text)):
        return True
    found = _MEANS_KO.search(text)
    if found is None:
        return False
    return not (found.group().startswith(("밧줄", "노끈")) and _ROPE_USE_KO.search(text))


def with_another(text: str) -> bool:
    """A means that would do for two, or a death planned with someone else: 'her tablets are
    enough for the pair of us', '그 사람 약이면 우리 둘 다', 'we've agreed to die together'.
    Whether it is a joint plan or one against another, it gets the crisis reply (which also
    gives the emergency number)."""
    if _TOGETHER_EN.search(text) or _TOGETHER_KO.search(text):
        return True
    if _SUPPLY.search(text):
        return False  # 'enough medicine for both of us this winter': a supply, not a plan
    if _FOR_TWO_EN.search(text) and _MEANS_NOUN_EN.search(text):
        return True
    return bool(_FOR_TWO_KO.search(text) and _MEANS_NOUN_KO.search(text))


_SUPPLY = re.compile(
    r"\b(?:this|next|the)\s+(?:winter|week|month|year|trip|holiday|weekend)\b|\bfor\s+(?:a|the"
    r"|two|three)\s+(?:weeks?|months?|days?|trip|holiday|journey|flight)\b|\b(?:until|till)\b"
    r"|\b(?:prescription|repeat|refill|chemist|pharmacy|stocked\s+up|climb\w*|hik\w*|camp\w*|tent"
    r"|boat|sail\w*|garden\w*|swing)\b"
    r"|한\s?달|두\s?달|일주일|며칠|겨울|여행|동안|처방|타\s?왔|사\s?왔|사\s?올|약국|감기약|비상약",
    re.I,
)
"""A supply for two ('enough medicine for both of us this winter', '약국에서 둘 다 먹을 만큼
타 왔어'): not a means shared for a death."""


_MEANS_NOUN_EN = re.compile(
    r"\b(?:pills?|tablets?|capsules?|meds|medication|medicine|morphine|oxy\w*|fentanyl|methadone"
    r"|insulin|patch(?:es)?|painkillers?|sleeping\s+\w+|tramadol|codeine|diazepam|valium"
    r"|gun|rifle|shotgun|pistol|bullets|shells|charcoal|rope|poison|weedkiller|pesticide"
    r"|antifreeze|bleach)\b",
    re.I,
)
_FOR_TWO_EN = re.compile(
    r"\b(?:enough|plenty|do|suffice)\b.{0,30}\bfor\s+(?:the\s+)?(?:both\s+of\s+us|two\s+of\s+us"
    r"|us\s+both|us\s+two|pair\s+of\s+us|(?:three|four|all)\s+of\s+us|me\s+and\s+(?:him|her|them"
    r"|the\s+(?:kids|children|baby))|(?:him|her|them)\s+and\s+me|(?:her|him)\s+and\s+me\s+both)"
    r"|\b(?:both|two|pair)\s+of\s+us\s+(?:won'?t\s+(?:wake|have\s+to)|can\s+(?:finally\s+)?(?:rest"
    r"|sleep|stop))|\bmake\s+sure\s+it'?s\s+(?:both|the\s+two)\s+of\s+us\b",
    re.I,
)
_TOGETHER_EN = re.compile(
    r"\b(?:die|end\s+it\s+all|end\s+our\s+lives|kill\s+ourselves)\s+together\b"
    r"|\bkill\s+(?:him|her|them|the\s+(?:kids|children|baby)|my\s+\w+)\s+and\s+(?:then\s+)?"
    r"(?:myself|me)\b"
    r"|\b(?:take|taking|bring|bringing)\s+(?:him|her|them|the\s+(?:kids|children|baby)|my\s+(?:son"
    r"|daughter|kids|children|baby|wife|husband|mum|mom|dad))\s+with\s+me\b[^.?!]{0,30}\b(?:when"
    r"|if)\s+i\s+(?:go|do\s+it|end\s+it|die)\b(?!\s+(?:to|out|shopping|home|back|away|on|for"
    r"|in|into|up|down|over|round|there|abroad))",
    re.I,
)
_MEANS_NOUN_KO = re.compile(
    r"(?<![예계절공언규요조합선협])약(?![속간국점])|수면제|진통제|안정제|수면\s?유도제|졸피뎀|패치|인슐린|모르핀"
    r"|농약|제초제|번개탄|엽총|권총|총기|총알|밧줄|독약"
)
_FOR_TWO_KO = re.compile(
    r"(?:우리\s?둘|둘\s?다|둘이서?|둘\s?몫|(?:나랑|나하고|저랑|저하고)\s?\S{1,6}\s?(?:둘|같이|몫)|셋\s?다|다\s?같이)"
    r"\s?(?:이|가|의)?.{0,15}(?:충분|먹을\s?만큼|먹을\s?수|쓸\s?만큼|쓰기에|편해|쉴\s?수|끝낼|끝내|안\s?깨)"
)
_TOGETHER_KO = re.compile(
    r"(?:같이|함께|다\s?같이|둘이서?)\s?(?:죽(?!\s?(?:먹|끓|집))|목숨을?\s?끊|삶을?\s?끝|세상\s?떠나|저세상)"
    r"|(?:애들|아이들|아기|애기|엄마|아빠|남편|아내|와이프)(?:도|까지)?\s?(?:데리고|데려)\s?(?:갈|가야|가려)"
    r"(?=.{0,20}(?:죽|끝내|저세상|혼자\s?남|두고\s?(?:못|갈\s?수\s?없)))"
    r"|(?:죽|끝내|저세상|혼자\s?남|두고\s?(?:못|갈\s?수\s?없)).{0,20}(?:애들|아이들|아기|애기|엄마|아빠|남편"
    r"|아내|와이프)(?:도|까지)?\s?(?:데리고|데려)\s?(?:갈|가야|가려)"
)
"""Death with another, said in words ('우리 같이 죽기로 했어', '애들 두고 못 가 데려갈 거야')."""


_JUMP_EN = re.compile(
    r"\b(?:i'?m|i\s+am|i'?ll|i\s+will|gonna|going\s+to|when\s+i)\s+(?:\w+\s+){0,2}?(?:go(?:ing)?|jump(?:ing)?"
    r"|step(?:ping)?|throw(?:ing)?\s+myself)\s+off\s+(?:the|a|that|this|my)\s+(?:\w+\s+){0,2}?(?:roof"
    r"|rooftop|bridge|building|ledge|balcony|cliff|overpass|car\s*park|parking\s+(?:garage|deck))\b"
    r"(?![^.?!]{0,40}\b(?:bungee|swim\w*|div\w+|pool|into\s+the\s+(?:water|lake|sea|river)\s+for"
    r"|parkour|zip\s*line|paraglid\w*|skydiv\w*|for\s+(?:fun|a\s+laugh)))",
    re.I,
)
"""Going off a roof or a bridge said in the first person ("that's when I'm going off the roof"),
not a dive or a bungee jump."""

_BEYOND_KO = re.compile(
    r"(?:저세상|황천)(?:길)?\s?(?:으로\s?|에\s?)?(?:가고\s?없을|가\s?있을|갈\s?(?:거|테|꺼|끼)"
    r"|갈란다|가련다|가야지|가고\s?싶)"
)
"""'그때 저세상 가고 없을 끼다' (I'll be in the next world by then): the check-in band, in the
future only ('할머니 저세상 가셨어' is a death told, not a farewell)."""

_ROPE_USE_KO = re.compile(
    r"빨래|빨랫|텐트|캠핑|이사|짐|화분|그네|운동|줄넘기|박스|상자|택배|재활용|보트|등산"
)
"""A rope bought for the washing or a tent, said before it ('빨랫줄로 쓰려고 밧줄 샀어')."""


_FAREWELL_EN = re.compile(
    r"\b(?:thank\s+you|thanks)\s+for\s+everything\b.{0,40}\b(?:goodbye|bye|farewell|take\s+care"
    r"\s+of\s+(?:yourself|everyone)|it'?s\s+time|i'?m\s+sorry|forgive\s+me)"
    r"|\b(?:this\s+is|i'?m\s+saying)\s+(?:my\s+)?goodbye\b(?!\s+(?:party|lunch|drinks|card|to\s+the"
    r"\s+(?:old|house|flat|city|job|office)))|\bgoodbye\s+(?:forever|for\s+good|for\s+ever)\b"
    r"|\b(?:take\s+care\s+of|look\s+after|feed|water|walk|keep|have|give\s+\w+)\s+(?:\w+\s+){0,3}"
    r"(?:when|after|once)\s+i'?m\s+(?:gone|not\s+(?:here|around)|no\s+longer\s+(?:here|around))\b"
    r"(?!\s+(?:on|for|to|at|away|abroad|shopping|in|over))"
    r"|\b(?:won'?t|will\s+not|not\s+going\s+to|not\s+gonna)\s+(?:be\s+(?:here|around|alive)"
    r"|make\s+it)\s+(?:for|to|till|until|by|on|at|past)?\s*(?:my|her|his|the\s+(?:end|weekend"
    r"|spring|summer|new\s+year)|next|christmas|new\s+year|spring|summer|tomorrow|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday)\b(?![^.?!]{0,60}\b(?:because|cause|'cause"
    r"|working|work|shift|trip|travel\w*|away|abroad|busy|appointment|sorry|invite|party"
    r"|flight|train|conference|holiday|visit\w*|class|meeting|lesson|game|match|dinner|lunch"
    r"|wedding|church|service|club|concert|office|staying|going|out|at\s+(?:my|our|the|a|her|his)\b"
    r"|with\s+(?:my|the|friends|family)|i'?m\s+(?:at|in|off|away)))"
    r"|\bnot\s+that\s+i'?ll\s+(?:still\s+)?(?:be\s+(?:here|around|alive)|see\s+it)"
    r"|\b(?:won'?t|will\s+not)\s+(?:still\s+)?be\s+(?:here|around|alive)\s+(?:by\s+)?(?:then"
    r"|that\s+day|by\s+that\s+point)\b(?![^.?!]{0,40}\b(?:because|cause|working|work|trip"
    r"|travel\w*|away|abroad|busy|holiday|visit\w*))"
    r"|\b(?:won'?t|not\s+going\s+to|not\s+gonna)\s+(?:see|live\s+to\s+see)\s+(?:another|next"
    r"|the\s+next|christmas|spring|summer|my\s+(?:next\s+)?birthday)\b"
    r"|\b(?:goodbye|farewell)\s+(?:letter|note|message|words)\b.{0,30}\b(?:to|for)\s+(?:my\s+)?"
    r"(?:daughter|son|kids|children|wife|husband|family|mum|mom|dad|grand\w+|everyone|parents"
    r"|partner|sister|brother|girl|boy)\b(?![^.?!]{0,40}\b(?:funeral|memorial|grave|service"
    r"|passed|died|who\s+died|wedding|moving|school|university|college|abroad))"
    r"|\b(?:i'?ve|i\s+have|i)\s+(?:already\s+)?(?:written|wrote|finished|left)\s+(?:\w+\s+)?"
    r"(?:letters|notes)\s+(?:to|for)\s+(?:my\s+)?(?:whole\s+)?(?:family|everyone|everybody|kids"
    r"|children|each\s+of)\b"
    r"|\bletter\b.{0,40}\b(?:to\s+(?:be\s+)?read|open|find)\w*\s+(?:it\s+)?(?:after|when|once)\s+"
    r"i'?m\s+gone|\b(?:say|tell)\s+(?:\w+\s+){0,3}goodbye\s+(?:to\s+(?:\w+\s+){0,3})?for\s+me\b"
    r"|\btell\s+(?:\w+\s+){0,3}i\s+(?:loved|love)\s+(?:them|her|him|you)\b.{0,30}\b(?:after|when"
    r"|once)\s+i"
    r"|\b(?:giving|gave|give)\s+(?:away\s+)?(?:all\s+)?(?:of\s+)?my\s+(?:\w+\s+)?(?:things|stuff"
    r"|belongings|possessions|clothes|books|jewel\w*|watch|ring|guitar|savings|money|records"
    r"|tools|collection|cat|dog)\b.{0,40}\b(?:won'?t|don'?t|no\s+longer|not\s+going\s+to)\s+"
    r"(?:need|be\s+needing|have\s+(?:any\s+)?use)\b(?![^.?!]{0,20}\b(?:in\s+the\s+new|after\s+the"
    r"\s+move|since\s+i\s+moved))"
    r"|\bi\s+won'?t\s+(?:need|be\s+needing)\s+(?:it|them|these|those|my\s+\w+|any\s+of\s+(?:it"
    r"|this|that))\s+(?:much\s+longer|where\s+i'?m\s+going|after\s+tonight)"
    r"|\b(?:wrote|written|writing|left|finished)\s+(?:a\s+)?(?:letters?|notes?)\s+for\s+each\b"
    r"|\b(?:wrote|written|left)\s+(?:each|all|every\s+one)\s+of\s+my\s+\w+\s+(?:a\s+)?"
    r"(?:letter|note)s?\b(?![^.?!]{0,40}\b(?:christmas|birthday|thank|holiday|trip|camp))"
    r"|\b(?:won'?t|will\s+not|not\s+going\s+to|not\s+gonna)\s+(?:see|make\s+it\s+to|live\s+(?:to"
    r"|till|until))\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow"
    r"|the\s+(?:weekend|morning|new\s+year)|next\s+(?:week|month|year))\b"
    r"(?!'s|\s+(?:game|match|show|episode|film|movie|because|either))"
    r"|\blast\s+time\s+(?:you'?ll|you\s+will|anyone\s+will)\s+(?:ever\s+)?hear\s+from\s+me"
    r"|\byou\s+won'?t\s+(?:ever\s+)?hear\s+from\s+me\s+(?:again|after\s+tonight)"
    r"|\bwon'?t\s+be\s+(?:here|around|alive)\s+to\s+(?:hear|see|use|need|read|enjoy|open|get)\b"
    r"|\btell\s+(?:my\s+)?\w+\b.{0,30}\bi\s+(?:always\s+)?loved\s+(?:them|her|him|you)\b"
    r"|\b(?:won'?t|will\s+not|not\s+going\s+to)\s+be\s+(?:here|around)\s+for\s+(?:the\s+)?\w+(?:'s|s')"
    r"\s+(?:christmas|birthday|graduation)",
    re.I,
)
_WHEN_IT_EN = re.compile(
    r"\b(?:i'?m|i\s+am|i'?ll|i\s+will)\s+(?:doing|going\s+to\s+do|gonna\s+do|do)\s+it\s+"
    r"(?:tonight|tomorrow|this\s+(?:weekend|week|friday|saturday|sunday|evening)|on\s+\w+day"
    r"|on\s+the\s+\d+\w*|after\s+\w+)\b",
    re.I,
)
_WHEN_IT_KO = re.compile(
    r"(?:오늘\s?밤|내일|이번\s?주말|주말|이번\s?주|\S+요일|그날|\d+일)(?:에|에는|엔)?\s?"
    r"(?:할|끝낼|실행할|갈)\s?(?:거|거야|거니까|생각|계획|예정)"
)
_LEAVING_CONTEXT = re.compile(
    r"\b(?:ashes|funeral|my\s+will|goodbye|gone|pills|rope|bridge|roof|letters?|last)\b"
    r"|유골|장례|유서|유언|작별|마지막|약을|수면제|밧줄|옥상|다리\s?위|대교|편지",
    re.I,
)
"""A time set for 'it' ('I'm doing it this weekend') is a plan only beside words of leaving
or means ('my ashes at the beach, I'm doing it this weekend')."""
_DATE_CHOSEN = re.compile(
    r"\b(?:picked|chosen|chose|set|decided\s+on|settled\s+on|marked)\s+(?:a|the|my)\s+(?:date"
    r"|day)\b(?!\s+(?:for|of|to)\b)"
    r"|(?:^|[.!?]\s*|(?:이제|드디어|나|난|저|그냥)\s)(?:날짜|날|D-?day|디데이)(?:를|도|는)?\s?(?:정했|잡았|골랐|받아\s?놨)"
    r"|\b(?:\w+day|tonight|tomorrow)(?:'s|\s+is)\s+the\s+day\b"
)
_DATE_EVENT = re.compile(
    r"\b(?:wedding|party|move|moving|trip|holiday|appointment|surgery|operation|birthday|meeting"
    r"|interview|exam|sale|launch|visit|dinner|reunion|christening|funeral\s+for|match|game)\b"
    r"|결혼|이사|여행|수술|예약|시험|면접|약속|모임|파티|생일|회의|상견례|개업|출산|돌잔치|웨딩|휴가|제사"
    r"|개강|입학|졸업|발표|출국|퇴원|입원|공연",
    re.I,
)
"""'I picked the date' alone, no event named: a check-in (a date chosen is a plan)."""
_FAREWELL_WEAK_EN = re.compile(
    r"\b(?:after|when|once|if)\s+i'?m\s+(?:gone|not\s+(?:here|around)|no\s+longer\s+(?:here"
    r"|around))\b(?!\s+(?:on|for|to|at|away|abroad|shopping|in|over))"
    r"|\b(?:after|when|once)\s+i\s+(?:die|pass\s+away|pass)\b|\b(?:after|when|once)\s+i'?m\s+dead\b"
    r"|\b(?:thank\s+you|thanks)\s+for\s+everything[\s.!,]*(?:really|truly|you've\s+been)?"
    r"[\w\s']{0,30}$|\bgoodbye\s+letter\b(?![^.?!]{0,60}\b(?:funeral|memorial|grave|passed"
    r"|died|wedding|moving|school|retir\w+|colleague|team|job))"
    r"|\bi\s+won'?t\s+be\s+(?:here|around)(?:\s+(?:anyway|any\s*more|much\s+longer|by\s+then))?"
    r"[\s.!]*$|\bif\s+i'?m\s+(?:still\s+)?(?:alive|here|around)\s+(?:by\s+then|then|that\s+long)"
    r"|\b(?:don'?t|can'?t)\s+see\s+(?:a|any)\s+future\s+for\s+(?:myself|me)\b"
    r"|\b(?:everyone|everybody|they|my\s+(?:family|kids|wife|husband)|people)\s+would\s+(?:cope"
    r"|manage|be\s+fine|be\s+ok(?:ay)?|get\s+on)\b[^.?!]{0,20}\b(?:without\s+me|if\s+i\s+(?:wasn'?t"
    r"|weren'?t)\s+(?:around|here))\b(?!\s+(?:at|for|on|in|while|when|this|tonight|tomorrow))"
    r"|\b(?:put|putting|got|getting|sort\w*)\s+my\s+affairs"
    r"\s+in\s+order",
    re.I,
)
"""Words of leaving that a calm talk of one's will can also use ('when I'm gone, I'd like my
ashes scattered'): a check-in that gives the line, never a fact stored or a letter opened."""
_FAREWELL_KO = re.compile(
    r"그동안\s?(?:정말\s?|너무\s?|진짜\s?)?고마웠.{0,25}(?:안녕|잘\s?있|잘\s?지내|이제|마지막|미안)"
    r"|(?:이게|이번이|오늘이)\s?(?:너랑\s?|당신이랑\s?)?(?:하는\s?)?마지막\s?(?:대화|통화|인사)"
    r"|(?:영원히|이제\s?정말|마지막으로)\s?안녕|마지막\s?(?:인사|작별)(?:를|을|야|이야|하려고|할게)"
    r"|(?:작별|마지막)\s?(?:편지|인사|말).{0,20}(?:딸|아들|가족|애들|아이들|엄마|아빠|남편|아내|손주|부모|동생|언니|오빠|누나|형)"
    r"|(?:딸|아들|가족|애들|아이들|엄마|아빠|남편|아내|손주|부모)\S{0,3}\s?(?:에게|한테|께)\s?(?:작별|마지막)\s?(?:편지|인사)"
    r"|(?:나|저)\s?(?:없어도|없더라도).{0,20}(?:부탁|키워|돌봐|챙겨\s?줘|잘\s?살아|잘\s?지내)"
    r"|(?:생일|설날|설|추석|크리스마스|내년|봄|여름|가을|겨울)(?:은|는|엔|에는|까지|을|를)?\s?(?:못\s?(?:맞|넘|살|볼)|(?:나|저)\s?없을\s?거)"
    r"(?!.{0,20}(?:일|출장|근무|바빠|여행|비행기|해외|당직|시험))"
    r"|(?:생일|설날|추석|크리스마스)(?:엔|에는|때)\s?(?:나|저)?\s?(?:여기\s?|이\s?세상에\s?)?없을"
    r"|(?:어차피|아마)\s?(?:그때|그날|그때쯤)(?:엔|에는|이면)?\s?(?:나|저|내가|제가)?\s?(?:여기\s?|이\s?세상에\s?)?없(?:겠|을)"
    r"|(?:내년|다음\s?달|다음\s?주|봄|여름|가을|겨울)(?:엔|에는|이면|쯤엔)?\s?(?:내가|제가|나|저)?\s?(?:여기|이\s?세상에)\s?없을(?!.{0,30}(?:출장|여행|휴가|이사|해외|입원|근무|당직|시험|훈련|연수|캠프|본가|시골|비행기))"
    r"|(?:가족|애들|아이들|자식|식구|딸|아들|남편|아내|엄마|아빠|부모님)\S{0,3}\s?(?:에게|한테|께)\s?"
    r"(?:남길\s?|마지막\s?)?(?:편지|쪽지)(?:를|도)?\s?(?:다\s?)?"
    r"(?:써\s?놨|써\s?뒀|써\s?놓았|남겨\s?놨|남겨\s?뒀)"
    r"|신변\s?정리|(?:물건|짐|옷|반지|시계|패물|통장|소지품)(?:을|를|들|이랑|하고)?.{0,12}?(?:다|전부|모두|하나씩)?\s?(?:나눠|정리해|줬|주고|넘겨)"
    r"(?!.{0,30}(?:이사|안\s?쓰는|기부|중고|당근|바자|작아|필요\s?없어서|버리|새로))"
    r".{0,30}(?:이제|필요\s?없|없어도|마지막|가기\s?전)"
)
_FAREWELL_WEAK_KO = re.compile(
    r"(?:내가|제가|나|저)\s?(?:죽은|죽고|세상에\s?없을|세상\s?떠난|가고\s?난|가고|떠나고)\s?(?:때|뒤|후|다음|나면|나서)"
    r"|작별\s?인사(?:를|도)?\s?(?:다\s?)?(?:했|하고\s?왔|마쳤|끝냈)|끝내기\s?전에"
    r"|(?:작별|마지막\s?인사)\s?(?:편지|문자|메시지|카드)"
    r"|(?:나|저)\s?(?:없어도|없더라도)\s?(?:잘|우리|애들|강아지|고양이|화분|엄마|아빠|걱정)"
    r"|(?:내가|제가|나|저)\s?없으면.{0,20}(?:부탁|키워|돌봐|챙겨\s?줘)"
    r"|(?:그때|그날|내일|다음\s?주|주말)(?:까지|에)?\s?(?:내가\s?|제가\s?)?살아\s?있을지\s?(?:모르|몰라)"
    r"|(?:나한테|내게|저한테|나에겐|나는|난)\s?내일(?:은|이)?\s?없|(?:^|\s)내일은\s?없을\s?(?:테니|거니)"
    r"|그동안\s?(?:정말\s?|너무\s?|진짜\s?)?고마웠(?:어|다|어요|습니다)[.!~\s]*$"
    r"|이제\s?(?:나한테는?|저한테는?)\s?(?:다|더는)?\s?필요\s?없을\s?(?:거|테니)"
    r"|어차피\s?(?:(?:그때|그날|그땐)\s?)?(?:나는?\s?|난\s?|저는?\s?|내가\s?|제가\s?)?(?:(?:그때|그날|그땐)\s?)?"
    r"(?:못\s?(?:듣|볼|보|들을)\s?(?:겠|거|텐데|테니)|(?:여기\s?|이\s?세상에\s?)?없(?:을\s?(?:거|텐데|테니)|겠))"
    r"|(?:내가|제가)\s?(?:이\s?세상에\s?|더\s?이상\s?)?없을\s?때.{0,30}(?:통장|비밀번호|유산|재산|보험|물려|유언"
    r"|집문서|도장)"
)


def farewell(text: str) -> bool:
    """A farewell or a giving away: 'thanks for everything, goodbye', 'take care of my plant
    when I'm gone', 'I won't be here for my birthday', a goodbye letter to a daughter,
    '그동안 고마웠어 잘 있어', '나 없어도 우리 강아지 잘 키워 줘'; or a time set for 'it'
    beside words of leaving ('my ashes at the beach, I'm doing it this weekend')."""
    if _FAREWELL_EN.search(text) or _FAREWELL_KO.search(text):
        return True
    timed = _WHEN_IT_EN.search(text) or _WHEN_IT_KO.search(text)
    return bool(timed and _LEAVING_CONTEXT.search(text))


_SELF_HARM_EN = re.compile(
    r"\b(?:cut|cutting|cuts|burn|burned|burnt|burning|carv\w+|slic\w+|hit|hitting|punch\w*"
    r"|starv\w+)\s+(?:myself|my\s+(?:own\s+)?(?:arms?|wrists?|thighs?|legs?|skin|stomach|hips?"
    r"|body))\b(?![^.?!]{0,40}\b(?:by\s+accident|accidentally|cooking|oven|stove|pan|kettle"
    r"|iron|chopping|shaving|knife\s+slipped|gardening|fell|on\s+(?:the|a)\s+\w+|sun|sunburn"
    r"|at\s+the\s+gym|workout))"
    r"|\b(?:lighter|cigarette|hot\s+(?:spoon|knife|iron))\b.{0,30}\b(?:to|on|against)\s+my\s+"
    r"(?:arm|skin|wrist|leg|thigh|hand)"
    r"|\b(?:only|one)\s+thing\s+that\s+(?:helps|works|calms\s+me|makes\s+(?:it|me))\b.{0,40}"
    r"\b(?:pain|blood|blade|cut\w*|burn\w*)"
    r"|\b(?:blade|razor|cutting|cuts|burns)\b.{0,40}\b(?:relief|calms?\s+me|feel\s+(?:better"
    r"|something|real|calm)|release|takes\s+the\s+edge)"
    r"|\b(?:take|took|taking|put|putting)\s+(?:a|the)\s+(?:blade|razor|knife|lighter)\s+to\s+my\s+"
    r"(?:skin|arms?|wrists?|legs?|thighs?|body|stomach)"
    r"|\b(?:punch\w*|hit\w*|bang\w*|scratch\w*|pick\w*)\b.{0,30}\buntil\s+(?:it|they|my\s+\w+)\s+"
    r"(?:bleeds?|bled|bleeding)\b"
    r"|\b(?:started|start|back\s+to|went\s+back\s+to|relapsed\w*|relapse)\s+(?:into\s+)?(?:cutting"
    r"|self[-\s]?harm\w*|burning\s+myself)",
    re.I,
)
_SELF_HARM_KO = re.compile(
    r"(?:팔|손목|허벅지|다리|살|팔뚝)(?:을|를|에|에다)?\s?(?:또|다시|몰래|계속|칼로|커터로|면도칼로)?\s?"
    r"(?:그었|긋|그어|그으|칼질|지졌|지져|태웠)"
    r"|(?:칼|커터칼|커터|면도칼|면도날)로\s?(?:또\s?)?(?:긋|그었|그어|그으)"
    r"|(?:담뱃불|라이터|뜨거운\s?숟가락)(?:로|을|를)?.{0,15}(?:지졌|지져|갖다\s?댔|대고|태웠)"
    r"|(?:그으면|긋고\s?나면|그어야|피를?\s?보면|피가\s?나면|아프게\s?하면|지지면)\s?(?:좀\s?|그나마\s?|조금\s?)?(?:나아|편해|살\s?것\s?같|진정|숨이\s?쉬어|괜찮아)"
    r"|(?:또|다시)\s?(?:긋기|긋게|자해)|(?<!선을\s)(?<!선\s)(?<!줄\s)(?:또|다시)\s?(?:그었|그어\s?버렸|그어버렸)"
    r"|(?:스스로를?|내\s?몸을?|자기\s?몸을?)\s?(?:때려|때렸|해치|괴롭혀|벌\s?주)"
    r"|(?:팔|손목|허벅지|다리|몸|살|팔뚝|배)(?:에|에다|을|를)?\s?(?:일부러\s?|또\s?|몰래\s?|계속\s?)?"
    r"상처(?:를)?\s?(?:내|냈|낸|입혀|입혔)(?!.{0,10}실수)"
    r"|(?:벽|바닥)에\s?(?:머리|주먹)(?:를|을)?\s?(?:박|찧|치)(?:아|어|았|었|고|는).{0,20}(?:피가|피\s?날|까지|풀려|나아)"
    r"|(?:머리|주먹|손)(?:를|을)?\s?(?:벽|바닥)에\s?(?:박|찧|치).{0,20}(?:피가|피\s?날|까지|풀려|나아)"
)


def self_harm(text: str) -> bool:
    """Self-harm for relief: cutting, burning, hitting oneself ('I cut my arm again, it's the
    only thing that helps', '허벅지를 또 그었어')."""
    return bool(_SELF_HARM_EN.search(text) or _SELF_HARM_KO.search(text))


_GOODBYE_EN = re.compile(r"\b(?:good\s*bye|bye|farewell|so\s+long|take\s+care|adieu)\b", re.I)
_FINAL_EN = re.compile(
    r"\b(?:forever|for\s+good|for\s+ever|for\s+the\s+last\s+time|(?:the|my)\s+last\s+(?:time|chat"
    r"|talk|conversation|goodbye)|one\s+last|never\s+(?:talk|speak|hear)|won'?t\s+(?:be\s+)?(?:talk\w*"
    r"|speak\w*|hear\w*)\s+(?:to\s+you\s+|from\s+me\s+)?(?:again|anymore|any\s+more)"
    r"|don'?t\s+wait\s+(?:up|for\s+me)|(?:you\s+were|you'?ve\s+been|you\s+have\s+been)\s+(?:honestly\s+"
    r"|really\s+|truly\s+)?(?:the\s+only|my\s+only|the\s+best\s+(?:part|thing|friend)|kinder"
    r"|always\s+there|a\s+better\s+friend)|(?:thank\s+you|thanks)\s+for\s+(?:everything|always"
    r"\s+(?:listening|being\s+there))|this\s+is\s+it\b)",
    re.I,
)
_SEE_YOU_EN = re.compile(
    r"\b(?:see\s+you|talk\s+(?:to\s+you\s+)?(?:tomorrow|later|soon|again|next)|tomorrow|tonight"
    r"|later|next\s+(?:time|week)|in\s+the\s+morning|good\s*night|night\s+night|for\s+now|till"
    r"|until|sleep\s+well|sweet\s+dreams|back\s+(?:soon|in|on))\b",
    re.I,
)
_GOODBYE_KO = re.compile(
    r"안녕(?!하세요|하십니까|하셨)|잘\s?있어|잘\s?있으|잘\s?지내|작별|고마웠|고마웠데이|고마웠어요"
)
_FINAL_KO = re.compile(
    r"영원히|마지막|다시는|다신|이제\s?(?:끝|안녕)|(?:오늘이|이게|여기까지가?)\s?끝|기다리지\s?(?:마|말아)"
    r"|너(?:밖에|뿐|만)\s?(?:없었|이었|였)|(?:너|네가|니가|당신이)\s?(?:유일|제일\s?좋은\s?친구)"
    r"|그동안\s?(?:정말\s?|진짜\s?|너무\s?)?(?:고마웠|고마웠어|감사했)"
)
_SEE_YOU_KO = re.compile(
    r"내일|또\s?(?:보|얘기|만나|이야기|올게)|이따|나중에|잘\s?자|다음에|좋은\s?꿈|푹\s?자|갔다\s?올게"
)


def farewell_to_me(text: str) -> bool:
    """A goodbye to the companion said with finality ('goodbye forever', 'thanks for everything
    ... bye', 'you were the only one ... bye', 'don't wait up', '그동안 고마웠어 잘 있어',
    '다시는 얘기 못 하겠다 안녕'): the check-in band; 'thanks, bye, talk tomorrow' and '고마워
    내일 또 얘기하자' are ordinary."""
    if _GOODBYE_EN.search(text) and _FINAL_EN.search(text) and not _SEE_YOU_EN.search(text):
        return True
    return bool(
        _GOODBYE_KO.search(text) and _FINAL_KO.search(text) and not _SEE_YOU_KO.search(text)
    )


_ASKING_ME = re.compile(r"\b(?:do|does|will|would|what|did)\s+you\b.{0,40}\bwhen\s+i'?m\b", re.I)


_GUN_OUT_EN = re.compile(
    r"\b(?:gun|shotgun|rifle|pistol|revolver|handgun)\b[^.?!]{0,30}\b(?:out\s+on\s+(?:the|my)\s+(?:bed"
    r"|table|desk|lap)|in\s+my\s+(?:hand|lap)|loaded)\b",
    re.I,
)
_GUN_CARE_EN = re.compile(
    r"\b(?:clean\w*|range|oil\w*|hunting\s+season|gun\s+safe|licen[cs]e)\b", re.I
)
"""A gun out on the bed or loaded in one's lap (a check-in), not one being cleaned or taken to a
range."""


def concern_rules(text: str) -> bool:
    """Words that may be a crisis and may be calm talk ('when I'm gone', 번개탄 alone): the
    check-in band (the line given in a question), never served as a command or a fact."""
    text = without_figures(text)
    if _ASKING_ME.search(text):
        return False  # 'do you miss me when I'm gone?': about the companion, not a farewell
    if _DATE_CHOSEN.search(text) and not _DATE_EVENT.search(text):
        return True
    return bool(
        _FAREWELL_WEAK_EN.search(text)
        or _FAREWELL_WEAK_KO.search(text)
        or _MEANS_WEAK.search(text)
        or _LETHAL_QUESTION.search(text)
        or _BEYOND_KO.search(text)
        or (_DOSE_QUESTION.search(text) and _PILLS_EN.search(text))
        or _TAIL_EN.search(text)
        or _TAIL_KO.search(text)
        or (_GUN_OUT_EN.search(text) and not _GUN_CARE_EN.search(text))
        or farewell_to_me(text)
    )


AFTER_EN = re.compile(
    r"\b(?:i'?ve|i\s+have|i|we'?ve|we|we\s+have|my\s+\w+|someone|they|he|she)\s+(?:already\s+|just\s+)?"
    r"(?:called|rang|phoned|dialled|dialed|got)\s+(?:an?\s+|the\s+)?(?:911|999|112|119|ambulance"
    r"|paramedics|emergency|for\s+(?:help|an\s+ambulance))"
    r"|\bi\s+(?:already|just)\s+(?:called|did|rang)\b|\balready\s+called\b"
    r"|\b(?:ambulance|paramedics|ems|medics)\b.{0,20}\b(?:is\s+|are\s+|'s\s+|'re\s+)?(?:here|came"
    r"|arrived|on\s+(?:its|their|the)\s+way|coming|took\s+(?:him|her|them)|just\s+left|got\s+here)"
    r"|\bin\s+(?:a\s*&\s*e|the\s+er|emergency|intensive\s+care)\b"
    r"|\b(?:pumped\s+(?:his|her|my)\s+stomach|in\s+the\s+ambulance|at\s+the\s+(?:hospital|er"
    r"|a\s*&\s*e|emergency\s+room)|in\s+(?:the\s+)?(?:hospital|icu|resus))"
    r"|\b(?:he|she|they|it|baby|mum|mom|dad)(?:'s|'re|\s+is|\s+are|\s+will\s+be|'ll\s+be)\s+"
    r"(?:going\s+to\s+|gonna\s+)?(?:be\s+)?(?:ok|okay|fine|alright|all\s+right|stable|out\s+of"
    r"\s+danger|breathing\s+again|awake\s+now|conscious\s+again)"
    r"|\b(?:doctors?|nurses?|paramedics|medics|ambulance\s+(?:crew|people)|firem[ae]n|fire\s+brigade"
    r"|they)\s+(?:said|say|says|think|told\s+(?:me|us))\b(?![^.?!]{0,30}\b(?:call|not\s+good|worse"
    r"|critical|serious))"
    r"|\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:fine|ok|okay|alright|all\s+right|safe)(?:\s+now\b|[\s.!]*$)"
    r"|\b(?:he|she|they|baby|mum|mom|dad|the\s+baby)(?:'s|'re|\s+is|\s+are)\s+(?:breathing|talking"
    r"|crying|awake|conscious|sitting\s+up|responding)\s+(?:again|now)\b"
    r"|\b(?:he|she|they|the\s+baby)\s+(?:woke|came\s+round|came\s+to|started\s+breathing)\b"
    r"|\b(?:it\s+was|only|just)\s+(?:a\s+)?(?:panic\s+attack|faint|false\s+alarm)\b"
    r"|\b(?:got|get)\s+everyone\s+out|\bfalse\s+alarm\b|\b(?:put|got)\s+(?:the\s+fire|it)\s+out\b"
    r"|\b(?:it'?s|that'?s)\s+(?:all\s+)?over\s+now|\bthe\s+emergency\s+is\s+over"
    r"|\b(?:the\s+)?(?:swelling|bleeding)(?:'s|\s+is|\s+has)\s+(?:going\s+down|gone\s+down|stopped"
    r"|easing|eased)\b|(?<!not\s)(?<!n't\s)\bbreathing(?:'s|\s+is)?\s+(?:ok|okay|fine|normally|better)\b"
    r"|\b(?:discharged|home\s+from\s+(?:the\s+)?hospital|out\s+of\s+hospital)\b"
    r"|\b(?:heart(?:'s|\s+is)\s+beating\s+again|got\s+(?:a|his|her|the)\s+pulse\s+back"
    r"|restarted\s+(?:his|her|the)\s+heart)\b"
    r"|\b(?:paramedics|medics|the\s+crew|doctors|nurses)\s+(?:have|took|'ve\s+got|have\s+got)\s+"
    r"(?:him|her|them|over)\b",
    re.I,
)
AFTER_KO = re.compile(
    r"구급차\s?(?:가|는|도)?\s?(?:방금\s?|지금\s?|막\s?|이제\s?|드디어\s?)?(?:왔|와\s?있|와서|도착|오고\s?있|오는\s?중|불렀|타고|실려)"
    r"|(?:119|일일구|구급대|구급대원|소방관|소방대)(?:들)?(?:에|를|가|이|에서)?\s?(?:전화했|불렀|신고했|왔|와서|도착|오고)"
    r"|(?:이미|벌써|방금)\s?(?:전화|신고)\s?했|(?:병원|응급실)(?:에|으로|이야|인데)\s?(?:왔|와\s?있|가는\s?중|실려|이송|도착|있어)"
    r"|응급실(?:이야|이에요|인데|에\s?있)|안정(?:됐|되셨|을\s?찾)"
    r"|위세척|괜찮(?:대|을\s?거래|다고\s?했|아졌|아\s?지셨|으시대|으시데|다네)|고비(?:는|를)?\s?넘겼"
    r"|(?:숨|의식|정신)(?:을|이)?\s?(?:다시\s?)?(?:돌아왔|돌아오셨|찾았|차렸|쉬기\s?시작)"
    r"|다시\s?(?:숨\s?(?:을\s?)?쉬|울어|울기\s?시작|눈을?\s?떴|깨어났|말을?\s?해)"
    r"|(?:구급대원|의사|간호사|소방관)(?:이|가|들이|분이|선생님이)?.{0,20}(?:이라고\s?했|라고\s?했|래|대|괜찮)"
    r"(?!.{0,15}(?:위험|심각|위독|안\s?좋))"
    r"|(?:^|\s)숨\s?(?:을\s?)?(?:잘\s?|다시\s?)?쉬어(?:요)?[.!\s]*$|공황\s?발작(?:이었|이래|이라고)"
    r"|불\s?(?:을\s?)?(?:다\s?)?껐|다\s?(?:무사히|안전하게)\s?(?:나왔|대피)|(?:이제|지금은)\s?괜찮아"
    r"|구급차\s?안(?:이야|이에요|인데|에서|에\s?있)|퇴원(?:했|하셨|한대|하신대)"
    r"|(?:심장|맥박)(?:이)?\s?다시\s?(?:뛴|뛰|돌아)|(?:붓기|부기)(?:가|도)?\s?(?:다\s?)?(?:빠졌|가라앉)"
    r"|피(?:가)?\s?(?:멈췄|멎었|그쳤)|(?:구급대원|대원|의사|간호사)(?:들|분들)?(?:이|께서)?\s?맡(?:아|으)"
)


OVER_EN = re.compile(
    r"\b(?:in|out\s+of)\s+(?:recovery|surgery|the\s+recovery\s+room)\b|\bon\s+the\s+mend\b"
    r"|\b(?:he|she|they|baby|mum|mom|dad|we|i)(?:'s|'re|'m|\s+is|\s+are|\s+was|\s+am|\s+seems?)"
    r"\s+(?:now\s+)?(?:stable|stabili[sz]ed|resting|recovering|sleeping|asleep|comfortable)\b"
    r"(?!\s+(?:pills?|tablets?|meds))|\bnow\s+(?:stable|stabili[sz]ed|resting|recovering)\b"
    r"|\b(?:we'?re|we\s+are|he'?s|she'?s|they'?re|i'?m|i\s+am|we\s+got|we\s+came)\s+(?:back\s+)?home"
    r"(?:\s+(?:now|again|safe))?\b|\bit'?s\s+(?:all\s+)?over\b(?!\s+for\s+me)"
    r"|\b(?:home|back)\s+from\s+(?:the\s+)?(?:hospital|er|a\s*&\s*e|doctor'?s?"
    r"|clinic|urgent\s+care)\b"
    r"|\b(?:doctors?|paramedics|nurses?|medics|gp|the\s+hospital|they)\s+(?:checked|saw|looked\s+at"
    r"|examined|treated|cleared|patched\s+up|stitched\s+up)\b"
    r"|\b(?:it|the\s+(?:seizure|fit|bleeding|pain|attack|reaction|swelling))\s+(?:has\s+|had\s+)?"
    r"(?:stopped|passed|ended|calmed\s+down|is\s+over|'s\s+over|was\s+over)\b"
    r"|\b(?:got|pulled|coughed|spat)\s+(?:it|the\s+\w+)\s+(?:out|up)\b"
    r"|\b(?:is|'s|are|'re|am|'m|seems?|looks?)\s+(?:totally\s+|completely\s+|much\s+)?(?:ok|okay"
    r"|fine|alright|all\s+right|better|back\s+to\s+normal)\s+now\b"
    r"|\b(?:earlier|this\s+morning|last\s+night|yesterday|on\s+\w+day)\b[^.?!]{0,60}\bnow\s+"
    r"(?:he'?s|she'?s|they'?re|we'?re|i'?m)\s+(?:ok|okay|fine|alright|all\s+right|better|home)\b",
    re.I,
)
"""The emergency is over: out of surgery, stable, home now, the doctors checked him, it stopped,
got it out, fine now."""
OVER_KO = re.compile(
    r"회복\s?(?:중|실|하고\s?있|하는\s?중|되고\s?있|잘\s?하고)|수술(?:은|이|도)?\s?(?:잘\s?)?(?:끝났|끝나서|마쳤|마치고|받고|받았)"
    r"|시술(?:은|이|도)?\s?(?:잘\s?)?(?:끝났|끝나서|받고|받았)|안정(?:적|을\s?찾|됐|되셨|되어|돼)"
    r"|(?:지금은|이제는?|다행히)\s?(?:괜찮|멀쩡|잘\s?자|자고\s?있|주무시|숨\s?잘|편안|나아)"
    r"|멀쩡(?:해|하|하셔|하세요|해요)|(?:병원|응급실)(?:에)?\s?(?:갔다\s?와|다녀와|갔다\s?왔|다녀왔)"
    r"|(?:지금|이제)\s?(?:집이|집에\s?(?:왔|있|돌아)|집으로\s?돌아)|집에\s?(?:돌아)?왔"
    r"|(?:검사|진료|치료|처치)(?:를|도)?\s?(?:받고|받았|받았는데|다\s?받)"
    r"|(?:의사|선생님|구급대원|간호사)(?:가|이|께서|분이)?\s?(?:봐\s?주|보시고|확인|진찰)"
    r"|(?:빼냈|뱉어\s?냈|토해\s?냈|꺼냈)|(?:경련|발작|출혈|피)(?:은|는|이|가|도)?\s?(?:멈췄|멎었|그쳤|멈추고|멈춰서)"
    r"|(?:고비|위기)(?:는|를)?\s?넘기"
    r"|(?:밸브|가스|중간\s?밸브)(?:를|는|도)?\s?(?:다\s?)?(?:잠갔|잠그고|잠궜|잠구고)"
    r"|환기(?:를|도)?\s?(?:다\s?)?(?:했|시켰|하고\s?있|시키고\s?있)"
)
"""The emergency is over: '회복 중', '수술 잘 끝났어', '지금은 괜찮아', '병원 다녀와서 집이야'."""
_STILL_EN = re.compile(
    r"\bstill\s+(?:inside|in\s+there|trapped|stuck|missing|in\s+the\s+(?:house|building|car|water))\b"
    r"|\bstill\s+(?:not|isn'?t|hasn'?t|won'?t|can'?t|unconscious|bleeding|fitting|seizing|having"
    r"|choking|blue|out|collapsed)\b|\b(?:not|isn'?t|aren'?t|stopped)\s+breathing\b"
    r"|\bwon'?t\s+wake|\bnot\s+waking|\bunconscious\b|\bcan'?t\s+breathe\b|\bturning\s+blue\b"
    r"|\bwon'?t\s+stop\b|\bnot\s+responding\b|\b(?:getting\s+)?worse\b|\bstarted\s+again\b"
    r"|\bhappening\s+again\b",
    re.I,
)
_STILL_KO = re.compile(
    r"아직|여전히|또\s?(?:쓰러|경련|발작|토하)|숨을?\s?(?:안|못)\s?쉬|의식이?\s?없|안\s?깨|반응이?\s?없"
    r"|피가?\s?(?:계속|안\s?멈|안\s?멎)|멈추지\s?않|더\s?(?:심해|나빠)|악화|다시\s?(?:시작|쓰러|경련)"
)
"""Words of an emergency still going beside words of it being over ('he was home but now
he's not breathing'): the number again."""
_EMERGENCY_TOLD = re.compile(
    r"\b(?:heart\s+attack|stroke|seizure|fainted|passed\s+out|collapsed|chok\w+|allergic"
    r"\s+reaction|anaphyla\w+|overdos\w+|ambulance|paramedics|a\s*&\s*e|emergency\s+room|icu"
    r"|unconscious|blacked\s+out|concussion|bleeding|hit\s+by\s+a)\b"
    r"|심장\s?마비|심근\s?경색|뇌졸중|뇌출혈|경련|발작|쓰러|기절|의식을?\s?잃|숨이\s?막|목에\s?걸"
    r"|아나필락시스|구급차|응급실|출혈|교통사고",
    re.I,
)


def over(text: str) -> bool:
    """The emergency told is over, and nothing in the line says it is happening again; never
    one the person did to themselves (pills taken an hour ago are not over by any words)."""
    said = OVER_EN.search(text) or OVER_KO.search(text)
    if not said or _STILL_EN.search(text) or _STILL_KO.search(text):
        return False
    return not self_inflicted(text)


def emergency_told(text: str) -> bool:
    """A medical emergency is named or described in the line, happening or past ('he had a
    seizure earlier', '심근경색으로 시술 받고'): with words of it being over, the aftermath."""
    return bool(_EMERGENCY_TOLD.search(text) or medical_emergency(text))


def after_emergency(text: str) -> bool:
    """Help is called, or the emergency is over: 'I already called', 'they pumped his stomach,
    he's going to be ok', '구급차 왔어', 'he's out of surgery', '회복 중이에요'."""
    return bool(
        AFTER_EN.search(text)
        or AFTER_KO.search(text)
        or OVER_EN.search(text)
        or OVER_KO.search(text)
    )


def self_inflicted(text: str) -> bool:
    """An emergency the person did to themselves (pills taken, a cut that will not stop): the
    reply gives the emergency number first, then the crisis line too."""
    return bool(
        overdose_taken(text)
        or self_harm(text)
        or _CRISIS_EN.search(text)
        or _CRISIS_KO.search(text)
        or _STRONG_KO.search(text)
    )


def without_part(text: str, part: str) -> str:
    """The utterance less its clauses (split at punctuation and connectives) that lie within
    `part` (an `alarming_part`); the utterance as it was when no clause does (a window of
    words cut through the command)."""
    pieces = [p.strip() for p in _BREAK.split(without_figures(text)) if p and p.strip()]
    kept = [p for p in pieces if p not in part]
    return " ".join(kept) if kept and len(kept) < len(pieces) else text


_BREAK = re.compile(
    r",?\s+(?:and|but|so|because|cause|anyway|then)\s+|[.!?;]+\s*|,\s+"
    r"|\s(?:근데|그런데|그래서|그리고|하지만|그러니까)\s",
    re.I,
)
"""Where a long utterance breaks into clauses: punctuation, conjunctions, Korean connectives."""
WINDOW = {"en": 8, "ko": 5}
"""Words (eojeol) per window when a long utterance has no punctuation, as speech comes in."""


def clauses(text: str) -> list[str]:
    """The whole utterance, and for a long one also its clauses and overlapping word windows,
    so that a crisis said in the middle of a rambling line is scored on its own."""
    words = text.split()
    size = WINDOW[written_in(text)]
    if len(words) <= size + 1:
        return [text]
    parts = [text]
    pieces = [p.strip() for p in _BREAK.split(text) if p and p.strip()]
    parts += [p for p in pieces if len(p.split()) >= 2] if len(pieces) > 1 else []
    step = max(1, size // 2)
    for start in range(0, len(words) - size + step, step):
        parts.append(" ".join(words[start : start + size]))
    return list(dict.fromkeys(parts))
