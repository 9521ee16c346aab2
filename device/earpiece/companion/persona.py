"""The companion's own answers: who it is, time and date, volume, device status."""

from __future__ import annotations

import shutil

from earpiece.companion import timefmt
from earpiece.companion.context import Turn
from earpiece.companion.replies import count
from earpiece.store.database import Store

VOLUME_STEP = 10
DEFAULT_VOLUME = 70


def part_of_day(hour: int) -> str:
    """morning (5-11), afternoon (12-16), evening (17-21) or night."""
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 22:
        return "evening"
    return "night"


def greet(turn: Turn, first_today: bool, follow_up: bool = False) -> list[str]:
    """A greeting that fits the time of day; the day's first one asks how the day is."""
    parts = [turn.say(f"greet_{part_of_day(turn.now.hour)}")]
    if first_today and not follow_up:
        turn.pending = {"kind": "ask_back", "emotion": "neutral"}
        parts.append(turn.say("greet_ask_day"))
    return parts


SMALL_TALK = {
    "bored": "chat_bored",
    "hungry": "chat_hungry",
    "tired": "chat_tired",
    "rest": "chat_rest",
    "filler": "chat_filler",
    "small_talk": "chat_small",
}
"""Reply keys of the small-talk routes: warm, varied, never a refusal."""


def small_talk(turn: Turn, route: str) -> list[str]:
    return [turn.say(SMALL_TALK[route])]


def name(turn: Turn) -> list[str]:
    """'What's your name?' is about the companion, never about the person's facts."""
    return [turn.say("companion_name", name=turn.settings_name)]


def who(turn: Turn) -> list[str]:
    return [turn.say("companion_who", name=turn.settings_name)]


def time_now(turn: Turn) -> list[str]:
    return [turn.say("ask_time", time=timefmt.clock(turn.now, turn.lang))]


def date_today(turn: Turn) -> list[str]:
    return [turn.say("ask_date", date=timefmt.date(turn.now, turn.lang))]


def current_volume(store: Store) -> int:
    """The person's volume (percent, 0-100): DEFAULT_VOLUME until they change it."""
    return (store.get("settings", "volume") or {}).get("value", DEFAULT_VOLUME)


def volume(turn: Turn, step: int) -> list[str]:
    current = current_volume(turn.store)
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
            sync=turn.sync_state(),
            facts=n(store.count("facts")),
            reminders=n(pending),
            letters=n(len(store.rows("letters", "status = 'saved'"))),
            free=f"{free:.1f}{unit}",
        )
    ]
