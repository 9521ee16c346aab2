"""Whether the device's time can be believed: judged from injected evidence, not this machine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from earpiece import clock
from earpiece.clock import ClockEvidence, ClockTrust, RemoteTime, judge

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
BOOT_1970 = datetime(1970, 1, 1, 0, 0, 42, tzinfo=UTC)
STALE_HWCLOCK = datetime(2024, 6, 3, 21, 0, tzinfo=UTC)  # fake-hwclock from a year ago
HOME = RemoteTime(NOW, monotonic=100.0, source="home")


@pytest.mark.parametrize(
    ("evidence", "remote", "expected"),
    [
        (ClockEvidence(NOW, kernel_synced=True), None, ClockTrust.SYNCED),
        (ClockEvidence(NOW, kernel_synced=False, timesyncd_synced=True), None, ClockTrust.SYNCED),
        (ClockEvidence(NOW, kernel_synced=None, chrony_synced=True), None, ClockTrust.SYNCED),
        (ClockEvidence(NOW, kernel_synced=False, rtc_utc=NOW), None, ClockTrust.RTC),
        (ClockEvidence(NOW, kernel_synced=False), None, ClockTrust.UNTRUSTED),
        (ClockEvidence(NOW, kernel_synced=None, chrony_synced=None), None, ClockTrust.UNTRUSTED),
        (ClockEvidence(NOW, kernel_synced=False), HOME, ClockTrust.REMOTE),
        # a year before 2025 is never believed, whatever says it is synchronised
        (ClockEvidence(BOOT_1970, kernel_synced=True), None, ClockTrust.UNTRUSTED),
        (ClockEvidence(STALE_HWCLOCK, timesyncd_synced=True), None, ClockTrust.UNTRUSTED),
        # an RTC that lost its battery reads 2000: not set
        (
            ClockEvidence(BOOT_1970, rtc_utc=datetime(2000, 1, 1, tzinfo=UTC)),
            None,
            ClockTrust.UNTRUSTED,
        ),
        # a laptop, desktop or container keeps its own clock; a Pi does not
        (ClockEvidence(NOW, kernel_synced=False, single_board=False), None, ClockTrust.HOST),
        (
            ClockEvidence(BOOT_1970, kernel_synced=False, single_board=False),
            None,
            ClockTrust.UNTRUSTED,
        ),
        # ... but the home server's time is taken even when the system says 1970
        (ClockEvidence(BOOT_1970, kernel_synced=False), HOME, ClockTrust.REMOTE),
    ],
)
def test_judge_trusts_only_what_vouches_for_the_time(evidence, remote, expected):
    assert judge(evidence, remote) is expected
    assert judge(evidence, remote).trusted == (expected is not ClockTrust.UNTRUSTED)


def test_remote_time_moves_on_with_the_monotonic_clock():
    assert HOME.now(100.0) == NOW
    assert HOME.now(190.5) == NOW + timedelta(seconds=90.5)


@pytest.fixture
def unsynced_1970(monkeypatch: pytest.MonkeyPatch):
    """This process sees a Pi booted offline: system clock at 1970, nothing synchronised."""
    evidence = ClockEvidence(BOOT_1970, kernel_synced=False)
    monkeypatch.setattr(clock, "_evidence", lambda: evidence)
    clock.forget_remote_time()
    yield evidence
    clock.forget_remote_time()


def test_untrusted_clock_until_the_home_server_tells_the_time(unsynced_1970):
    assert clock.clock_trust() is ClockTrust.UNTRUSTED
    assert not clock.clock_is_trusted()
    home_time = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)
    clock.observe_remote_time(home_time, "home")
    assert clock.clock_trust() is ClockTrust.REMOTE
    seoul = clock.now_in("Asia/Seoul")
    # now_in follows the home server (to the second), not the system's 1970
    assert abs(seoul - home_time) < timedelta(seconds=5)
    assert seoul.utcoffset() == timedelta(hours=9)


def test_a_synced_system_clock_wins_over_the_remote_time(monkeypatch: pytest.MonkeyPatch):
    synced = ClockEvidence(datetime.now(UTC), kernel_synced=True)
    monkeypatch.setattr(clock, "_evidence", lambda: synced)
    clock.observe_remote_time(datetime(2030, 1, 1, tzinfo=UTC), "home")
    try:
        assert clock.clock_trust() is ClockTrust.SYNCED
        assert clock.now_utc().year != 2030
    finally:
        clock.forget_remote_time()


@pytest.mark.parametrize(
    "bad", [datetime(1970, 1, 1, tzinfo=UTC), datetime(2026, 12, 1, 9, 0)], ids=["1970", "naive"]
)
def test_implausible_or_naive_remote_time_is_refused(bad, unsynced_1970):
    with pytest.raises(ValueError, match="home"):
        clock.observe_remote_time(bad, "home")
    assert clock.clock_trust() is ClockTrust.UNTRUSTED


def test_chronyc_leap_status_normal_means_synced(monkeypatch: pytest.MonkeyPatch, tmp_path):
    script = tmp_path / "chronyc"
    script.write_text("#!/bin/sh\necho 'Ref ID : 0A000001'\necho 'Leap status     : Normal'\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert clock.chrony_synced() is True
    script.write_text("#!/bin/sh\necho 'Leap status     : Not synchronised'\n")
    assert clock.chrony_synced() is False


def test_rtc_reading_from_sysfs(monkeypatch: pytest.MonkeyPatch, tmp_path):
    since_epoch = tmp_path / "since_epoch"
    monkeypatch.setattr(clock, "RTC_SINCE_EPOCH", since_epoch)
    assert clock.rtc_time() is None  # no RTC fitted
    since_epoch.write_text(f"{int(NOW.timestamp())}\n")
    assert clock.rtc_time() == NOW


def test_kernel_status_is_read_without_error():
    """adjtimex(2) read-only works here (its answer depends on the machine, so only the type)."""
    assert clock.kernel_synced() in (True, False, None)
