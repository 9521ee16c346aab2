"""A reply records the polarity model's reading, and crisis handling does not change with it."""

from __future__ import annotations


def test_chat_json_reports_the_polarity_reading(make_companion):
    reply = make_companion().respond("the boiler man came and went, all sorted")
    record = reply.to_dict()
    assert record["polarity"] in ("positive", "neutral", "negative")
    assert 0.0 < float(record["polarity_confidence"]) <= 1.0  # type: ignore[arg-type]


def test_a_crisis_still_gets_the_crisis_line_whatever_the_polarity(make_companion):
    reply = make_companion().respond(
        "honestly everyone would be better off if i just disappeared for good"
    )
    assert reply.danger == "crisis"
