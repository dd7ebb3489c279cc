#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Issue 3's speed figures: camlabel (C++) against the same operations in Debian's python3-torch.

Usage: /usr/bin/python3 tests/bench/run_model_bench.py BUILD_DIR [--threads 2] [--runs 20]
       [--interleave ROUNDS]
Prints the machine, medians of both sides and the ratio C++/Python (below 1 is faster).
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import time

import torch
import torchvision

from bench_common import machine  # beside this script

WARMUP = 3


def time_it(runs, op):
    for _ in range(WARMUP):
        op()
    ms = []
    for _ in range(runs):
        start = time.perf_counter()
        op()
        ms.append((time.perf_counter() - start) * 1000)
    return {"median_ms": statistics.median(ms), "min_ms": min(ms),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def python_side(threads, runs, size):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = torchvision.models.resnet50().eval()
    x = torch.randn(1, 3, size, size)
    results = {}

    def predict():
        with torch.no_grad():
            torch.softmax(model(x), 1).argmax().item()

    results["predict"] = time_it(runs, predict)

    # Grad-CAM as the usual library does it: hooks on layer4, backward() on the class logit.
    store = {}
    hooks = [model.layer4.register_forward_hook(lambda m, i, o: store.__setitem__("a", o)),
             model.layer4.register_full_backward_hook(
                 lambda m, gi, go: store.__setitem__("g", go[0]))]

    def gradcam():
        model.zero_grad()
        logits = model(x)
        logits[0, logits.argmax()].backward()
        weights = store["g"].mean(dim=(2, 3), keepdim=True)
        cam = torch.relu((weights * store["a"]).sum(1, keepdim=True))
        cam = torch.nn.functional.interpolate(cam, size=x.shape[2:], mode="bilinear",
                                              align_corners=False)
        (cam - cam.min()) / (cam.max() - cam.min() + 1e-7)

    results["gradcam_layer4"] = time_it(runs, gradcam)
    for hook in hooks:
        hook.remove()

    # Score-CAM as pytorch-grad-cam runs it: masked copies of the input through the whole model
    # under no_grad, in batches of 16 (its default BATCH_SIZE).
    def scorecam(channels=64, batch=16):
        with torch.no_grad():
            activations = model.layer4(model.layer3(model.layer2(model.layer1(
                model.maxpool(model.relu(model.bn1(model.conv1(x))))))))
            target = model(x).argmax().item()
            keep = activations[0].mean(dim=(1, 2)).topk(channels).indices
            a = activations[:, keep]
            up = torch.nn.functional.interpolate(a, size=x.shape[2:], mode="bilinear",
                                                 align_corners=False)[0]
            lo = up.amin(dim=(1, 2), keepdim=True)
            hi = up.amax(dim=(1, 2), keepdim=True)
            masks = torch.where(hi > lo, (up - lo) / (hi - lo), torch.zeros_like(up))
            scores = []
            for start in range(0, channels, batch):
                scores.append(model(x * masks[start:start + batch, None])[:, target])
            weights = torch.softmax(torch.cat(scores), 0)
            torch.relu((weights[:, None, None] * a[0]).sum(0))

    results["scorecam_64ch"] = time_it(max(3, runs // 5), scorecam)
    return results, scorecam


def interleaved_scorecam(binary, threads, rounds, scorecam):
    """Score-CAM on both sides by turns, one run each per round: on a machine that other jobs
    share, a busy spell then slows both sides alike, and each round's ratio stays meaningful."""
    cpp_ms, py_ms = [], []
    scorecam()  # warm-up of the Python side; the C++ side warms up once per call
    for _ in range(rounds):
        cpp = json.loads(subprocess.run([binary, str(threads), "1", "--scorecam-only"],
                                        check=True, capture_output=True, text=True).stdout)
        cpp_ms.append(cpp["results"]["scorecam_64ch"]["median_ms"])
        start = time.perf_counter()
        scorecam()
        py_ms.append((time.perf_counter() - start) * 1000)
    ratios = [c / p for c, p in zip(cpp_ms, py_ms)]
    return cpp_ms, py_ms, ratios


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build_dir")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--interleave", type=int, default=0, metavar="ROUNDS",
                        help="also time Score-CAM on both sides by turns for ROUNDS rounds")
    args = parser.parse_args()

    binary = os.path.join(args.build_dir, "tests", "bench", "camlabel_model_bench")
    cpp = json.loads(subprocess.run([binary, str(args.threads), str(args.runs)], check=True,
                                    capture_output=True, text=True).stdout)
    py, scorecam = python_side(args.threads, args.runs, cpp["size"])

    print(f"machine: {machine()}")
    print(f"{cpp['size']}x{cpp['size']}, batch 1, {args.threads} threads, median of {args.runs}")
    print(f"{'operation':<14}{'camlabel ms':>13}{'python ms':>12}{'ratio':>8}"
          f"{'camlabel MB':>13}{'python MB':>11}")
    for name, ours in cpp["results"].items():
        ref = py.get(name)
        if ref is None:  # camlabel's other layers: no Python counterpart, no ratio
            print(f"{name:<14}{ours['median_ms']:>13.1f}{'-':>12}{'-':>8}"
                  f"{ours['peak_rss_mb']:>13.0f}{'-':>11}")
            continue
        print(f"{name:<14}{ours['median_ms']:>13.1f}{ref['median_ms']:>12.1f}"
              f"{ours['median_ms'] / ref['median_ms']:>8.2f}"
              f"{ours['peak_rss_mb']:>13.0f}{ref['peak_rss_mb']:>11.0f}")

    if args.interleave > 0:
        cpp_ms, py_ms, ratios = interleaved_scorecam(binary, args.threads, args.interleave,
                                                     scorecam)
        print(f"scorecam_64ch by turns, {args.interleave} rounds (ms, camlabel / python):")
        for c, p, r in zip(cpp_ms, py_ms, ratios):
            print(f"  {c:10.1f} {p:10.1f} {r:6.2f}")
        print(f"  median camlabel {statistics.median(cpp_ms):.1f} ms, python "
              f"{statistics.median(py_ms):.1f} ms, median ratio {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
