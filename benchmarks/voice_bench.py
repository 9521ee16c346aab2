"""Voice: release -> first audio over many turns, the decoders' real-time factors, peak RSS of
`earpiece run`, and the naive pipeline (record, then decode, then synthesise the whole reply).

Speech is espeak-ng's Korean voice (the phrases of tests/integration/test_voice.py), fed to
the recogniser at real-time pace in 50 ms frames, as a held button would.
    python benchmarks/voice_bench.py [--rounds N]
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np

from earpiece.companion.policy import Companion
from earpiece.config import load_settings
from earpiece.hardware.microphone import FRAME
from earpiece.hardware.wavfile import STT_RATE, read_for_stt
from earpiece.nlu.model import NluModel
from earpiece.runtime.turn import run_turn
from earpiece.speech.stt import SpeechRecognizer
from earpiece.speech.tts import Synthesizer
from earpiece.store.database import Store

sys.path.insert(0, str(Path(__file__).parent))
from nlu_bench import percentile

PHRASES = [("몇 시야", 175), ("오늘 며칠이야", 140), ("오늘 무슨 요일이야", 175),
           ("배터리 얼마나 남았어", 175), ("알람 뭐 있어", 175),
           ("내일 아침 일곱 시에 깨워 줘", 140),
           ("도와 줘", 140), ("넌 누구니", 140), ("너 사람이야", 175), ("너무 슬퍼", 140),
           ("안녕히 주무세요", 175)]  # fmt: skip


class FirstAudio:
    """A speaker that notes when the first audio arrives and plays nothing."""

    def __init__(self) -> None:
        self.first: float | None = None

    def play(self, samples: np.ndarray, rate: int) -> bool:
        if self.first is None:
            self.first = time.perf_counter()
        return True

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


def speech(folder: Path) -> list[np.ndarray]:
    clips = []
    for i, (text, speed) in enumerate(PHRASES):
        path = folder / f"{i}.wav"
        subprocess.run(["espeak-ng", "-v", "ko", "-s", str(speed), "-w", str(path), text],
                       check=True)  # fmt: skip
        clips.append(read_for_stt(path))
    return clips


def press(stt: SpeechRecognizer, clip: np.ndarray, realtime: bool = True):
    session = stt.session()
    start = time.perf_counter()
    for i, at in enumerate(range(0, len(clip), FRAME)):
        session.feed(clip[at : at + FRAME])
        if realtime:
            time.sleep(max(0.0, start + (i + 1) * FRAME / STT_RATE - time.perf_counter()))
    return session


def companion_in(state: Path, nlu: NluModel) -> Companion:
    return Companion(Store.open(state), nlu, load_settings(None),
                     clock=lambda: datetime.now().astimezone())  # fmt: skip


def streaming(stt, tts, nlu, clips, rounds: int, state: Path) -> dict:
    firsts: dict[str, list[float]] = {"grammar": [], "open": []}
    stt_final: list[float] = []
    rng = random.Random(3)
    for _ in range(rounds):
        for clip in rng.sample(clips, len(clips)):
            companion = companion_in(state, nlu)
            session = press(stt, clip)
            speaker = FirstAudio()
            released = time.perf_counter()
            turn = run_turn(session, companion, tts, speaker, released)
            companion.store.close()
            if turn.reply is None or speaker.first is None:
                continue
            firsts[turn.decoder].append((speaker.first - released) * 1000)
            stt_final.append(turn.timings_ms["stt_final"])
    every = firsts["grammar"] + firsts["open"]
    return {"all": every, "grammar": firsts["grammar"], "open": firsts["open"], "stt": stt_final}


def naive(stt, tts, nlu, clips, state: Path) -> list[float]:
    """Record the whole press, then decode it openly, then render the whole reply, then play."""
    out = []
    for clip in clips:
        time.sleep(len(clip) / STT_RATE)  # the press: nothing happens while it is held
        companion = companion_in(state, nlu)
        released = time.perf_counter()
        session = stt.session()
        for at in range(0, len(clip), FRAME):
            session.feed(clip[at : at + FRAME])
        text = session.finish(wait_open=True).open or ""
        if text:
            reply = companion.respond(text)
            from earpiece.speech.tts import sentences

            for sentence in sentences(reply.text):  # the whole reply before any sound
                tts.render(sentence, reply.lang)
            out.append((time.perf_counter() - released) * 1000)
        companion.store.close()
    return out


def rtf(stt: SpeechRecognizer, clips: list[np.ndarray]) -> dict[str, float]:
    """Decoding time / audio time, each decoder alone on fresh recognisers, as fast as it goes."""
    audio = sum(len(c) for c in clips) / STT_RATE
    result = {}
    for name, phrases in (("grammar", stt.phrases), ("open", None)):
        spent = 0.0
        for clip in clips:
            rec = stt._recognizer(phrases)  # built outside the timing, as before a press
            start = time.perf_counter()
            for at in range(0, len(clip), FRAME):
                rec.AcceptWaveform(clip[at : at + FRAME].tobytes())
            rec.FinalResult()
            spent += time.perf_counter() - start
        result[name] = spent / audio
    return result


def run_rss(folder: Path) -> float:
    """Peak RSS (MiB) of `earpiece run` once its models are loaded and it waits for a press."""
    env = {**os.environ, "GPIOZERO_PIN_FACTORY": "mock", "EARPIECE_STATE_DIR": str(folder / "s")}
    exe = Path(sys.executable).with_name("earpiece")
    proc = subprocess.Popen([str(exe), "run", "--mic-wav", str(folder / "0.wav"), "--out",
                             str(folder / "o.wav")], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(12)
    status = Path(f"/proc/{proc.pid}/status").read_text()
    peak = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    return peak / 1024


def row(name: str, values: list[float]) -> str:
    if not values:
        return f"| {name} | 0 | - | - |"
    p50, p95 = percentile(values, 50), percentile(values, 95)
    return f"| {name} | {len(values)} | {p50:.0f} | {p95:.0f} |"


def main(rounds: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clips = speech(folder)
        stt, nlu = SpeechRecognizer.load(), NluModel.load()
        tts = Synthesizer({"ko": "ko", "en": "gmw/en-us"})
        rates = rtf(stt, clips)
        live = streaming(stt, tts, nlu, clips, rounds, folder / "state")
        base = naive(stt, tts, nlu, clips, folder / "state2")
        rss = run_rss(folder)
    ratio = percentile(base, 50) / percentile(live["all"], 50)
    audio_s = sum(len(c) for c in clips) / STT_RATE / len(clips)
    return "\n".join([
        "| release -> first audio | turns | p50 ms | p95 ms |",
        "|---|---|---|---|",
        row("Earpiece, all turns", live["all"]),
        row("... grammar transcript taken", live["grammar"]),
        row("... waited for the open decoder", live["open"]),
        row("naive: record, decode, render all, play", base),
        "",
        f"Naive / Earpiece at p50: **{ratio:.1f}x**. Earpiece's stt_final (release -> transcript) "
        f"p50 {percentile(live['stt'], 50):.0f} ms. Utterances average {audio_s:.1f} s.",
        "",
        "| decoder | real-time factor (decode time / audio time, alone) |",
        "|---|---|",
        f"| grammar (phrases the NLU knows) | {rates['grammar']:.3f} |",
        f"| open vocabulary | {rates['open']:.3f} |",
        "",
        f"Peak RSS of `earpiece run` after loading, waiting for a press: **{rss:.0f} MiB**.",
    ])  # fmt: skip


if __name__ == "__main__":
    n = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 4
    print(main(n))
