"""firmware_config/: board profiles load, their pins avoid the buses, asound.conf parses."""

from __future__ import annotations

import ctypes
import ctypes.util
from pathlib import Path

import pytest

from earpiece.config import load_settings
from tests.conftest import ROOT

FIRMWARE = ROOT / "firmware_config"
BOARDS = sorted((FIRMWARE / "boards").glob("*.toml"))
I2S = {18, 19, 20, 21}
I2C = {2, 3}
SHUTDOWN = {3, 26}
AMP_ENABLE = {16}
"""googlevoicehat-soundcard (boot/i2s-audio.txt) claims GPIO16 for its amplifier's SD_MODE."""


def test_every_board_has_a_profile():
    assert {p.stem for p in BOARDS} == {"pi-zero-2w", "pi4", "pi5"}


@pytest.mark.parametrize("profile", BOARDS, ids=lambda p: p.stem)
def test_profile_loads_and_keeps_pins_off_i2s_i2c_and_shutdown(
    profile: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("EARPIECE_STATE_DIR")
    settings = load_settings(profile)
    pins = {settings.button.pin, settings.button.led_pin}
    assert len(pins) == 2
    assert not pins & (I2S | I2C | SHUTDOWN | AMP_ENABLE), pins
    assert settings.state.dir == "/var/lib/earpiece"
    assert settings.button.pin_factory == "lgpio"


def test_zero_2w_does_not_use_the_packaged_korean_model():
    settings = load_settings(FIRMWARE / "boards" / "pi-zero-2w.toml")
    assert settings.stt.model and settings.stt.lang == "en"
    assert "does NOT fit in 512 MB" in (FIRMWARE / "boards" / "pi-zero-2w.toml").read_text()


def test_wiring_names_every_claimed_pin():
    wiring = (FIRMWARE / "WIRING.md").read_text()
    for pin in sorted(I2S | I2C | SHUTDOWN | AMP_ENABLE):
        assert f"GPIO{pin} (" in wiring, pin


def test_boot_snippets_only_set_dtparams_and_overlays():
    snippets = sorted((FIRMWARE / "boot").glob("*.txt"))
    assert {p.stem for p in snippets} >= {"i2s-audio", "i2s-mic-only", "shutdown-button", "rtc"}
    for snippet in snippets:
        lines = [x.strip() for x in snippet.read_text().splitlines()]
        for line in (x for x in lines if x and not x.startswith("#")):
            assert line.startswith(("dtparam=", "dtoverlay=")), f"{snippet.name}: {line}"
    assert "dtoverlay=i2c-rtc,ds3231" in (FIRMWARE / "boot" / "rtc.txt").read_text()


def alsa_load(text: str, tmp_path: Path) -> tuple[int, ctypes.CDLL, ctypes.c_void_p]:
    """Parse an ALSA config with the real alsa-lib (snd_config_load)."""
    name = ctypes.util.find_library("asound")
    if name is None:
        pytest.skip("alsa-lib (libasound2) is not installed")
    lib = ctypes.CDLL(name)
    path = tmp_path / "asound.conf"
    path.write_text(text)
    top, stream = ctypes.c_void_p(), ctypes.c_void_p()
    assert lib.snd_config_top(ctypes.byref(top)) == 0
    assert lib.snd_input_stdio_open(ctypes.byref(stream), str(path).encode(), b"r") == 0
    result = lib.snd_config_load(top, stream)
    lib.snd_input_close(stream)
    return result, lib, top


def test_asound_conf_parses_with_alsa_lib_and_shares_the_devices(tmp_path: Path):
    text = (FIRMWARE / "asound.conf").read_text()
    assert "hw:CARD=EARPIECE_CAPTURE_CARD" in text and "hw:CARD=EARPIECE_PLAYBACK_CARD" in text
    text = text.replace("EARPIECE_CAPTURE_CARD", "sndrpii2scard").replace(
        "EARPIECE_PLAYBACK_CARD", "Headset"
    )  # an I2S microphone with a USB earpiece: two cards
    result, lib, top = alsa_load(text, tmp_path)
    assert result == 0
    node = ctypes.c_void_p()
    for key in (
        b"pcm.earpiece_dmix",
        b"pcm.earpiece_dsnoop",
        b"pcm.earpiece_in",
        b"pcm.earpiece_out",
        b"pcm.default",
        b"ctl.default",
    ):
        assert lib.snd_config_search(top, key, ctypes.byref(node)) == 0, key
    assert "type dmix" in text and "type dsnoop" in text and "type asym" in text
    lib.snd_config_delete(top)


def test_bluetooth_pcm_parses_with_alsa_lib(tmp_path: Path):
    text = (FIRMWARE / "asound-bluetooth.conf").read_text()
    result, lib, top = alsa_load(text.replace("EARPIECE_BT_MAC", "00:11:22:33:44:55"), tmp_path)
    assert result == 0
    node = ctypes.c_void_p()
    assert lib.snd_config_search(top, b"pcm.earpiece_bt", ctypes.byref(node)) == 0
    assert 'profile "sco"' in text  # HFP: microphone and speaker
    lib.snd_config_delete(top)


def test_alsa_check_rejects_a_broken_file(tmp_path: Path):
    result, lib, top = alsa_load("pcm.x { type dmix\n slave { ", tmp_path)
    assert result < 0
    lib.snd_config_delete(top)


def test_whisper_hears_free_speech_where_it_fits():
    for board, decoder in (("pi-zero-2w", "vosk"), ("pi4", "whisper"), ("pi5", "whisper")):
        settings = load_settings(FIRMWARE / "boards" / f"{board}.toml")
        assert settings.stt.open_decoder == decoder, board
