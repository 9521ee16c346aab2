"""Short tones made in code, so the person hears what the device is doing without words."""

from __future__ import annotations

import numpy as np

RATE = 22_050


def _tone(freqs: list[float], each_ms: int, volume: float = 0.3) -> np.ndarray:
    parts = []
    for freq in freqs:
        t = np.arange(int(RATE * each_ms / 1000)) / RATE
        envelope = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.008)  # 8 ms fades: no clicks
        parts.append(np.sin(2 * np.pi * freq * t) * envelope * volume)
    return (np.concatenate(parts) * 32767).astype(np.int16)


EARCONS: dict[str, np.ndarray] = {
    "listen_start": _tone([660, 880], 60),
    "listen_stop": _tone([880, 660], 60),
    "too_short": _tone([520], 50, 0.2),
    "too_long": _tone([880, 660, 440], 70),
    "error": _tone([330, 220], 150),
    "thinking": _tone([587, 0, 587], 40, 0.15),
}
"""Rising: listening. Falling: heard you. One soft blip: press too short or nothing heard.
Two soft blips: heard, still working it out (free speech that takes a moment)."""
