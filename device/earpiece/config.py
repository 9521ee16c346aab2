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


class StateSettings(_Section):
    """Where the companion keeps what it remembers."""

    dir: str = ""
    """State directory; empty means the platform's user state dir (~/.local/state/earpiece)."""


class Settings(_Section):
    """The whole configuration; every section has defaults that run out of the box."""

    companion: CompanionSettings = CompanionSettings()
    nlu: NluSettings = NluSettings()
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
