"""Safety first: crisis and medical-emergency statements, found by rules and by meaning."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import numpy as np

from earpiece import paths
from earpiece.companion.context import Turn
from earpiece.nlu.encoder import DIM
from earpiece.nlu.featurizer import FeatureSpec, sparse_features


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
    r"(?:all\s+of\s+)?(?:it\b(?!\s+\w)|everything|life|living)|my\s+(?:own\s+)?funeral)",
    re.I,
)
_CRISIS_KO = re.compile(
    r"죽고\s?싶|죽어\s?버리고\s?싶|죽어야\s?겠|죽을래|자살|목숨을?\s?끊|생을\s?마감|사라지고\s?싶"
    r"|없어지고\s?싶|살고\s?싶지\s?않|살기\s?싫|살\s?이유가?\s?없|더\s?이상\s?살|자해|손목을?\s?(?:긋|그|그어)"
    r"|뛰어내리(?:고\s?싶|고\s?말|려고|ㄹ|릴)|세상을?\s?떠나고\s?싶|(?:삶|인생|모든\s?걸|다)\s?끝내고\s?싶"
    r"|(?:안|못)\s?깨어났으면|깨어나지\s?않았으면|태어나지\s?말|나\s?없으면\s?(?:다|모두|다들)"
    r"|나\s?(?:하나\s?)?없어도\s?(?:아무도|다들|다)|그만\s?살고\s?싶|없어졌으면\s?좋겠|나\s?(?:같은\s?건\s?)?없는\s?게\s?(?:나아|나을|낫)|사라졌으면\s?좋겠"
    r"|옥상에?\s?(?:올라|서\s?있|와\s?있)|다리\s?위에?\s?(?:서|올라)|난간|(?:나만|저만)\s?없으면|(?:내가|제가)\s?없으면\s?(?:다|모두|다들|가족)"
    r"|의미\s?없.{0,12}끝내고\s?싶|(?:^|[.!]\s{0,3})끝내고\s?싶"
    r"|살아\s?있는\s?게\s?(?:너무\s?)?(?:지쳐|지겨|괴로|싫|죄)|사는\s?게\s?(?:너무\s?)?(?:지쳐|지겨|괴로|싫)"
    r"|놓아?\s?버리고\s?싶|(?:내가|제가|나|저)\s?(?:없어져도|사라져도|죽어도|없어지면|사라지면|죽으면)\s?"
    r"(?:아무도|다들|모두|누가|다)|사라질래|사라져\s?버[리릴려]|없어질래|끝낼\s?거|끝내\s?버릴|끝내려고"
    r"|약을?\s?(?:한꺼번에|한\s?번에|다|전부|몽땅)\s?(?:다\s?)?먹어\s?버[리릴려]|약을?\s?모아"
    r"|살아서\s?뭐|사는\s?게\s?(?:의미가?\s?없|무슨\s?의미)|영원히\s?잠들|약을?\s?(?:다|전부)\s?먹어\s?버[리릴려]"
)
_EMERGENCY_EN = re.compile(
    r"bleeding\b.{0,25}\b(?:won'?t|doesn'?t|not)\s+stop|throat\s+(?:is\s+)?(?:swelling|closing|tight)"
    r"|(?:crushing|sharp|severe|bad)\s+pain\s+in\s+my\s+chest|pain\s+in\s+my\s+(?:chest|left\s+arm)"
    r"|can'?t\s+(?:wake\s+(?:him|her|them)|stop\s+(?:the\s+)?bleeding)|(?:isn'?t|is\s+not|not|stopped|aren'?t)\s+breathing|lots?\s+of\s+blood|blood\s+everywhere"
    r"|too\s+many\b.{0,30}\b(?:pills|tablets|medicine|meds)|can'?t\s+(?:move|feel)\s+(?:my|one)"
    r"|(?:arm|leg|side)\s+(?:went|is|feels)\s+(?:weak|dead)|slurr\w+\s+(?:my\s+)?(?:speech|words)|\b(?:can'?t|cannot|can\s+not|hard\s+to|trouble|struggling\s+to)\s+breath(?:e|ing)"
    r"|can'?t\s+catch\s+my\s+breath|chest\b.{0,30}\b(?:crush|tight|pain|hurt|pressure|squeez)"
    r"|\bfell\b.{0,40}\b(?:can'?t|cannot)\s+(?:get\s+up|move|stand)|(?:face|arm|leg|side)\s+"
    r"(?:feels\s+|is\s+|went\s+|goes\s+)?numb|collapsed|unconscious|won'?t\s+wake\s+up"
    r"|chest\s+(?:pain|hurts|is\s+(?:really\s+)?(?:hurting|tight|crushing))|my\s+chest\s+hurts"
    r"|heart\s+attack|(?:having|had|have)\s+a\s+(?:stroke|seizure)|i'?m\s+choking|(?:i\s+)?fell"
    r"\s+(?:down\s+)?and\s+(?:can'?t|cannot)\s+(?:get\s+up|move)|bleeding\s+(?:a\s+lot|badly|heavily"
    r"|won'?t\s+stop)|passed\s+out|took\s+too\s+many\s+pills|overdos\w+|call\s+(?:an?\s+)?"
    r"ambulance|face\s+is\s+drooping|can'?t\s+feel\s+my\s+(?:arm|leg|face)",
    re.I,
)
_EMERGENCY_KO = re.compile(
    r"목이?\s?(?:부어|붓|막혀|조여)|갑자기.{0,10}(?:말을?\s?못|못\s?움직|안\s?보여|마비|힘이\s?안)"
    r"|머리에서\s?피|피가\s?(?:철철|계속|많이)\s?나|숨을?\s?안\s?쉬|피가\s?(?:많이|계속|철철)|한쪽.{0,10}(?:힘이\s?안|마비|저려|감각이\s?없)"
    r"|(?:팔|다리)에\s?힘이\s?(?:안|하나도)|넘어졌.{0,12}(?:일어날\s?수가?\s?없|못\s?일어|움직일\s?수가?\s?없)"
    r"|가슴이?.{0,12}(?:아파|아프|아픈)|말이\s?어눌|약을?.{0,12}너무\s?많이|숨이?\s?(?:잘\s?)?안\s?쉬어|숨을?\s?쉴\s?수가?\s?없|쓰러(?:졌|지셨|진|지셔)|가슴이?.{0,10}(?:조이|쥐어)"
    r"|심장이?.{0,6}(?:빨리\s?뛰|멎|이상해)|의식을?\s?잃|안\s?깨어나"
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
    r"|(?:보고\s?싶어|듣기\s?싫어|싫어|귀여워|답답해|궁금해|지겨워|목말라|배불러)\s?죽겠",
    re.I,
)
"""Figures of speech that look like danger but are not."""


def danger(text: str, intent: str = "unknown") -> Danger | None:
    """The danger an utterance speaks of, by rules first and then by the classifier; None if none.

    Recall comes first: the rules are a floor (what they catch stays caught); the learned
    classifier (models/safety/crisis.npz) reads every turn that is not a plain yes or no.
    CONCERN (the check-in band, companion/checkin.py) comes from the classifier alone.
    """
    found = rules(text)
    if found is not None or intent in _NO_MODEL_INTENTS:
        return found
    literal = _literal(text)
    if not literal.strip():
        return None
    return model_danger(literal)


def rules(text: str) -> Danger | None:
    """The rule layer alone: a word of death or disappearing said with a wish, a plan or a
    'better' counts, unless it is about a thing or a figure of speech."""
    if _NOT_LITERAL.search(text) and not (_CRISIS_KO.search(text)):
        text = _literal(text)  # judge what is left once the figure of speech is taken out
    text = _MENTION.sub(" ", text)  # talk about suicide or where to live is left to the model
    if _CRISIS_PLUS_EN.search(text):
        return Danger.CRISIS
    said = _CRISIS_KO.search(text)
    if _STRONG_KO.search(text) or (
        said and not (_THING_KO.search(said.group()) and _OTHERS_KO.search(text))
    ):
        return Danger.CRISIS
    if _CRISIS_EN.search(text) and not _COMMAND.match(text):
        return Danger.CRISIS
    emergency = _EMERGENCY_EN.search(text) or _EMERGENCY_KO.search(text)
    if emergency and not _accidental_overdose_question(text):
        return Danger.EMERGENCY
    if _DEATH_EN.search(text) and _WISH_EN.search(text) and not _OTHERS_EN.search(text):
        return Danger.CRISIS
    if _DEATH_KO.search(text) and _WISH_KO.search(text) and not _OTHERS_KO.search(text):
        return Danger.CRISIS
    return None


def _literal(text: str) -> str:
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


_NO_MODEL_INTENTS = ("affirm", "deny")
"""Intents the classifier does not read: a yes or no to a question is never a crisis by meaning."""


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


class ClassifierError(Exception):
    """The crisis classifier's weights are missing or unreadable; the message says how to fix."""


@dataclass(frozen=True)
class Classifier:
    """Crisis / emergency / none from a sentence embedding and hashed char/jamo n-grams: a
    logistic regression, and for crisis its log-odds stacked with how much closer the sentence
    is to the hand-written crisis statements than to the hard negatives (models/safety/)."""

    classes: tuple[str, ...]
    weights: np.ndarray
    """[classes, DIM + spec.dim]: the embedding's weights, then the n-grams'."""
    bias: np.ndarray
    spec: FeatureSpec
    ngram_scale: float
    threshold: dict[str, dict[str, float]]
    bank: np.ndarray
    """[n, DIM] embeddings of the hand-written crisis statements and hard negatives."""
    bank_crisis: np.ndarray
    """[n] True where the bank row is a crisis statement."""
    neighbours: int
    """How many nearest statements of each kind are averaged."""
    stack: tuple[float, float, float]
    """Crisis score = sigmoid(a * log-odds + b * closeness margin + c)."""
    clause_penalty: float
    """How much more a clause must score than the whole utterance would need (a clause of a
    long line raises the odds of a false alarm)."""

    def probabilities(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        """Softmax over the classes for each (embedding, text) row, [n, classes]."""
        z = vectors @ self.weights[:, :DIM].T + self.bias
        for row, text in enumerate(texts):
            feats = sparse_features(text, self.spec)
            if feats:
                cols = np.fromiter(feats, np.int64, len(feats)) + DIM
                vals = np.fromiter(feats.values(), np.float32, len(feats)) * self.ngram_scale
                z[row] += self.weights[:, cols] @ vals
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def margin(self, vectors: np.ndarray) -> np.ndarray:
        """Mean cosine to the nearest crisis statements minus that to the nearest negatives."""
        sims = vectors @ self.bank.T
        k = self.neighbours
        near_crisis = np.sort(sims[:, self.bank_crisis], axis=1)[:, -k:].mean(axis=1)
        near_none = np.sort(sims[:, ~self.bank_crisis], axis=1)[:, -k:].mean(axis=1)
        return near_crisis - near_none

    def crisis_scores(self, probs: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """The stacked crisis score of each row, in [0, 1]."""
        p = np.clip(probs[:, self.classes.index(Danger.CRISIS.value)], 1e-6, 1 - 1e-6)
        a, b, c = self.stack
        z = a * np.log(p / (1 - p)) + b * self.margin(vectors) + c
        return 1.0 / (1.0 + np.exp(-z))

    def scores(self, texts: list[str], vectors: np.ndarray) -> tuple[float, float]:
        """(crisis score, emergency probability) of an utterance from its clauses (row 0 the
        whole utterance): the whole's, or a clause's less the clause penalty if higher."""
        probs = self.probabilities(vectors, texts)
        crisis = self.crisis_scores(probs, vectors)
        emergency = probs[:, self.classes.index(Danger.EMERGENCY.value)]
        return (
            clause_max(crisis, self.clause_penalty),
            clause_max(emergency, self.clause_penalty),
        )

    def judge(self, texts: list[str], vectors: np.ndarray, lang: str) -> Danger | None:
        """Crisis if the crisis score reaches the language's threshold, else emergency if the
        emergency probability does, else concern if the crisis score reaches the lower concern
        threshold (when the file has one); None below all."""
        crisis, emergency = self.scores(texts, vectors)
        if crisis >= self.threshold["crisis"][lang]:
            return Danger.CRISIS
        if emergency >= self.threshold["emergency"][lang]:
            return Danger.EMERGENCY
        if crisis >= self.threshold.get("concern", {}).get(lang, 2.0):
            return Danger.CONCERN
        return None


def clause_max(values: np.ndarray, penalty: float) -> float:
    """The whole utterance's value (first), or its best clause's less the penalty."""
    best = float(values[0])
    return max(best, float(values[1:].max()) - penalty) if len(values) > 1 else best


CLASSIFIER_FILE = "crisis.npz"


def classifier_path() -> Path:
    """models/safety/crisis.npz (under $EARPIECE_MODELS_DIR when set)."""
    return paths.models_dir() / "safety" / CLASSIFIER_FILE


@cache
def classifier() -> Classifier:
    """The committed classifier, read once; ClassifierError says what is wrong and how to fix."""
    path = classifier_path()
    fix = "rebuild it with `python -m earpiece.training.safety` (or `git checkout models/safety`)"
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            model = Classifier(
                classes=tuple(meta["classes"]),
                weights=np.asarray(data["weights"], np.float32),
                bias=np.asarray(data["bias"], np.float32),
                spec=FeatureSpec.from_dict(meta["ngrams"]),
                ngram_scale=float(meta["ngram_scale"]),
                threshold={k: {lg: float(t) for lg, t in v.items()}
                           for k, v in meta["threshold"].items()},
                bank=np.asarray(data["bank"], np.float32),
                bank_crisis=np.asarray(data["bank_crisis"], bool),
                neighbours=int(meta["neighbours"]),
                stack=tuple(float(v) for v in meta["stack"]),  # type: ignore[arg-type]
                clause_penalty=float(meta["clause_penalty"]),
            )  # fmt: skip
        width = (len(model.classes), DIM + model.spec.dim)
        if model.weights.shape != width or model.bias.shape != (len(model.classes),):
            raise ValueError(f"weights of shape {model.weights.shape}, expected {width}")
        if model.bank.shape[1:] != (DIM,) or model.bank_crisis.shape != model.bank.shape[:1]:
            raise ValueError(f"a statement bank of shape {model.bank.shape}")
        if len(model.stack) != 3 or not 0 < model.neighbours <= min(
            int(model.bank_crisis.sum()), int((~model.bank_crisis).sum())
        ):
            raise ValueError("stack or neighbours out of range")
        for label in (Danger.CRISIS, Danger.EMERGENCY):
            model.classes.index(label.value)
            _ = model.threshold[label.value]["en"], model.threshold[label.value]["ko"]
        for lang, t in model.threshold.get(Danger.CONCERN.value, {}).items():
            if not 0 < t <= model.threshold[Danger.CRISIS.value][lang]:
                raise ValueError(f"concern threshold {lang} {t} not in (0, crisis threshold]")
    except FileNotFoundError:
        raise ClassifierError(f"{path}: the crisis classifier is missing; {fix}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ClassifierError(
            f"{path}: the crisis classifier is unreadable ({exc}); {fix}"
        ) from None
    return model


def model_danger(text: str) -> Danger | None:
    """The verdict by meaning on one utterance, clause by clause (the classifier); None when
    the encoder or the classifier is unavailable (the rules still answer; `earpiece doctor`
    reports what is missing)."""
    from earpiece.nlu.encoder import EncoderError, embed

    parts = clauses(text[:500])
    try:
        vectors = embed(parts)
    except EncoderError as exc:
        _warn_once(str(exc))
        return None
    return by_meaning(parts, vectors)


def alarming_part(text: str) -> str | None:
    """The part of a longer utterance that, on its own, scores as a crisis though the whole
    line (a request around it) stayed below: 'I can't keep doing this' in 'set an alarm for 6,
    I can't keep doing this'; None when there is none. A command in the concern band with
    such a part is done without it, then the check-in is asked (policy)."""
    from earpiece.nlu.encoder import EncoderError, embed

    parts = clauses(_literal(text)[:500])
    if len(parts) < 2:
        return None
    try:
        vectors = embed(parts)
        model = classifier()
    except (EncoderError, ClassifierError):
        return None  # model_danger said so already; the rules still answer
    lang = "ko" if re.search(r"[\uac00-\ud7a3]", parts[0]) else "en"
    crisis = model.crisis_scores(model.probabilities(vectors, parts), vectors)
    best = 1 + int(crisis[1:].argmax())
    return parts[best] if crisis[best] >= model.threshold[Danger.CRISIS.value][lang] else None


def without_part(text: str, part: str) -> str:
    """The utterance less its clauses (split at punctuation and connectives) that lie within
    `part` (an `alarming_part`); the utterance as it was when no clause does (a window of
    words cut through the command)."""
    pieces = [p.strip() for p in _BREAK.split(_literal(text)) if p and p.strip()]
    kept = [p for p in pieces if p not in part]
    return " ".join(kept) if kept and len(kept) < len(pieces) else text


def by_meaning(texts: str | list[str], vectors: np.ndarray) -> Danger | None:
    """The classifier's verdict on an utterance's clauses and their embeddings, the whole
    utterance first (one text and one vector also do)."""
    texts = [texts] if isinstance(texts, str) else texts
    vectors = vectors.reshape(len(texts), -1)
    lang = "ko" if re.search(r"[\uac00-\ud7a3]", texts[0]) else "en"
    try:
        model = classifier()
    except ClassifierError as exc:
        _warn_once(str(exc))
        return None
    return model.judge(texts, vectors, lang)


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
    size = WINDOW["ko" if re.search(r"[\uac00-\ud7a3]", text) else "en"]
    if len(words) <= size + 1:
        return [text]
    parts = [text]
    pieces = [p.strip() for p in _BREAK.split(text) if p and p.strip()]
    parts += [p for p in pieces if len(p.split()) >= 2] if len(pieces) > 1 else []
    step = max(1, size // 2)
    for start in range(0, len(words) - size + step, step):
        parts.append(" ".join(words[start : start + size]))
    return list(dict.fromkeys(parts))


@cache
def _warn_once(message: str) -> None:
    logging.getLogger(__name__).warning("safety classifier off: %s", message)


_KO_DIGITS = "공일이삼사오육칠팔구"
_EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def in_words(number: str, lang: str) -> str:
    """A phone number digit by digit in words: '109' -> '일 공 구' / 'one zero nine'."""
    digits = [int(ch) for ch in number if ch.isdigit()]
    if lang == "ko":
        return " ".join(_KO_DIGITS[d] for d in digits)
    return " ".join(_EN_DIGITS[d] for d in digits)


def respond(turn: Turn, found: Danger, crisis_line: str, emergency: str) -> list[str]:
    """A warm, direct reply that gives the number to call, in words and in digits."""
    lang = turn.lang
    if found is Danger.EMERGENCY:
        turn.pending = {"kind": "safety", "danger": found.value}
        return [turn.say("emergency", words=in_words(emergency, lang), number=emergency)]
    turn.pending = {"kind": "safety", "danger": found.value}
    return [
        turn.say("crisis", words=in_words(crisis_line, lang), number=crisis_line),
        turn.say("crisis_emergency", words=in_words(emergency, lang), number=emergency),
    ]
