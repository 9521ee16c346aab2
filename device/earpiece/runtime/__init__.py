"""The device runtime: the loop, one turn's orchestration, and the choice of hardware."""

from earpiece.runtime.loop import Runtime
from earpiece.runtime.states import DeviceState, Event, EventKind, PressRules, RuntimeStats

__all__ = ["DeviceState", "Event", "EventKind", "PressRules", "Runtime", "RuntimeStats"]
