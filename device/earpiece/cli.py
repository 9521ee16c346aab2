"""The `earpiece` command line: one subcommand per job, JSON lines where asked."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Protocol

import typer
from rich.table import Table
from rich.text import Text

from earpiece.config import ConfigError, Settings, load_settings
from earpiece.terminal import emit, err, error_line, out, tolerate_unencodable

if TYPE_CHECKING:  # loaded only by the commands that need them (start-up time)
    from earpiece.speech.recognizer import Recognizer
    from earpiece.speech.tts import Synthesizer

app = typer.Typer(
    help="Earpiece: an offline pocket companion that hears, understands, remembers and speaks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# `out` and `err` (earpiece.terminal) print strings literally: rich markup is off, so
# a person's "[/]" or "[red]" is text. Style goes in Text objects or style=.


@app.callback()
def _setup() -> None:
    """Earpiece: an offline pocket companion that hears, understands, remembers and speaks."""
    import logging

    tolerate_unencodable()
    logging.basicConfig(level=logging.WARNING, format="earpiece: %(levelname)s: %(message)s")


ConfigOpt = Annotated[
    str | None,  # a str, not a Path: Path("") would silently be "." (the current folder)
    typer.Option(
        "--config", envvar="EARPIECE_CONFIG", help="TOML config file.", show_default=False
    ),
]
StateOpt = Annotated[
    str | None,
    typer.Option(
        "--state-dir", envvar="EARPIECE_STATE_DIR", help="State directory.", show_default=False
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(error_line(message))
    return typer.Exit(code)


def settings_from(config: str | Path | None, state_dir: str | Path | None) -> Settings:
    for option, value in (("--config", config), ("--state-dir", state_dir)):
        if value is not None and not str(value).strip():
            raise fail(f"{option} is empty: give a path, or leave the option out")
    try:
        return load_settings(config, state_dir)
    except ConfigError as exc:
        raise fail(str(exc)) from None


MAX_JSONL_LINE = 64 * 1024
"""Longest JSONL line read (bytes); a longer one is reported as an error and skipped."""
MAX_JSONL_SKIP = 16 * 1024 * 1024
"""How far past the limit a too-long line is skipped before reading stops altogether."""


def text_problem(text: str, from_bytes: bool = True) -> str | None:
    """Why `text` is not text (undecodable bytes, a lone surrogate), or None when it is.

    `from_bytes`: the text was decoded by Python (argv, stdin), which keeps each byte it
    cannot decode as a surrogate U+DC80-U+DCFF; JSON escapes ("\\udcff") are just surrogates.
    """
    for index, char in enumerate(text):
        if "\ud800" <= char <= "\udfff":
            if from_bytes and "\udc80" <= char <= "\udcff":
                return f"not valid UTF-8 (byte 0x{ord(char) - 0xDC00:02x} at character {index})"
            return f"a lone surrogate U+{ord(char):04X} at character {index}"
    return None


def _raw_lines(handle) -> Iterator[bytes | None]:
    """Each line of a binary stream without its ending; None for a line over MAX_JSONL_LINE."""
    while line := handle.readline(MAX_JSONL_LINE + 1):
        if len(line) <= MAX_JSONL_LINE or line.endswith(b"\n"):
            yield line.rstrip(b"\r\n")
            continue
        skipped = len(line)
        while line and not line.endswith(b"\n"):
            if skipped > MAX_JSONL_SKIP:
                raise fail(f"a line longer than {MAX_JSONL_SKIP // 2**20} MiB; stopped reading")
            line = handle.readline(MAX_JSONL_LINE)
            skipped += len(line)
        yield None


def _jsonl_line(number: int, raw: bytes | None) -> tuple[str | None, str | None]:
    """(text, error) for one JSONL line: a plain line is the text, {"text": ...} holds it."""
    if raw is None:
        return None, f"line {number}: longer than {MAX_JSONL_LINE // 1024} KiB, skipped"
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start]
        return None, f"line {number}: not valid UTF-8 (byte 0x{bad:02x} at offset {exc.start})"
    if number == 1:
        line = line.removeprefix("\ufeff")
    if not line.lstrip().startswith("{"):
        text = line
    else:
        try:
            obj = json.loads(line)
            text = obj["text"]
            if not isinstance(text, str):
                raise TypeError("'text' is not a string")
        except RecursionError:
            return None, f'line {number}: expected {{"text": ...}} (nested too deeply)'
        except (ValueError, KeyError, TypeError) as exc:
            return None, f'line {number}: expected {{"text": ...}} ({exc})'
    problem = text_problem(text, from_bytes=False)  # the bytes were decoded strictly above
    return (None, f"line {number}: {problem}") if problem else (text, None)


def _jsonl_texts(source: str) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text, error) for each non-empty line of a JSONL file or stdin."""
    try:
        handle = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as exc:
        raise fail(f"{source}: cannot read ({exc.strerror})") from None
    with handle:
        try:
            for number, raw in enumerate(_raw_lines(handle), start=1):
                if raw is not None and not raw.strip():
                    continue
                text, problem = _jsonl_line(number, raw)
                yield number, text, problem
        except OSError as exc:
            raise fail(f"{source}: cannot read ({exc.strerror})") from None


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
        understood = model.understand(text, now, settings.companion.default_lang)
        result = understood.to_dict()
        if as_json:
            emit(result)
        else:  # printed literally: the tag shows as [ko], a person's "[/]" as [/]
            slots = " ".join(f"{k}={v!r}" for k, v in understood.slots.items())
            out.print(
                f"{result['intent']} ({result['confidence']:.2f})  "
                f"{result['emotion']} ({result['emotion_confidence']:.2f})  "
                f"[{result['lang']}]  {slots}"
            )

    refused = 0

    def refuse(number: int, problem: str) -> None:
        nonlocal refused
        refused += 1
        emit({"line": number, "error": problem}) if as_json else err.print(error_line(problem))

    if texts:
        for number, text in enumerate(texts, start=1):
            problem = text_problem(text)
            refuse(number, f"text {number}: {problem}") if problem else answer(text)
    elif jsonl:
        for number, line_text, problem in _jsonl_texts(jsonl):
            refuse(number, problem) if problem else answer(line_text or "")
    else:
        refused = _prompt(answer)
    if refused:  # every good line was answered; the exit status says some were not (as chat)
        raise typer.Exit(2)


def _typed_lines(interactive: bool, skipped: list[int] | None = None) -> Iterator[str]:
    """What is typed (a terminal) or piped in (bounded lines), up to the end of input.

    A piped line that is too long, or not UTF-8, is reported on stderr and skipped (its
    number added to `skipped`).
    """
    if interactive:
        while True:
            try:
                yield input("> ")
            except (EOFError, KeyboardInterrupt):
                return
    try:
        for number, raw in enumerate(_raw_lines(sys.stdin.buffer), start=1):
            if raw is None:
                err.print(error_line(f"line {number}: longer than {MAX_JSONL_LINE // 1024} KiB"))
                if skipped is not None:
                    skipped.append(number)
                continue
            line = raw.decode("utf-8", "surrogateescape")
            if problem := text_problem(line):
                err.print(error_line(f"line {number}: {problem}; skipped"))
                if skipped is not None:
                    skipped.append(number)
                continue
            yield line
    except KeyboardInterrupt:
        return


def _prompt(answer: Callable[[str], None]) -> int:
    """Answer typed (or piped) lines until the end; how many were refused."""
    interactive = sys.stdin.isatty()
    if interactive:
        out.print("Type an utterance in Korean or English (Ctrl-D to quit).")
    refused: list[int] = []
    for line in _typed_lines(interactive, refused):
        if line.strip():
            if problem := text_problem(line):  # typed at a terminal (piped ones are checked)
                err.print(error_line(problem))
                continue
            answer(line)
    return 0 if interactive else len(refused)


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
            data_dir, target, use_embedding=embedding, say=lambda m: err.print(m, style="dim")
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
    _store_notices(store)
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

    if once is not None and (problem := text_problem(once)):
        raise fail(f"the text is {problem}; nothing was stored")
    companion = _open_companion(settings_from(config, state_dir))
    announce = _announcer(as_json)
    try:
        for line in companion.missed_reminders():
            announce(line, "missed")
    except StoreError as exc:  # e.g. a full disk: the missed reminders stay due
        err.print(f"earpiece: missed reminders are waiting: {exc}")
    if once is not None:
        try:
            reply = companion.respond(once)
        except EmptyUtterance:
            raise fail("nothing to say: the text is empty") from None
        except StoreError as exc:
            raise fail(f"{exc}; nothing was stored, say it again") from None
        finally:
            companion.store.close()
        emit(reply.to_dict()) if as_json else out.print(reply.text)
        return
    try:
        refused = _chat_prompt(companion, announce, as_json)
    finally:
        companion.store.close()
    if refused:
        raise typer.Exit(2)  # every good line was answered; some piped ones were refused


def _announcer(as_json: bool):
    def announce(text: str, kind: str) -> None:
        if as_json:
            emit({"announcement": text, "kind": kind})
        else:
            out.print(f"* {text}", style="bold")

    return announce


def _chat_prompt(companion, announce, as_json: bool) -> int:
    """Answer typed (or piped) lines until the end; how many piped lines were refused. The
    caller closes the store (`run` stops sync first)."""
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
    skipped: list[int] = []
    try:
        for line in _typed_lines(interactive, skipped):
            if problem := text_problem(line):
                err.print(error_line(f"the line is {problem}; nothing was stored, say it again"))
                continue
            try:
                reply = companion.respond(line)
            except EmptyUtterance:
                continue
            except StoreError as exc:
                err.print(f"earpiece: {exc}; nothing was stored, say it again")
                continue
            emit(reply.to_dict()) if as_json else out.print(reply.text)
    finally:
        stop.set()
    return len(skipped)


@app.command("export")
def export_cmd(
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the JSON document.")],
    follow_symlinks: Annotated[
        bool, typer.Option("--follow-symlinks", help="If --out is a symlink, write its target.")
    ] = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """Write everything the companion holds about you into one JSON file."""
    from earpiece.store import export
    from earpiece.store.database import Store, StoreError, kept_copies

    settings = settings_from(config, state_dir)
    try:
        export.check_target(out_file)  # before the store is read
        store = Store.open(settings.state_dir, recover=False)  # never export a fresh start
        _store_notices(store)
        doc = export.document(store)
        store.close()
        export.write(doc, out_file, allow_symlink=follow_symlinks)
    except (StoreError, export.ExportError, OSError) as exc:
        raise fail(str(exc)) from None
    counts = ", ".join(f"{len(doc[t])} {t}" for t in export.PERSONAL)
    err.print(f"wrote {out_file}: {counts}")
    kept = [p.name for p in kept_copies(settings.state_dir)]
    kept = [name for name in kept if not name.endswith(("-wal", "-shm"))]
    if kept:
        err.print(f"earpiece: not in the export: {len(kept)} damaged copies kept aside "
                  f"({', '.join(kept)}); `forget --yes` removes them")  # fmt: skip


@app.command()
def forget(
    yes: Annotated[bool, typer.Option("--yes", help="Really erase everything.")] = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """Erase everything the companion remembers (kept-aside copies and audio too), then prove it."""
    from earpiece.speech.tts import remove_leftover_audio
    from earpiece.store import export
    from earpiece.store.database import Store, StoreError, kept_copies

    settings = settings_from(config, state_dir)
    asked = yes or (sys.stdin.isatty() and typer.confirm("Erase everything the companion knows?"))
    if not asked:
        raise fail("nothing erased; pass --yes to erase everything")
    try:
        store = Store.open(settings.state_dir)
        if settings.sync is None:
            store.erase_all()
        else:  # a tombstone makes the home server and the other devices forget too
            from earpiece.sync.commands import forget_synced

            forget_synced(store, settings.sync)
        doc = export.document(store)
        store.close()
        removed = kept_copies(settings.state_dir)
        for path in removed:
            path.unlink(missing_ok=True)
    except (StoreError, OSError) as exc:
        raise fail(str(exc)) from None
    audio = remove_leftover_audio()
    left = not export.is_empty(doc) and not (settings.sync and _only_tombstones(doc))
    if left or kept_copies(settings.state_dir):
        raise fail("erase did not leave the store empty; please report this")
    counts = ", ".join(f"{len(doc[t])} {t}" for t in export.PERSONAL)
    out.print(f"erased. A fresh export holds {doc['events']} events, {counts}.")
    if removed or audio:
        out.print(f"Also removed {len(removed)} kept-aside database files and "
                  f"{audio} temporary audio files.")  # fmt: skip


def _store_notices(store) -> None:
    """Tell the person when opening the store kept a damaged file aside."""
    if store.recovered_from:
        err.print(
            f"earpiece: the state database was corrupt; it was kept as "
            f"{store.recovered_from} and a fresh one started"
        )
    if store.lost:
        err.print(
            f"earpiece: warning: {store.lost.count} acknowledged changes are missing from the "
            f"state database (its write-ahead log was damaged); the files as found were kept as "
            f"{store.lost.kept_as} for recovery"
        )


def _voice_parts(settings: Settings) -> tuple[Recognizer, Synthesizer]:
    from earpiece.speech.stt import SpeechRecognizer, SttError
    from earpiece.speech.tts import Synthesizer, TtsError

    try:
        s = settings.stt
        first = SpeechRecognizer.load(s.model, s.lang, s.grammar, s.beam, s.max_active,
                                      _whisper(settings))  # fmt: skip
        stt: Recognizer = first
        if s.second_model:
            from earpiece.speech.bilingual import TwoLanguages

            second = SpeechRecognizer.load(s.second_model, s.second_lang, s.grammar, s.beam,
                                           s.max_active)  # fmt: skip
            stt = TwoLanguages(first, second)
        tts = Synthesizer.from_settings(settings.tts)
    except (SttError, TtsError) as exc:
        raise fail(str(exc)) from None
    return stt, tts


def _whisper(settings: Settings):
    """Whisper for free speech when `[stt] open_decoder = "whisper"`, else None."""
    from earpiece.speech.whisper import WhisperHearing, WhisperOptions
    from earpiece.speech.whispermodel import WhisperModelError

    s = settings.stt
    if s.open_decoder != "whisper":
        return None
    options = WhisperOptions(model=s.whisper_model, english_model=s.whisper_english_model,
                             lang=s.whisper_lang, beam=s.whisper_beam,
                             threads=s.whisper_threads, no_speech_max=s.whisper_no_speech_max,
                             logprob_min=s.whisper_logprob_min, default_lang=s.lang,
                             bias=s.whisper_bias)  # fmt: skip
    try:
        return WhisperHearing(options)
    except WhisperModelError as exc:
        raise fail(str(exc)) from None


def _render_ahead(tts, settings: Settings) -> None:
    """When English can be heard, load the neural voice now and render the phrases replies
    open with (the first before the device is ready, the rest in the background)."""
    from earpiece.runtime.render_ahead import opening_phrases
    from earpiece.speech.tts import TtsError

    s = settings.stt
    english = s.lang == "en" or (bool(s.second_model) and s.second_lang == "en")
    if english and tts.english is not None and settings.tts.render_ahead:
        try:
            tts.render_ahead(opening_phrases())
        except TtsError as exc:  # English is then spoken by espeak-ng
            err.print(f"earpiece: warning: {exc}")


def _read_wav(path: Path, max_s: float | None = None):
    """The recording (cut to `max_s`, as a held button is), or a one-line error."""
    from earpiece.hardware.wavfile import AudioError, read_recording

    try:
        recording = read_recording(path, max_s)
    except AudioError as exc:
        raise fail(str(exc)) from None
    if recording.cut_to_s is not None:
        err.print(f"earpiece: warning: {path} lasts {recording.file_s:.1f} s; only its "
                  f"first {recording.cut_to_s:g} s are heard ([button] max_press_s, the "
                  "longest press)")  # fmt: skip
    return recording


def _from_wav(wav: Path, config: str | None, state_dir: str | None):
    """What a turn from a file needs: settings, the recording, the companion, STT and TTS."""
    settings = settings_from(config, state_dir)
    recording = _read_wav(wav, settings.button.max_press_s)
    companion = _open_companion(settings)
    stt, tts = _voice_parts(settings)
    return settings, recording, companion, stt, tts


def _recording_fields(recording) -> dict[str, object]:
    return {"audio_s": round(len(recording.samples) / 16000, 2),
            "file_s": round(recording.file_s, 2), "cut_to_s": recording.cut_to_s}  # fmt: skip


class _NoSpeaker:
    """Audio goes nowhere (a turn without --out and without an audio device)."""

    def play(self, samples, rate) -> bool:
        return True

    def stop(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def close(self) -> None:
        pass


def _output_available() -> bool:
    from earpiece.hardware.audio_devices import default_available

    return default_available("output")


def _audio_device(settings: Settings, kind: str):
    """The configured device (an index when numeric), or a one-line error naming it."""
    from earpiece.hardware.audio_devices import AudioDeviceError, resolve_device

    configured = settings.audio.input_device if kind == "input" else settings.audio.output_device
    try:
        return resolve_device(configured, kind)  # type: ignore[arg-type]
    except AudioDeviceError as exc:
        raise fail(f"{settings.source}: {exc}") from None


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
    follow_symlinks: Annotated[
        bool, typer.Option("--follow-symlinks", help="If --out is a symlink, write its target.")
    ] = False,
) -> None:
    """One full voice turn from a WAV file: transcript, intent, emotion, reply, timings."""
    import tempfile
    import time

    from earpiece.hardware.microphone import FRAME, CaptureStats
    from earpiece.hardware.speaker import SoundDeviceSpeaker, Speaker, WavSpeaker
    from earpiece.runtime.turn import run_turn

    if out_wav:  # checked before the turn runs: nothing may fail after it is stored
        out_wav = _checked_out(out_wav, follow_symlinks)
    settings = settings_from(config, state_dir)
    device = None if out_wav else _audio_device(settings, "output")
    settings, recording, companion, stt, tts = _from_wav(wav, config, state_dir)
    scratch = tempfile.TemporaryDirectory(prefix="earpiece-reply-")
    speaker: Speaker
    if out_wav:
        speaker = WavSpeaker(Path(scratch.name) / "reply.wav")
    elif device is not None or _output_available():
        speaker = SoundDeviceSpeaker(device)
    else:
        speaker = _NoSpeaker()
    session = stt.hear(recording.samples, realtime)  # the press: decoding while it is held
    try:
        voice = run_turn(session, companion, tts, speaker, time.perf_counter(), keep_open=True)
        voice.capture = CaptureStats(frames=len(recording.samples) // FRAME)  # a file loses nothing
        speaker.close()
        not_written = _save_reply(Path(scratch.name) / "reply.wav", out_wav, follow_symlinks)
    finally:
        scratch.cleanup()  # the reply audio holds what was said: it does not stay in /tmp
    if voice.transcripts.get(session.open_name) is None:
        voice.transcripts[session.open_name] = session.open_result()
    result = {**voice.to_dict(), **_recording_fields(recording)}
    if as_json:
        emit(result)
    elif voice.reply is None:
        out.print(f"heard: {voice.transcript} (not surely: \"I didn't catch that\")"
                  if voice.spoke else "(nothing was heard)")  # fmt: skip
    else:
        out.print(f"heard ({voice.decoder}): {voice.transcript}\n"
                  f"{voice.reply.text}")  # fmt: skip
    companion.store.close()
    if not_written:
        raise fail(not_written)


def _checked_out(path: Path, allow_symlink: bool) -> Path:
    """The --out path if a file may be written there; a clear error before anything runs."""
    from earpiece.safefile import check_target

    try:
        check_target(path, allow_symlink=allow_symlink)
    except OSError as exc:
        raise fail(f"--out {exc}") from None
    return path


def _save_reply(scratch: Path, out_wav: Path | None, allow_symlink: bool) -> str | None:
    """Move the reply audio to --out in one step; why not, when it could not be written."""
    from earpiece.safefile import write_atomic

    if out_wav is None or not scratch.exists():
        return None
    try:
        write_atomic(out_wav, scratch.read_bytes(), allow_symlink=allow_symlink)
    except OSError as exc:
        return f"--out {out_wav}: the reply audio was not written ({exc}); the turn was stored"
    return None


@app.command()
def listen(
    wav: Annotated[Path, typer.Option("--wav", help="A WAV file of speech.")],
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """The transcript only: both decoders, and which one a turn would trust."""
    from earpiece.runtime.turn import choose_transcript

    _, recording, companion, stt, _ = _from_wav(wav, config, state_dir)
    session = stt.hear(recording.samples)
    choice = choose_transcript(session, companion)
    name = session.open_name
    both = {**choice.transcripts, name: choice.transcripts.get(name) or session.open_result()}
    result = {"transcript": choice.text, "decoder": choice.decoder, "transcripts": both,
              **_recording_fields(recording), "decision": choice.decision.value,
              "turn_confidence": round(choice.confidence, 3)}  # fmt: skip
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
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """The device: hold the button (Enter off a Pi), speak, hear the companion."""
    import os
    import signal
    import threading

    from earpiece.hardware.audio_devices import AudioDeviceError
    from earpiece.hardware.wavfile import AudioError
    from earpiece.runtime import PressRules, Runtime
    from earpiece.runtime.hardware import Mode, choose

    settings = settings_from(config, state_dir)
    if mic_wav:
        _read_wav(mic_wav, settings.button.max_press_s)  # a clear error before models load
    try:
        parts = choose(settings, mic_wav, out_wav, text)
    except AudioDeviceError as exc:
        if not os.environ.get("NOTIFY_SOCKET") or mic_wav or out_wav or text:
            raise fail(f"{settings.source}: {exc}") from None
        parts = _wait_for_audio(settings, f"{settings.source}: {exc}")
    except AudioError as exc:
        raise fail(str(exc)) from None
    if parts.mode is Mode.TEXT and parts.reason and os.environ.get("NOTIFY_SOCKET"):
        parts = _wait_for_audio(settings, parts.reason)  # under systemd: no terminal to type in
    if parts.mode is Mode.TEXT:
        if parts.reason:
            err.print(f"earpiece: {parts.reason}, so the companion starts in text mode: type, "
                      "and it answers.")  # fmt: skip
        companion = _open_companion(settings)
        sync = _start_sync(companion, settings)
        try:
            _chat_prompt(companion, _announcer(as_json), as_json)
        finally:
            stop_then_close(sync, companion.store)
        return
    started: list[Runtime] = []

    def on_sigterm(*_) -> None:
        if started:  # from another thread: the handler may have interrupted a held lock
            threading.Thread(target=started[0].stop, daemon=True, name="sigterm").start()
        else:
            raise KeyboardInterrupt  # still loading: nothing to shut down yet

    signal.signal(signal.SIGTERM, on_sigterm)
    # Ctrl-C stops it even when started from a shell that ignores SIGINT for its background
    # jobs (Python then leaves SIGINT ignored, and "Ctrl-C to leave" would not)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    companion = None
    try:
        companion = _open_companion(settings)
        stt, tts = _voice_parts(settings)
        _render_ahead(tts, settings)
    except KeyboardInterrupt:
        if companion is not None:
            companion.store.close()
        err.print("earpiece: stopped while starting")
        return
    assert parts.mic and parts.speaker and parts.button and parts.led
    rules = PressRules.from_settings(settings)
    runtime = Runtime(companion, stt, tts, parts.mic, parts.speaker, parts.button, parts.led, rules)
    if as_json:
        runtime.on_turn = lambda turn: emit(turn.to_dict())
    started.append(runtime)

    def say_ready() -> None:
        if runtime.ready.wait():
            err.print("earpiece: ready")

    threading.Thread(target=say_ready, daemon=True, name="ready").start()
    if parts.mode is Mode.LAPTOP:
        err.print("Press Enter to start talking and Enter again to stop. Ctrl-C to leave.")
    feeder = _systemd_watchdog(runtime, parts, settings)
    sync = _start_sync(companion, settings)
    try:
        stats = runtime.run()
    except KeyboardInterrupt:  # the shutdown already ran inside run()
        stats = runtime.stats()
    except Exception as exc:  # the audio device failed at start, after the shutdown ran
        raise fail(f"the device could not start: {exc}") from None
    finally:
        feeder.stop()
        feeder.dog.stopping()
        stop_then_close(sync, companion.store)
    err.print(f"earpiece: stopped after {stats.turns} turns ({stats.failed_turns} failed, "
              f"{stats.capture.overflows} input overflows, {stats.capture.dropped} blocks "
              "dropped)")  # fmt: skip


class _Stops(Protocol):
    def stop(self) -> None: ...


class _Closes(Protocol):
    def close(self) -> None: ...


def stop_then_close(sync: _Stops | None, store: _Closes) -> None:
    """At the end of `run`: sync stops first (its worker may still be applying the other
    devices' events to the store), then the store's owner closes it, even if sync failed."""
    try:
        if sync is not None:
            sync.stop()
    finally:
        store.close()


@app.command("dead-signal", hidden=True)
def dead_signal(config: ConfigOpt = None, state_dir: StateOpt = None) -> None:
    """For earpiece-failed.service: blink the status LED until stopped (the service is dead)."""
    import signal

    from earpiece.hardware.controls import StatusLed, gpio_workdir

    settings = settings_from(config, state_dir)
    err.print("earpiece: the earpiece service failed and stopped restarting: see "
              "`journalctl -u earpiece -b`, fix it (`earpiece doctor`), then "
              "`sudo systemctl restart earpiece`")  # fmt: skip
    gpio_workdir(settings.state_dir)
    try:
        led = StatusLed(settings.button.led_pin)
        led.dead()
    except Exception as exc:  # no GPIO here: the journal line above is the signal
        raise fail(f"cannot blink the LED on GPIO{settings.button.led_pin}: {exc}", 1) from None

    def on_sigterm(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        signal.pause()
    except KeyboardInterrupt:
        led.close()


def _start_sync(companion, settings: Settings):
    """The sync client on its own threads when [sync] is configured (None otherwise); the home
    server's clock also sets ours when this device has no trusted one (a Pi without an RTC)."""
    if settings.sync is None:
        return None
    from earpiece.clock import observe_remote_time
    from earpiece.sync.client import start_for

    def home_time(when) -> None:
        try:
            observe_remote_time(when, "home")
        except ValueError as exc:  # an implausible time from home is not taken
            err.print(f"earpiece: warning: {exc}")

    try:
        return start_for(companion.store, settings, on_home_time=home_time)
    except Exception as exc:  # sync is optional: the companion works on without it
        err.print(f"earpiece: warning: sync did not start ({exc}); the companion works "
                  "offline and `earpiece sync status` tells more")  # fmt: skip
        return None


AUDIO_POLL_S = 3.0
"""How often `earpiece run` under systemd looks again for a missing microphone or earpiece."""


def _wait_for_audio(settings: Settings, reason: str):
    """Under systemd with no microphone or earpiece: wait for them instead of dying.

    Tells systemd (READY=1, STATUS=waiting...), feeds the watchdog, blinks the LED (one short
    flash every 2 s) and looks again every AUDIO_POLL_S with PortAudio re-initialised, so a
    USB headset plugged in or a Bluetooth earpiece connected is picked up. SIGTERM ends it.
    """
    import os
    import signal
    import threading

    from earpiece.hardware.audio_devices import (
        AudioDeviceError,
        default_available,
        rescan,
        resolve_device,
    )
    from earpiece.hardware.controls import StatusLed, gpio_workdir, on_raspberry_pi
    from earpiece.hardware.watchdog import Watchdog
    from earpiece.runtime.hardware import Mode, choose

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    dog = Watchdog.from_env()
    dog.ready(f"waiting: {reason}")
    err.print(f"earpiece: {reason}; waiting for it (connect it, or see `earpiece doctor`)")
    led = None
    b = settings.button
    if b.pin_factory and not os.environ.get("GPIOZERO_PIN_FACTORY"):
        os.environ["GPIOZERO_PIN_FACTORY"] = b.pin_factory
    if on_raspberry_pi() or os.environ.get("GPIOZERO_PIN_FACTORY"):
        gpio_workdir(settings.state_dir)
        try:
            led = StatusLed(b.led_pin)
            led.waiting()
        except Exception as exc:  # the LED is a nicety; the journal line above says it too
            err.print(f"earpiece: warning: the LED cannot show it ({exc})")
    try:
        while not stop.wait(AUDIO_POLL_S):
            dog.ping()
            rescan()
            try:
                for kind in ("input", "output"):
                    configured = getattr(settings.audio, f"{kind}_device")
                    if resolve_device(configured, kind) is None and not default_available(kind):
                        raise AudioDeviceError(f"no default {kind} device yet")
            except AudioDeviceError as exc:
                dog.notify(f"STATUS=waiting: {exc}")
                continue
            break
    finally:
        if led is not None:
            led.close()  # the runtime opens the pin again
    if stop.is_set():
        dog.stopping()
        raise typer.Exit(0)
    err.print("earpiece: audio devices found; starting")
    parts = choose(settings)
    if parts.mode is Mode.TEXT:  # gone again at once: systemd restarts it, and it waits
        raise fail(f"the audio devices went away again ({parts.reason})", 1)
    return parts


TURN_SLACK_S = 30.0
"""A turn may go this long past `[stt] open_deadline_s` without a sign of life (decoding, NLU)."""


def _systemd_watchdog(runtime, parts, settings: Settings):
    """Under systemd: READY=1 once the loop runs (models loaded), then WATCHDOG=1 from a feeder
    thread while the loop turns or a reply plays, and the microphone delivers."""
    from earpiece.hardware.watchdog import Heartbeat, Watchdog, WatchdogFeeder

    heartbeat = Heartbeat()
    runtime.heartbeat = heartbeat.beat  # each loop pass
    if hasattr(parts.speaker, "on_block"):
        parts.speaker.on_block = heartbeat.beat  # each 50 ms of a reply or reminder played
    return WatchdogFeeder(Watchdog.from_env(), heartbeat,
                          settings.stt.open_deadline_s + TURN_SLACK_S,
                          getattr(parts.mic, "alive", None), runtime.ready).start()  # fmt: skip


@app.command()
def bench(
    names: Annotated[
        list[str] | None, typer.Argument(help="nlu, turn, voice, footprint (default: all).")
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
def doctor(
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
    light: Annotated[
        bool,
        typer.Option("--light", help="Load no model (always so beside a running service)."),
    ] = False,
) -> None:
    """Check Python, packages, models, voices, service, memory, power, Bluetooth, audio, GPIO,
    state, clock and sync; say the fix."""
    from earpiece.doctor import Status, checks, failed, service_running

    settings = settings_from(config, state_dir)
    if not light and service_running():
        light = True  # the models again beside the service's own could exhaust a small board
        err.print("earpiece: the earpiece service is running: light checks (no model loaded)")
    found = []
    for check in checks(settings, light):
        found.append(check)
        if as_json:
            emit(check.to_dict())
    if not as_json:
        table = Table(title="earpiece doctor")
        for col in ("check", "status", "detail", "fix"):
            table.add_column(col, overflow="fold")
        colour = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "red"}
        for c in found:  # plain strings print literally (markup is off)
            table.add_row(c.name, Text(c.status.value, colour[c.status]), c.detail, c.fix)
        out.print(table)
    if failed(found):
        raise typer.Exit(1)


# Sync (issue 11): `earpiece sync ...` and `earpiece home`, defined in sync/commands.py.
from earpiece.sync.commands import home_command, sync_app  # noqa: E402
from earpiece.sync.fleet import is_forgotten as _only_tombstones  # noqa: E402

app.add_typer(sync_app, name="sync")
app.command("home")(home_command)


def main() -> None:  # pragma: no cover - console entry point
    app()


# The home page (issue 13): `earpiece home --web` (sync/commands.py) and its password hash.
from earpiece.home_web.commands import home_password_command  # noqa: E402

app.command("home-password")(home_password_command)
