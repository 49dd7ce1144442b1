"""Start-up time to ready and peak memory of ``python -m bot console``, against bare PTB import.

    .venv/bin/python -m bench.startup_bench            # 5 runs of each
    .venv/bin/python -m bench.startup_bench --runs 10

Each bot run is a fresh process on a fresh database, timed from spawn until the console banner
line appears on stdout (settings read, migrations applied, flow and catalogues validated, the
Application initialized and started); then the process is killed. The baseline is
``python -c "import telegram"`` timed to exit, in the same run. Peak memory is VmHWM (peak
resident set) read from /proc/<pid>/status at ready.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BANNER = "BOT_TOKEN"  # the banner's first line names it in both languages


def env(database: Path) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    out.update({"DATABASE_PATH": str(database), "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "WARNING"})
    return out


def peak_kib(pid: int) -> int:
    """Return the peak resident set of a live process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def run_bot(folder: Path) -> tuple[float, int]:
    """Return (seconds to the banner, peak KiB) of one console start."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--lang", "zh-CN"], cwd=ROOT,
        env=env(folder / "bot.sqlite3"), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    for line in proc.stdout:
        if BANNER in line:
            break
    else:
        raise SystemExit(f"no banner; exit code {proc.wait()}")
    ready = time.perf_counter() - start
    peak = peak_kib(proc.pid)
    # Only start-up is measured; how it shuts down is the tests' business.
    proc.kill()
    proc.communicate()
    return ready, peak


def run_baseline() -> tuple[float, int]:
    """Return (seconds to exit, peak KiB) of importing python-telegram-bot."""
    start = time.perf_counter()
    code = ("import telegram, telegram.ext, pathlib; "
            "print([l for l in pathlib.Path('/proc/self/status').read_text().splitlines() "
            "if l.startswith('VmHWM')][0].split()[1])")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, cwd=ROOT)
    return time.perf_counter() - start, int(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bot: list[tuple[float, int]] = []
    base: list[tuple[float, int]] = []
    run_baseline()  # warm the file cache for both
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            bot.append(run_bot(Path(folder)))
        base.append(run_baseline())

    def summary(rows: list[tuple[float, int]]) -> tuple[float, float, float, float]:
        times = [t for t, _ in rows]
        peaks = [p / 1024 for _, p in rows]
        return statistics.median(times), max(times), statistics.median(peaks), max(peaks)

    b = summary(bot)
    p = summary(base)
    print(f"runs: {args.runs} each, fresh database per bot run")
    print("                                 ready s (median / max)   peak RSS MiB (median / max)")
    print(f"python -m bot console (banner)   {b[0]:8.3f} / {b[1]:.3f}          "
          f"{b[2]:8.1f} / {b[3]:.1f}")
    print(f"python -c 'import telegram'      {p[0]:8.3f} / {p[1]:.3f}          "
          f"{p[2]:8.1f} / {p[3]:.1f}")
    print(f"ratio bot / import telegram      {b[0] / p[0]:8.2f}x                 "
          f"{b[2] / p[2]:8.2f}x")


if __name__ == "__main__":
    main()
