"""The English command grammar (pocketsphinx) beside the Korean one: real decoders, real speech.

An English command said by espeak-ng or the Piper voice is taken at the release and
answered by the fast path within the grammar path's target; a Korean press and an English
line that is no command are not taken, and go on to Whisper as before.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from earpiece.hardware.wavfile import read_for_stt, resample, to_int16
from earpiece.speech.english_grammar import LEFT_OUT, EnglishGrammar
from earpiece.speech.stt import RATE
from tests.integration.voice_helpers import QuietSpeaker, companion_on_fresh_store

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# slow: Whisper base loaded for the turns
pytestmark = [pytest.mark.integration, pytest.mark.slow]
PAD = np.zeros(RATE // 4, np.int16)


@pytest.fixture(scope="module")
def grammar() -> EnglishGrammar:
    return EnglishGrammar.shared()


@pytest.fixture(scope="module")
def stt_en(grammar: EnglishGrammar):
    from earpiece.speech.stt import SpeechRecognizer
    from earpiece.speech.whisper import WhisperHearing, WhisperOptions

    return SpeechRecognizer.load(whisper=WhisperHearing(WhisperOptions()), english=grammar)


@pytest.fixture(scope="module")
def piper_says():
    import onnxruntime

    from earpiece.speech.piper import PiperVoice, VoiceFiles

    onnxruntime.set_seed(21)
    voice = PiperVoice(VoiceFiles.packaged())

    def say(text: str) -> np.ndarray:
        samples, rate = voice.render(text)
        return np.concatenate([PAD, to_int16(resample(samples / 32768.0, rate, RATE)), PAD])

    return say


def _espeak(say, text: str) -> np.ndarray:
    return np.concatenate([PAD, read_for_stt(say(text, 160, "en-us")), PAD])


def _press(stt, samples: np.ndarray):
    """The recording pressed at the pace of speech, as a held button feeds it."""
    return stt.hear(samples, realtime=True)


def test_the_grammar_holds_the_nlus_english_commands_not_free_speech(grammar: EnglishGrammar):
    intents = set(grammar.phrases.values())
    assert {"stop", "ask_time", "volume_down", "thanks", "help"} <= intents
    assert not intents & LEFT_OUT  # feelings, facts, letters, reminders, yes/no: Whisper's
    assert "what time is it" in grammar.phrases


def test_an_espeak_command_is_heard_as_its_phrase(grammar: EnglishGrammar, say):
    heard = grammar.hear(_espeak(say, "What can you do?"))
    assert heard is not None and heard.taken, heard
    assert heard.intent == "help"


def test_korean_speech_is_not_taken(grammar: EnglishGrammar, say):
    for text in ("지금 몇 시야", "오늘 날씨가 정말 좋네요. 산책하러 갈까요?"):
        heard = grammar.hear(read_for_stt(say(text)))
        assert heard is None or not heard.taken, (text, heard)


def test_english_free_speech_is_not_taken(grammar: EnglishGrammar, say):
    line = "I went to the market with my daughter yesterday and we bought apples."
    heard = grammar.hear(_espeak(say, line))
    assert heard is None or not heard.taken, heard


def test_a_harmless_english_command_is_answered_at_the_release(
    stt_en, piper_says, nlu_model, tmp_path: Path
):
    from earpiece.runtime.turn import ENGLISH_GRAMMAR, run_turn
    from earpiece.speech.tts import Synthesizer

    companion = companion_on_fresh_store(tmp_path, nlu_model)
    session = _press(stt_en, piper_says("What time is it?"))
    released = time.perf_counter()
    speaker = QuietSpeaker()
    turn = run_turn(session, companion, Synthesizer({"ko": "ko", "en": "gmw/en-us"}), speaker,
                    released)  # fmt: skip
    body = turn.to_dict()
    assert turn.decoder == ENGLISH_GRAMMAR and turn.stage == "fast", body
    assert turn.reply is not None and turn.reply.intent == "ask_time" and turn.lang == "en"
    # decided at the release, not after Whisper; the milliseconds are measured by
    # benchmarks/latency_bench.py (a shared machine's load makes them no test's to assert)
    assert "thinking_earcon" not in turn.timings_ms, turn.timings_ms
    assert body["english_grammar"]["taken"]  # type: ignore[index]
    assert not turn.transcripts.get("whisper")  # Whisper was not waited for
    companion.store.close()


def test_a_state_change_heard_in_english_waits_for_whisper(
    stt_en, piper_says, nlu_model, tmp_path: Path
):
    """ "Turn the volume down" is taken as English (the Korean grammar does not answer it),
    but a state change is never done on the grammar's word alone: Whisper decides."""
    from earpiece.runtime.turn import run_turn
    from earpiece.speech.tts import Synthesizer

    companion = companion_on_fresh_store(tmp_path, nlu_model)
    turn = run_turn(_press(stt_en, piper_says("Turn the volume down.")), companion,
                    Synthesizer({"ko": "ko", "en": "gmw/en-us"}), QuietSpeaker())  # fmt: skip
    assert turn.decoder == "whisper" and turn.stage == "full", turn.to_dict()
    assert turn.reply is not None and turn.reply.intent == "volume_down"
    companion.store.close()


def test_a_korean_press_is_not_taken_as_english(stt_en, say, nlu_model, tmp_path: Path):
    from earpiece.runtime.turn import ENGLISH_GRAMMAR, run_turn
    from earpiece.speech.tts import Synthesizer

    companion = companion_on_fresh_store(tmp_path, nlu_model)
    samples = read_for_stt(say("오늘 날씨가 정말 좋네요. 산책하러 갈까요?"))
    turn = run_turn(stt_en.hear(samples), companion,
                    Synthesizer({"ko": "ko", "en": "gmw/en-us"}), QuietSpeaker())  # fmt: skip
    assert turn.decoder != ENGLISH_GRAMMAR, turn.to_dict()
    assert turn.english is not None and not turn.english["taken"]
    companion.store.close()
