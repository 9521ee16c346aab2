"""Remembering, recalling (by structure, words and meaning) and forgetting what a person told.

Longer than most modules: remembering, recalling and forgetting find facts the same ways (a
name, a relation, an attribute, the words, the meaning), and what recall finds, a forget
must find too; the allergy check reads the same facts.
"""

from __future__ import annotations

import re
from datetime import datetime

from earpiece.companion.context import Turn, dialog_key, new_key
from earpiece.companion.memory import (
    ATTRIBUTES,
    about,
    analyse,
    attribute,
    attributes_in,
    by_meaning,
    matches,
    mentions,
    names_in,
    names_of,
    relation,
    same_person,
    similarity,
    tells_a_reaction,
    whom,
    words_after,
)
from earpiece.companion.replies import count
from earpiece.nlu.featurizer import normalize
from earpiece.store.database import Redaction

SINGLE_KINDS = ("name", "birthday")
"""Kinds of which a person has one: a new one replaces the old."""
_EN_SWAP = {
    "i": "you",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "im": "you're",
    "my": "your",
    "me": "you",
    "mine": "yours",
    "myself": "yourself",
    "am": "are",
}
_FILLER = re.compile(
    r"(?:[\s,]+(?:btw|by the way|lol|haha+|hehe+|just so you know|fyi|ok|okay|please|you know))+"
    r"[\s.!?]*$|(?:\s*(?:ㅋ+|ㅎ+|ㅠ+|ㅜ+))+$|^(?:(?:oh|so|well|um+|uh+|btw|anyway|hey)[\s,]+)+",
    re.I,
)
_EN_RELATION_WORD = {"grandchild": "grandchild", "sibling": "sibling"}
# fmt: skip (at its end): a word list read as a table, several words a line.
_KO_RELATION_WORD = {
    "mother": "엄마",
    "father": "아빠",
    "sister": "언니/누나",
    "brother": "형/오빠",
    "sibling": "동생",
    "daughter": "딸",
    "son": "아들",
    "grandchild": "손주",
    "grandmother": "할머니",
    "grandfather": "할아버지",
    "husband": "남편",
    "wife": "아내",
    "partner": "애인",
    "friend": "친구",
    "cat": "고양이",
    "dog": "강아지",
    "doctor": "의사 선생님",
    "teacher": "선생님",
    "boss": "상사",
    "uncle": "삼촌",
    "aunt": "이모/고모",
    "cousin": "사촌",
    "niece": "조카",
    "child": "자식",
    "roommate": "룸메이트",
    "fiance": "약혼자",
    "son-in-law": "사위",
    "daughter-in-law": "며느리",
    "mother-in-law": "시어머니/장모님",
    "father-in-law": "시아버지/장인어른",
    "nurse": "간호사",
    "caregiver": "간병인",
    "landlord": "집주인",
    "ex": "전 애인",
    "coworker": "동료",
    "neighbor": "이웃",
}
_KO_ATTRIBUTE_WORD = {
    "name": "이름",
    "birthday": "생일",
    "allergy": "알레르기",
    "phone": "전화번호",
    "like": "좋아하는 것",
    "dislike": "싫어하는 것",
    "place": "있는 곳",
    "work": "일하는 곳",
    "health": "건강",
    "plan": "계획",
    "weight": "몸무게",
}
_EN_ATTRIBUTE_WORD = {
    "name": "name",
    "birthday": "birthday",
    "allergy": "allergies",
    "phone": "phone number",
    "like": "likes",
    "dislike": "dislikes",
    "place": "whereabouts",
    "work": "workplace",
    "health": "health",
    "plan": "plans",
    "weight": "weight",
}


def spoken(body: dict, lang: str) -> str:
    """A remembered fact as the companion says it back, without the filler it was said with."""
    text = _FILLER.sub("", body["text"].strip()).strip().rstrip(".!?")
    person, attr = about(body)
    value = _FILLER.sub("", body.get("detail") or body.get("value", "")).strip()
    said_more = attr == "name" and not re.search(
        r"\b(?:name|names|called|named)\b|\bis\s+[A-Z][\w'-]*$", text
    )  # 'my son Peter lives in Toronto': said back whole, not as 'your son's name is Peter'
    if (
        body.get("lang", lang) == "en"
        and value
        and attr in ("name", "birthday", "allergy", "phone")
        and not said_more
    ):
        if attr == "allergy":
            return f"you're allergic to {value}"
        names = body.get("names") or []
        whose = (
            "your"
            if person == "me"
            else f"{names[0]}'s"
            if not person and names
            else f"your {_EN_RELATION_WORD.get(person, person)}'s"
        )
        return f"{whose} {_EN_ATTRIBUTE_WORD[attr]} is {value}"
    if body.get("lang", lang) == "en":
        return " ".join(_EN_SWAP.get(w.lower(), w) for w in text.split())
    return f"'{text}'"


def _live_facts(turn: Turn) -> list[tuple[str, dict]]:
    return turn.store.rows("facts", order="json_extract(body, '$.at'), key")


def remember(turn: Turn, text: str | None = None, recent: list[str] | None = None) -> list[str]:
    if turn.u.slots.get("correct") and text is None:
        fixed = correct(turn, turn.u.slots["correct"], recent or [])
        return fixed if fixed is not None else [turn.say("chat_small")]  # nothing to correct
    if turn.u.slots.get("fix_old") and text is None:
        fixed = correct_told(turn, turn.u.slots["fix_old"], turn.u.slots["fix_new"])
        if fixed is not None:
            return fixed
        if turn.u.slots.get("fix_only"):  # 'X 말고 Y' with no X kept: nothing to set right
            return [turn.say("chat_small")]
    fact_text = (text or turn.u.slots.get("fact") or turn.u.text).strip()
    if not fact_text:
        turn.pending = {"kind": "remember_what"}
        return [turn.say("fact_missing")]
    fact = analyse(fact_text, turn.lang)
    key = new_key("fact")
    replaced = [k for k, old in _live_facts(turn) if _replaces(fact, old)]
    for old_key in replaced:
        turn.delete("facts", old_key)
    if replaced:
        _redact(turn, replaced)
    turn.put("facts", key, fact.to_body(turn.at, turn.turn_key))
    turn.refs.append(key)
    if fact.kind == "name" and fact.person in ("me", "") and fact.value:
        return [turn.say("fact_saved_name", value=fact.value)]
    said = [turn.say("fact_told" if turn.u.slots.get("told") else "fact_saved")]
    if turn.u.slots.get("offer"):
        said += _offer_reminder(turn)
    return said


def _offer_reminder(turn: Turn) -> list[str]:
    """A plan told as news ('dentist Thursday at 3') is kept; a reminder is offered, set only
    on a yes (the question lapses when the next line is something else)."""
    from dataclasses import asdict

    from earpiece.companion import reminders

    planned = [p for p in reminders.plan(turn) if p.when]
    if len(planned) != 1 or datetime.fromisoformat(planned[0].when) <= turn.now:
        return []
    turn.pending = {"kind": "confirm", "action": "reminders", "plan": [asdict(planned[0])]}
    return reminders.confirm_question(turn, planned)


def correct(turn: Turn, value: str, recent: list[str]) -> list[str] | None:
    """'No wait, her name is Mochi': the fact just kept gets the new value; None when no fact
    was just kept with a value to correct."""
    for key in reversed(recent):
        old = turn.store.get("facts", key)
        before = old and (old.get("detail") or old.get("value"))
        if not old or not before or about(old)[1] not in ("name", "birthday", "place", "phone"):
            continue
        field = "detail" if old.get("detail") else "value"
        text = old["text"].replace(before, value) if before in old["text"] else old["text"]
        body = {**old, field: value, "text": text, "at": turn.at, "turn": turn.turn_key}
        new = new_key("fact")
        turn.delete("facts", key)
        turn.put("facts", new, body)
        turn.refs.append(new)
        return [turn.say("fact_told")]
    return None


def correct_told(turn: Turn, old: str, new: str) -> list[str] | None:
    """'아까 손자 생일 5일이라고 했죠? 6일이에요': the latest fact that holds the old value (and,
    among several, one that shares a word with the line) holds the new one; None when none does."""
    holding = [
        (k, b)
        for k, b in _live_facts(turn)
        if re.search(rf"(?<![\w]){re.escape(old)}", b.get("text", ""), re.I)
    ]
    about_it = [(k, b) for k, b in holding if _shares_a_word(b, turn.u.text)]
    if not (about_it or holding):
        return None
    key, body = (about_it or holding)[-1]
    swap = re.compile(rf"(?<![\w]){re.escape(old)}", re.I)
    fixed = {
        **body,
        **{
            f: swap.sub(new, str(body[f]), count=1)
            for f in ("text", "value", "detail")
            if body.get(f)
        },
        "at": turn.at,
        "turn": turn.turn_key,
    }
    turn.delete("facts", key)
    _redact(turn, [key])
    fresh = new_key("fact")
    turn.put("facts", fresh, fixed)
    turn.refs.append(fresh)
    return [turn.say("fact_told")]


def _replaces(new, old: dict) -> bool:
    """A new name or birthday of the same person replaces the old one."""
    if new.names and not new.person:  # 'Dana's birthday is…': only Dana's birthday before
        said = set(old.get("names", []))
        return (
            new.attribute == "birthday"
            and about(old)[1] == "birthday"
            and bool(said & set(new.names))
        )
    if new.attribute in ("name", "birthday") and new.person:
        return about(old) == (new.person, new.attribute)
    return (
        not new.person
        and new.kind in SINGLE_KINDS
        and old.get("kind") == new.kind
        and not old.get("person")
    )


def kept_answer(turn: Turn) -> None:
    """Keep an answer to a question the companion asked that tells a fact (mood.worth_keeping)."""
    key = new_key("fact")
    turn.put("facts", key, analyse(turn.u.text.strip(), turn.lang).to_body(turn.at, turn.turn_key))
    turn.refs.append(key)


def find(turn: Turn, question: str, topic: str | None) -> tuple[list[tuple[str, dict]], str]:
    """Facts that answer a question: by person and attribute, by words, then by meaning.

    The second value names what was asked when it is known but nothing answers it.
    """
    facts = [(k, b) for k, b in _live_facts(turn) if b.get("kind") != "note"]
    rel, attr = mentions(question)
    rel = whom(question) or rel  # "my dad's nurse": the nurse's name, not dad's
    school = re.search(r"학교|대학|\b(?:school|college|university)\b", question, re.I)
    if attr in ("place", "") and (
        re.search(r"일하|일해|일한|근무|직장|회사|\bwork", question, re.I)
        or (school and re.search(r"\b(?:where|which)\b|어디|어느", question, re.I))
    ):  # 'where do I work', '어디서 일한다고 했지', 'where do I go to school' (not 'when does
        attr = "work"  # Chloe start school': that is by her name and the words)
    cannot_eat = _CANNOT_EAT.search(question)
    named = _named_in(facts, question)
    if cannot_eat and not _ASKS_OF_ME.search(question):  # 'what can't Theo eat?': theirs
        told = named or [(k, b) for k, b in facts if _shares_a_word(b, question)]
        if rel or told:  # and never their birthday
            return _of_someone(told or facts, rel, _FOOD, question, turn.lang)
    if not attr and cannot_eat:  # '내가 못 먹는 과일 있었나?': a dislike or an allergy
        avoided = [(k, b) for k, b in facts if about(b) in (("me", "dislike"), ("me", "allergy"))]
        if avoided:
            return avoided, ""
        attr = "dislike"
    if rel and attr in ("", "place", "plan"):  # '언니 언제 결혼한다고 했지?', '남편 어디 수술…'
        told = [
            (k, b) for k, b in facts if same_person(rel, _whose(b)) and _shares_a_word(b, question)
        ]
        if told:
            return told, ""
    if not attr and re.search(r"\bwhen\b|언제", question, re.I):
        if _I_DO.search(question):  # 'when do I see the doctor': a plan of theirs
            rel, attr = "", "plan"
        elif rel:
            attr = "birthday"
    if named and not rel:  # 'when does Chloe start school', 'where does Susan live'
        if attr:  # what they like is never answered with their birthday
            return _of_someone(named, "", (attr,), question, turn.lang)
        if _says_none_of(named, _thing_words(question, named)):
            return by_meaning(question, named)[:1], ""  # 'what size shoes does Theo wear?'
        return (by_meaning(question, named, threshold=0.0) or named)[:2], ""
    someone = re.search(r"\bmy\s+([a-z-]+)(?:'s|s')", question, re.I)
    if not rel and someone and someone[1].lower() not in ("own",):
        attr = ""  # "my bff's name": someone's, not the person's own: by words and meaning
    if rel or (
        attr
        and re.search(r"\b(?:my|i|me)\b|(?:^|\s)(?:내|제|나|저)(?:가|는)?(?:\s|$)", question, re.I)
    ):
        person = rel or "me"
        shaped = [(k, b) for k, b in facts if same_person(person, about(b)[0])]
        if attr in ("like", "dislike"):
            tastes = [(k, b) for k, b in shaped if about(b)[1] in ("like", "dislike")]
            named = [(k, b) for k, b in tastes if _value_in(b, question)]
            if named or tastes:
                return named or [(k, b) for k, b in tastes if about(b)[1] == attr] or tastes, ""
        if attr:
            exact = [(k, b) for k, b in shaped if about(b)[1] == attr]
            if exact:
                single = attr in ("name", "birthday") and person == about(exact[-1][1])[0]
                return exact[-1:] if single else exact, ""
            said = [(k, b) for k, b in facts if not about(b)[0] and _said_about(b, rel, attr)]
            said = said or _said_of_named(facts, person, attr)
            said = said or [(k, b) for k, b in shaped if attr in attributes_in(b.get("text", ""))]
            if attr == "phone":  # "the dentist's office line is 312-…" answers 'dentist's number'
                said = said or [(k, b) for k, b in shaped if _PHONE.search(b.get("text", ""))]
            if attr == "name" and person != "me":  # '…. 초코는 우리 집 푸들이고': the dog's
                said = said or [
                    (k, b)
                    for k, b in facts
                    if any(same_person(person, r) for r, _ in names_in(b.get("text", "")))
                ]
            if attr == "name" and person != "me":  # 'my late husband Harold loved fishing'
                said = said or [
                    (k, b)
                    for k, b in facts
                    if b.get("names")
                    and (same_person(person, about(b)[0]) or same_person(person, _whose(b)))
                ]
            if said:
                return said, ""
            if attr not in _LOOSE or rel:
                return [], _asked(person, attr, turn.lang)
            # 'where did I hide the key?': by words and meaning, as a question without a shape;
            # never a fact that says another thing of theirs (an allergy is not a medicine)
            facts = [(k, b) for k, b in facts if about(b)[1] in ("", attr)]
        elif shaped:
            if person != "me" and len(shaped) > 1:  # the one that answers first
                return by_meaning(question, shaped, threshold=0.0)[:3] or shaped, ""
            return shaped, ""
        elif rel:
            return [], ""  # nothing about them: never another person's fact
    facts = [(k, b) for k, b in facts if _fits(b, question, attr)]
    if topic:
        found = [(k, b) for k, b in facts if matches(b, topic)]
        if found:
            return found, ""
    if not _OWN_NAME.search(question):  # 'who is Tom' is never answered with their own name
        facts = [(k, b) for k, b in facts if not _own_identity(b)]
    own = [(k, b) for k, b in facts if about(b)[0] in ("", "me")]
    found = by_meaning(question, facts)
    if not found:  # 'who do I play cards with' ~ '…Gus plays cards with me on Tuesdays'
        found = [(k, b) for k, b in facts if _shares_a_word(b, question)][:3]
    return found or by_meaning(question, own, loose=True), ""


_PHONE = re.compile(r"\d{3,}|\d+[-.]\d+|공\s?일\s?공|010")
_EN_OWNER = re.compile(
    r"(?:\b(?:the|my|our|his|her)\s+)?(?P<owner>(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*?)(?:['’]s)?\s+"
    r"(?:phone\s+)?(?:number|line|address|name)\b",
    re.I,
)
_EN_OWNER_AFTER = re.compile(
    r"\b(?:number|line|address|name)\s+(?:of|for)\s+(?:the\s+|my\s+|our\s+)?(?P<owner>[a-z][\w-]*)",
    re.I,
)
_KO_OWNER = re.compile(
    r"(?P<owner>(?:[가-힣]{2,}\s)?[가-힣]{2,})\s?(?:전화번호|번호|주소|이름|성함)"
)
_NOT_OWNER = re.compile(
    r"^(?:what|whats|what's|the|my|your|our|is|was|again|phone|tell|me|of|a|an|that|this|his|her"
    r"|say|said|did|do|does|i|you|remember|know|give|get|need|want"
    r"|뭐|내|제|우리|그|그거|그\s?사람|전화|핸드폰|휴대폰)$",
    re.I,
)


def _owners(question: str) -> list[str]:
    """Whose number or name a question asks when that is not a person of theirs ('the
    locksmith's number', 'number for the vet', '세탁소 전화번호'): the words a fact must say."""
    said = " ".join(
        m[g] or ""
        for pattern in (_EN_OWNER, _EN_OWNER_AFTER, _KO_OWNER)
        for m in pattern.finditer(question)
        for g in m.groupdict()
    )
    words = [w for w in said.split() if len(w) >= 2 and not _NOT_OWNER.match(w)]
    return [w for w in words if not relation(w) and not attribute(w)]


def _fits(body: dict, question: str, attr: str) -> bool:
    """Whether a fact found by its words or meaning can answer what is asked: a number asked
    for has digits, and a number or name asked of something ('the vet's number') is said of it
    (another's number is not an answer)."""
    text = normalize(body.get("text", ""))
    if attr == "phone" and not _PHONE.search(body.get("text", "")):
        return False
    owners = _owners(question)
    if not owners or attr not in ("phone", "name", ""):
        return True
    return any(_stem_in(w, text) for w in owners)


def _stem_in(word: str, text: str) -> bool:
    word = normalize(word)
    stem = word[:2] if not word.isascii() else re.sub(r"(?:'s|s)$", "", word)
    return len(stem) >= 2 and stem in text


_QUESTION_WORDS = re.compile(
    r"^(?:언제|어디|어디서|어느|뭐|뭘|무슨|누구|했지|했죠|했지요|했더라|했었지|했었죠|라고|이라고|다고"
    r"|when|where|what|which|who|whom|whose|how|is|are|was|were|does|did|do|my|the|a|an|again|his"
    r"|her|their|of|at|in|on|to|for|with|and|or|you|your|me|i|it|that|this|have|has|had|say|said"
    r"|tell|told|know|remember|about|any|some|there|get|got|go|going|can|will|would|should"
    r"|내가|제가|나|저|내|제|우리|거|것|기억나|기억해|알아|알려|말해|했어|있어|있었지|있었나)$"
)


def _shares_a_word(body: dict, question: str) -> bool:
    """Whether a fact says a word of the question beside whom and what it asks ('결혼한다고'
    ~ '결혼해서', 'wedding' ~ 'wedding'); Korean words by their first two syllables."""
    text = normalize(body.get("text", ""))
    for word in normalize(question).split():
        if _QUESTION_WORDS.match(word) or relation(word) or attribute(word) or len(word) < 2:
            continue
        stem = word[:2] if not word.isascii() else re.sub(r"(?:'s|s)$", "", word)
        if len(stem) >= 2 and not _QUESTION_WORDS.match(stem) and stem in text:
            return True
    return False


_CANNOT_EAT = re.compile(
    r"못\s?먹|안\s?먹|먹으면\s?안|\b(?:can'?t|cannot|don'?t|doesn'?t|won'?t|shouldn'?t)\s+"
    r"(?:[\w'-]+\s+){0,3}?eat\b|\b(?:can|does|should)\s+(?:[\w'-]+\s+){1,3}?not\s+eat\b",
    re.I,
)
_ASKS_OF_ME = re.compile(r"\b(?:i|me)\b|(?:^|\s)(?:내가|제가|나|저|난|전)\s", re.I)
_FOOD = ("allergy", "dislike")
"""What 'what can't he eat' asks: an allergy or a food they avoid."""
_AVOIDS = re.compile(
    r"allerg|알레르기|알러지|못\s?먹|안\s?먹|\b(?:can'?t|cannot|doesn'?t|don'?t|won'?t)\s+eat\b"
    r"|\bintoleran|\bhates?\b|싫어",
    re.I,
)


def _named_in(facts: list[tuple[str, dict]], question: str) -> list[tuple[str, dict]]:
    """Facts about someone the question names: kept under the name or saying it ('Theo is
    allergic to peanuts' is Theo's though told without 'my')."""
    said = {n for _, b in facts for n in names_of(b) if _said_name(n, question)}
    return [
        (k, b)
        for k, b in facts
        if any(_said_name(n, question) for n in names_of(b))
        or any(_said_name(n, b.get("text", "")) for n in said)
    ]


def _says_asked(body: dict, wanted: tuple[str, ...]) -> bool:
    """Whether a fact says the attribute asked (by its shape or its words)."""
    text = body.get("text", "")
    if about(body)[1] in wanted or set(wanted) & attributes_in(text):
        return True
    return "allergy" in wanted and bool(_AVOIDS.search(text) or tells_a_reaction(text))


def _of_someone(
    facts: list[tuple[str, dict]], rel: str, wanted: tuple[str, ...], question: str, lang: str
) -> tuple[list[tuple[str, dict]], str]:
    """What one person's fact of the asked kind says; facts that say another kind of thing
    (a birthday for 'what can't he eat') never answer; nothing fits: said honestly."""
    if rel:
        facts = [(k, b) for k, b in facts if same_person(rel, about(b)[0] or _whose(b))]
    fitting = [(k, b) for k, b in facts if _says_asked(b, wanted)]
    if fitting:
        return (by_meaning(question, fitting, threshold=0.0) or fitting)[:2], ""
    unshaped = [
        (k, b) for k, b in facts if not about(b)[1] and not attributes_in(b.get("text", ""))
    ]
    loose = by_meaning(question, unshaped, loose=True)
    if loose:
        return loose[:1], ""
    names = [n for _, b in facts for n in names_of(b) if _said_name(n, question)]
    return [], _asked(rel or (names[0] if names else "me"), wanted[0], lang)


# fmt: skip (at its end): a word list read as a table, several words a line.
_GENERIC_ASK = frozenset(
    {"old", "age", "doing", "up", "about", "called", "name", "like", "likes", "nowadays", "lately",
     "these", "days", "나이", "몇", "살", "어때", "어떻게", "지내", "요즘"}
)  # fmt: skip
"""Words of a question about someone that ask nothing in particular ('how old is…', '요즘 어때')."""


def _thing_words(question: str, named: list[tuple[str, dict]]) -> list[str]:
    """The words of a question about someone named that say what of theirs is asked ('what size
    shoes does Theo wear?': size, shoes, wear), not who, how or the name."""
    names = {w for _, b in named for n in names_of(b) for w in normalize(n).split()}
    words = [re.sub(r"(?:'s|s')$", "", w) for w in re.findall(r"[\w'-]+", normalize(question))]
    return [
        w
        for w in words
        if len(w) >= 3
        and not _QUESTION_WORDS.match(w)
        and w not in names
        and w not in _GENERIC_ASK
        and not relation(w)
        and not attribute(w)
    ]


def _says_none_of(named: list[tuple[str, dict]], words: list[str]) -> bool:
    """Words were asked and no fact about them says any of them (by its stem)."""
    texts = [normalize(b.get("text", "")) for _, b in named]
    return bool(words) and not any(_stem_in(w, t) for t in texts for w in words)


def _said_name(name: str, question: str) -> bool:
    """Whether a question names a kept name ('when does Chloe start school', '지현이 생일')."""
    bare = re.sub(r"^(?:Dr|Mr|Mrs|Ms|Miss)\.?\s+", "", name).lower()
    if re.search(r"[가-힣]", bare):
        return bare in question
    return bool(re.search(rf"\b{re.escape(bare)}\b", question.lower()))


_LOOSE = ("place", "work", "plan", "health")
"""Attributes a question of one's own may name loosely ('where did I put…'): found by meaning."""
_I_DO = re.compile(r"\b(?:do|did|will|am|should|have)\s+i\b|\bi'?m\b|(?:^|\s)(?:내가|제가)\s", re.I)
"""'When do I…', '언제 내가…': a question about the person's own plans."""


def _value_in(body: dict, question: str) -> bool:
    """Whether the question names the fact's value ('do I like mushrooms' ~ 'mushrooms')."""
    value = (body.get("detail") or body.get("value") or "").lower().rstrip("s")
    return bool(value) and value in question.lower()


def _said_of_named(facts: list[tuple[str, dict]], person: str, attr: str) -> list[tuple[str, dict]]:
    """'서연이 생일 8월 9일이래' answers '룸메 생일' when the roommate's name is 서연; the name
    may be the value of their name fact or said in passing of them ('우리 손주 민준이가 …',
    'My daughter Iris is six weeks old'), and the attribute said by a word ('Iris was born on
    November 2nd'), though the fact was kept as of someone else ("Emma's a nurse… works nights"
    is the granddaughter's work when she is Emma)."""
    names = [
        str(b.get("detail") or "")
        for _, b in facts
        if about(b) == (person, "name")
        or (same_person(person, about(b)[0]) and about(b)[1] == "name")
    ]
    names += [
        name
        for _, b in facts
        for rel, name in names_in(b.get("text", ""))
        if rel and same_person(person, rel)
    ]
    names += [  # '손주 민준이를 …': a name only when another fact says it with the attribute
        word
        for _, b in facts
        if same_person(person, about(b)[0])
        for word in words_after(b.get("text", ""), person)
    ]
    names = [n for n in names if len(n) >= 2]
    return [
        (k, b)
        for k, b in facts
        if not same_person(person, about(b)[0])  # theirs by shape were asked before
        and (about(b)[1] == attr or attr in attributes_in(b.get("text", "")))
        and any(_said_name(n, b.get("text", "")) for n in names)
    ]


def _said_about(body: dict, rel: str, attr: str) -> bool:
    """An unstructured fact whose text names the relation and the attribute asked about."""
    fact_rel, fact_attr = mentions(body.get("text", ""))
    return (not rel or same_person(rel, fact_rel)) and fact_attr == attr


def _asked(person: str, attr: str, lang: str) -> str:
    if lang == "ko":
        who = "" if person == "me" else _KO_RELATION_WORD.get(person, person) + " "
        return f"{who}{_KO_ATTRIBUTE_WORD.get(attr, attr)}"
    whose = "" if person == "me" else f"{_EN_RELATION_WORD.get(person, person)}'s "
    return f"{whose}{_EN_ATTRIBUTE_WORD.get(attr, attr)}"


def _asked_part(text: str) -> str:
    """The sentences of a line that ask, when some do ('약 뭐였지요? 의사 선생님이 물어봐요':
    the doctor is who wants to know, not whom it asks about)."""
    asked = re.findall(r"[^.!?]+\?", text)
    return " ".join(q.strip() for q in asked) or text


def recall(turn: Turn) -> list[str]:
    topic = turn.u.slots.get("topic")
    found, asked = find(turn, _asked_part(turn.u.text), topic)
    if found:
        return [turn.say("recall_topic", items=_items(turn, found))]
    set_for = [] if asked else _reminded(turn)  # 'his birthday?' unknown is said as such
    if set_for:  # '설명회 몇 시라고 했지?': the time of something set as a reminder
        items, how_many = ", ".join(set_for), count(len(set_for), turn.lang)
        return [turn.say("reminders_list", count=how_many, items=items)]
    if asked:  # 'your nephew's allergies', and for a name 'Theo's allergies' (no 'your')
        return [
            turn.say("recall_unknown_of" if asked[:1].isupper() else "recall_unknown", who=asked)
        ]
    if topic or _asks_something(turn.u.text) or not _ABOUT_ALL.search(turn.u.text):
        return [turn.say("recall_none")]  # a question about one thing is not answered with all
    facts = _live_facts(turn)
    told = [(k, b) for k, b in facts if b.get("kind") != "note"] or facts
    if not told:
        return [turn.say("recall_empty")]
    return [turn.say("recall_all", items=_items(turn, told[-5:]))]


_ASKS_WHEN = re.compile(r"몇\s?시|언제|\bwhat\s+time\b|\bwhen\b", re.I)
_TIME_WORDS = re.compile(
    r"^(?:몇|시|시야|시였지|시라고|시였더라|시더라|time|today|tomorrow|오늘|내일)$"
)


def _reminded(turn: Turn) -> list[str]:
    """Pending reminders whose task says a word of a question asking when ('면접 몇 시였지?',
    'what time is the dentist again?'), said with their time; none for other questions."""
    from earpiece.companion import reminders  # late, as in offer_reminder

    question = turn.u.text  # '…오늘이었죠? 몇 시였더라': the time is asked after the '?'
    if not _ASKS_WHEN.search(question):
        return []
    stems = set()
    for word in normalize(question).split():
        if _QUESTION_WORDS.match(word) or _TIME_WORDS.match(word) or len(word) < 2:
            continue
        if relation(word) or attribute(word):  # '남편 …' names whom, not which reminder
            continue
        stems.add(word[:2] if not word.isascii() else re.sub(r"(?:'s|s)$", "", word))
    stems = {s for s in stems if len(s) >= 2 and not _QUESTION_WORDS.match(s)}
    return [
        reminders.describe(row, due, turn.now, turn.lang)
        for _, row, due in reminders.pending(turn.store)
        if any(stem in normalize(str(row.get("what", ""))) for stem in stems)
    ]


_ABOUT_ALL = re.compile(
    r"\babout\s+me\b|\bknow\s+about\b|\bwhat\s+(?:did|have)\s+i\s+(?:told|tell|said|say)\b"
    r"|\beverything\b|\bwhat\s+(?:have|did)\s+you\s+(?:saved?|kept|keep|stored?|remembered|got)\b"
    r"|\bmy\s+(?:info|information|data)\b|(?:내|제)\s?정보|저장된|적어\s?놨|기억나는\s?거|\bwhat\s+do\s+you\s+(?:remember|know)\s*\??$|나에\s?대해|저에\s?대해|"
    r"(?:뭘|뭐|무엇을|어떤\s?거)\s?(?:알|기억)|기억하는\s?거|기억하고\s?있는\s?거|알고\s?있는\s?거|다\s?말해|전부|"
    r"내가\s?(?:뭐|뭘)\s?(?:말했|얘기했)|제가\s?(?:뭐|뭘)\s?(?:말했|말씀드렸|얘기했)",
    re.I,
)
"""'What do you know about me?', '나에 대해 뭘 알아?': a question about everything told."""


def _asks_something(text: str) -> bool:
    rel, attr = mentions(text)
    return bool(rel or (attr and attr not in _LOOSE))


def _items(turn: Turn, found: list[tuple[str, dict]]) -> str:
    turn.refs.extend(k for k, _ in found)
    return ", ".join(spoken(b, turn.lang) for _, b in found)


def forget(turn: Turn, recent: list[str]) -> list[str]:
    """Find what to forget and always ask first: forgetting cannot be undone. A topic named
    ('술 얘기는 잊어줘') is also blanked from every line that said it; when no fact holds it
    but lines do, those lines are offered; when nothing holds it, that is said."""
    topic = turn.u.slots.get("topic") or ""
    found = targets(turn, turn.u.text, topic, recent)
    words = topic_words(topic)
    if not found:
        if not topic and _OF_TALK.search(turn.u.text) and not any(mentions(turn.u.text)):
            lines = _last_line(turn)  # '그 얘긴 기억하지 마' after talk kept as no fact
        elif words:  # no line says nothing: the turns are read only for a topic's words
            lines = [k for k, b in turn.store.rows("turns") if _says_words(b, words)]
        else:
            lines = []
        if not lines:
            return [turn.say("forget_none")]
        turn.pending = {"kind": "forget_confirm", "keys": [], "words": words, "lines": lines}
        return [turn.say("forget_lines", count=count(len(lines), turn.lang))]
    turn.pending = {"kind": "forget_confirm", "keys": [k for k, _ in found], "words": words}
    turn.refs.extend(k for k, _ in found)  # the question says them: blanked with them on a yes
    if len(found) == 1:
        return [turn.say("confirm_forget", items=_items(turn, found))]
    return [
        turn.say("forget_confirm", count=count(len(found), turn.lang), items=_items(turn, found))
    ]


_OWN_NAME = re.compile(
    r"\bmy\s+(?:own\s+)?name\b|\bwho\s+i\s+am\b|(?:^|\s)(?:내|제|나의|저의)\s?이름", re.I
)
_ATTR_WORDS = {w for words in ATTRIBUTES.values() for w in words}
MEANING_WORDS = 2
"""Content words a forget needs before a fact is looked for by meaning alone."""
FORGET_SHARE = 0.5
"""More than this share of a forget's content words must be in a fact it offers."""
"""Content words a forget needs before a fact is looked for by meaning alone."""


def _own_identity(body: dict) -> bool:
    return about(body) == ("me", "name") or (body.get("kind") == "name" and not body.get("person"))


def targets(turn: Turn, text: str, topic: str, recent: list[str]) -> list[tuple[str, dict]]:
    """The facts a forget names, by relation, attribute, words and value; never the person's own
    name unless it is asked for by name; [] when nothing matches (nothing is guessed)."""
    facts = _live_facts(turn)
    said = topic or text
    if not topic and not mentions(text)[0] and not mentions(text)[1]:
        return [(k, b) for k, b in facts if k in recent]  # 'don't keep that': the last kept
    own = bool(_OWN_NAME.search(said))
    rel, attr = mentions(said)
    if rel:
        about_them = [(k, b) for k, b in facts if same_person(rel, _whose(b))]
        if attr:
            about_them = [
                (k, b)
                for k, b in about_them
                if _what(b) == attr or (attr == "name" and b.get("names"))
            ]
        was = re.sub(r"전\s?|\bex-?", "", said)
        if not about_them and rel == "ex" and mentions(was)[0] == "partner":
            return targets(turn, was, "", [])  # '전남친' told of when he was still '남친'
        return about_them
    if own:
        return [(k, b) for k, b in facts if about(b) == ("me", attr or "name") or _own_identity(b)]
    allowed = [(k, b) for k, b in facts if not _own_identity(b)]
    by_attr = [
        (k, b)
        for k, b in allowed
        if attr
        and _what(b) == attr
        and _whose(b) in ("me", "")
        and not _SOMEONE_ELSE.match(str(b.get("text", "")))
    ]  # 'my birthday': mine; not 'and he gets Apoquel…' (he was named before)
    by_name = [(k, b) for k, b in allowed if any(_said_name(n, said) for n in names_of(b))]
    if by_name:  # 'forget Jake', '지은이 얘기는 지워 주세요'
        named = {p for _k, b in by_name for n in names_of(b) for p in _content_words(n)}
        rest = [w for w in _content_words(topic) if not any(n in w for n in named)]
        if not rest:
            return by_name
        # 'forget Jake's new job', '민준이 레고 얘기': the thing about them, or nothing (their
        # other facts are not offered in its place)
        return [(k, b) for k, b in by_name if all(_on_topic(b, w) for w in rest)]
    words = _content_words(said)
    if not words:
        return by_attr
    share = {k: sum(_on_topic(b, w) for w in words) / len(words) for k, b in allowed}
    every = [(k, b) for k, b in allowed if share[k] == 1.0]
    # most of what was named, not one shared word: '민준이 자전거 얘기' is not every fact
    # about 민준, and a story after the name ('…, he moved away') does not pick a fact
    by_words = every or [(k, b) for k, b in allowed if share[k] > FORGET_SHARE]
    if by_words:
        return [f for f in by_words if f in by_attr] or by_words
    valued = [(k, b) for k, b in allowed if _value_named(b, said)]
    if valued or by_attr:  # 'the medication I mentioned the other night': mine, by what it is
        return valued or by_attr
    if len(words) < MEANING_WORDS:
        return []  # a word or a title alone ('Mr') is too little to forget by meaning
    return by_meaning(said, allowed)[:1]  # 'forget that my knee is bad' ~ '무릎이…'


# fmt: skip (at its end): word groups read as a table, several words a line.
_TOPICS = (
    ("돈", "원", "만원", "빌려", "빌린", "빌렸", "갚", "빚", "money", "cash", "loan", "lent",
     "lend", "borrowed", "owe", "owes", "debt", "dollars", "bucks"),
    ("담배", "흡연", "금연", "smoke", "smoking", "cigarette", "cigarettes", "vape", "vaping",
     "nicotine"),
    ("술", "음주", "금주", "소주", "맥주", "drink", "drinking", "alcohol", "beer", "sober"),
    ("비밀번호", "비번", "암호", "코드", "code", "password", "pin", "passcode", "combination"),
)  # fmt: skip
"""Words a topic is named by and words a fact about it says ('영자 씨 돈 얘기' is the fact
'영자 씨한테 삼십만 원 빌려줬어요'; 'my door code' is 'the password for the front door')."""


def _on_topic(body: dict, word: str) -> bool:
    """A fact about `word` by its words, or by a word of the same topic."""
    if matches(body, word):
        return True
    text = str(body.get("text", ""))
    group = next((g for g in _TOPICS if word.lower() in g), ())
    return any(
        _says_word(text, w) or (len(w) >= 2 and not w.isascii() and w in text) for w in group
    )


_SOMEONE_ELSE = re.compile(
    r"^(?:(?:and|also|oh|so|plus|btw)[\s,]+)*(?:he|she|they|his|her|their|걔|그\s?(?:사람|분|애))\b"
    r"|^(?:(?:and|also|oh|so|plus|btw)[\s,]+)*(?:he|she|they)['’]",
    re.I,
)
"""A fact told of 'him' or 'her' (named a line before): not the person's own."""


def _whose(body: dict) -> str:
    """Whom a fact is about; a plan of one's own that names a relation ('손녀 하은이가 온대요')
    is about them too."""
    person = about(body)[0]
    if person in ("", "me") and body.get("names"):
        return mentions(body.get("text", ""))[0] or person
    return person or mentions(body.get("text", ""))[0]


def _what(body: dict) -> str:
    return about(body)[1] or mentions(body.get("text", ""))[1]


def _content_words(text: str) -> list[str]:
    """The words of a forget that are not 'my', 'name' or the like."""
    words = re.findall(r"[\w'-]+", text.lower())
    stop = {
        "my",
        "the",
        "a",
        "an",
        "about",
        "of",
        "that",
        "this",
        "please",
        "all",
        "i",
        "me",
        "what",
        "said",
        "say",
        "told",
        "tell",
        "you",
        "thing",
        "things",
        "everything",
        "내",
        "제",
        "나",
        "저",
        "우리",
        "좀",
        "다",
        "거",
        "것",
        "말",
        "얘기",
        "했던",
        "한",
        "씨",
        "님",
        "이제",
    }
    out = []
    for w in words:
        if re.search(r"[가-힣](?:다는|다고|라는|라고|했던|었던|았던)$", w):
            continue  # '담배 끊었다는 거': how the thing was told, not the thing
        w = re.sub(r"(?:'s|s')$", "", w)
        w = re.sub(r"(?:은|는|이|가|을|를|의|도)$", "", w) if not w.isascii() else w
        w = re.sub(r"(?<=[가-힣]{2})(?:씨|님)$", "", w)  # '영자씨', '김 선생님': the name
        if w and w not in stop and w not in _ATTR_WORDS:
            out.append(w)
    return out


def _value_named(body: dict, text: str) -> bool:
    value = (body.get("detail") or body.get("value") or "").strip().lower()
    return len(value) >= 2 and value in text.lower()


def erase(
    turn: Turn, keys: list[str], words: list[str] | None = None, lines: list[str] | None = None
) -> list[str]:
    """Forget the facts `keys` and blank every line that said them or the topic's `words`, and
    the `lines` offered by their keys."""
    needles = []
    for key in keys:
        body = turn.store.get("facts", key) or {}
        needles.extend(_needles(body))
        turn.delete("facts", key)
    _redact(turn, [*keys, *(lines or [])], needles, words or [])
    return [turn.say("forget_done")]


_OF_TALK = re.compile(
    r"얘기|얘긴|이야기|그\s?말|\bstory\b|\bwhat\s+i\s+(?:just\s+)?(?:said|told\s+you)\b", re.I
)
"""'그 얘기', 'what I just said': a line said, not a fact kept ('don't keep that' after a turn
that kept nothing keeps meaning nothing)."""


def _last_line(turn: Turn) -> list[str]:
    """The person's last line, when it said something ('그건 기억하지 마' after a story told as
    talk, kept as no fact): the line a bare 'forget that' means."""
    said = turn.store.rows("turns", order="json_extract(body, '$.at') DESC, rowid DESC")
    return [k for k, b in said[:1] if str(b.get("text", "")).strip()]


# fmt: skip (at its end): a word list read as a table, several words a line.
_TOPIC_STOP = frozenset({
    "just", "now", "again", "stuff", "anything", "story", "thing", "things", "part", "bit",
    "whole", "all", "any", "ever", "이제", "그", "방금", "아까", "관련", "관련된", "부분", "거랑",
    "내용", "씨", "님", "전부", "모두", "혹시",
})  # fmt: skip
"""Words of a forget that name no topic ('…이제 잊어 주세요', 'that stuff')."""


def topic_words(topic: str) -> list[str]:
    """The words of a named topic a line must say to carry it: names and things, not 'my',
    a relation ('my roommate's name' blanks no line that merely says 'roommate') or 'name'."""
    words = [re.sub(r"(?:씨|님)$", "", w) for w in _content_words(topic)]
    return [w for w in words if w and w not in _TOPIC_STOP and not relation(w)]


def _says_word(text: str, word: str) -> bool:
    """`word` said as a word of `text` (a Korean one may take a particle after it: '술은'),
    not inside another ('술' is not in '수술', 'pin' not in 'pink', 'gin' not in 'begin')."""
    if word.isascii():
        return re.search(rf"\b{re.escape(word)}(?:['’]s|s|es)?\b", text, re.I) is not None
    return re.search(rf"(?<![가-힣]){re.escape(word)}", text) is not None


def _says_words(body: dict, words: list[str]) -> bool:
    """A line that says every word of a topic ('영자 씨 돈': both the name and the money)."""
    said = f"{body.get('text', '')} {body.get('reply', '')}"
    return bool(words) and all(_says_word(said, w) for w in words)


def _needles(body: dict) -> list[str]:
    """What a forgotten fact said that must not stay in a turn: its value (a name, a date)."""
    found = []
    for field in ("detail", "value"):
        value = _FILLER.sub("", str(body.get(field) or "")).strip().strip(".,!?~'\"")
        if len(value) >= 2 and not mentions(value)[0]:
            found.append(value.lower())
    for name in body.get("names", []):  # 'Jake', 'Mr. Patel': and the bare surname
        found.extend(
            {str(name).lower(), re.sub(r"^(?:dr|mr|mrs|ms|miss)\.?\s+", "", str(name).lower())}
        )
    return found


def _redact(
    turn: Turn, keys: list[str], needles: list[str] | None = None, words: list[str] | None = None
) -> None:
    """Forgotten means gone: the facts' events, and every turn that said them, are blanked in
    the same transaction as the forget (a Redaction among this turn's changes), so a crash
    never leaves the words behind; the store checkpoints the WAL away after the commit."""
    turns = [
        (k, b)
        for k, b in turn.store.rows("turns")
        if k in keys
        or set(b.get("refs", [])) & set(keys)
        or _carries(b, needles or [])
        or _says_words(b, words or [])
    ]
    for k, b in turns:
        turn.put("turns", k, {**b, "text": "", "reply": "", "slots": {}, "forgotten": True})
    turn.changes.append(
        Redaction((*keys, *(k for k, _ in turns)), superseded=(dialog_key(turn.store),))
    )


def _carries(body: dict, needles: list[str]) -> bool:
    said = f"{body.get('text', '')} {body.get('reply', '')}".lower()
    return any(n in said for n in needles)


# --- allergies: a question about food or a drug checks what the person said they react to

# fmt: skip (at its end): a word list read as a table, several words a line.
_GROUPS: dict[str, tuple[str, ...]] = {
    "shellfish": (
        "shellfish",
        "갑각류",
        "조개류",
        "해산물",
        "seafood",
        "shrimp",
        "prawn",
        "crab",
        "lobster",
        "crayfish",
        "clam",
        "oyster",
        "mussel",
        "scallop",
        "새우",
        "게",
        "꽃게",
        "대게",
        "랍스터",
        "가재",
        "조개",
        "굴",
        "홍합",
        "전복",
        "가리비",
    ),
    "nuts": (
        "nut",
        "nuts",
        "견과류",
        "peanut",
        "peanuts",
        "almond",
        "walnut",
        "cashew",
        "pistachio",
        "hazelnut",
        "pecan",
        "땅콩",
        "아몬드",
        "호두",
        "캐슈넛",
        "피스타치오",
        "잣",
    ),
    "dairy": (
        "dairy",
        "lactose",
        "유당",
        "milk",
        "유제품",
        "우유",
        "cheese",
        "butter",
        "yogurt",
        "cream",
        "ice cream",
        "latte",
        "치즈",
        "버터",
        "요거트",
        "요구르트",
        "아이스크림",
        "라떼",
    ),
    "egg": ("egg", "eggs", "달걀", "계란", "mayonnaise", "마요네즈"),
    "wheat": ("wheat", "gluten", "밀", "밀가루", "bread", "pasta", "빵", "국수", "라면"),
    "penicillin": ("penicillin", "페니실린", "amoxicillin", "아목시실린", "antibiotic", "항생제"),
    "aspirin": ("aspirin", "아스피린", "nsaid", "ibuprofen", "이부프로펜", "진통제"),
    "fish": ("fish", "생선", "salmon", "tuna", "연어", "참치", "고등어", "mackerel"),
}
_GROUP_OF = {w: g for g, words in _GROUPS.items() for w in words}
_ITEM_EN = re.compile(
    r"\b(?:eat|have|take|drink|try|use)\s+(?:some\s+|a\s+|an\s+|the\s+|this\s+|that\s+|my\s+)?"
    r"(?P<item>[a-z][a-z -]{0,30}?)(?:\s+(?:today|now|tonight|please|for\s+\w+))?[\s?.!]*$",
    re.I,
)
_ITEM_KO = re.compile(
    r"(?P<item>[가-힣a-zA-Z]+(?:\s[가-힣a-zA-Z]+)?)\s?(?:을|를|은|는)?\s?(?:먹어도|마셔도|복용해도|먹으면|마시면)"
)
_KO_ITEM_PARTICLE = re.compile(r"(?:을|를|은|는|이|가|좀)$")


def food_item(text: str) -> str:
    """The food or drug a question is about ('can I eat shrimp?' -> 'shrimp'), or ''."""
    if m := _ITEM_KO.search(text):
        words = [w for w in m["item"].split() if w not in ("나", "저", "이거", "그거", "좀")]
        return _KO_ITEM_PARTICLE.sub("", words[-1]) if words else ""
    if m := _ITEM_EN.search(text):
        return re.split(
            r"\s+(?:for|with|because|since|after|before|if|when|while|on|at)\b", m["item"].strip()
        )[0].strip()
    return ""


def reacts(item: str, allergen: str) -> bool:
    """Whether an allergy to `allergen` speaks against `item` (same word, group or meaning)."""
    a, b = item.lower().strip(), allergen.lower().strip()
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    ga = _GROUP_OF.get(a) or _GROUP_OF.get(a.rstrip("s"))
    gb = _GROUP_OF.get(b) or _GROUP_OF.get(b.rstrip("s"))
    if ga and ga == gb:
        return True
    return similarity(a, b) >= 0.6


def check_food(turn: Turn) -> list[str]:
    """'Can I eat shrimp?': warn when a known allergy speaks against it, else say none is known."""
    item = food_item(turn.u.text)
    allergies = [(k, b) for k, b in _live_facts(turn) if about(b)[1] == "allergy"]
    if not item:
        return allergy_list(turn)
    said = [w for w in re.findall(r"[\w-]+", turn.u.text.lower()) if len(w) >= 3 and w != item]
    for key, body in allergies:  # 'pad thai with peanuts': the dish, then every word said
        allergen = body.get("value") or body["text"]
        if reacts(item, allergen) or any(
            _GROUP_OF.get(w.rstrip("s")) and reacts(w, allergen) for w in said
        ):
            item = (
                item
                if reacts(item, allergen)
                else next(w for w in said if _GROUP_OF.get(w.rstrip("s")) and reacts(w, allergen))
            )
            turn.refs.append(key)
            return [turn.say("allergy_warn", allergen=allergen, item=item)]
    return [turn.say("allergy_none", item=item)]


def allergy_list(turn: Turn) -> list[str]:
    allergies = [(k, b) for k, b in _live_facts(turn) if about(b)[1] == "allergy"]
    if not allergies:
        return [turn.say("allergy_empty")]
    turn.refs.extend(k for k, _ in allergies)
    return [
        turn.say("allergy_list", items=", ".join(b.get("value") or b["text"] for _, b in allergies))
    ]
