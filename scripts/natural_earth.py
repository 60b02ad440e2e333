"""Regenerate warden/geo/data/countries.geojson from Natural Earth (via the world-atlas package).

A one-off conversion, not run in CI. It needs npm (to fetch the package) and the project's
Python environment (pycountry, shapely):

    .venv/bin/python scripts/natural_earth.py                  # 1:50m, the committed file
    .venv/bin/python scripts/natural_earth.py --scale 110m --tolerance 0

The package's TopoJSON is decoded here. Each shared border (a TopoJSON "arc") is simplified
once, so neighbouring countries keep meeting exactly; positions are then rounded. Features
are keyed by ISO 3166-1 alpha-2 code (world-atlas uses ISO numeric codes); the few outlines
without an ISO code (Kosovo, Northern Cyprus, Somaliland...) keep their name and have no id.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pycountry
from shapely import LineString, MultiPolygon, Polygon, box
from shapely.affinity import translate

PACKAGE = "world-atlas@2.0.2"
OUTPUT = Path(__file__).resolve().parent.parent / "warden" / "geo" / "data" / "countries.geojson"

Position = list[float]
Ring = list[Position]


def fetch_topology(scale: str, workdir: Path) -> dict[str, Any]:
    """Download the package tarball with npm and read its countries TopoJSON."""
    subprocess.run(  # noqa: S603
        ["npm", "pack", PACKAGE, "--silent", "--pack-destination", str(workdir)],  # noqa: S607
        check=True,
        cwd=workdir,
        capture_output=True,
    )
    tarball = next(workdir.glob("world-atlas-*.tgz"))
    with tarfile.open(tarball) as archive:
        member = archive.extractfile(f"package/countries-{scale}.json")
        if member is None:
            raise SystemExit(f"countries-{scale}.json is missing from {tarball.name}")
        return dict(json.load(member))


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Absolute [lon, lat] positions of every arc (undoing the quantisation's deltas)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        positions: Ring = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            positions.append([x * sx + tx, y * sy + ty])
        arcs.append(positions)
    return arcs


def simplify(arc: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker on one arc; its two ends (where borders meet) always stay."""
    if tolerance <= 0 or len(arc) < 3:
        return arc
    simplified = [list(p) for p in LineString(arc).simplify(tolerance).coords]
    if arc[0] == arc[-1] and len(simplified) < 4:  # a small island: keep it recognisable
        return simplify(arc, tolerance / 4) if tolerance > 0.001 else arc
    return simplified


def rounded(ring: Ring, digits: int) -> Ring:
    out: Ring = []
    for lon, lat in ring:
        position = [round(lon, digits), round(lat, digits)]
        if not out or out[-1] != position:
            out.append(position)
    return out


def ring_from(indices: list[int], arcs: list[Ring]) -> Ring:
    """Join a ring's arcs; a negative index ~i means arc i reversed."""
    ring: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def crosses_antimeridian(ring: Ring) -> bool:
    return any(abs(a[0] - b[0]) > 180 for a, b in itertools.pairwise(ring))


def unwrapped(ring: Ring) -> Ring:
    """The ring with longitudes made continuous (they may leave -180..180)."""
    out: Ring = [list(ring[0])]
    for lon, lat in ring[1:]:
        previous = out[-1][0]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        out.append([lon, lat])
    if abs(out[-1][0] - out[0][0]) > 180:  # it goes round a pole: close it through the pole
        pole = -90.0 if sum(lat for _lon, lat in out) < 0 else 90.0
        out += [[out[-1][0], pole], [out[0][0], pole], list(out[0])]
    return out


def split_at_antimeridian(rings: list[Ring]) -> list[list[Ring]]:
    """A polygon that crosses longitude ±180, as polygons on either side of it (planar maps)."""
    shape = Polygon(unwrapped(rings[0]), [unwrapped(r) for r in rings[1:]]).buffer(0)
    parts: list[list[Ring]] = []
    for shift in (-360, 0, 360):
        window = translate(box(-180, -90, 180, 90), xoff=shift)
        piece = translate(shape.intersection(window), xoff=-shift)
        polygons = piece.geoms if isinstance(piece, MultiPolygon) else [piece]
        for polygon in polygons:
            if isinstance(polygon, Polygon) and not polygon.is_empty:
                parts.append(
                    [[list(p) for p in polygon.exterior.coords]]
                    + [[list(p) for p in hole.coords] for hole in polygon.interiors]
                )
    return parts


def geometry(shape: dict[str, Any], arcs: list[Ring], digits: int) -> dict[str, Any] | None:
    def polygons(rings: list[list[int]]) -> list[list[Ring]]:
        joined = [ring_from(r, arcs) for r in rings]
        crossing = any(map(crosses_antimeridian, joined))
        pieces = split_at_antimeridian(joined) if crossing else [joined]
        out = []
        for piece in pieces:
            kept = [r for r in (rounded(ring, digits) for ring in piece) if len(r) >= 4]
            if kept:
                out.append(kept)
        return out

    if shape["type"] == "Polygon":
        parts = polygons(shape["arcs"])
    elif shape["type"] == "MultiPolygon":
        parts = [p for rings in shape["arcs"] for p in polygons(rings)]
    else:
        return None
    if not parts:
        return None
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": parts[0]}
    return {"type": "MultiPolygon", "coordinates": parts}


def alpha2(numeric: str | None) -> str | None:
    if not numeric:
        return None
    country = pycountry.countries.get(numeric=str(numeric).zfill(3))
    return country.alpha_2 if country else None


def convert(topology: dict[str, Any], *, tolerance: float, digits: int) -> dict[str, Any]:
    exact = decode_arcs(topology)
    arcs = [simplify(arc, tolerance) for arc in exact]
    features = []
    for shape in topology["objects"]["countries"]["geometries"]:
        # A very small country (Monaco, Macao) can vanish when simplified: keep it exact.
        geo = geometry(shape, arcs, digits) or geometry(shape, exact, digits)
        if geo is None:
            continue
        feature: dict[str, Any] = {"type": "Feature"}
        code = alpha2(shape.get("id"))
        if code:
            feature["id"] = code
        feature["properties"] = {"name": shape["properties"]["name"]}
        feature["geometry"] = geo
        features.append(feature)
    features.sort(key=lambda f: (f.get("id") or "~", f["properties"]["name"]))
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["110m", "50m", "10m"], default="50m")
    parser.add_argument(
        "--tolerance", type=float, default=0.05, help="simplification, in degrees (0: none)"
    )
    parser.add_argument("--digits", type=int, default=2, help="decimals kept per coordinate")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        topology = fetch_topology(args.scale, Path(workdir))
    collection = convert(topology, tolerance=args.tolerance, digits=args.digits)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False))
    coded = sum(1 for f in collection["features"] if "id" in f)
    size = args.output.stat().st_size
    print(
        f"{args.output}: {len(collection['features'])} outlines ({coded} with an ISO code), "
        f"{size / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
