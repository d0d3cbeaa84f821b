"""Where a build of Brooklyn buses + NYC subway spends its time and memory, by stage.

Two tables: the validator's stages on each feed alone (``validate_report`` with its
``progress`` callback), then the stages of the whole build (``build_network``'s
``progress`` callback, plus saving). For each stage: wall time, CPU time of the
process (all threads), resident memory at its end and the highest resident memory
during it (Linux: the peak is reset at each stage boundary through
/proc/self/clear_refs). Threads of the build (kernel loading, reading the next
feed ahead, assembling beside the last checks) overlap stages: their work shows in
the stage during which it ran.

    python benchmarks/build_stages.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "feeds" / "nyc_mta"
FEEDS = [DATA / "nyc_subway.zip", DATA / "nyc_bus_bk.zip"]


def _memory() -> tuple[float, float]:
    """Resident and peak resident memory of this process, in MB (0 if unknown)."""
    values = {"VmRSS": 0.0, "VmHWM": 0.0}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                key = line.split(":", 1)[0]
                if key in values:
                    values[key] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return values["VmRSS"], values["VmHWM"]


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass


class Stages:
    """Collects (stage, wall s, CPU s, resident MB, peak MB) at each boundary."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float, float, float]] = []
        self._label = ""
        self._wall = time.perf_counter()
        self._cpu = time.process_time()
        _reset_peak()

    def mark(self, label: str) -> None:
        """End the current stage (if any) and start ``label``."""
        wall, cpu = time.perf_counter(), time.process_time()
        resident, peak = _memory()
        if self._label:
            self.rows.append((self._label, wall - self._wall, cpu - self._cpu, resident, peak))
        _reset_peak()
        self._label, self._wall, self._cpu = label, time.perf_counter(), time.process_time()

    def table(self, title: str) -> str:
        lines = [
            f"{title}",
            "",
            "| stage | wall (s) | CPU (s) | resident at end (MB) | peak during (MB) |",
            "|---|---:|---:|---:|---:|",
        ]
        for label, wall, cpu, resident, peak in self.rows:
            lines.append(f"| {label} | {wall:.2f} | {cpu:.2f} | {resident:.0f} | {peak:.0f} |")
        wall = sum(r[1] for r in self.rows)
        cpu = sum(r[2] for r in self.rows)
        lines.append(f"| **total** | **{wall:.2f}** | **{cpu:.2f}** | | |")
        return "\n".join(lines)


def _timed(stages: Stages, run: Callable[[Callable[[str], None]], object]) -> None:
    run(stages.mark)
    stages.mark("")


def _part(part: str) -> None:
    from jjj.gtfs.read import read_feed
    from jjj.gtfs.validate import validate_report
    from jjj.timetable.build import build_network
    from jjj.timetable.store import save_network
    from jjj.timetable.warmup import start_warm_up

    if part == "build":
        with tempfile.TemporaryDirectory() as folder:
            stages = Stages()

            def build(mark: Callable[[str], None]) -> None:
                network = build_network([read_feed(p) for p in FEEDS], progress=mark)
                mark("saving")
                save_network(network, Path(folder) / "nyc.jjjnet")

            _timed(stages, build)
        print(stages.table("The whole build (`build_network` + `save_network`)"))
        return
    path = DATA / part
    start_warm_up().join()  # kernels loaded first: the table shows the checks alone
    stages = Stages()
    _timed(stages, lambda mark: validate_report(read_feed(path, compact=True), progress=mark))
    print(stages.table(f"Validating {path.name} alone (`validate_report`, compact feed)"))


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--part":
        _part(sys.argv[2])
        return 0
    missing = [str(p) for p in FEEDS if not p.exists()]
    if missing:
        print(f"skipped: shared data not present ({', '.join(missing)})")
        return 0
    # Each part in a fresh process, so that memory left by one does not show in the next.
    for part in [*(p.name for p in FEEDS), "build"]:
        subprocess.run([sys.executable, __file__, "--part", part], check=True)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
