"""Before an action: a line that would change something (keep a fact, set or move a reminder,
add a line to a letter, turn the volume up) is read for danger more cautiously than a chat line.

An action serves what the line says: a reminder for a day they say they won't see, a fact kept
"for whoever comes after me", the volume turned up to cover a sound. So a line that asks for
one is held back (a check-in with the crisis line, nothing done) on words that a chat line
would only be asked about, or on the classifier's crisis score at a lower bar when a word of
leaving is said beside it. `danger()` (verdict.py) still judges every line first.
"""

from __future__ import annotations

import re

from earpiece.nlu.lang import written_in
from earpiece.nlu.safety.patterns import _PILLS_EN, concern_rules, without_figures

GUARD_SHARE = 0.7
"""The bar for an action, as a share of the classifier's concern threshold (measured on the
ordinary action lines of the NLU data: at this share, with a word of leaving beside it, no
more than a few in a thousand are held back; benchmarks/README.md)."""

_HELD_EN = re.compile(
    # found afterwards: 'when they find me', 'for whoever moves in after me'
    r"\bwhen\s+(?:they|someone|somebody|people|my\s+\w+|the\s+\w+)\s+finds?\s+(?:me\b|my\s+body"
    r"|this\s+(?:note|letter|message))"
    r"|\bwhoever\s+(?:comes|moves\s+in|lives\s+here|takes\s+over|gets\s+(?:it|them|this)|finds"
    r"|reads)\b[^.?!]{0,30}\bafter\s+(?:me\b|i'?m\s+gone)"
    r"|\bwhoever\s+(?:finds|reads)\s+(?:this|it|me)\s+(?:after|afterwards|later)?[\s.!]*$"
    # not here for it: 'cause I'm not going to be around', 'I won't be here anyway'
    r"|\b(?:i\s+won'?t|i\s+will\s+not|i'?m\s+not\s+(?:going\s+to|gonna)|i\s+am\s+not\s+(?:going\s+to"
    r"|gonna))\s+be\s+(?:here|around|alive)(?:\s+(?:anyway|anymore|any\s+more|much\s+longer"
    r"|after\s+(?:today|tonight|this)))?\s*(?:[.!,]|$)"
    r"|\b(?:doubt|don'?t\s+think|not\s+sure)\s+i'?ll\s+(?:still\s+)?(?:be\s+(?:here|around|alive)"
    r"|live\s+(?:to|that\s+long))\b"
    # a message left for someone: I'm sorry, and none of it was their fault
    r"|\b(?:tell|let|say\s+to|give)\b[^.?!]{0,40}\bsorry\b[^.?!]{0,40}\b(?:not|none\s+of\s+(?:this|it)"
    r"\s+(?:was|is))\s+(?:\w+\s+)?(?:fault|to\s+blame)\b"
    r"|\bif\s+i\s+(?:die|don'?t\s+make\s+it|don'?t\s+wake\s+up)\b(?!\s+(?:of\s+(?:boredom"
    r"|embarrassment|laughter|shame|hunger|heat|cold)|laughing|on\s+(?:time|stage)|in\s+the\s+game))"
    # when I can no longer say it myself
    r"|\b(?:when|since|because|cause|by\s+then)\s+i\s+(?:can'?t|won'?t\s+be\s+able\s+to|will\s+not"
    r"\s+be\s+able\s+to)\s+(?:send|say|tell|write|read)\s+(?:it|this|them|that|him|her|you)\s+(?:myself|anymore"
    r"|any\s+more)\b"
    # a last message of love or sorrow
    r"|\b(?:one\s+)?(?:last|final)\s+(?:time|message|words|note)\b[^.?!]{0,40}\b(?:love|sorry"
    r"|goodbye|forgive|miss)"
    # the volume up to cover a sound
    r"|\b(?:up|louder|max\w*|full|all\s+the\s+way)\b[^.?!]{0,40}\bso\s+(?:that\s+)?(?:nobody|no\s+one"
    r"|no-one|the\s+neighbou?rs?|anyone)\s+(?:can\s+|will\s+|could\s+|won'?t\s+|can'?t\s+)?hears?\s+"
    r"(?:what|when|anything|a\s+thing|it\b|the\s+(?:sound|noise|bang|thud|shot|fall))"
    # a means at hand, told as a fact: a gun out and loaded, pills put aside
    r"|\b(?:gun|shotgun|rifle|pistol|revolver|handgun)\b[^.?!]{0,40}\b(?:(?:is|'s)\s+loaded|loaded\s+it"
    r"|(?:is|'s)\s+out|in\s+my\s+(?:hand|lap))\b|\bloaded\s+(?:\w+\s+)?(?:gun|shotgun|rifle|pistol)\b"
    r"|\b(?:saving|saved|stockpil\w+|hoard\w+|stashing|stashed|putting\s+aside|put\s+aside)\s+(?:up\s+)?"
    r"(?:my\s+|all\s+my\s+|the\s+|some\s+)?(?:pills|tablets|meds|medication|sleeping\s+\w+|painkillers)"
    # what someone will need soon: passwords, the will
    r"|\b(?:my\s+\w+\s+)?(?:passwords?|pins?|pin\s+numbers?|bank\s+(?:details|cards?)|will"
    r"|insurance\s+papers|deeds)\b[^.?!]{0,40}[.!,]?\s*(?:my\s+)?(?:she|he|they|wife|husband|son"
    r"|daughter|kids|children|family|sister|brother|mum|mom|dad)(?:'s|'ll|\s+is|\s+will|\s+are)?"
    r"\s+(?:going\s+to\s+|gonna\s+)?need\s+(?:them|those|these|it)\s+(?:soon|very\s+soon"
    r"|after\s+(?:today|tonight|this|me))\b",
    re.I,
)
"""English words in a request that speak of not being there for it: held back alone."""

_PILLS_ONE_BY_ONE_EN = re.compile(
    r"\b(?:taking|swallowing|popping|having|downing)\b[^.?!]{0,40}\b(?:one\s+(?:at\s+a\s+time|by\s+one"
    r"|after\s+(?:another|the\s+other)))\b"
    r"|\b(?:on|up\s+to|that'?s)\s+(?:number\s+)?(?:\d{1,2}|ten|eleven|twelve|\w+teen|twenty\S*)"
    r"(?:\s+(?:now|so\s+far|already))?\b",
    re.I,
)
_ENOUGH_EN = re.compile(
    r"\b(?:should|will|would|'ll|might|must)\s+(?:have\s+)?(?:done|taken|worked|be)\s+enough\b",
    re.I,
)

_HELD_KO = re.compile(
    # after I'm gone: 'whoever comes after me'
    r"(?:내|제)\s?(?:뒤에|다음에)\s?(?:올|들어올|살)\s?사람|(?:내가|제가)\s?(?:가고|떠나고|죽고)\s?(?:나면|나서|난\s?뒤)"
    r"|(?:내가|제가|나|저)\s?없으면(?!\s?(?:심심|안\s?돼|안\s?되|어떡|어떻게|못))"
    r"|(?:내가|제가|나|저)\s?(?:죽으면|죽거든|죽더라도|(?:영영|영원히)\s?떠나면|세상\s?떠나면)"
    # a message left for someone: sorry, and it was not their fault
    r"|미안(?:하다|했다)?(?:고|하고)?[^.?!]{0,30}(?:잘못|탓)(?:이)?\s?아니(?:라고|란|야|었다고)"
    # not there then: '그땐 내가 못 보낼 테니까'
    r"|(?:그땐|그때는|그때엔|그\s?시간엔|그날은)\s?(?:이미\s?)?(?:내가|제가|난|나는|전|저는)\s?(?:이미\s?)?"
    r"(?:못\s?(?:보낼|할|말할|전할|볼|들을|읽을)|(?:여기\s?|이\s?세상에\s?)?없을)\s?(?:테니|거니|거라|거야|거고|것|텐데|겠)"
    r"(?![^.?!]{0,20}(?:회의|출장|근무|일하|바빠|운전|수업|비행기|해외|여행|자고|자는|잘\s?거|밖에|외출|병원\s?예약))"
    # a last message of love or sorrow
    r"|마지막으로\s?(?:한\s?번\s?)?[^.?!]{0,20}(?:사랑|미안|고마웠|고맙다|보고\s?싶|잘\s?있|안녕|용서)"
    # the volume up to cover a sound
    r"|(?:크게|키워|올려|최대|높여)[^.?!]{0,30}(?:아무도|아무\s?소리도|옆집에서?|이웃이|밖에서)\s?(?:못|안)\s?"
    r"(?:듣게|들리게|들을\s?수|들려)"
    r"|(?:아무도|아무\s?소리도|옆집에서?|이웃이|밖에서)\s?(?:못|안)\s?(?:듣게|들리게)[^.?!]{0,30}"
    r"(?:크게|키워|올려|최대|높여)"
    # what someone will need soon
    r"|(?:비밀번호|통장|보험|도장|유언장|집문서)[^.?!]{0,40}(?:곧|금방|이제\s?곧)\s?(?:필요할|쓸\s?일|알아야)"
    # a means at hand: a gun loaded, pills put aside, taking them only in pretence
    r"|(?:총|엽총|권총|사냥총)(?:을|에)?[^.?!]{0,20}(?:장전|꺼내\s?(?:놨|뒀|놓았))"
    r"|(?:약|수면제|진통제|알약|안정제|타이레놀)(?:을|를|들)?\s?(?:조금씩\s?|몰래\s?|하나둘\s?)?(?:모으고\s?있|모으는\s?중|모아\s?(?:놨|뒀|두고|놓)"
    r"|쌓아\s?(?:놨|뒀)|챙겨\s?모아)|(?:약|수면제)[^.?!]{0,10}먹는\s?척"
    # pills taken one by one, counted
    r"|(?:약|수면제|알약|진통제|안정제|신경안정제|타이레놀)[^.?!]{0,20}(?:하나씩|한\s?알씩|한\s?개씩)\s?"
    r"(?:먹고\s?있|삼키고\s?있|털어\s?넣고|먹는\s?중)"
    r"|(?:하나씩|한\s?알씩|한\s?개씩)\s?(?:먹고\s?있|삼키고\s?있|먹는\s?중)[^.?!]{0,30}(?:개째|알째|번째)"
    r"|(?:약|수면제|알약|진통제|안정제)[^.?!]{0,30}충분히\s?(?:됐|들었|퍼졌|돌았|먹었)"
)
"""Korean words in a request that speak of not being there for it: held back alone."""

_LEAVING_WORD = re.compile(
    r"\b(?:after\s+(?:me|today|tonight|this|i'?m|i\s+(?:go|leave|die)\b)|by\s+then|anymore|any\s+more"
    r"|no\s+longer|whoever"
    r"|goodbye|bye|last|final|forever|one\s+by\s+one|one\s+at\s+a\s+time"
    r"|enough|gave\s+away|giving\s+away|given\s+away|gone|find\s+(?:me|my)|won'?t\s+(?:need|be|see)"
    r"|not\s+going\s+to\s+be)\b"
    r"|이후|뒤에\s?올|마지막|영원|그땐|그때는|필요\s?없|하나씩|충분|나눠\s?줬|맡겼|물려"
    r"|없으면|없을|떠나|가고\s?나",
    re.I,
)
"""A word of leaving, ending or means: beside it, the classifier's lower bar holds an action
(not 'sorry', 'nobody' or a medicine's name: a letter says sorry, a lonely evening or a
prescription is told, without a crisis)."""


def held_by_words(text: str) -> bool:
    """Words that speak of not being there for what is asked ('remind me Friday, I won't be
    here anyway', '내가 가고 나면 화분은 동생 주라고 적어 둬', pills taken one by one and
    counted): an action asked with them is held back whatever the classifier says."""
    line = without_figures(text)
    if concern_rules(line) or _HELD_EN.search(line) or _HELD_KO.search(line):
        return True
    pills = _PILLS_EN.search(line)
    return bool(pills and (_PILLS_ONE_BY_ONE_EN.search(line) or _ENOUGH_EN.search(line)))


def held_by_meaning(text: str, payload: str = "") -> bool:
    """The classifier's crisis score on the line (or the part it would store) reaches the lower
    bar for actions while a word of leaving is said beside it."""
    line = without_figures(text)
    if not _LEAVING_WORD.search(line):
        return False
    from earpiece.nlu.safety.model import ClassifierError, classifier, crisis_score

    try:
        model = classifier()
    except ClassifierError:
        return False  # the rules still answer; model_danger warned already
    lang = written_in(line)
    concern = model.threshold.get("concern", {}).get(lang, model.threshold["crisis"][lang])
    bar = GUARD_SHARE * concern
    texts = [line] + ([payload] if payload.strip() and payload.strip() != line.strip() else [])
    return any((crisis_score(t) or 0.0) >= bar for t in texts)


def before_acting(text: str, payload: str = "", meaning: bool = True) -> str | None:
    """Why an action asked in `text` (storing `payload`) is held back: "words" (the line
    speaks of not being there for it; no action after a no), "meaning" (the classifier's lower
    bar with a word of leaving; the action may be done after a no; not asked when `meaning` is
    False), or None: act."""
    if held_by_words(text) or (payload and held_by_words(payload)):
        return "words"
    if meaning and held_by_meaning(text, payload):
        return "meaning"
    return None
