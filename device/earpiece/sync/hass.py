"""Optional Home Assistant MQTT discovery: each device's presence, last interaction, mood and
pending reminders as sensors, from the events the home holds in plaintext."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from earpiece.sync import protocol as p

SENSORS = {
    "presence": {"name": "Presence", "icon": "mdi:earbuds"},
    "last_interaction": {"name": "Last interaction", "device_class": "timestamp"},
    "mood": {"name": "Mood", "icon": "mdi:emoticon-outline"},
    "pending_reminders": {
        "name": "Pending reminders",
        "icon": "mdi:bell-outline",
        "state_class": "measurement",
    },
}


def state_topic(user: str, device: str) -> str:
    return f"{p.ROOT}/{user}/{device}/ha/state"


def discovery(prefix: str, user: str, device: str) -> list[tuple[str, bytes]]:
    """The retained config messages that make Home Assistant create the device's sensors."""
    node = f"earpiece_{user}_{device}".replace("-", "_")
    card = {"identifiers": [node], "name": f"Earpiece {user} {device}", "manufacturer": "Earpiece"}
    out = []
    for key, sensor in SENSORS.items():
        config = {
            **sensor,
            "value_template": f"{{{{ value_json.{key} }}}}",
            "unique_id": f"{node}_{key}",
            "state_topic": state_topic(user, device),
            "device": card,
            "object_id": f"{node}_{key}",
        }
        out.append((f"{prefix}/sensor/{node}/{key}/config", json.dumps(config).encode()))
    return out


def state(conn: sqlite3.Connection, user: str, device: str, presence: str) -> dict:
    """The device's sensor values from the home database (None where bodies are encrypted)."""
    last = conn.execute(
        "SELECT MAX(e.hlc) FROM events e JOIN origins o ON o.user = e.user AND "
        "o.device_id = e.device_id WHERE e.user = ? AND o.device = ? AND e.type = 'turns.put'",
        (user, device),
    ).fetchone()[0]
    when = None
    if last:
        when = datetime.fromtimestamp(int(last.split("-")[0]) / 1000, UTC).isoformat()
    mood = None
    row = conn.execute(
        "SELECT body FROM events WHERE user = ? AND type = 'mood.put' ORDER BY hlc DESC LIMIT 1",
        (user,),
    ).fetchone()
    if row:
        mood = json.loads(row[0]).get("emotion")
    pending = 0
    latest: dict[str, tuple[str, dict]] = {}
    for key, kind, body in conn.execute(
        "SELECT key, type, body FROM events WHERE user = ? AND type LIKE 'reminders.%' "
        "ORDER BY hlc",
        (user,),
    ):
        latest[key] = (kind, json.loads(body))
    pending = sum(
        1
        for kind, body in latest.values()
        if kind == "reminders.put" and body.get("status") == "pending"
    )
    return {
        "presence": presence,
        "last_interaction": when,
        "mood": mood,
        "pending_reminders": pending,
    }
