"""tools/nlu_data_filter.py drops repeats and lines close to held-out lines (the dev split and
the blind set), and never prints a held-out line."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from earpiece.nlu.featurizer import FeatureSpec

TOOL = Path(__file__).resolve().parents[2] / "tools" / "nlu_data_filter.py"
HEADER = "text\tintent\temotion\n"


def _tool():
    spec = importlib.util.spec_from_file_location("nlu_data_filter", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def _args(candidate: Path, tmp_path: Path) -> list[str]:
    """The filter's arguments for `candidate`: the data under tmp_path, a manifest, no blind set."""
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"features": FeatureSpec().to_dict()}), encoding="utf-8")
    data, blind = str(tmp_path / "data"), str(tmp_path / "no-blind.tsv")
    return [str(candidate), "--data", data, "--manifest", str(manifest), "--blind", blind]


def test_drops_repeats_and_near_dev_lines_and_writes_the_rest(tmp_path: Path, capsys):
    folder = tmp_path / "data" / "en"
    folder.mkdir(parents=True)
    _write(folder / "old.train.tsv", ["what time is it\task_time\tneutral"])
    _write(folder / "held.dev.tsv", ["please order me a large pizza tonight\tunknown\tneutral"])
    candidate = _write(
        folder / "new.train.tsv",
        [
            "What time is it?\task_time\tneutral",  # same as train after normalize
            "please order me a large pizza tonight!\tunknown\tneutral",  # same as dev
            "please order me a large pizza tonite\tunknown\tneutral",  # close to dev
            "my dog is called biscuit\tremember_fact\tneutral",
            "my dog is called Biscuit\tremember_fact\tneutral",  # repeat in the file
        ],
    )
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"features": FeatureSpec().to_dict()}), encoding="utf-8")
    blind = tmp_path / "blind.tsv"  # the blind set's lines of the other language do not count
    blind.write_text(
        "lang\ttext\tintent\temotion\n"
        "en\tset a timer for the pasta please\tset_reminder\tneutral\n"
        "ko\tmy dog is called biscuit\tremember_fact\tneutral\n",
        encoding="utf-8",
    )
    with candidate.open("a", encoding="utf-8") as out:
        out.write("set a timer for the pasta, please!\tset_reminder\tneutral\n")  # as blind

    code = _tool().main(
        [
            str(candidate),
            "--data",
            str(tmp_path / "data"),
            "--manifest",
            str(manifest),
            "--blind",
            str(blind),
            "--write",
        ]
    )

    out = capsys.readouterr().out
    assert code == 0
    assert "kept 1, dropped 5" in out
    assert (
        "same as train 1, same as held-out 2, close to held-out 1" in out
        and "repeat in file 1" in out
    )
    assert "please order me a large pizza tonight\t" not in out  # a held-out line is never
    assert "set a timer for the pasta please\t" not in out  # shown
    assert candidate.read_text(encoding="utf-8") == (
        HEADER + "my dog is called biscuit\tremember_fact\tneutral\n"
    )


def test_a_file_outside_a_language_folder_is_refused(tmp_path: Path, capsys):
    stray = _write(tmp_path / "new.train.tsv", ["hi\tgreet\tneutral"])
    assert _tool().main([str(stray)]) == 2
    assert "expected models/nlu/data/<ko|en>/<part>.train.tsv" in capsys.readouterr().err


def test_the_threshold_decides_and_without_write_nothing_changes(tmp_path: Path, capsys):
    folder = tmp_path / "data" / "ko"
    folder.mkdir(parents=True)
    _write(folder / "held.dev.tsv", ["오늘 날씨 어때\tunknown\tneutral"])
    candidate = _write(folder / "new.train.tsv", ["오늘 날씨 어때 사만다\tunknown\tneutral"])
    before = candidate.read_text(encoding="utf-8")
    args = _args(candidate, tmp_path)

    assert _tool().main(args) == 0
    assert "dropped 1" in capsys.readouterr().out
    assert candidate.read_text(encoding="utf-8") == before

    assert _tool().main([*args, "--threshold", "1.01", "--write"]) == 0
    assert "dropped 0" in capsys.readouterr().out
    assert candidate.read_text(encoding="utf-8") == before


def test_week_suites_are_held_out_too_in_their_own_language(tmp_path: Path, capsys):
    folder = tmp_path / "data" / "en"
    folder.mkdir(parents=True)
    candidate = _write(
        folder / "new.train.tsv",
        [
            "my bike lock code is 5190 in case it slips my mind\tremember_fact\tneutral",
            "my parrot is called mango and he whistles at the kettle\tremember_fact\tjoy",
            "hold on the kettle is whistling\tstop\tneutral",
        ],
    )
    week = tmp_path / "week.jsonl"
    turns = [  # an English turn close to the first line; a Korean one equal to the second
        {"person": "a", "lang": "en", "say": "my bike lock code is 5190 in case it slips"},
        {"person": "b", "lang": "ko", "say": "hold on the kettle is whistling"},
    ]
    week.write_text("".join(json.dumps(t) + "\n" for t in turns), encoding="utf-8")
    args = _args(candidate, tmp_path)

    assert _tool().main(args) == 0
    assert "dropped 0" in capsys.readouterr().out  # without --weeks the week is not read

    assert _tool().main([*args, "--weeks", str(week), "--write"]) == 0
    out = capsys.readouterr().out
    assert "kept 2, dropped 1" in out and "close to held-out 1" in out
    assert "in case it slips\t" not in out  # the week's own line is never shown
    kept = candidate.read_text(encoding="utf-8")
    assert "bike lock" not in kept and "parrot" in kept and "kettle" in kept
