"""The NLU label contract of ../shared/design/NLU_LABELS.md, as Python tuples."""

INTENTS: tuple[str, ...] = (
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "deny",
    "help",
    "ask_time",
    "ask_date",
    "set_reminder",
    "list_reminders",
    "cancel_reminder",
    "remember_fact",
    "recall_fact",
    "forget_fact",
    "share_feeling",
    "ask_companion",
    "ask_companion_feeling",
    "write_letter",
    "read_letter",
    "tell_joke",
    "repeat",
    "stop",
    "volume_up",
    "volume_down",
    "sync_now",
    "device_status",
    "unknown",
)

EMOTIONS: tuple[str, ...] = (
    "neutral",
    "joy",
    "sadness",
    "loneliness",
    "anger",
    "anxiety",
    "tiredness",
    "affection",
)

UNKNOWN = "unknown"
NEUTRAL = "neutral"
LANGS: tuple[str, ...] = ("ko", "en")

STATE_CHANGING = frozenset({
    "set_reminder", "cancel_reminder", "remember_fact", "forget_fact", "write_letter",
    "volume_up", "volume_down", "sync_now",
})  # fmt: skip
"""Intents whose action changes what the device holds or does: heard without certainty, they
are asked first (speech/decision.py, companion/route.py), and the benchmarks count them as
wrong actions. `# fmt: skip`: the set reads as a table, three or five names a line."""
