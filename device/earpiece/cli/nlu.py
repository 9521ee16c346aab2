"""`earpiece nlu`: intent, confidence, emotion and slots of each text."""

from __future__ import annotations

from typing import Annotated

import typer

from earpiece.cli.common import ConfigOpt, JsonOpt, StateOpt, fail, settings_from
from earpiece.cli.lines import jsonl_texts, prompt_lines, text_problem
from earpiece.terminal import emit, err, error_line, out


def nlu(
    texts: Annotated[list[str] | None, typer.Argument(help="Utterances to understand.")] = None,
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", help='File of texts or {"text": ...} lines; - for stdin.'),
    ] = None,
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """Intent, confidence, emotion and slots for each text (a prompt when given none)."""
    from earpiece.clock import ClockError, now_in
    from earpiece.nlu.model import ModelError, NluModel

    settings = settings_from(config, state_dir)
    try:
        model = NluModel.load(settings.nlu.model or None, settings.nlu.threshold)
        now_in(settings.companion.timezone)
    except (ModelError, ClockError) as exc:
        raise fail(str(exc)) from None

    def answer(text: str) -> None:
        now = now_in(settings.companion.timezone)
        understood = model.understand(text, now, settings.companion.default_lang)
        result = understood.to_dict()
        if as_json:
            emit(result)
        else:  # printed literally: the tag shows as [ko], a person's "[/]" as [/]
            slots = " ".join(f"{k}={v!r}" for k, v in understood.slots.items())
            out.print(
                f"{result['intent']} ({result['confidence']:.2f})  "
                f"{result['emotion']} ({result['emotion_confidence']:.2f})  "
                f"[{result['lang']}]  {slots}"
            )

    refused = 0

    def refuse(number: int, problem: str) -> None:
        nonlocal refused
        refused += 1
        emit({"line": number, "error": problem}) if as_json else err.print(error_line(problem))

    if texts:
        for number, text in enumerate(texts, start=1):
            problem = text_problem(text)
            refuse(number, f"text {number}: {problem}") if problem else answer(text)
    elif jsonl:
        for number, line_text, problem in jsonl_texts(jsonl):
            refuse(number, problem) if problem else answer(line_text or "")
    else:
        refused = prompt_lines(answer)
    if refused:  # every good line was answered; the exit status says some were not (as chat)
        raise typer.Exit(2)
