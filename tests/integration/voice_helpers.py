"""What the voice tests share: a companion on a fresh store, and a speaker that plays nothing
(the turn's timing, not its sound, is what those tests check)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


def companion_on_fresh_store(tmp_path: Path, nlu_model):
    from earpiece.companion.policy import Companion
    from earpiece.config import load_settings
    from earpiece.store.database import Store

    return Companion(Store.open(tmp_path / "state"), nlu_model, load_settings(None),
                     clock=lambda: datetime.now().astimezone())  # fmt: skip


class QuietSpeaker:
    def play(self, samples, rate) -> bool:
        return True

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass
