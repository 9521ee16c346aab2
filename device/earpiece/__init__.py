"""Earpiece: an offline pocket companion for single-board computers."""

import os as _os

# Nothing leaves the device unless sync is configured (not even DNS). Set before any
# submodule can import onnxruntime (which otherwise looks up its telemetry host) or a
# Hugging Face loader (faster-whisper); a value the person set explicitly is kept.
_os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
_os.environ.setdefault("HF_HUB_OFFLINE", "1")
_os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

__version__ = "0.1.0"
