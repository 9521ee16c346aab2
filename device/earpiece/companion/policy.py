"""The companion's brain: what was said -> what to answer, and what to remember, in one commit.

Longer than most modules: one turn reads the dialog state under one lock, meets safety first,
routes the rest and ends in one commit with the next state; the rooms a turn calls are modules
of their own (safety, memory, facts, reminders, letters, mood), as are the question in flight
(dialog.py: its answers, its expiry, the yes/no asked before a change) and the reading of a
yes or a no (answers.py).
"""

from __future__ import annotations

import random
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from earpiece.companion import checkin, dialog, facts, letters, mood, persona, reminders, safety
from earpiece.companion.answers import about_oneself, is_no, is_yes
from earpiece.companion.context import NEGATIVE, Turn, dialog_key, new_key
from earpiece.companion.outcome import BOOKKEEPING_TABLES, Certainty, Outcome
from earpiece.companion.replies import Voice
from earpiece.companion.route import Route, in_reply_language, refine, rule_change
from earpiece.config import Settings
from earpiece.nlu import safety as detect
from earpiece.nlu.act import Act
from earpiece.nlu.lang import has_korean
from earpiece.nlu.model import NluModel, Understanding
from earpiece.nlu.polarity import Polarity
from earpiece.store.database import Change, Redaction, Store

MAX_TEXT = 4000
"""Characters of one utterance that are kept; a longer one is cut (the NLU reads less still)."""


class EmptyUtterance(ValueError):
    """Nothing was said: no turn is taken, nothing is stored."""


@dataclass(frozen=True)
class Reply:
    """What the companion answers to one utterance, after it was committed."""

    text: str
    understood: Understanding
    turn: str = ""
    outcome: Outcome = Outcome.ANSWERED
    followup: bool = False
    """The reply asks after a low or a crisis of hours ago."""
    danger: str = "none"
    """What the reply met: none, concern (a check-in, or staying after an emergency), crisis (the
    crisis line) or emergency (the emergency number first)."""
    nlu_intent: str = ""
    """The NLU's own reading of the words; `intent` is what the companion took the turn as (a
    line dictated into a letter is write_letter whatever its words are, a reminder moved by
    'make it 8' set_reminder)."""
    polarity: Polarity | None = None
    """The polarity model's reading of the line (nlu/polarity.py), None without one."""

    heard = property(lambda self: self.understood.text, doc="The utterance as stored.")
    lang = property(lambda self: self.understood.lang)
    intent = property(lambda self: self.understood.intent)
    confidence = property(lambda self: self.understood.confidence)
    emotion = property(lambda self: self.understood.emotion)
    emotion_confidence = property(lambda self: self.understood.emotion_confidence)
    slots = property(lambda self: self.understood.slots)

    def to_dict(self) -> dict[str, object]:
        understood = self.understood.to_dict()
        heard = understood.pop("text")
        return {
            "reply": self.text,
            **understood,
            "turn": self.turn,
            "heard": heard,
            "outcome": self.outcome.value,
            "followup": self.followup,
            "danger": self.danger,
            "nlu_intent": self.nlu_intent or understood["intent"],
            "polarity": self.polarity.label if self.polarity else None,
            "polarity_confidence": self.polarity.confidence if self.polarity else None,
        }


def clean(text: str) -> str:
    """The utterance without control characters, cut to MAX_TEXT."""
    kept = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text[:MAX_TEXT])
    return " ".join(kept.split())


class Companion:
    """Hears an utterance, answers it, and remembers; one instance per process.

    >>> companion = Companion(Store.open(state_dir), NluModel.load(), load_settings())
    >>> companion.respond("안녕").intent
    'greet'
    """

    def __init__(
        self,
        store: Store,
        nlu: NluModel,
        settings: Settings,
        clock: Callable[[], datetime] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        from earpiece.clock import clock_is_trusted, now_in

        self.store = store
        self.nlu = nlu
        self.settings = settings
        self.clock = clock or (lambda: now_in(settings.companion.timezone))
        self.clock_trusted = clock_is_trusted if clock is None else (lambda: True)  # issue 12
        self._lock = threading.RLock()
        self._dialog_key = dialog_key(store)
        self.state: dict = self._stored_state()
        self._danger = "none"  # what this turn's reply met (Reply.danger)
        self._marks: dict[str, str | None] = {}  # dialog-state keys this turn sets (None: drops)
        rng = rng or random.Random()
        level = settings.companion.speech_level
        self.voices = {lang: Voice(lang, level, rng) for lang in ("ko", "en")}
        for lang, last in self.state.get("variants", {}).items():
            if lang in self.voices:
                self.voices[lang].last = dict(last)
        for lang, used in self.state.get("wordings", {}).items():
            if lang in self.voices:
                self.voices[lang].used = {k: list(v) for k, v in used.items()}
        self._told: list[str] = []  # reminders said since the last turn ('what did you say?')
        threading.Thread(target=_load_encoder, name="encoder", daemon=True).start()

    # --- the turn

    def understand(self, text: str) -> Understanding:
        """What the NLU makes of an utterance now (respond() does this itself when not given)."""
        return self.nlu.understand(clean(text), self.clock(), self.settings.companion.default_lang)

    def respond(
        self,
        text: str,
        understood: Understanding | None = None,
        *,
        certainty: Certainty = Certainty.SURE,
        on_reply: Callable[[str, str], object] | None = None,
    ) -> Reply:
        """Answer one utterance; the turn and every change it makes are committed before return.

        `certainty` UNSURE (speech heard without confidence) means: nothing that changes state
        without a yes first. `on_reply(text, lang)` is called with the reply as soon as it is
        known, before the commit (a voice starts rendering it meanwhile); it must not say it:
        a commit that fails answers nothing.
        """
        said = clean(text)
        if not said:
            raise EmptyUtterance("nothing was said")
        with self._lock:
            self.state = self._stored_state()  # what was forgotten elsewhere is not said again
            now = self.clock()
            u = understood or self.nlu.understand(said, now, self.settings.companion.default_lang)
            u = in_reply_language(u)
            heard_as = u.intent
            question = self._question(now)
            if question is None and (back := letters.reopen(self.store, said, now)) is not None:
                question = self.state["pending"] = back  # 'add that …' to the letter just saved
                self.state["pending_at"] = now.isoformat()
            dictating = bool(question and question.get("kind") == "letter") or (
                u.intent == "write_letter"
                and bool(letters.first_lines(u.text, u.slots.get("recipient", "")))
            )  # the letter's words, not the person's mood
            reading = None
            if dictating:
                u = replace(u, emotion="neutral", emotion_confidence=0.0)
            else:
                u, reading = mood.with_polarity(mood.read_feeling(u), u)
            self.voices[u.lang].level = self._level(u)
            self.voices[u.lang].avoid = "\n".join(self.state.get("recent_replies", []))
            turn = Turn(
                u,
                self.store,
                self.voices[u.lang],
                now,
                new_key("turn"),
                self._name(u.lang),
                dictating=dictating,
                sync_set_up=self.settings.sync is not None,
            )
            wordings = {lang: v.remembered() for lang, v in self.voices.items()}
            self._danger, self._marks = "none", {}
            parts = self._think(turn, certainty)
            reply = _without_repeats(parts)
            state = self._record(turn, reply)
            if on_reply is not None:
                on_reply(reply, turn.u.lang)
            try:
                self.store.commit(turn.changes)
            except BaseException:
                for lang, last in wordings.items():  # nothing happened: not even a wording
                    self.voices[lang].restore(last)
                raise
            self.state = state  # only once the turn is on disk
            self._told = []
            for job in turn.after_commit:
                job()
            return Reply(
                reply,
                turn.u,
                turn.turn_key,
                _outcome(turn),
                followup=turn.followed,
                danger=self._danger,
                nlu_intent=heard_as,
                polarity=reading,
            )

    def _stored_state(self) -> dict:
        """This device's dialog state as stored now, less what has been forgotten since it was
        written: a forget from the home page, another device or another process deletes the
        facts (sync applies it to this store) but not this row, which would otherwise say them
        again ('repeat') and commit and sync them out with the next turn."""
        state = dict(self.store.get("dialog", self._dialog_key) or {})
        refs = list(state.get("recent_refs") or [])
        tables = {"fact": "facts", "letter": "letters", "reminder": "reminders"}
        live = [
            k for k in refs if self.store.get(tables.get(k.split(":")[0], "facts"), k) is not None
        ]
        if live != refs:
            state["recent_refs"] = live
            state["last_reply"] = None  # it named a forgotten thing
            state["recent_replies"] = []  # so may any of the replies kept against repeats
        pending = state.get("pending") or {}
        if pending.get("kind") == "forget_confirm" and any(
            self.store.get("facts", k) is None for k in pending.get("keys", [])
        ):
            state["pending"] = state["pending_at"] = None  # already forgotten
        return state

    def _question(self, now: datetime) -> dict | None:
        """The question in flight, unless it has expired."""
        return dialog.in_flight(self.state, now)

    def _think(self, turn: Turn, certainty: Certainty) -> list[str]:
        said = letters.line_of(turn.u.text) if turn.dictating else turn.u.text
        question = self._question(turn.now)
        # a yes or no is read as an answer only to a question asked: '이제 다 필요 없어' unasked
        # is read for what it says (the letter's words, not 'add at the end:')
        found = detect.danger(said, turn.u.intent if question is not None else "unknown")
        if found is detect.Danger.CONCERN and turn.dictating and letters.warm_line(said):
            found = found if detect.concern_rules(said) else None  # a letter's thanks (letters)
        if found is not None and not turn.dictating:
            tasks = [str(row.get("what", "")) for _, row, _ in reminders.pending(self.store)]
            if checkin.lets_a_reminder_go(said, tasks, self._reminder_just_touched()):
                found = None  # '화분 알림은 이제 필요 없어': a reminder let go, not hopelessness

        beside = None  # in a clear command in the concern band, a part that alone is a crisis
        leaving = found is detect.Danger.CONCERN and detect.concern_rules(turn.u.text)
        if found is detect.Danger.CONCERN and checkin.exempt(turn.u) and not leaving:
            # words of leaving ('I won't hear it anyway', 'when I'm gone') are never exempt:
            # the command would serve what they speak of (an alarm past the day, a fact)
            beside = detect.alarming_part(turn.u.text)  # 'set an alarm for 6, I can't go on'
            if beside is None:
                found = None  # 'remind me to take my pills at 9': done as asked (checkin.py)
        held = checkin.held(turn, said) if found is None else None  # read again before acting
        if held is not None:
            found = detect.Danger.CONCERN
        s = self.settings.safety
        crisis, emergency = (
            (s.crisis_ko, s.emergency_ko) if turn.lang == "ko" else (s.crisis_en, s.emergency_en)
        )
        waiting = question or {}
        after_crisis = waiting.get("kind") == "safety" and waiting.get("danger") == "crisis"
        if after_crisis and found is None and (is_no(turn.u) or safety.no_plan(turn.u.text)):
            turn.pending = {"kind": "safety", "danger": "crisis"}  # still with them: 'no, I'm
            self._danger = turn.danger = detect.Danger.CONCERN.value  # just tired'
            words = safety.in_words(crisis, turn.lang)
            return [turn.say("crisis_no", words=words, number=crisis)]
        if question and question.get("kind") == checkin.KIND:
            answered = checkin.answer(turn, found, is_yes(turn.u), is_no(turn.u), crisis, emergency)
            if answered is not None:
                turn.danger = turn.danger or ("crisis" if found or is_yes(turn.u) else "")
                self._danger = _danger_of(turn)
                if question.get("then") and turn.pending is None and self._danger == "none":
                    return [*answered, *self._deferred(turn, question, certainty)]
                if question.get("letter") and turn.pending is None and self._danger == "none":
                    turn.pending = question["letter"]  # a no: the letter goes on, its line in
                    return [*answered, *letters.add_held(turn, question["letter"], question)]
                return answered
            if question.get("letter"):  # the check-in left unanswered: the letter goes on
                question = question["letter"]
        stayed = self._during_emergency(turn, found, emergency)
        if stayed is not None:
            return stayed
        if found is detect.Danger.CONCERN and beside:  # the check-in; the command after a no
            self._danger = turn.danger = found.value
            check = checkin.ask(turn, crisis)
            rest = " ".join(detect.without_part(turn.u.text, beside).split())
            turn.pending = {
                **(turn.pending or {}),
                "then": rest,
                "intent": turn.u.intent,
                "said": turn.u.text,
            }
            return check
        if found is not None:
            turn.danger = found.value if hasattr(found, "value") else str(found)
        if found is detect.Danger.CONCERN:  # might be a crisis: ask directly, give the line
            self._danger = found.value
            check_in = self._hold(turn, held, crisis) if held else checkin.ask(turn, crisis)
            if question and question.get("kind") == "letter" and turn.pending is not None:
                turn.pending["letter"] = question  # the draft waits; its line is held
                turn.pending["held"] = said
            return check_in
        if found is not None:  # safety first: never a fact, never a command
            self._danger = found.value
            return safety.respond(turn, found, crisis, emergency)
        low = mood.to_follow_up(self.state, turn.now)  # a low or a crisis, hours (a sleep) ago
        followed = low["emotion"] if low else None
        if followed is None and self._first_today(turn.now) and "low" not in self.state:
            followed = mood.day_to_follow_up(self.store, self.state.get("last_turn_at"), turn.now)
        if followed and not mood.ask_after(followed, turn, self.state.get("last_turn_at")):
            followed = None  # they say how they are now: meet that, not 'how are you now?'
        if self._emergency_to_follow_up(turn.now):
            followed = "emergency"  # 'how is he doing?' before the day's mood
        turn.followed = bool(followed)
        parts: list[str] | None = None
        if question:
            parts = dialog.answer(turn, question, certainty)
        if parts is None:
            heard = turn.u.intent  # read before acting as this; again if refined to another
            turn.u, route = refine(turn.u, self.state.get("last_intent"), turn.now)
            just_set = route is Route.INTENT and self._reminder_just_touched()
            if just_set and reminders.is_quick_correction(turn):  # '아니 열한 시', 'no, 11'
                route = Route.CHANGE_REMINDER
            if route is Route.CHANGE_REMINDER:  # a reminder moved: set_reminder, as labelled
                turn.u = replace(turn.u, intent="set_reminder")
            acting = route in (Route.INTENT, Route.CHANGE_REMINDER) and turn.u.intent != heard
            late = checkin.held(turn, said) if acting else None
            if late is not None:  # an action only once refined (a feeling kept as a fact)
                return self._hold(turn, late, crisis)
            last = self.state.get("last_reminder")
            if just_set and last and checkin.lets_the_last_go(turn.u.text):
                turn.u = replace(turn.u, intent="cancel_reminder", slots={})
                parts = reminders.cancel(turn, [str(last)])  # 'I don't need that anymore'
            else:
                parts = self._handle(turn, route, certainty, bool(followed))
        if followed:
            when = mood.when_words(
                (low or {}).get("at") or self.state["last_turn_at"], turn.now, turn.lang
            )
            asked = turn.say(f"followup_{followed}", when=when)
            parts = mood.with_follow_up(turn, parts, followed, asked)
        return parts

    def _hold(self, turn: Turn, held: str, crisis: str) -> list[str]:
        """The action asked is held back (checkin.held): the check-in, nothing done; after a
        no, one held by meaning alone is done as asked, one held by words never."""
        self._danger = turn.danger = detect.Danger.CONCERN.value
        asked = checkin.ask(turn, crisis)
        if held == "meaning" and turn.pending is not None:
            turn.pending.update(then=turn.u.text, intent=turn.u.intent, said=turn.u.text)
        return asked

    def _during_emergency(
        self, turn: Turn, found: detect.Danger | None, number: str
    ) -> list[str] | None:
        """After an emergency reply: 'I already called' / 'they pumped his stomach, he's going to
        be ok' gets the companion staying with them, no number again, and a follow-up later;
        a worried line ('I'm so scared', 'what do I do') while it is still happening gets the
        number first and company,
        never a question about what worries them. None: not an emergency's aftermath."""
        if found is detect.Danger.CRISIS:
            return None
        text, recent = turn.u.text, self._emergency_recent(turn.now)
        after = detect.after_emergency(text) and not detect.still_acute(text)
        told = safety.help_named(text) or detect.emergency_told(text)
        if after and (recent or found is detect.Danger.EMERGENCY or told):
            self._danger = detect.Danger.CONCERN.value
            self._marks["safety_followup"] = turn.at
            return safety.stay_after(turn, over=detect.over(text))
        worried = (
            turn.feeling in NEGATIVE or safety.asks_what_to_do(text) or safety.waits_it_out(text)
        )
        elsewhere = found not in (None, detect.Danger.CONCERN) or turn.u.intent in checkin.COMMANDS
        if recent and worried and not elsewhere:
            self._danger = detect.Danger.EMERGENCY.value
            return safety.stay_during(turn, number, str(self.state["pending"]["at"]))
        return None

    def _emergency_recent(self, now: datetime) -> bool:
        """The emergency reply was given within EMERGENCY_WINDOW (staying with it since does
        not extend the window)."""
        question = self.state.get("pending") or {}
        at = question.get("at")
        if question.get("kind") != "safety" or question.get("danger") != "emergency" or not at:
            return False
        return now - datetime.fromisoformat(at) <= EMERGENCY_WINDOW

    def _emergency_to_follow_up(self, now: datetime) -> bool:
        """An emergency's aftermath not yet followed up, at least FOLLOW_UP_AFTER ago: ask once."""
        at = self.state.get("safety_followup")
        if not at or now - datetime.fromisoformat(at) < FOLLOW_UP_AFTER:
            return False
        self._marks["safety_followup"] = None
        return True

    def _deferred(self, turn: Turn, question: dict, certainty: Certainty) -> list[str]:
        """The command asked beside a worry, done once the check-in got a no: without the
        worrying part when the rest alone is still that command."""
        alone = self.nlu.understand(str(question["then"]), turn.now, turn.lang)
        if alone.intent != question.get("intent"):
            alone = self.nlu.understand(str(question["said"]), turn.now, turn.lang)
        turn.u, route = refine(alone, self.state.get("last_intent"), turn.now)
        return self._handle(turn, route, certainty)

    def _handle(
        self, turn: Turn, route: Route, certainty: Certainty, follow_up: bool = False
    ) -> list[str]:
        if certainty is Certainty.UNSURE:
            asked = dialog.ask_first(turn, route, self.state.get("last_reminder"))
            if asked is not None:
                return asked
        if route is Route.CHANGE_REMINDER:  # a change of a reminder is set_reminder's
            turn.u = replace(turn.u, intent="set_reminder", slots={})
            rule = rule_change(turn.u.text, turn.lang)
            if rule is not None:
                return reminders.change_rule(turn, rule, self.state.get("last_reminder"))
            return reminders.change_reminder(turn, last_key=self.state.get("last_reminder"))
        if route is Route.FOOD_CHECK:
            return facts.check_food(turn)
        if route is Route.ALLERGY_LIST:
            return facts.allergy_list(turn)
        if route is Route.COMPANION_NAME:
            return persona.name(turn)
        if route is not Route.INTENT:
            return persona.small_talk(turn, route.value)
        intent = turn.u.intent
        if intent == "unknown" and turn.u.act is Act.STATEMENT and about_oneself(turn.u):
            if turn.feeling != "neutral":
                return mood.share_feeling(turn)
            return persona.small_talk(turn, Route.SMALL_TALK.value)
        simple = {
            "goodbye": "goodbye",
            "thanks": "thanks",
            "help": "help",
            "tell_joke": "joke",
            "stop": "stop",
            "affirm": "affirm_alone",
            "deny": "deny_alone",
            "unknown": "unknown",
            "ask_companion_feeling": "companion_feeling",
        }
        handlers: dict[str, Callable[[], list[str]]] = {
            "greet": lambda: persona.greet(turn, self._first_today(turn.now), follow_up),
            "sync_now": lambda: [turn.sync_state()],
            "ask_time": lambda: (
                persona.time_now(turn) if self.clock_trusted() else [turn.say("clock_unsure_time")]
            ),  # issue 12
            "ask_date": lambda: (
                persona.date_today(turn)
                if self.clock_trusted()
                else [turn.say("clock_unsure_date")]
            ),  # issue 12
            "set_reminder": lambda: reminders.set_reminder(turn),
            "list_reminders": lambda: reminders.list_reminders(turn),
            "cancel_reminder": lambda: reminders.cancel_reminder(turn),
            "remember_fact": lambda: facts.remember(turn, recent=self.state.get("recent_refs", [])),
            "recall_fact": lambda: facts.recall(turn),
            "forget_fact": lambda: facts.forget(turn, self._recent_for_forget(turn)),
            "share_feeling": lambda: mood.share_feeling(turn),
            "ask_companion": lambda: persona.who(turn),
            "write_letter": lambda: letters.start(turn),
            "read_letter": lambda: letters.read(turn),
            "repeat": lambda: [
                reminders.said_again(turn, self.state.get("last_turn_at"))
                or self._last_said()
                or turn.say("repeat_none")
            ],
            "volume_up": lambda: persona.volume(turn, persona.VOLUME_STEP),
            "volume_down": lambda: persona.volume(turn, -persona.VOLUME_STEP),
            "device_status": lambda: persona.status(turn),
        }
        parts = [turn.say(simple[intent])] if intent in simple else handlers[intent]()
        if (
            intent not in ("share_feeling", "repeat", "stop")
            and turn.feeling != "neutral"
            and (turn.feeling in NEGATIVE or intent == "unknown")
        ):  # a glad 'thank you' or a fondly told name needs no 'that's great!'
            parts = mood.empathy(turn) + parts
        return parts

    def _reminder_just_touched(self) -> bool:
        """Whether the turn before this one set or moved a reminder."""
        at = self.state.get("last_reminder_at")
        return bool(at) and at == self.state.get("last_turn_at")

    def _first_today(self, now: datetime) -> bool:
        last = self.state.get("last_turn_at")
        return not last or datetime.fromisoformat(last).date() < now.date()

    def _record(self, turn: Turn, reply: str) -> dict:
        """Add the turn, its mood and the next dialog state to the turn's changes; return the state.

        The caller makes the state its own only after the commit succeeded.
        """
        u: Understanding = turn.u
        turn.put(
            "turns",
            turn.turn_key,
            {
                "at": turn.at,
                "text": u.text,
                "lang": u.lang,
                "intent": u.intent,
                "confidence": u.confidence,
                "emotion": u.emotion,
                "emotion_confidence": u.emotion_confidence,
                "slots": u.slots,
                "reply": reply,
                "refs": turn.refs,
            },
        )
        if not turn.dictating:
            mood.sample(turn)
        state = {
            **self.state,
            "pending": turn.pending,
            "pending_at": turn.at if turn.pending else None,
            "last_turn_at": turn.at,
            "last_intent": u.intent,
            "last_lang": u.lang,
            "last_reply": reply if u.intent != "repeat" else self.state.get("last_reply", reply),
            "recent_refs": turn.refs or self.state.get("recent_refs", []),
            "variants": {lang: v.last for lang, v in self.voices.items()},
            "wordings": {lang: v.used for lang, v in self.voices.items()},
            "low": mood.low_after(
                turn,
                self.state.get("low"),
                turn.followed,
                (self._question(turn.now) or {}).get("kind") == "mood_followup",
            ),
            "recent_replies": [*self.state.get("recent_replies", []), reply][-RECENT_TURNS:],
            "last_kept": [
                c.key for c in turn.changes if isinstance(c, Change) and c.type == "facts.put"
            ],
            "register": self.state.get("register") or self._register_heard(u),
        }
        if any(isinstance(c, Redaction) for c in turn.changes):
            state["recent_replies"] = [reply]  # forgotten means gone: not even a past reply
        if u.intent == "repeat" and self._told:
            state["last_reply"] = " ".join(self._told)
        touched = [
            c.key
            for c in turn.changes
            if isinstance(c, Change)
            and c.type == "reminders.put"
            and c.body.get("status") == "pending"
        ]
        if touched:
            state["last_reminder"] = touched[-1]
            state["last_reminder_at"] = turn.at
        for key, value in self._marks.items():  # the emergency follow-up, set or done
            if value is None:
                state.pop(key, None)
            else:
                state[key] = value
        turn.put("dialog", self._dialog_key, state)
        return state

    def _recent_for_forget(self, turn: Turn) -> list[str]:
        """'Don't keep that': what the last turn kept; 'forget that': what it kept or said."""
        if turn.u.slots.get("last") == "kept":
            return list(self.state.get("last_kept", []))
        return list(self.state.get("recent_refs", []))

    def _last_said(self) -> str:
        """The last thing said: reminders told since the last turn, else the last reply."""
        return " ".join(self._told) or self.state.get("last_reply") or ""

    def _level(self, u: Understanding) -> str:
        """존댓말 when the settings say so or the person speaks politely; else 반말."""
        if self.settings.companion.speech_level == "jondaetmal":
            return "jondaetmal"
        if "jondaetmal" in (self.state.get("register"), self._register_heard(u)):
            return (
                "jondaetmal"  # once spoken to politely, polite: a 반말 '뭐였더라' does not undo it
            )
        return self.settings.companion.speech_level

    @staticmethod
    def _register_heard(u: Understanding) -> str | None:
        """The speech level of a Korean line, when its ending tells: polite or casual."""
        if u.lang != "ko" or not has_korean(u.text):
            return None
        end = re.sub(r"[\s.!?~…ㅠㅜㅋㅎ^]+$", "", u.text.strip())
        if _POLITE_END.search(end) or _ELDER_SPEECH.search(end):
            return "jondaetmal"
        if _CASUAL_END.search(end):
            return "banmal"
        return None

    def _name(self, lang: str) -> str:
        c = self.settings.companion
        return c.name_ko if lang == "ko" else c.name_en

    # --- what the device runtime asks between turns

    def volume(self) -> int:
        """The person's volume setting (percent, 0-100), for the voice."""
        return persona.current_volume(self.store)

    def memory_mark(self) -> tuple[int, int]:
        """Where what the companion remembers stands: equal marks mean nothing was committed in
        between (by this process or another), and nothing is read to tell it (`Store.mark`)."""
        return self.store.mark()

    def question_kind(self) -> str | None:
        """The kind of the question an answer is awaited to, if one is (an expired one is not:
        the next turn will not be taken as its answer either)."""
        with self._lock:
            question = self._question(self.clock())
            return question.get("kind") if question else None

    def words_to_hear(self) -> list[str]:
        """What speech to the companion is likely to name: its own names, the values the person
        told it (names, places, birthdays...) and the subjects of pending reminders."""
        c = self.settings.companion
        found: list[object] = [c.name_ko, c.name_en]
        for _key, body in self.store.rows("facts"):
            found += [body.get("detail"), body.get("value")]  # a name is its detail
        pending = self.store.rows("reminders", "status = 'pending'")
        found += [body.get("what") for _key, body in pending]
        return [word for word in found if isinstance(word, str)]

    # --- reminders, outside of turns

    def due_reminders(self) -> list[str]:
        """Announcements of reminders due now (marked done in the same commit)."""
        with self._lock:
            said = reminders.fire_due(self.store, self.clock(), self.voices)
            self._told.extend(said)
            return said

    def missed_reminders(self) -> list[str]:
        """At start: what came due while the device was off."""
        with self._lock:
            lang = self.state.get("last_lang") or self.settings.companion.default_lang
            said = reminders.fire_missed(self.store, self.clock(), self.voices, lang)
            self._told.extend(said)
            return said

    # --- reminders for a speaker: marked only once they were said (the device runtime)

    def reminders_to_tell(self, missed: bool = False) -> list[reminders.Announcement]:
        """Reminders due now (or, at start, `missed` while off); nothing is marked yet."""
        with self._lock:
            if missed:
                lang = self.state.get("last_lang") or self.settings.companion.default_lang
                return reminders.missed_now(self.store, self.clock(), self.voices, lang)
            return reminders.due_now(self.store, self.clock(), self.voices)

    def reminders_told(self, told: reminders.Announcement) -> None:
        """The announcement was said: mark its reminders done (or missed)."""
        with self._lock:
            reminders.mark_told(self.store, told, self.clock())
            self._told.append(told.text)


def _load_encoder() -> None:
    """Load the sentence encoder (safety by meaning, memory by meaning) before the first turn
    needs it, so no turn waits seconds for it; without it the rules still answer."""
    try:
        from earpiece.nlu.encoder import EncoderError, shared

        shared()
    except (ImportError, EncoderError):
        pass


def _outcome(turn: Turn) -> Outcome:
    """ACTED when the turn changed anything beyond bookkeeping; CONFIRMING when it asked first."""
    changed = any(
        not isinstance(c, Change) or c.type.split(".")[0] not in BOOKKEEPING_TABLES
        for c in turn.changes
    )  # a Redaction (forgetting) is a change too
    if changed:
        return Outcome.ACTED
    if dialog.is_confirming(turn.pending):
        return Outcome.CONFIRMING
    return Outcome.ANSWERED


RECENT_TURNS = 10
"""Replies of this many last turns are kept in the dialog state: no wording is said again in
them while another is fresh."""
EMERGENCY_WINDOW = timedelta(minutes=15)
"""After an emergency reply, worried lines this long after get company and the number first."""
FOLLOW_UP_AFTER = timedelta(hours=2)
"""An emergency's aftermath is followed up on the first talk at least this long after it."""


def _danger_of(turn: Turn) -> str:
    """The danger a check-in answer met, by the question it left: the full reply or none."""
    pending = turn.pending or {}
    return str(pending.get("danger", "none")) if pending.get("kind") == "safety" else "none"


_POLITE_END = re.compile(
    r"(?:요|니다|니까|세요|십시오|습니까|시죠|까요|죠)$|^(?:안녕하세요|감사합니다|고맙습니다)$"
)
_ELDER_SPEECH = re.compile(
    r"(?:구먼|구만|구려|주게|주시게|하시게|게나|는가|던가|하오|하시오|주시오|주오|다네|라네|고맙네"
    r"|수고했네|그려)$|(?:^|\s)(?:자네|이보게|여보게)(?:\s|$|는|가|도)"
)
"""하게체 and 하오체 ('알려 주게', '친절하구먼', '자네'): an older person speaking; answered in
존댓말, as their age asks, though their own words are not polite in form."""
_CASUAL_END = re.compile(
    r"(?:[가-힣](?:어|아|야|지|냐|니|해|줘|자|네|래|거든|잖아|더라|구나|다|게|까|걸|군))$|^(?:응|어|웅|ㅇㅇ)$"
)


def _without_repeats(parts: list[str]) -> str:
    """The reply's parts joined, without a sentence said twice in it."""
    seen: set[str] = set()
    kept = []
    for part in parts:
        if not part:
            continue
        sentences = re.split(r"(?<=[.!?])\s+", part)
        fresh = [x for x in sentences if x.strip() not in seen]
        seen.update(x.strip() for x in sentences)
        if fresh:
            kept.append(" ".join(fresh))
    return " ".join(kept)
