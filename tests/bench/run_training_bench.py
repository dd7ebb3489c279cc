#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Issue 5's training figures: camlabel (C++) against the same optimizer step in python3-torch.

Usage: /usr/bin/python3 tests/bench/run_training_bench.py BUILD_DIR [--threads 2] [--runs 5]
           [--rounds 2] [--mode head|layer4|full|all] [--quick] [--python-only]
           [-- EXTRA_BENCH_ARGS...]
Runs BUILD_DIR/tests/bench/camlabel_training_bench (all parts: label -> snapshot latency,
throughput, explanation while training, memory), then times the same step in Python and prints
the ratio of images/s camlabel / Python (1.0 or more: camlabel no slower).

"The same step" is the trainer's (core/learning/trainer.cpp, Impl::step) with its defaults:
ResNet50 (10 classes, seeded random weights), a batch of 8 images of 224x224 taken in
micro-batches of 2 whose gradients accumulate, cross-entropy (sum / 8), backward, one Adam step
over the trainable parameters. head: fc learns; layer4: layer4 + fc learn, layer4's BatchNorm in
train mode (the default on a random trunk); full: everything learns, all BatchNorm in train mode.
The frozen trunk runs without autograd, recomputed ("uncached") or precomputed ("cached": the
trainer's feature cache). Image decoding and augmentation are not part of it on either side.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn.functional as F
import torchvision

from bench_common import machine  # beside this script

BATCH = 8
MICRO = 2
WARMUP = 2


def features(m, x, upto):
    """Stem and layer1..layer`upto`, as camlabel's ResNet::features."""
    h = m.maxpool(m.relu(m.bn1(m.conv1(x))))
    for layer in [m.layer1, m.layer2, m.layer3, m.layer4][:upto]:
        h = layer(h)
    return h


def head(m, a, start):
    """The layers after `start`, pooling and fc, as camlabel's ResNet::head."""
    h = a
    for layer in [m.layer1, m.layer2, m.layer3, m.layer4][start:]:
        h = layer(h)
    return m.fc(torch.flatten(m.avgpool(h), 1))


def python_steps(mode, runs):
    torch.manual_seed(3)
    images = [torch.randn(1, 3, 224, 224) for _ in range(BATCH)]
    targets = torch.arange(BATCH) % 10
    torch.manual_seed(1)
    m = torchvision.models.resnet50(num_classes=10).eval()
    frozen = {"head": 4, "layer4": 3, "full": None}[mode]
    trainable = []
    for name, p in m.named_parameters():
        on = (name.startswith("fc.") or mode == "full"
              or (mode == "layer4" and name.startswith("layer4.")))
        p.requires_grad_(on)
        if on:
            trainable.append(p)
    if mode == "full":
        m.train()
    elif mode == "layer4":
        m.layer4.train()
    adam = torch.optim.Adam(trainable, lr=3e-3)
    cached = []
    if frozen is not None:
        with torch.no_grad():
            cached = [features(m, x, frozen) for x in images]

    def step(use_cache):
        adam.zero_grad()
        for begin in range(0, BATCH, MICRO):
            idx = range(begin, min(BATCH, begin + MICRO))
            if frozen is None:
                x = torch.cat([images[i] for i in idx])
                logits = m(x)
            else:
                if use_cache:
                    x = torch.cat([cached[i] for i in idx])
                else:
                    with torch.no_grad():
                        x = torch.cat([features(m, images[i], frozen) for i in idx])
                logits = head(m, x, frozen)
            loss = F.cross_entropy(logits, targets[begin:begin + MICRO], reduction="sum") / BATCH
            loss.backward()
            loss.item()
        adam.step()

    out = {}
    for use_cache in ([False, True] if frozen is not None else [False]):
        for _ in range(WARMUP):
            step(use_cache)
        ms, cpu = [], []
        for _ in range(runs):
            cpu_start = time.process_time()
            start = time.perf_counter()
            step(use_cache)
            ms.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - cpu_start) * 1000)
        med = statistics.median(ms)
        out["cached" if use_cache else "uncached"] = {
            "median_ms": med, "min_ms": min(ms), "images_per_s": BATCH / (med / 1000),
            "cpu_ms": statistics.median(cpu),
            "images_per_cpu_s": BATCH / (statistics.median(cpu) / 1000)}
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build_dir")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mode", default="all")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--python-only", action="store_true",
                        help="time the Python step only (no C++ binary)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="turns of C++ and Python steps; each side keeps its best")
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    args.extra = extra  # passed to camlabel_training_bench
    modes = ["head", "layer4", "full"] if args.mode == "all" else [args.mode]
    runs = 3 if args.quick and args.runs == 5 else args.runs

    torch.set_num_threads(args.threads)
    print(f"machine: {machine()}, torchvision {torchvision.__version__}")
    with open("/proc/loadavg") as f:
        print(f"load average at start: {' '.join(f.read().split()[:3])}")
    sys.stdout.flush()

    binary = os.path.join(args.build_dir, "tests", "bench", "camlabel_training_bench")

    def run_cpp(parts):
        with tempfile.TemporaryDirectory() as tmp:
            result = os.path.join(tmp, "result.json")
            cmd = [binary, "--threads", str(args.threads), "--mode", args.mode,
                   "--json", result] + (["--quick"] if args.quick else []) + [
                   "--runs", str(runs)] + args.extra + (["--part", parts] if parts else [])
            print("$ " + " ".join(cmd))
            sys.stdout.flush()
            subprocess.run(cmd, check=True)
            with open(result) as f:
                return json.load(f)

    # Round 1 runs every part; later rounds only the step, C++ and Python taking turns so that a
    # busy spell on a shared machine hits both sides alike. Each side keeps its best round.
    cpp = None
    rounds = []
    for r in range(args.rounds):
        ours = None if args.python_only else run_cpp(None if r == 0 else "throughput")
        if cpp is None:
            cpp = ours
        ref = {mode: python_steps(mode, runs) for mode in modes}
        rounds.append((ours, ref))
        if ours and "throughput" in ours:
            for mode in modes:
                for variant in ref[mode]:
                    print(f"round {r + 1}: {mode} {variant}: camlabel "
                          f"{ours['throughput'][mode][variant]['images_per_s']:.2f} img/s, "
                          f"python {ref[mode][variant]['images_per_s']:.2f} img/s")
        sys.stdout.flush()

    def best(side, mode, variant, key="images_per_s"):
        values = []
        for ours, ref in rounds:
            if side == "python":
                values.append(ref[mode][variant][key])
            elif ours and "throughput" in ours:
                values.append(ours["throughput"][mode][variant].get(key, float("nan")))
        return max(values) if values else float("nan")

    py = rounds[0][1]
    print()
    print(f"optimizer step, batch {BATCH} in micro-batches of {MICRO}, 224x224, "
          f"{args.threads} threads, median of {runs}, best of {args.rounds} rounds")
    print(f"{'mode':<8}{'trunk':<10}{'camlabel img/s':>16}{'python img/s':>14}{'ratio':>8}"
          f"{'camlabel img/cpu-s':>20}{'python img/cpu-s':>18}{'ratio':>8}")
    for mode in modes:
        for variant in py[mode]:
            ours, ref = best("cpp", mode, variant), best("python", mode, variant)
            ours_cpu = best("cpp", mode, variant, "images_per_cpu_s")
            ref_cpu = best("python", mode, variant, "images_per_cpu_s")
            print(f"{mode:<8}{variant:<10}{ours:>16.2f}{ref:>14.2f}{ours / ref:>8.2f}"
                  f"{ours_cpu:>20.2f}{ref_cpu:>18.2f}{ours_cpu / ref_cpu:>8.2f}")
    if cpp and "latency" in cpp:
        print()
        print("label -> next snapshot (Trainer defaults: 4 steps of 8 images per label)")
        print(f"{'mode':<8}{'image':<7}{'median ms':>11}{'p95 ms':>9}{'trainer img/s':>15}")
        for mode, m in cpp["latency"].items():
            for key, label in (("new_image", "new"), ("seen_image", "seen")):
                print(f"{mode:<8}{label:<7}{m[key]['median_ms']:>11.0f}{m[key]['p95_ms']:>9.0f}"
                      f"{m['trainer_images_per_s']:>15.1f}")
    if cpp and "cam" in cpp:
        c = cpp["cam"]
        print()
        print(f"Grad-CAM layer4: idle {c['idle']['median_ms']:.0f} ms; while training, gate held "
              f"{c['training_gated']['median_ms']:.0f} ms (p95 "
              f"{c['training_gated']['p95_ms']:.0f}), no gate "
              f"{c['training_ungated']['median_ms']:.0f} ms (p95 "
              f"{c['training_ungated']['p95_ms']:.0f}); gated/idle {c['ratio_median']:.2f}x")
        if "training_gated_trainer_nice19" in c:
            n = c["training_gated_trainer_nice19"]
            print(f"  with the trainer's threads at nice 19 (proposed fix): {n['median_ms']:.0f} ms "
                  f"(p95 {n['p95_ms']:.0f}), {n['median_ms'] / c['idle']['median_ms']:.2f}x idle")
    if cpp and "memory" in cpp:
        mem = cpp["memory"]
        print(f"memory: {mem['images']} images, {mem['labels']} labels: peak RSS "
              f"{mem['peak_rss_mb']:.0f} MB")
    with open("/proc/loadavg") as f:
        print(f"load average at end: {' '.join(f.read().split()[:3])}")


if __name__ == "__main__":
    main()
