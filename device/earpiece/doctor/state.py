"""The doctor's checks of what the device keeps and whom it trusts: the state directory and its
database (opened read-only), the clock, and sync to the home."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from earpiece.config import Settings
from earpiece.doctor.check import Check, Status

LOW_DISK_BYTES = 100 * 1024 * 1024


def _quick_check(db: Path) -> tuple[str, int | None]:
    """(PRAGMA quick_check, event count) through a read-only connection that creates nothing."""
    wal = Path(f"{db}-wal")
    # A WAL database with its -wal present may be in use: read it read-only through the
    # existing -wal/-shm. Without a -wal it is at rest: `immutable` reads without making them.
    mode = "ro" if wal.exists() else "ro&immutable=1"
    conn = sqlite3.connect(f"file:{db}?mode={mode}", uri=True, timeout=2)
    try:
        result = "; ".join(row[0] for row in conn.execute("PRAGMA quick_check").fetchall())
        count = None
        if result == "ok":
            try:
                count = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            except sqlite3.DatabaseError:
                count = None
        return result, count
    finally:
        conn.close()


def state_check(settings: Settings) -> Check:
    from earpiece.store.database import DB_FILE

    name = "state"
    state = settings.state_dir
    if state.exists() and not state.is_dir():
        return Check(
            name,
            Status.FAIL,
            f"{state}: exists but is not a directory",
            "move that file away or set [state] dir (or --state-dir) elsewhere",
        )
    if not state.exists():
        parent = next((p for p in state.parents if p.exists()), Path("/"))
        if not os.access(parent, os.W_OK | os.X_OK):
            return Check(
                name,
                Status.FAIL,
                f"{state}: missing, and {parent} is not writable",
                "create it for the service user, or set [state] dir",
            )
        return Check(
            name,
            Status.WARN,
            f"{state}: not created yet (the first run creates it)",
            "run `earpiece chat` or start the service once",
        )
    if not os.access(state, os.W_OK | os.X_OK):
        return Check(
            name,
            Status.FAIL,
            f"{state}: not writable by {_user()}",
            f"`sudo chown -R {_user()} {state}` or set [state] dir",
        )
    free = shutil.disk_usage(state).free
    db = state / DB_FILE
    if not db.exists():
        detail = f"{state}: writable, no database yet, {free // 2**20} MiB free"
        return Check(name, Status.PASS, detail)
    restore = (
        "stop earpiece, then start it: it keeps the corrupt file aside and starts "
        "fresh (restore from an `earpiece export` if you have one)"
    )
    try:
        result, events = _quick_check(db)
    except sqlite3.DatabaseError as exc:
        return Check(name, Status.FAIL, f"{db}: not a readable database ({exc})", restore)
    if result != "ok":
        return Check(name, Status.FAIL, f"{db}: integrity check failed: {result[:200]}", restore)
    detail = f"{db}: integrity ok, {events} events, {free // 2**20} MiB free"
    if free < LOW_DISK_BYTES:
        return Check(
            name,
            Status.WARN,
            detail,
            "free space on the SD card (`journalctl --vacuum-size=50M`, remove old files)",
        )
    return Check(name, Status.PASS, detail)


def _user() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


# --- time and sync


def clock_check(_: Settings) -> Check:
    from earpiece.clock import ClockTrust, clock_trust, now_utc

    trust = clock_trust()
    now = now_utc().isoformat(timespec="seconds")
    details = {
        ClockTrust.SYNCED: "synchronised (NTP / timesyncd / chrony)",
        ClockTrust.RTC: "kept by a real-time clock module",
        ClockTrust.HOST: "kept by this computer (not a single-board device)",
        ClockTrust.REMOTE: "taken from the home server",
        ClockTrust.UNTRUSTED: "not synchronised and no RTC: the companion will not announce "
        "the time or date",
    }
    if trust.trusted:
        return Check("clock", Status.PASS, f"{now} UTC, {details[trust]}")
    return Check(
        "clock",
        Status.WARN,
        f"{now} UTC, {details[trust]}",
        "connect to a network (systemd-timesyncd or chrony), fit an RTC "
        "(firmware_config/boot/rtc.txt), or configure sync to a home server",
    )


def sync_check(settings: Settings) -> Check:
    sync = getattr(settings, "sync", None)
    if sync is None or getattr(sync, "enabled", True) is False:
        return Check("sync", Status.PASS, "not configured: everything stays on this device")
    try:
        from earpiece.sync.client import check_broker
    except ImportError:
        return Check("sync", Status.PASS, "not configured: this build has no sync client")
    ok, message = check_broker(sync)
    if ok:
        return Check("sync", Status.PASS, message)
    return Check(
        "sync",
        Status.FAIL,
        message,
        "check [sync] broker host, port, credentials and CA file; is the home up?",
    )
