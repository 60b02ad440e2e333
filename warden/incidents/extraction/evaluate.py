"""Score extraction against the annotated fixture set: precision and recall per field."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from warden.geo.text import fold
from warden.incidents.extraction.gazetteer import Gazetteer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "intake.json"
# Written after the rules and never used to tune them.
HOLDOUT = FIXTURES.with_name("intake-holdout.json")
FIELDS = ("places", "sources", "claimants", "event_type", "date", "counts")


def load_fixtures(path: Path = FIXTURES) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["articles"])


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    expected: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0


def predicted_fields(result: dict[str, Any]) -> dict[str, list[str]]:
    event = result.get("event") or {}
    return {
        "places": [p["key"] for p in result["places"]],
        "sources": [fold(s["name"]) for s in result["sources"]],
        "claimants": [_person(c["claimant"]) for c in result["claims"]],
        "event_type": [event["type"]] if event else [],
        "date": [result["date"]["value"]] if result["date"]["value"] else [],
        "counts": [f"{k}={v['best']}" for k, v in result["counts"].items()],
    }


def expected_fields(article: dict[str, Any]) -> dict[str, list[str]]:
    expected = article["expected"]
    return {
        "places": list(expected["places"]),
        "sources": [fold(s) for s in expected["sources"]],
        "claimants": [_person(c) for c in expected["claimants"]],
        "event_type": [expected["event_type"]] if expected.get("event_type") else [],
        "date": [expected["date"]] if expected.get("date") else [],
        "counts": [f"{k}={v}" for k, v in expected["counts"].items()],
    }


def _person(text: str) -> str:
    folded = fold(text)
    for article in ("the ", "a ", "an "):
        folded = folded.removeprefix(article)
    return folded


def _same(field_name: str, expected: str, predicted: str) -> bool:
    if field_name == "claimants":
        return expected in predicted or predicted in expected
    return expected == predicted


def score(
    articles: Iterable[dict[str, Any]],
    run: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, Score]:
    scores = {name: Score() for name in FIELDS}
    for article in articles:
        predicted = predicted_fields(run(article))
        expected = expected_fields(article)
        for name in FIELDS:
            _match(scores[name], name, article["id"], expected[name], predicted[name])
    return scores


def _match(
    score: Score, name: str, article: str, expected: list[str], predicted: list[str]
) -> None:
    if name == "date" and not expected:
        return  # the text gives no date: nothing to score
    left = list(predicted)
    score.predicted += len(predicted)
    score.expected += len(expected)
    for item in expected:
        hit = next((p for p in left if _same(name, item, p)), None)
        if hit is None:
            score.misses.append(f"{article}: missed {item}")
        else:
            left.remove(hit)
            score.true_positives += 1
    score.misses.extend(f"{article}: extra {item}" for item in left)


def runner(gazetteer: Gazetteer) -> Callable[[dict[str, Any]], dict[str, Any]]:
    from warden.incidents.extraction import extract

    def run(article: dict[str, Any]) -> dict[str, Any]:
        return extract(
            article["text"],
            gazetteer=gazetteer,
            published=datetime.fromisoformat(article["published"]),
            outlet=article.get("outlet", ""),
        )

    return run
