"""The companion's brain: what was said -> what to answer, and what to remember, in one commit."""

from __future__ import annotations

import random
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from earpiece.companion import facts, letters, mood, persona, reminders
from earpiece.companion.context import DIALOG_KEY, Turn, new_key
from earpiece.companion.replies import Voice
from earpiece.config import Settings
from earpiece.nlu.model import NluModel, Understanding
from earpiece.store.database import Change, Store

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
        return {"reply": self.text, **understood, "turn": self.turn, "heard": heard}


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
        from earpiece.clock import now_in

        self.store = store
        self.nlu = nlu
        self.settings = settings
        self.clock = clock or (lambda: now_in(settings.companion.timezone))
        self._lock = threading.RLock()
        self.state: dict = store.get("dialog", DIALOG_KEY) or {}
        rng = rng or random.Random()
        level = settings.companion.speech_level
        self.voices = {lang: Voice(lang, level, rng) for lang in ("ko", "en")}
        for lang, last in self.state.get("variants", {}).items():
            if lang in self.voices:
                self.voices[lang].last = dict(last)

    # --- the turn

    def understand(self, text: str) -> Understanding:
        """What the NLU makes of an utterance now (respond() does this itself when not given)."""
        return self.nlu.understand(clean(text), self.clock(), self.settings.companion.default_lang)

    def respond(self, text: str, understood: Understanding | None = None) -> Reply:
        """Answer one utterance; the turn and every change it makes are committed before return."""
        said = clean(text)
        if not said:
            raise EmptyUtterance("nothing was said")
        with self._lock:
            now = self.clock()
            u = understood or self.nlu.understand(said, now, self.settings.companion.default_lang)
            turn = Turn(u, self.store, self.voices[u.lang], now, new_key("turn"),
                        self._name(u.lang))  # fmt: skip
            parts = self._think(turn)
            reply = " ".join(p for p in parts if p)
            self._record(turn, reply)
            self.store.commit(turn.changes)
            for job in turn.after_commit:
                job()
            return Reply(reply, u, turn.turn_key)

    def _think(self, turn: Turn) -> list[str]:
        question = self.state.get("pending")
        parts: list[str] | None = None
        if question:
            parts = self._continue(turn, question)
        if parts is None:
            parts = self._handle(turn)
        followed = mood.day_to_follow_up(self.store, self.state.get("last_turn_at"), turn.now)
        if followed and turn.pending is None:
            turn.pending = {"kind": "mood_followup", "emotion": followed}
            parts.append(turn.say(f"followup_{followed}"))
        return parts

    def _continue(self, turn: Turn, question: dict) -> list[str] | None:
        kind = question.get("kind")
        if kind == "letter":
            return letters.dictate(turn, question)
        if kind == "letter_recipient":
            return letters.answer_recipient(turn)
        if kind in ("ask_back", "mood_followup"):
            return mood.answer(turn, question)
        if turn.u.intent in ("stop", "deny") and kind in ("reminder_time", "remember_what"):
            return [turn.say("kept")]
        if kind == "reminder_time":
            return reminders.answer_time(turn, question)
        if kind == "remember_what":
            return facts.remember(turn, turn.u.text)
        if kind in ("forget_confirm", "cancel_confirm"):
            if turn.u.intent == "affirm":
                erase = facts.erase if kind == "forget_confirm" else reminders.cancel
                return erase(turn, question["keys"])
            if turn.u.intent in ("deny", "stop"):
                return [turn.say("kept")]
        return None

    def _handle(self, turn: Turn) -> list[str]:
        intent = turn.u.intent
        simple = {
            "goodbye": "goodbye", "thanks": "thanks", "help": "help", "tell_joke": "joke",
            "stop": "stop", "sync_now": "sync_off", "affirm": "affirm_alone",
            "deny": "deny_alone", "unknown": "unknown",
            "ask_companion_feeling": "companion_feeling",
        }  # fmt: skip
        handlers: dict[str, Callable[[], list[str]]] = {
            "greet": lambda: persona.greet(turn, self._first_today(turn.now)),
            "ask_time": lambda: persona.time_now(turn),
            "ask_date": lambda: persona.date_today(turn),
            "set_reminder": lambda: reminders.set_reminder(turn),
            "list_reminders": lambda: reminders.list_reminders(turn),
            "cancel_reminder": lambda: reminders.cancel_reminder(turn),
            "remember_fact": lambda: facts.remember(turn),
            "recall_fact": lambda: facts.recall(turn),
            "forget_fact": lambda: facts.forget(turn, self.state.get("recent_refs", [])),
            "share_feeling": lambda: mood.share_feeling(turn),
            "ask_companion": lambda: persona.who(turn),
            "write_letter": lambda: letters.start(turn),
            "read_letter": lambda: letters.read(turn),
            "repeat": lambda: [self.state.get("last_reply") or turn.say("repeat_none")],
            "volume_up": lambda: persona.volume(turn, persona.VOLUME_STEP),
            "volume_down": lambda: persona.volume(turn, -persona.VOLUME_STEP),
            "device_status": lambda: persona.status(turn),
        }
        parts = [turn.say(simple[intent])] if intent in simple else handlers[intent]()
        if intent not in ("share_feeling", "repeat", "stop") and turn.feeling != "neutral":
            parts = mood.empathy(turn) + parts
        return parts

    def _first_today(self, now: datetime) -> bool:
        last = self.state.get("last_turn_at")
        return not last or datetime.fromisoformat(last).date() < now.date()

    def _record(self, turn: Turn, reply: str) -> None:
        u: Understanding = turn.u
        turn.put("turns", turn.turn_key, {
            "at": turn.at, "text": u.text, "lang": u.lang, "intent": u.intent,
            "confidence": u.confidence, "emotion": u.emotion,
            "emotion_confidence": u.emotion_confidence, "slots": u.slots, "reply": reply,
            "refs": turn.refs,
        })  # fmt: skip
        mood.sample(turn)
        self.state = {
            **self.state,
            "pending": turn.pending,
            "last_turn_at": turn.at,
            "last_reply": reply if u.intent != "repeat" else self.state.get("last_reply", reply),
            "recent_refs": turn.refs or self.state.get("recent_refs", []),
            "variants": {lang: v.last for lang, v in self.voices.items()},
        }
        turn.put("dialog", DIALOG_KEY, self.state)

    def _name(self, lang: str) -> str:
        c = self.settings.companion
        return c.name_ko if lang == "ko" else c.name_en

    # --- reminders, outside of turns

    def due_reminders(self) -> list[str]:
        """Announcements of reminders due now (marked done in the same commit)."""
        with self._lock:
            return reminders.fire_due(self.store, self.clock(), self.voices)

    def missed_reminders(self) -> list[str]:
        """At start: what came due while the device was off."""
        with self._lock:
            lang = self.state.get("last_lang") or self.settings.companion.default_lang
            return reminders.fire_missed(self.store, self.clock(), self.voices, lang)

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


def reset_dialog(store: Store) -> None:
    """Forget any question in flight (used after an erase)."""
    store.commit([Change("dialog.delete", DIALOG_KEY, {})])
