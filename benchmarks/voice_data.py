"""Spoken test material made on this machine: commands, free speech and noise, as WAV clips.

Everything is espeak-ng speech (varied voices, speeds and pitches) with numpy noise added
at a chosen SNR, written to a cache directory (never into git). Two disjoint sources:

- calibration (`tools/calibrate_voice.py`): commands from the NLU's dev split
  (`models/nlu/data/ko/intents_*.dev.tsv`, held out from training and from the grammar),
  free speech from the *train* splits of 3i4k and GoEmotions-ko;
- benchmark (`voice_bench.py`): the fixed command set below (written once, covering every
  intent, not picked for working), free speech from the *test* splits.

    python benchmarks/voice_data.py calibration /tmp/voice-cal   # writes clips + index.jsonl
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = ROOT.parent / "shared" / "data" / "public"
RATE = 16_000
VOICES = ("ko", "ko+m3", "ko+f2", "ko+f4", "ko+m7", "ko+klatt2")
"""espeak-ng's Korean voice and some of its variants (male, female, klatt)."""
SNRS = (None, 20.0, 10.0)
"""Clean, 20 dB and 10 dB signal-to-noise ratio."""

BENCH_COMMANDS: tuple[tuple[str, str], ...] = (
    ("안녕", "greet"), ("좋은 아침이야", "greet"),
    ("잘 자", "goodbye"), ("이제 갈게 안녕", "goodbye"),
    ("정말 고마워", "thanks"), ("고마워요", "thanks"),
    ("응 맞아", "affirm"), ("그래 좋아", "affirm"),
    ("아니 그거 아니야", "deny"), ("아니요", "deny"),
    ("뭐 할 수 있어", "help"), ("도움말 알려 줘", "help"),
    ("지금 몇 시야", "ask_time"), ("몇 시인지 알려 줘", "ask_time"),
    ("오늘 며칠이야", "ask_date"), ("오늘 무슨 요일이야", "ask_date"),
    ("30분 뒤에 물 주라고 알려 줘", "set_reminder"),
    ("내일 아침 일곱 시에 깨워 줘", "set_reminder"),
    ("알림 뭐 있어", "list_reminders"), ("예약된 알림 보여 줘", "list_reminders"),
    ("알림 취소해 줘", "cancel_reminder"), ("내일 알람 지워 줘", "cancel_reminder"),
    ("내 딸 이름은 지수야 기억해", "remember_fact"),
    ("나는 땅콩 알레르기가 있어 기억해 줘", "remember_fact"),
    ("내 딸 이름 뭐였지", "recall_fact"), ("내가 뭐 좋아한다고 했지", "recall_fact"),
    ("내 딸 이름 잊어 줘", "forget_fact"), ("그 얘기 지워 줘", "forget_fact"),
    ("오늘 너무 외로워", "share_feeling"), ("기분이 좋아", "share_feeling"),
    ("너는 누구야", "ask_companion"), ("네 이름이 뭐야", "ask_companion"),
    ("넌 오늘 기분 어때", "ask_companion_feeling"), ("잘 지냈어", "ask_companion_feeling"),
    ("아들한테 편지 쓰고 싶어", "write_letter"), ("편지 써 줘", "write_letter"),
    ("온 편지 읽어 줘", "read_letter"), ("새 편지 있어", "read_letter"),
    ("재미있는 얘기 해 줘", "tell_joke"), ("농담 하나 해 봐", "tell_joke"),
    ("다시 말해 줘", "repeat"), ("뭐라고 했어", "repeat"),
    ("그만", "stop"), ("그만해", "stop"),
    ("소리 키워 줘", "volume_up"), ("더 크게", "volume_up"),
    ("소리 줄여 줘", "volume_down"), ("너무 시끄러워 작게 해", "volume_down"),
    ("지금 동기화해", "sync_now"), ("가족한테 보내 줘", "sync_now"),
    ("배터리 얼마나 남았어", "device_status"), ("기계 상태 어때", "device_status"),
    ("오늘 날씨 어때", "unknown"), ("노래 틀어 줘", "unknown"),
)  # fmt: skip
"""Every intent, two phrasings each, written before any were tried (none are dropped)."""


@dataclass(frozen=True)
class Clip:
    """One WAV clip and what it is: a command (with its intent), free speech or noise."""

    path: str
    kind: str
    """command, free or noise."""
    text: str
    intent: str
    """The intent said; "" for free speech and noise."""
    voice: str
    speed: int
    pitch: int
    snr: float | None


def _tsv(path: Path, text_col: int, skip_header: bool) -> list[str]:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r[text_col].strip() for r in rows[1 if skip_header else 0 :] if len(r) > text_col]


def dev_commands() -> list[tuple[str, str]]:
    """(text, intent) of the NLU's Korean dev split, held out from training and grammar."""
    pairs = []
    for path in sorted((ROOT / "models" / "nlu" / "data" / "ko").glob("intents_*.dev.tsv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                pairs.append((row["text"].strip(), row["intent"]))
    return pairs


def free_sentences(split: str) -> list[str]:
    """Korean sentences people wrote to each other (3i4k, GoEmotions-ko), 4-60 characters."""
    three = PUBLIC / "3i4k" / ("test.tsv" if split == "test" else "train_val.tsv")
    goemo = PUBLIC / "goemotions" / "ko" / ("test.tsv" if split == "test" else "train.tsv")
    found = _tsv(three, 1, False) + _tsv(goemo, 0, False)
    return [s for s in found if 4 <= len(s) <= 60 and any("\uac00" <= c <= "\ud7a3" for c in s)]


def speak(text: str, out: Path, voice: str, speed: int, pitch: int) -> np.ndarray:
    """espeak-ng speech as 16 kHz int16 samples, with 0.3 s of silence either side."""
    from earpiece.hardware.wavfile import read_for_stt

    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w",
                    str(raw), text], check=True, capture_output=True)  # fmt: skip
    samples = read_for_stt(raw)
    raw.unlink()
    pad = np.zeros(int(0.3 * RATE), np.int16)
    return np.concatenate([pad, samples, pad])


def noise(n: int, rng: np.random.Generator, colour: str) -> np.ndarray:
    """Unit-RMS noise: white, pink (1/f), brown (1/f^2) or hum (50 Hz and harmonics + hiss)."""
    if colour == "hum":
        t = np.arange(n) / RATE
        x = sum(np.sin(2 * np.pi * 50 * k * t + rng.uniform(0, 6)) / k for k in range(1, 6))
        x = x + 0.3 * rng.standard_normal(n)
    else:
        spectrum = np.fft.rfft(rng.standard_normal(n))
        f = np.maximum(np.fft.rfftfreq(n, 1 / RATE), 20.0)
        spectrum *= {"white": 1.0, "pink": f**-0.5, "brown": f**-1.0}[colour]
        x = np.fft.irfft(spectrum, n)
    return x / (np.sqrt(np.mean(x**2)) + 1e-12)


def with_noise(speech: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    """Speech plus noise at `snr_db` (the speech's RMS over its voiced part vs the noise's)."""
    x = speech.astype(np.float64)
    voiced = x[np.abs(x) > 0.02 * np.abs(x).max()] if np.abs(x).max() > 0 else x
    level = np.sqrt(np.mean(voiced**2)) / (10 ** (snr_db / 20))
    mixed = x + level * noise(len(x), rng, str(rng.choice(["white", "pink", "brown", "hum"])))
    return np.clip(mixed, -32768, 32767).astype(np.int16)


def write(path: Path, samples: np.ndarray) -> None:
    import soundfile

    soundfile.write(str(path), samples, RATE, subtype="PCM_16")


def make_clips(
    folder: Path,
    commands: list[tuple[str, str]],
    free: list[str],
    noise_clips: int,
    seed: int,
) -> list[Clip]:
    """Speak every command and free sentence once (random voice, speed, pitch, SNR) and make
    `noise_clips` noise-only clips; write them into `folder` with an index.jsonl."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    clips: list[Clip] = []
    items = [("command", t, i) for t, i in commands] + [("free", t, "") for t in free]
    for n, (kind, text, intent) in enumerate(items):
        voice, speed, pitch = rng.choice(VOICES), rng.randint(120, 200), rng.randint(25, 75)
        snr = rng.choice(SNRS)
        path = folder / f"{kind}-{n:04d}.wav"
        samples = speak(text, path, voice, speed, pitch)
        if snr is not None:
            samples = with_noise(samples, snr, nrng)
        write(path, samples)
        clips.append(Clip(str(path), kind, text, intent, voice, speed, pitch, snr))
    for n in range(noise_clips):
        colour = ["white", "pink", "brown", "hum"][n % 4]
        seconds = rng.uniform(0.8, 3.0)
        level = rng.choice([300.0, 1000.0, 3000.0])  # int16 RMS: quiet room to loud fan
        samples = np.clip(noise(int(seconds * RATE), nrng, colour) * level, -32768, 32767)
        path = folder / f"noise-{n:04d}.wav"
        write(path, samples.astype(np.int16))
        clips.append(Clip(str(path), "noise", colour, "", "", 0, 0, None))
    with (folder / "index.jsonl").open("w", encoding="utf-8") as f:
        for clip in clips:
            f.write(json.dumps(asdict(clip), ensure_ascii=False) + "\n")
    return clips


def calibration_set(
    folder: Path, per_intent: int = 8, free: int = 90, noises: int = 30
) -> list[Clip]:
    """Dev-split commands (up to `per_intent` of every intent), train-split free speech, noise."""
    rng = random.Random(11)
    by_intent: dict[str, list[tuple[str, str]]] = {}
    for text, intent in dev_commands():
        by_intent.setdefault(intent, []).append((text, intent))
    commands = [
        p for pairs in by_intent.values() for p in rng.sample(pairs, min(per_intent, len(pairs)))
    ]
    return make_clips(folder, commands, rng.sample(free_sentences("train"), free), noises, seed=12)


def bench_set(folder: Path, free: int = 40, noises: int = 12) -> list[Clip]:
    """The fixed command set said three times (each a different voice/speed/pitch/SNR draw),
    test-split free speech, noise."""
    rng = random.Random(21)
    commands = list(BENCH_COMMANDS) * 3
    return make_clips(folder, commands, rng.sample(free_sentences("test"), free), noises, seed=22)


def read_index(folder: Path) -> list[Clip]:
    lines = (folder / "index.jsonl").read_text(encoding="utf-8").splitlines()
    return [Clip(**json.loads(line)) for line in lines if line]


if __name__ == "__main__":
    which, target = sys.argv[1], Path(sys.argv[2])
    made = calibration_set(target) if which == "calibration" else bench_set(target)
    print(f"{len(made)} clips in {target}")
