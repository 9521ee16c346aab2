"""The mood chart as server-side SVG: one stacked bar per day, a native tooltip per day."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date

from earpiece.home_web.view import MoodDay
from earpiece.nlu.labels import EMOTIONS

COLORS = {
    "neutral": "#b8b8b8",
    "joy": "#f2c14e",
    "affection": "#f28ab2",
    "sadness": "#5b8def",
    "loneliness": "#8e7cc3",
    "anxiety": "#f29e4c",
    "anger": "#d9534f",
    "tiredness": "#6bb39b",
}
WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 360, 180, 10, 26, 28
MAX_BAR, LABEL_PX = 28.0, 34.0
CHAR_PX = 6.0
"""The widest a date label's character is drawn (9 px tick text, in viewBox units)."""


def svg(
    days: list[MoodDay],
    emotion_name: Callable[[str], str],
    day_name: Callable[[date], str],
    moment_line: Callable[[MoodDay], list[str]],
    title: str,
) -> str:
    """The chart's SVG markup (escaped by ElementTree), sized by a viewBox to fit any screen."""
    step = (WIDTH - LEFT) / max(len(days), 1)
    bar = min(MAX_BAR, step * 0.75)
    peak = max((d.total for d in days), default=0) or 1
    scale = (HEIGHT - TOP - BOTTOM) / peak
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "mood-chart",
            "role": "img",
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "preserveAspectRatio": "xMinYMin meet",
            "data-days": str(len(days)),
        },
    )
    ET.SubElement(root, "title").text = title
    base = HEIGHT - BOTTOM
    ET.SubElement(
        root,
        "line",
        {"x1": str(LEFT - 2), "x2": str(WIDTH), "y1": str(base), "y2": str(base), "class": "axis"},
    )
    for tick in sorted({peak, round(peak / 2)} - {0}):
        y = base - tick * scale
        label = ET.SubElement(
            root,
            "text",
            {"x": str(LEFT - 6), "y": f"{y + 4:.1f}", "class": "tick", "text-anchor": "end"},
        )
        label.text = str(tick)
    every = max(1, round(LABEL_PX / step + 0.49))
    for i, day in enumerate(days):
        x = LEFT + i * step + (step - bar) / 2
        group = ET.SubElement(
            root,
            "g",
            {"class": "day", "data-day": day.day.isoformat(), "data-total": str(day.total)},
        )
        lines = [day_name(day.day)]
        lines += [f"{emotion_name(e)}: {n}" for e, n in day.counts]
        lines += moment_line(day)
        ET.SubElement(group, "title").text = "\n".join(lines)
        ET.SubElement(
            group,
            "rect",
            {
                "x": f"{LEFT + i * step:.2f}",
                "y": str(TOP),
                "width": f"{step:.2f}",
                "height": str(base - TOP),
                "class": "hover",
            },
        )
        y = float(base)
        for emotion, count in day.counts:
            h = count * scale
            y -= h
            ET.SubElement(
                group,
                "rect",
                {
                    "x": f"{x:.2f}",
                    "y": f"{y:.2f}",
                    "width": f"{bar:.2f}",
                    "height": f"{h:.2f}",
                    "fill": COLORS[emotion],
                    "class": "bar",
                    "data-emotion": emotion,
                    "data-count": str(count),
                },
            )
        if i % every == 0:
            text = f"{day.day.month}/{day.day.day}"
            centre = x + bar / 2
            # a label past the right edge would be cut off: it ends at the edge instead
            past = centre + len(text) * CHAR_PX / 2 > WIDTH - 1
            label = ET.SubElement(
                group,
                "text",
                {
                    "x": f"{WIDTH - 1 if past else centre:.2f}",
                    "y": str(HEIGHT - 8),
                    "class": "tick",
                    "text-anchor": "end" if past else "middle",
                },
            )
            label.text = text
    return ET.tostring(root, encoding="unicode")


def legend(days: list[MoodDay]) -> list[tuple[str, str]]:
    """(emotion, colour) of every emotion that appears, in the labels' order."""
    seen = {e for d in days for e, _ in d.counts}
    return [(e, COLORS[e]) for e in EMOTIONS if e in seen]
