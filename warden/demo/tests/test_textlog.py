from __future__ import annotations

import json
from pathlib import Path

from warden.demo.textlog import TextLog, last_texts


def test_each_text_is_kept_as_a_line_and_announced(tmp_path: Path):
    lines: list[str] = []
    log = TextLog(tmp_path / "texts.jsonl", lines.append)

    log({"to": "+905325550101", "text": "קוד Warden: 012379.", "reference": "0", "id": "stub-1"})
    log({"to": "+905325550102", "text": "Türkiye: level 4", "reference": "17", "id": "stub-2"})

    kept = [json.loads(line) for line in (tmp_path / "texts.jsonl").read_text().splitlines()]
    assert [(k["to"], k["text"], k["reference"]) for k in kept] == [
        ("+905325550101", "קוד Warden: 012379.", "0"),
        ("+905325550102", "Türkiye: level 4", "17"),
    ]
    assert lines == [
        "text to +905325550101: קוד Warden: 012379.",
        "text to +905325550102: Türkiye: level 4",
    ]


def test_the_last_texts_come_newest_first_and_a_broken_line_is_left_out(tmp_path: Path):
    path = tmp_path / "texts.jsonl"
    assert last_texts(path, 10) == []  # no file yet
    log = TextLog(path, lambda line: None)
    for number in range(5):
        log({"to": f"+9053255501{number:02d}", "text": f"text {number}", "reference": "1"})
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"at": "not a time", "to": "x"}\n[1, 2]\nnot json\n')

    texts = last_texts(path, 6)

    assert [t["text"] for t in texts] == ["text 4", "text 3", "text 2"]  # of the last six lines
    assert texts[0]["at"].tzinfo is not None
