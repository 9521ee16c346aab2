"""English replies known before they are asked for, rendered ahead in the neural voice: the
phrases replies open with (once, at start-up) and the clock's replies (as the clock moves)."""

from __future__ import annotations

import atexit
import re
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from earpiece.companion import replies, timefmt
from earpiece.runtime.turn import NOT_HEARD_WORDS
from earpiece.speech.tts import Synthesizer, lowest_priority, sentences

_LEAD_CLAUSE = re.compile(r"^[^,:;{]+[,:;](?=\s)")
"""The fixed first clause of a sentence that goes on with a placeholder ('Got it:')."""
CLOCK_REPLIES = ("ask_time", "ask_date")
"""Replies whose only placeholder is the clock's time or date ('It's {time}.')."""
TICK_S = 0.5
"""The clock's replies are renewed this long after each minute begins."""


def opening_phrases(known: Mapping[str, str] | None = None) -> list[str]:
    """ "I didn't catch that", then each English reply template's first sentence when it has
    no placeholder but those in `known` (the companion's name, fixed once the device starts),
    else its first clause when that has none ('Got it: {what}, {when}.' -> 'Got it:'). Only
    the first sentence waits for synthesis: the rest renders while it plays.

    >>> opening_phrases()[:2]
    ["Sorry, I didn't catch that.", 'Hi!']
    >>> "I'm Sam." in opening_phrases({"name": "Sam"})
    True
    """
    known = known or {}
    found = [NOT_HEARD_WORDS["en"]]
    for key in replies.keys("en"):
        for template in replies.variants("en", key):
            first = (sentences(template) or [""])[0]
            if first and replies.placeholders(first) <= set(known):
                found.append(first.format(**known))
            elif lead := _LEAD_CLAUSE.match(first):
                found.append(lead.group(0))
    return list(dict.fromkeys(found))


def clock_phrases(now: datetime) -> list[str]:
    """The first sentence of every wording of the English time and date replies, this minute
    and the next: what a question about the clock is answered with until the minute after.

    >>> clock_phrases(datetime(2026, 12, 6, 15, 15))[:2]
    ["It's 3:15 PM.", "It's 3:15 PM now."]
    """
    found = []
    for moment in (now, now + timedelta(minutes=1)):
        values = {"time": timefmt.clock(moment, "en"), "date": timefmt.date(moment, "en")}
        for key in CLOCK_REPLIES:
            for template in replies.variants("en", key):
                found.append((sentences(template.format(**values)) or [""])[0])
    return [p for p in dict.fromkeys(found) if p]


class ClockAhead:
    """Keeps the clock's English replies of this minute and the next rendered in the neural
    voice, on a `tts-clock` thread at the lowest priority: renewed just after each minute
    begins (only the next minute's are new then), the previous minute's dropped (a dozen
    phrases at most are held).

    >>> ahead = ClockAhead(tts, companion.clock, companion.clock_trusted)
    >>> ahead.refresh()  # the first pass, now; then every minute:
    >>> ahead.start()
    """

    def __init__(
        self,
        tts: Synthesizer,
        clock: Callable[[], datetime],
        trusted: Callable[[], bool] = lambda: True,
    ) -> None:
        self._tts = tts
        self._clock = clock
        self._trusted = trusted
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.rendered = 0
        """Phrases rendered so far."""
        self.cpu_s = 0.0
        """CPU seconds their renders took on the rendering thread."""

    def refresh(self) -> int:
        """Render what the clock's replies may say this minute and the next, drop the rest;
        how many were rendered (an untrusted clock is answered with a fixed phrase: none)."""
        phrases = clock_phrases(self._clock()) if self._trusted() else []
        began = time.thread_time()
        done = self._tts.keep_current(phrases)
        self.cpu_s += time.thread_time() - began
        self.rendered += done
        return done

    def start(self) -> threading.Thread:
        def run() -> None:
            lowest_priority()  # decoding and the live reply come first
            while not self._stop.is_set() and not self._tts.closing:
                self.refresh()
                now = self._clock()
                self._stop.wait(60.0 - now.second - now.microsecond / 1e6 + TICK_S)

        self._thread = threading.Thread(target=run, daemon=True, name="tts-clock")
        self._thread.start()
        atexit.register(self.stop)  # onnxruntime aborts the process if it renders at exit
        return self._thread

    def stop(self) -> None:
        """Stop renewing; waits for a render in progress (a fraction of a second)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5.0)
