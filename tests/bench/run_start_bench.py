#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Issue 14: how fast camlabel-cli starts, and how much memory it takes, per command.

Usage: /usr/bin/python3 tests/bench/run_start_bench.py BUILD_DIR [--runs 7] [--dir DIR]

Each command runs --runs times under /usr/bin/time -v; the medians of wall time and peak
resident memory are printed beside DCMTK's dcmdump on the same DICOM slice (the reference: a
program that reads a DICOM header and nothing else), as ratios. camlabel-cli starts without
LibTorch and hands the model commands to camlabel-cli-model; the same commands run by
camlabel-cli-model directly show what loading LibTorch at start costs.
"""
import argparse
import os
import pathlib
import re
import time
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_common import machine  # noqa: E402

SOURCE = pathlib.Path(__file__).resolve().parents[2]


def measure(command, runs):
    """Median wall seconds and median peak RSS (MB) of `command` over `runs` runs."""
    wall, rss = [], []
    for _ in range(runs):
        # Wall time from here (time's own is in hundredths of a second); both include starting
        # /usr/bin/time, the same for every command.
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-v"] + command, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        wall.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
        rss.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)",
                                 done.stderr).group(1)) / 1024)
    return statistics.median(wall), statistics.median(rss)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir", type=pathlib.Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dir", type=pathlib.Path, help="scratch folder (default: a temporary one)")
    args = parser.parse_args()

    cli = args.build_dir / "app" / "camlabel-cli"
    model_cli = args.build_dir / "app" / "camlabel-cli-model"
    dcmdump = shutil.which("dcmdump")
    if not cli.exists() or not model_cli.exists():
        raise SystemExit(f"build camlabel-cli and camlabel-cli-model in {args.build_dir} first")
    if dcmdump is None:
        raise SystemExit("dcmdump (Debian's dcmtk) is needed as the reference")
    scratch = args.dir or pathlib.Path(tempfile.mkdtemp(prefix="camlabel-start-"))
    scratch.mkdir(parents=True, exist_ok=True)
    ct = SOURCE / "tests" / "data" / "CT_small.dcm"
    png = scratch / "slice.png"

    # A project of 40 phantom slices to ask about.
    phantoms = scratch / "phantoms"
    project = scratch / "project"
    if not project.exists():
        subprocess.run([str(cli), "phantom", str(phantoms), "--count", "40", "--seed", "1",
                        "--size", "128"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(cli), "project", "new", str(project), "--images", str(phantoms)],
                       check=True, stdout=subprocess.DEVNULL)

    commands = [
        ("--version", ["--version"]),
        ("--help", ["--help"]),
        ("info CT_small.dcm", ["info", str(ct)]),
        ("render CT_small.dcm", ["render", str(ct), "--out", str(png)]),
        ("project status", ["project", "status", str(project)]),
        ("predict CT_small.dcm (a model)", ["predict", str(ct)]),
    ]
    print(f"machine: {machine()}")
    print(f"runs per command: {args.runs} (medians)")
    ref_wall, ref_rss = measure([dcmdump, str(ct)], args.runs)
    print(f"reference: dcmdump CT_small.dcm  {ref_wall * 1000:7.1f} ms  {ref_rss:6.1f} MB\n")
    print(f"{'command':34} {'camlabel-cli':>14} {'x dcmdump':>10} {'MB':>7}   "
          f"{'camlabel-cli-model':>18} {'MB':>7}")
    for name, argv in commands:
        wall, rss = measure([str(cli)] + argv, args.runs)
        model_wall, model_rss = measure([str(model_cli)] + argv, args.runs)
        print(f"{name:34} {wall * 1000:11.1f} ms {wall / ref_wall:9.1f}x {rss:7.1f}   "
              f"{model_wall * 1000:15.1f} ms {model_rss:7.1f}")


if __name__ == "__main__":
    main()
