"""The `earpiece` command line: one subcommand per job, JSON lines where asked."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from earpiece.config import ConfigError, Settings, load_settings

app = typer.Typer(
    help="Earpiece: an offline pocket companion that hears, understands, remembers and speaks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True, highlight=False)
out = Console(highlight=False, soft_wrap=True)


@app.callback()
def _setup() -> None:
    """Earpiece: an offline pocket companion that hears, understands, remembers and speaks."""
    import logging

    logging.basicConfig(level=logging.WARNING, format="earpiece: %(levelname)s: %(message)s")


ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", envvar="EARPIECE_CONFIG", help="TOML config file.", show_default=False
    ),
]
StateOpt = Annotated[
    Path | None,
    typer.Option(
        "--state-dir", envvar="EARPIECE_STATE_DIR", help="State directory.", show_default=False
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]earpiece: error:[/] {escape(message)}")
    return typer.Exit(code)


def settings_from(config: Path | None, state_dir: Path | None) -> Settings:
    try:
        return load_settings(config, state_dir)
    except ConfigError as exc:
        raise fail(str(exc)) from None


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _jsonl_texts(source: str) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text, error) for each non-empty line of a JSONL file or stdin."""
    try:
        handle = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError as exc:
        raise fail(f"{source}: cannot read ({exc.strerror})") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            stripped = line.rstrip("\r\n")
            if not stripped.strip():
                continue
            if stripped.lstrip().startswith("{"):
                try:
                    obj = json.loads(stripped)
                    text = obj["text"]
                    if not isinstance(text, str):
                        raise TypeError("'text' is not a string")
                except (ValueError, KeyError, TypeError) as exc:
                    yield number, None, f'line {number}: expected {{"text": ...}} ({exc})'
                    continue
                yield number, text, None
            else:
                yield number, stripped, None


@app.command()
def nlu(
    texts: Annotated[list[str] | None, typer.Argument(help="Utterances to understand.")] = None,
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", help='File of texts or {"text": ...} lines; - for stdin.'),
    ] = None,
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """Intent, confidence, emotion and slots for each text (a prompt when given none)."""
    from earpiece.clock import ClockError, now_in
    from earpiece.nlu.model import ModelError, NluModel

    settings = settings_from(config, state_dir)
    try:
        model = NluModel.load(settings.nlu.model or None, settings.nlu.threshold)
        now_in(settings.companion.timezone)
    except (ModelError, ClockError) as exc:
        raise fail(str(exc)) from None

    def answer(text: str) -> None:
        now = now_in(settings.companion.timezone)
        result = model.understand(text, now, settings.companion.default_lang).to_dict()
        if as_json:
            emit(result)
        else:
            slots = " ".join(f"{k}={v!r}" for k, v in result["slots"].items())
            out.print(
                f"{result['intent']} ({result['confidence']:.2f})  "
                f"{result['emotion']} ({result['emotion_confidence']:.2f})  "
                f"[{result['lang']}]  {slots}"
            )

    if texts:
        for text in texts:
            answer(text)
    elif jsonl:
        for _, text, problem in _jsonl_texts(jsonl):
            if problem:
                emit({"error": problem}) if as_json else err.print(problem)
            else:
                answer(text or "")
    else:
        _prompt(answer)


def _prompt(answer) -> None:
    interactive = sys.stdin.isatty()
    if interactive:
        out.print("Type an utterance in Korean or English (Ctrl-D to quit).")
    while True:
        try:
            line = input("> " if interactive else "")
        except (EOFError, KeyboardInterrupt):
            break
        if line.strip():
            answer(line)


@app.command("train")
def train_cmd(
    data: Annotated[
        Path | None, typer.Option(help="Data folder (default models/nlu/data).")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default models/nlu).")
    ] = None,
    embedding: Annotated[
        bool,
        typer.Option(help="Also feed the sentence encoder's embedding (about +120 MB RSS)."),
    ] = True,
) -> None:
    """Rebuild the NLU model from models/nlu/data (repeatable bit for bit)."""
    from earpiece import paths
    from earpiece.training.build import build
    from earpiece.training.dataset import DataError

    data_dir = data or paths.nlu_dir() / "data"
    target = out_dir or paths.nlu_dir()
    try:
        manifest = build(
            data_dir, target, use_embedding=embedding, say=lambda m: err.print(f"[dim]{m}[/]")
        )
    except (DataError, OSError) as exc:
        raise fail(str(exc)) from None
    table = Table(title=f"NLU model {manifest['model']} ({manifest['bytes'] / 1024:.0f} KiB)")
    for col in ("model", "split", "intent acc", "intent F1", "emotion acc", "emotion F1"):
        table.add_column(col)
    for kind in ("fp32", "int8"):
        for scope, m in manifest["metrics"][kind].items():
            table.add_row(
                kind, f"dev/{scope}",
                f"{m['intent']['accuracy']:.3f}", f"{m['intent']['macro_f1']:.3f}",
                f"{m['emotion']['accuracy']:.3f}", f"{m['emotion']['macro_f1']:.3f}",
            )  # fmt: skip
    err.print(table)
    err.print(f"wrote {target / manifest['model']} sha256 {manifest['sha256'][:16]}...")
    if cal := manifest.get("calibration"):
        err.print(
            f"calibrated on {cal['held_out_lines']} held-out lines: temperature "
            f"{cal['temperature']}, unknown below {cal['threshold']} (in-scope accuracy "
            f"{cal['in_scope_accuracy']:.3f}, out-of-scope rejected {cal['oos_rejection']:.3f})"
        )


def _open_companion(settings: Settings):
    from earpiece.clock import ClockError, now_in
    from earpiece.companion.policy import Companion
    from earpiece.companion.replies import RepliesError
    from earpiece.nlu.model import ModelError, NluModel
    from earpiece.store.database import Store, StoreError

    try:
        now_in(settings.companion.timezone)
        store = Store.open(settings.state_dir)
        model = NluModel.load(settings.nlu.model or None, settings.nlu.threshold)
        companion = Companion(store, model, settings)
    except (StoreError, ModelError, ClockError, RepliesError) as exc:
        raise fail(str(exc)) from None
    if store.recovered_from:
        err.print(
            f"earpiece: the state database was corrupt; it was kept as {store.recovered_from} "
            "and a fresh one started"
        )
    return companion


@app.command()
def chat(
    once: Annotated[
        str | None, typer.Option("--once", help="Say one thing, print the reply.")
    ] = None,
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """Talk to the companion by text: the same brain and memory as the voice."""
    from earpiece.companion.policy import EmptyUtterance
    from earpiece.store.database import StoreError

    companion = _open_companion(settings_from(config, state_dir))
    announce = _announcer(as_json)
    for line in companion.missed_reminders():
        announce(line, "missed")
    if once is not None:
        try:
            reply = companion.respond(once)
        except EmptyUtterance:
            raise fail("nothing to say: the text is empty") from None
        except StoreError as exc:
            raise fail(f"{exc}; nothing was stored, say it again") from None
        emit(reply.to_dict()) if as_json else out.print(reply.text)
        return
    _chat_prompt(companion, announce, as_json)


def _announcer(as_json: bool):
    def announce(text: str, kind: str) -> None:
        if as_json:
            emit({"announcement": text, "kind": kind})
        else:
            out.print(f"[bold]* {escape(text)}[/]")

    return announce


def _chat_prompt(companion, announce, as_json: bool) -> None:
    import threading

    from earpiece.companion.policy import EmptyUtterance
    from earpiece.store.database import StoreError

    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(1.0):
            try:
                for line in companion.due_reminders():
                    announce(line, "reminder")
            except StoreError as exc:
                err.print(f"earpiece: reminders are waiting: {exc}")

    threading.Thread(target=tick, name="reminders", daemon=True).start()
    interactive = sys.stdin.isatty()
    if interactive:
        name = companion.settings.companion
        out.print(f"{name.name_ko} / {name.name_en} is listening. Ctrl-D to leave.")
    try:
        while True:
            try:
                line = input("> " if interactive else "")
            except (EOFError, KeyboardInterrupt):
                break
            try:
                reply = companion.respond(line)
            except EmptyUtterance:
                continue
            except StoreError as exc:
                err.print(f"earpiece: {exc}; nothing was stored, say it again")
                continue
            emit(reply.to_dict()) if as_json else out.print(escape(reply.text))
    finally:
        stop.set()
        companion.store.close()


@app.command("export")
def export_cmd(
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the JSON document.")],
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """Write everything the companion holds about you into one JSON file."""
    from earpiece.store import export
    from earpiece.store.database import Store, StoreError

    settings = settings_from(config, state_dir)
    try:
        store = Store.open(settings.state_dir)
        doc = export.document(store)
        export.write(doc, out_file)
    except (StoreError, OSError) as exc:
        raise fail(str(exc)) from None
    counts = ", ".join(f"{len(doc[t])} {t}" for t in export.PERSONAL)
    err.print(f"wrote {out_file}: {counts}")


@app.command()
def forget(
    yes: Annotated[bool, typer.Option("--yes", help="Really erase everything.")] = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """Erase everything the companion remembers, then prove it."""
    from earpiece.store import export
    from earpiece.store.database import Store, StoreError

    settings = settings_from(config, state_dir)
    asked = yes or (sys.stdin.isatty() and typer.confirm("Erase everything the companion knows?"))
    if not asked:
        raise fail("nothing erased; pass --yes to erase everything")
    try:
        store = Store.open(settings.state_dir)
        store.erase_all()
        doc = export.document(store)
    except StoreError as exc:
        raise fail(str(exc)) from None
    if not export.is_empty(doc):
        raise fail("erase did not leave the store empty; please report this")
    counts = ", ".join(f"{len(doc[t])} {t}" for t in export.PERSONAL)
    out.print(f"erased. A fresh export holds {doc['events']} events, {counts}.")


def _voice_parts(settings: Settings):
    from earpiece.speech.stt import SpeechRecognizer, SttError
    from earpiece.speech.tts import Synthesizer, TtsError

    try:
        s = settings.stt
        stt = SpeechRecognizer.load(s.model, s.lang, s.grammar, s.beam, s.max_active)
        tts = Synthesizer({"ko": settings.tts.voice_ko, "en": settings.tts.voice_en},
                          settings.tts.rate)  # fmt: skip
    except (SttError, TtsError) as exc:
        raise fail(str(exc)) from None
    return stt, tts


def _read_wav(path: Path):
    from earpiece.hardware.wavfile import AudioError, read_for_stt

    try:
        return read_for_stt(path)
    except AudioError as exc:
        raise fail(str(exc)) from None


def _from_wav(wav: Path, config: Path | None, state_dir: Path | None):
    """What a turn from a file needs: settings, the samples, the companion, STT and TTS."""
    settings = settings_from(config, state_dir)
    samples = _read_wav(wav)
    companion = _open_companion(settings)
    stt, tts = _voice_parts(settings)
    return settings, samples, companion, stt, tts


class _NoSpeaker:
    """Audio goes nowhere (a turn without --out and without an audio device)."""

    def play(self, samples, rate) -> bool:
        return True

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


def _output_available() -> bool:
    try:
        import sounddevice

        sounddevice.query_devices(kind="output")
        return True
    except Exception:  # PortAudio missing or no device: both mean no earpiece
        return False


@app.command()
def turn(
    wav: Annotated[Path, typer.Option("--wav", help="What the person said, as a WAV file.")],
    out_wav: Annotated[
        Path | None, typer.Option("--out", help="Write the spoken reply here.")
    ] = None,
    realtime: Annotated[
        bool, typer.Option("--realtime", help="Feed the file at the pace of speech, as a press.")
    ] = False,
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """One full voice turn from a WAV file: transcript, intent, emotion, reply, timings."""
    import time

    from earpiece.hardware.speaker import SoundDeviceSpeaker, WavSpeaker
    from earpiece.speech.turn import run_turn

    settings, samples, companion, stt, tts = _from_wav(wav, config, state_dir)
    if out_wav:
        speaker = WavSpeaker(out_wav)
    else:
        speaker = SoundDeviceSpeaker(settings.audio.output_device or None) if (
            _output_available()) else _NoSpeaker()  # fmt: skip
    session = stt.hear(samples, realtime)  # the press: decoding while it is held
    voice = run_turn(session, companion, tts, speaker, time.perf_counter(), keep_open=True)
    speaker.close()
    if voice.transcripts.get("open") is None:
        voice.transcripts["open"] = session.open_result()
    result = voice.to_dict()
    if as_json:
        emit(result)
    elif voice.reply is None:
        out.print("(nothing was heard)")
    else:
        out.print(f"heard ({voice.decoder}): {voice.transcript}\n{voice.reply.text}")
    companion.store.close()


@app.command()
def listen(
    wav: Annotated[Path, typer.Option("--wav", help="A WAV file of speech.")],
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """The transcript only: both decoders, and which one a turn would trust."""
    from earpiece.speech.turn import choose_transcript

    _, samples, companion, stt, _ = _from_wav(wav, config, state_dir)
    session = stt.hear(samples)
    choice = choose_transcript(session, companion)
    both = {**choice.transcripts, "open": choice.transcripts.get("open") or session.open_result()}
    result = {"transcript": choice.text, "decoder": choice.decoder, "transcripts": both,
              "audio_s": round(len(samples) / 16000, 2)}  # fmt: skip
    emit(result) if as_json else out.print(choice.text)
    companion.store.close()


@app.command()
def run(
    mic_wav: Annotated[
        Path | None, typer.Option("--mic-wav", help="Use a WAV file as the microphone.")
    ] = None,
    out_wav: Annotated[
        Path | None, typer.Option("--out", help="Write the earpiece's audio to a WAV file.")
    ] = None,
    text: Annotated[
        bool, typer.Option("--text", help="Text mode: type instead of speaking.")
    ] = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """The device: hold the button (Enter off a Pi), speak, hear the companion."""
    import os
    import signal

    from earpiece.hardware.controls import (
        KeyboardPushToTalk,
        PushToTalk,
        StatusLed,
        on_raspberry_pi,
    )
    from earpiece.hardware.microphone import SoundDeviceMicrophone, WavMicrophone
    from earpiece.hardware.speaker import SoundDeviceSpeaker, WavSpeaker
    from earpiece.runtime import PressRules, Runtime

    settings = settings_from(config, state_dir)
    hears = mic_wav is not None or _input_available()
    speaks = out_wav is not None or _output_available()
    if text or not (hears and speaks):
        if not text:
            missing = "microphone" if not hears else "earpiece (audio output)"
            err.print(f"earpiece: no {missing} found (PortAudio lists no such device), so the "
                      "companion starts in text mode: type, and it answers.")  # fmt: skip
        companion = _open_companion(settings)
        _chat_prompt(companion, _announcer(False), False)
        return
    companion = _open_companion(settings)
    stt, tts = _voice_parts(settings)
    mic = WavMicrophone(_checked_wav(mic_wav)) if mic_wav else SoundDeviceMicrophone(
        settings.audio.input_device or None)  # fmt: skip
    speaker = WavSpeaker(out_wav, realtime=True) if out_wav else SoundDeviceSpeaker(
        settings.audio.output_device or None)  # fmt: skip
    pins = on_raspberry_pi() or bool(os.environ.get("GPIOZERO_PIN_FACTORY"))
    b = settings.button
    button = PushToTalk(b.pin, b.bounce_ms) if pins else KeyboardPushToTalk()
    led = StatusLed(b.led_pin if pins else None)
    rules = PressRules(b.min_press_ms / 1000, b.max_press_s, settings.audio.preroll_ms / 1000)
    runtime = Runtime(companion, stt, tts, mic, speaker, button, led, rules)
    signal.signal(signal.SIGTERM, lambda *_: runtime.stop())
    if not pins:
        err.print("Press Enter to start talking and Enter again to stop. Ctrl-C to leave.")
    try:
        runtime.run()
    except KeyboardInterrupt:
        runtime.stop()


def _checked_wav(path: Path) -> Path:
    _read_wav(path)
    return path


def _input_available() -> bool:
    try:
        import sounddevice

        sounddevice.query_devices(kind="input")
        return True
    except Exception:  # PortAudio missing or no device: both mean no microphone
        return False


@app.command()
def bench(
    names: Annotated[
        list[str] | None, typer.Argument(help="nlu, turn, voice (default: all).")
    ] = None,
) -> None:
    """Run the benchmarks and print their tables (benchmarks/README.md is updated too)."""
    import subprocess

    from earpiece import paths

    runner = paths.project_root() / "benchmarks" / "run.py"
    if not runner.is_file():
        raise fail("the benchmarks live in the source checkout (benchmarks/run.py), not found here")
    raise typer.Exit(subprocess.call([sys.executable, str(runner), *(names or [])]))


@app.command()
def doctor(config: ConfigOpt = None, state_dir: StateOpt = None) -> None:
    """Check config, models, speech engines, audio, GPIO and the state dir; say what to fix."""
    from earpiece.doctor import checks

    settings = settings_from(config, state_dir)
    table = Table(title="earpiece doctor")
    for col in ("part", "state", "detail"):
        table.add_column(col)
    failed = 0
    for part, ok, detail in checks(settings):
        failed += ok is False
        mark = {True: "[green]ok[/]", False: "[red]FIX[/]", None: "[yellow]note[/]"}[ok]
        table.add_row(part, mark, escape(detail))
    out.print(table)
    if failed:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - console entry point
    app()
