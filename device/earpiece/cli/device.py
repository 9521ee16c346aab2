"""`earpiece run` (the device: button, microphone, earpiece), `chat` (the same companion by
text) and the hidden `dead-signal`; with waiting for audio and feeding systemd's watchdog."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Annotated, Protocol

import typer

from earpiece.cli.common import ConfigOpt, JsonOpt, StateOpt, fail, open_companion, settings_from
from earpiece.cli.lines import text_problem, typed_lines
from earpiece.cli.voice import read_wav, render_ahead, voice_parts
from earpiece.config import Settings
from earpiece.terminal import emit, err, error_line, out


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
    companion = open_companion(settings_from(config, state_dir))
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
        for line in typed_lines(interactive, skipped):
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
    import threading

    from earpiece.hardware.audio_devices import AudioDeviceError
    from earpiece.hardware.wavfile import AudioError
    from earpiece.runtime import PressRules, Runtime
    from earpiece.runtime.hardware import Mode, choose

    settings = settings_from(config, state_dir)
    if mic_wav:
        read_wav(mic_wav, settings.button.max_press_s)  # a clear error before models load
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
            err.print(
                f"earpiece: {parts.reason}, so the companion starts in text mode: type, "
                "and it answers."
            )
        companion = open_companion(settings)
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
        companion = open_companion(settings)
        stt, tts = voice_parts(settings)
        render_ahead(tts, settings, companion)
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
    err.print(
        f"earpiece: stopped after {stats.turns} turns ({stats.failed_turns} failed, "
        f"{stats.capture.overflows} input overflows, {stats.capture.dropped} blocks "
        "dropped)"
    )


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


def dead_signal(config: ConfigOpt = None, state_dir: StateOpt = None) -> None:
    """For earpiece-failed.service: blink the status LED until stopped (the service is dead)."""

    from earpiece.hardware.controls import StatusLed, use_pins

    settings = settings_from(config, state_dir)
    err.print(
        "earpiece: the earpiece service failed and stopped restarting: see "
        "`journalctl -u earpiece -b`, fix it (`earpiece doctor`), then "
        "`sudo systemctl restart earpiece`"
    )
    try:
        use_pins(settings.button.pin_factory, settings.state_dir)
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
        err.print(
            f"earpiece: warning: sync did not start ({exc}); the companion works "
            "offline and `earpiece sync status` tells more"
        )
        return None


AUDIO_POLL_S = 3.0
"""How often `earpiece run` under systemd looks again for a missing microphone or earpiece."""


def _wait_for_audio(settings: Settings, reason: str):
    """Under systemd with no microphone or earpiece: wait for them instead of dying.

    Tells systemd (READY=1, STATUS=waiting...), feeds the watchdog, blinks the LED (one short
    flash every 2 s) and looks again every AUDIO_POLL_S with PortAudio re-initialised, so a
    USB headset plugged in or a Bluetooth earpiece connected is picked up. SIGTERM ends it.
    """
    import threading

    from earpiece.hardware.audio_devices import (
        AudioDeviceError,
        default_available,
        rescan,
        resolve_device,
    )
    from earpiece.hardware.controls import StatusLed, use_pins
    from earpiece.hardware.watchdog import Watchdog
    from earpiece.runtime.hardware import Mode, choose

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    dog = Watchdog.from_env()
    dog.ready(f"waiting: {reason}")
    err.print(f"earpiece: {reason}; waiting for it (connect it, or see `earpiece doctor`)")
    led = None
    b = settings.button
    try:
        if use_pins(b.pin_factory, settings.state_dir):
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
    return WatchdogFeeder(
        Watchdog.from_env(),
        heartbeat,
        settings.stt.open_deadline_s + TURN_SLACK_S,
        getattr(parts.mic, "alive", None),
        runtime.ready,
    ).start()
