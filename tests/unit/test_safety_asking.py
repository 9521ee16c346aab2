"""물어보다 (to ask) is not 물다 (to bite): a child who keeps asking is no emergency, a dog that
bit someone still is. Lines written for this test alone."""

from __future__ import annotations

import pytest

from earpiece.nlu.safety.patterns import Danger
from earpiece.nlu.safety.verdict import danger

ASKING = [
    "아이가 자꾸 물어봐서 곤란해",
    "그 얘기는 지워 줘. 아이가 옆에서 자꾸 물어봐",
    "손녀가 할머니 그게 뭐냐고 물어봤어요",
]
BITTEN = [
    "개가 아이를 물었어",
    "강아지가 애 손을 물어서 피가 많이 나",
]


@pytest.mark.parametrize("line", ASKING)
def test_someone_asking_is_not_an_emergency(line: str):
    assert danger(line, "forget_fact") is None


@pytest.mark.parametrize("line", BITTEN)
def test_a_bite_is_still_an_emergency(line: str):
    assert danger(line) is Danger.EMERGENCY
