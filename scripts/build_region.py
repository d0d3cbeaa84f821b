"""Build the bundled Beijing–Tianjin–Hebei region from ../shared/data/jjj.

Usage::

    python scripts/build_region.py [--source ../shared/data/jjj] [--out src/jjj/data/jjj]

Writes the ``beijing_subway`` and ``intercity_rail`` GTFS feeds (unzipped folders),
``connections.txt``, ``places.csv``, ``population/`` and ``NOTES.md`` with the licence
files. The output depends only on the source files: rows are sorted, floats have a
fixed number of decimals and nothing records the time of the build, so running it
again reproduces the shipped files byte for byte.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from region.notes import write_notes
from region.places import write_connections, write_places
from region.rail_feed import write_rail_feed
from region.subway_fares import write_subway_fares
from region.subway_feed import write_subway_feed
from region.subway_source import load_subway_source

REPO = Path(__file__).resolve().parents[1]


def build(source: Path, out: Path) -> dict[str, dict[str, int]]:
    """Write the whole region into ``out`` (emptied first); returns row counts per file."""
    if not (source / "cities.csv").exists():
        raise SystemExit(f"{source}: not the jjj data folder (cities.csv is missing)")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    subway_source = load_subway_source(source)
    subway = write_subway_feed(subway_source, out / "beijing_subway")
    subway.counts.update(write_subway_fares(subway_source, subway, out / "beijing_subway"))
    rail = write_rail_feed(source, subway, out / "intercity_rail")
    connections = write_connections(subway, rail, out / "connections.txt")
    places = write_places(source, subway, rail, out / "places.csv")
    population = out / "population"
    population.mkdir()
    shutil.copyfile(
        source / "bth_counties_2020census.geojson",
        population / "bth_counties_2020census.geojson",
    )
    counts = {
        "beijing_subway": subway.counts,
        "intercity_rail": rail.counts,
        "region": {"connections": connections, "places": places},
    }
    write_notes(source, subway, rail, counts, out)
    for feed in ("beijing_subway", "intercity_rail"):
        zip_folder(out / feed, out / f"{feed}.zip")
    return counts


def zip_folder(folder: Path, target: Path) -> None:
    """Zip ``folder``'s files in name order with fixed timestamps, then remove it."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.iterdir()):
            info = zipfile.ZipInfo(path.name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    shutil.rmtree(folder)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=REPO.parent / "shared" / "data" / "jjj")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "jjj" / "data" / "jjj")
    args = parser.parse_args(argv)
    counts = build(args.source.resolve(), args.out.resolve())
    for feed, files in counts.items():
        summary = ", ".join(f"{name} {rows}" for name, rows in sorted(files.items()))
        print(f"{feed}: {summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
