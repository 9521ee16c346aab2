"""The companion's own answers: who it is, time and date, volume, device status."""

from __future__ import annotations

import shutil

from earpiece.companion import timefmt
from earpiece.companion.context import Turn
from earpiece.companion.replies import count

VOLUME_STEP = 10
DEFAULT_VOLUME = 70


def greet(turn: Turn, first_today: bool) -> list[str]:
    parts = [turn.say("greet")]
    if first_today:
        turn.pending = {"kind": "ask_back", "emotion": "neutral"}
        parts.append(turn.say("greet_ask_day"))
    return parts


def who(turn: Turn) -> list[str]:
    return [turn.say("companion_who", name=turn.settings_name)]


def time_now(turn: Turn) -> list[str]:
    return [turn.say("ask_time", time=timefmt.clock(turn.now, turn.lang))]


def date_today(turn: Turn) -> list[str]:
    return [turn.say("ask_date", date=timefmt.date(turn.now, turn.lang))]


def volume(turn: Turn, step: int) -> list[str]:
    current = (turn.store.get("settings", "volume") or {}).get("value", DEFAULT_VOLUME)
    wanted = max(0, min(100, current + step))
    if wanted == current:
        return [turn.say("volume_max" if step > 0 else "volume_min")]
    turn.put("settings", "volume", {"value": wanted, "at": turn.at})
    return [turn.say("volume_up" if step > 0 else "volume_down", volume=wanted)]


def status(turn: Turn) -> list[str]:
    free = shutil.disk_usage(turn.store.path.parent).free / 1e9
    store = turn.store
    pending = len(store.rows("reminders", "status = 'pending'"))
    unit = "기가바이트" if turn.lang == "ko" else " GB"

    def n(value: int) -> str:
        return count(value, turn.lang)

    return [
        turn.say(
            "status",
            sync=turn.say("sync_off"),
            facts=n(store.count("facts")),
            reminders=n(pending),
            letters=n(len(store.rows("letters", "status = 'saved'"))),
            free=f"{free:.1f}{unit}",
        )
    ]
