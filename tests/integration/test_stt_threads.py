"""The recogniser's threads with the real Vosk model: feeding never decodes, a press never
waits for decoders being built, and the open decoder has a deadline."""

from __future__ import annotations

import threading

import pytest

from earpiece.hardware.microphone import FRAME
from earpiece.hardware.wavfile import read_for_stt
from earpiece.runtime.turn import choose_transcript

# slow: decoders fed from several threads
pytestmark = [pytest.mark.integration, pytest.mark.slow]


class Watched:
    """A real Vosk recogniser that notes which threads decode on it, and can be held."""

    def __init__(self, rec, threads: set[str], gate: threading.Event | None = None) -> None:
        self._rec, self._threads, self._gate = rec, threads, gate

    def AcceptWaveform(self, data: bytes):
        self._threads.add(threading.current_thread().name)
        if self._gate is not None:
            self._gate.wait()
        return self._rec.AcceptWaveform(data)

    def __getattr__(self, name: str):  # Result, PartialResult, FinalResult: the real ones
        return getattr(self._rec, name)


def feed(session, samples) -> None:
    for start in range(0, len(samples), FRAME):
        session.feed(samples[start : start + FRAME])


def test_feeding_frames_never_decodes_on_the_feeding_thread(stt, say, monkeypatch):
    threads: set[str] = set()
    real = stt._recognizer
    monkeypatch.setattr(stt, "_recognizer", lambda phrases: Watched(real(phrases), threads))
    stt.session()  # uses up the pair built before the patch
    session = stt.session()
    feed(session, read_for_stt(say("알람 뭐 있어")))
    heard = session.finish(wait_open=True)
    assert heard.grammar and heard.open  # both decoded, on their own threads
    assert threading.current_thread().name not in threads
    assert threads == {"stt-grammar", "stt-open"}


def test_a_press_never_waits_for_decoders_still_being_built(stt, say, monkeypatch):
    built = threading.Event()
    real = stt._recognizer

    def slow(phrases):
        built.wait()
        return real(phrases)

    monkeypatch.setattr(stt, "_recognizer", slow)
    stt.session()  # the ready pair; the next is now being built (and held)
    got = []
    press = threading.Thread(target=lambda: got.append(stt.session()), daemon=True)
    press.start()
    press.join(10)
    try:
        assert got, "the press waited for the next decoders to be built"
        session = got[0]
        feed(session, read_for_stt(say("알람 뭐 있어")))  # frames wait in the session's queues
    finally:
        built.set()
    heard = session.finish(wait_open=True)
    assert heard.grammar and heard.open


def test_the_open_decoder_is_waited_for_only_until_its_deadline(stt, say, make_companion,
                                                                monkeypatch):  # fmt: skip
    held = threading.Event()
    real = stt._recognizer

    def build(phrases):
        rec = real(phrases)
        return rec if phrases else Watched(rec, set(), held)  # the open one never catches up

    monkeypatch.setattr(stt, "_recognizer", build)
    stt.session()
    session = stt.session()
    feed(session, read_for_stt(say("너무 슬퍼", 140)))  # free speech: waits for the open decoder
    try:
        choice = choose_transcript(session, make_companion(), open_deadline_s=0.5)
    finally:
        held.set()
    assert choice.open_timed_out and choice.decoder == "grammar"
    assert choice.transcripts["open"] is None and choice.text == choice.transcripts["grammar"]
