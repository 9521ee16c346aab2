"""`earpiece turn` and `earpiece listen`: one voice turn, or its transcript, from a WAV file;
and the voice parts (speech recognition, text to speech) that `run` loads too."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from earpiece.cli.common import ConfigOpt, JsonOpt, StateOpt, fail, open_companion, settings_from
from earpiece.config import Settings
from earpiece.terminal import emit, err, out

if TYPE_CHECKING:  # loaded only by the commands that need them (start-up time)
    from earpiece.speech.recognizer import Recognizer
    from earpiece.speech.tts import Synthesizer


def voice_parts(settings: Settings) -> tuple[Recognizer, Synthesizer]:
    from earpiece.speech.stt import SpeechRecognizer, SttError
    from earpiece.speech.tts import Synthesizer, TtsError

    try:
        s = settings.stt
        first = SpeechRecognizer.load(
            s.model,
            s.lang,
            s.grammar,
            s.beam,
            s.max_active,
            whisper_hearing(settings),
            english_grammar(settings),
        )
        stt: Recognizer = first
        if s.second_model:
            from earpiece.speech.bilingual import TwoLanguages

            second = SpeechRecognizer.load(
                s.second_model, s.second_lang, s.grammar, s.beam, s.max_active
            )
            stt = TwoLanguages(first, second)
        tts = Synthesizer.from_settings(settings.tts)
    except (SttError, TtsError) as exc:
        raise fail(str(exc)) from None
    return stt, tts


def english_grammar(settings: Settings):
    """The English command grammar for a device whose language is not English, when
    `[stt] english_grammar` (and its grammar decoder) is on; else None."""
    s = settings.stt
    if not (s.english_grammar and s.grammar) or s.lang == "en" or s.second_model:
        return None
    from earpiece.speech.english_grammar import EnglishGrammar

    return EnglishGrammar.shared()


def whisper_hearing(settings: Settings):
    """Whisper for free speech when `[stt] open_decoder = "whisper"`, else None."""
    from earpiece.speech.whisper import WhisperHearing, WhisperOptions
    from earpiece.speech.whispermodel import WhisperModelError

    s = settings.stt
    if s.open_decoder != "whisper":
        return None
    options = WhisperOptions(
        model=s.whisper_model,
        english_model=s.whisper_english_model,
        lang=s.whisper_lang,
        beam=s.whisper_beam,
        threads=s.whisper_threads,
        window_pad_s=s.whisper_window_pad_s,
        no_speech_max=s.whisper_no_speech_max,
        logprob_min=s.whisper_logprob_min,
        default_lang=s.lang,
        dual_below=s.whisper_dual_below,
        bias=s.whisper_bias,
    )
    try:
        return WhisperHearing(options)
    except WhisperModelError as exc:
        raise fail(str(exc)) from None


def render_ahead(tts, settings: Settings, companion=None) -> None:
    """When English can be heard, load the neural voice now and render the phrases replies
    open with (the first before the device is ready, the rest in the background), and keep
    the companion's clock replies of this minute and the next rendered (runtime/render_ahead.py).
    """
    from earpiece.runtime.render_ahead import ClockAhead, opening_phrases
    from earpiece.speech.tts import TtsError

    s = settings.stt
    english = s.lang == "en" or (bool(s.second_model) and s.second_lang == "en")
    if english and tts.english is not None and settings.tts.render_ahead:
        try:
            tts.render_ahead(opening_phrases({"name": settings.companion.name_en}))
        except TtsError as exc:  # English is then spoken by espeak-ng
            err.print(f"earpiece: warning: {exc}")
            return
        if companion is not None:
            ClockAhead(tts, companion.clock, companion.clock_trusted).start()


def read_wav(path: Path, max_s: float | None = None):
    """The recording (cut to `max_s`, as a held button is), or a one-line error."""
    from earpiece.hardware.wavfile import AudioError, read_recording

    try:
        recording = read_recording(path, max_s)
    except AudioError as exc:
        raise fail(str(exc)) from None
    if recording.cut_to_s is not None:
        err.print(
            f"earpiece: warning: {path} lasts {recording.file_s:.1f} s; only its "
            f"first {recording.cut_to_s:g} s are heard ([button] max_press_s, the "
            "longest press)"
        )
    return recording


def _from_wav(wav: Path, config: str | None, state_dir: str | None):
    """What a turn from a file needs: settings, the recording, the companion, STT and TTS."""
    settings = settings_from(config, state_dir)
    recording = read_wav(wav, settings.button.max_press_s)
    companion = open_companion(settings)
    stt, tts = voice_parts(settings)
    return settings, recording, companion, stt, tts


def _recording_fields(recording) -> dict[str, object]:
    return {
        "audio_s": round(len(recording.samples) / 16000, 2),
        "file_s": round(recording.file_s, 2),
        "cut_to_s": recording.cut_to_s,
    }


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
    from earpiece.runtime.bias import PersonWords

    words = PersonWords(companion).words()  # set at the press, as on the device
    session = stt.hear(recording.samples, realtime, words=words)  # decoding while it is held
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
        out.print(
            f'heard: {voice.transcript} (not surely: "I didn\'t catch that")'
            if voice.spoke
            else "(nothing was heard)"
        )
    else:
        out.print(f"heard ({voice.decoder}): {voice.transcript}\n{voice.reply.text}")
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


def listen(
    wav: Annotated[Path, typer.Option("--wav", help="A WAV file of speech.")],
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """The transcript only: both decoders, and which one a turn would trust."""
    from earpiece.runtime.bias import PersonWords
    from earpiece.runtime.turn import choose_transcript

    _, recording, companion, stt, _ = _from_wav(wav, config, state_dir)
    session = stt.hear(recording.samples, words=PersonWords(companion).words())
    choice = choose_transcript(session, companion)
    name = session.open_name
    both = {**choice.transcripts, name: choice.transcripts.get(name) or session.open_result()}
    result = {
        "transcript": choice.text,
        "decoder": choice.decoder,
        "transcripts": both,
        **_recording_fields(recording),
        "decision": choice.decision.value,
        "turn_confidence": round(choice.confidence, 3),
    }
    emit(result) if as_json else out.print(choice.text)
    companion.store.close()
