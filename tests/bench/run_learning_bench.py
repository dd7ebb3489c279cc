#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Issue 13's learning curve: camlabel's session trainer against offline python3-torch training.

Usage: /usr/bin/python3 tests/bench/run_learning_bench.py BUILD_DIR [--dir DIR] [--quick]
           [--pace 3] [--lockstep] [--points 25,50,100,200,300] [--train 300] [--heldout 100]
           [--seed 1] [--heldout-seeds 1001,2002] [--threads 2] [--weights FILE.pth]
           [--no-reference] [--plot FILE.png] [--json FILE]

1. BUILD_DIR/tests/bench/camlabel_learning_bench replays a phantom training set through the real
   Session and Trainer, one label every --pace seconds (the clinician's reading time), and scores
   the model published at each point on held-out sets of other seeds.
2. The offline reference, at each point: the same network (torchvision's ResNet50, random
   weights) trained from scratch with python3-torch on the same labels, for the wall time the
   session had taken to reach that point (what a user could do instead: train once offline),
   all layers trainable, Adam 1e-3, batches of 16, random flips, the same model inputs
   (camlabel's preprocessing, written by the benchmark). Its weights are scored by the same C++
   code on the same held-out sets.
3. A table with the ratio of held-out accuracies, and a PNG plot of both curves.
--quick checks the benchmark itself in about a minute (tiny network, 64 px, 60 labels).
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models.resnet import Bottleneck, ResNet

from bench_common import machine  # beside this script

CLASSES = 10
NETWORKS = {"resnet50": ([3, 4, 6, 3], 64), "tiny": ([1, 1, 1, 1], 8)}


def network(name):
    """torchvision's ResNet with camlabel's shapes (and state_dict names)."""
    blocks, width = NETWORKS[name]
    m = ResNet(Bottleneck, blocks, num_classes=CLASSES)
    if width != 64:
        m.inplanes = width
        m.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        m.bn1 = nn.BatchNorm2d(width)
        m.layer1 = m._make_layer(Bottleneck, width, blocks[0])
        m.layer2 = m._make_layer(Bottleneck, width * 2, blocks[1], stride=2)
        m.layer3 = m._make_layer(Bottleneck, width * 4, blocks[2], stride=2)
        m.layer4 = m._make_layer(Bottleneck, width * 8, blocks[3], stride=2)
        m.fc = nn.Linear(width * 8 * Bottleneck.expansion, CLASSES)
        for mod in m.modules():  # torchvision's initialisation
            if isinstance(mod, nn.Conv2d):
                nn.init.kaiming_normal_(mod.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(mod, nn.BatchNorm2d):
                nn.init.constant_(mod.weight, 1)
                nn.init.constant_(mod.bias, 0)
    return m


def train_offline(inputs, labels, n, seconds, net_name, seed, weights=None):
    """The reference: the first n labels, `seconds` of wall time, returns the model."""
    torch.manual_seed(seed)
    m = network(net_name)
    if weights:
        state = torch.load(weights, map_location="cpu")
        state = {k: v for k, v in state.items() if not k.startswith("fc.")}
        m.load_state_dict(state, strict=False)
    m.train()
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    x_all = inputs[:n]  # the caller passes them in the order the session labelled them
    y_all = labels[:n]
    g = torch.Generator().manual_seed(seed)
    steps = 0
    start = time.monotonic()
    order = torch.randperm(n, generator=g)
    pos = 0
    while time.monotonic() - start < seconds:
        if pos + min(16, n) > n:
            order = torch.randperm(n, generator=g)
            pos = 0
        idx = order[pos:pos + 16]
        pos += len(idx)
        x = x_all[idx].clone()
        flip = torch.rand(len(idx), generator=g) < 0.5
        x[flip] = x[flip].flip(-1)
        opt.zero_grad()
        loss = F.cross_entropy(m(x), y_all[idx])
        loss.backward()
        opt.step()
        steps += 1
    return m, steps


def run(cmd):
    print("$", " ".join(str(c) for c in cmd), flush=True)
    out = subprocess.run([str(c) for c in cmd], check=True, stdout=subprocess.PIPE, text=True)
    return out.stdout


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def fmt(v, d=2):
    return "-" if v is None else f"{v:.{d}f}"


def summary(point, seeds, layer):
    held = [point["heldout"][str(s)] for s in seeds]
    loc = [h["localisation"].get(layer, {}) for h in held]
    return {
        "acc": [h["accuracy"] for h in held],
        "kappa": [h["kappa"] for h in held],
        "auc": mean([h["macro_auc"] for h in held]),
        "ece": mean([h["ece"] for h in held]),
        "trained": point.get("trained", {}).get("accuracy"),
        "pg": mean([l.get("pointing_game") for l in loc]),
        "energy": mean([l.get("energy_inside") for l in loc]),
        "area": mean([l.get("mask_area") for l in loc]),
        # The pointing game with the slack of its definition (3% of the side) and its chance.
        "pg_within": mean([l.get("pointing_game_within") for l in loc]),
        "chance_within": mean([l.get("chance_within") for l in loc]),
        "tolerance": next((l.get("tolerance") for l in loc if "tolerance" in l), None),
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("build")
    p.add_argument("--dir", default=None)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--pace", type=float, default=None, help="seconds per label")
    p.add_argument("--lockstep", action="store_true")
    p.add_argument("--order", default="file", choices=["file", "spread", "random", "uncertain"],
                   help="which slice the replay labels next (uncertain: the model's choice)")
    p.add_argument("--average-decay", type=float, default=None,
                   help="the trainer's averageDecay (default: the app's)")
    p.add_argument("--preempt-before", type=float, default=None,
                   help="the trainer's preemptIdleStepBefore (default: the app's)")
    p.add_argument("--bfloat16", choices=["on", "off"], default=None,
                   help="train in bfloat16 (default: the app's, on where the CPU has AVX512-BF16)")
    p.add_argument("--progressive", default=None, metavar="START,UNTIL,FULL_FROM",
                   help="the trainer's progressive resizing, e.g. 160,100,200 (default: the app's)")
    p.add_argument("--points", default=None)
    p.add_argument("--train", type=int, default=None)
    p.add_argument("--heldout", type=int, default=None)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--model-size", type=int, default=None,
                   help="pixels per side of the model input (the project's modelSize; default 224)")
    p.add_argument("--heldout-seeds", default="1001,2002")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--weights", default=None)
    p.add_argument("--no-reference", action="store_true")
    p.add_argument("--reference-from", default=None,
                   help="reuse the reference_N.json of an earlier run with the same data and pace")
    p.add_argument("--reuse-session", action="store_true",
                   help="score DIR/session.json of an earlier run instead of replaying again (e.g. "
                        "to add its reference); the shape options must be that run's")
    p.add_argument("--reference-points", default=None,
                   help="train the reference at these points only (default: every point)")
    p.add_argument("--plot", default=None)
    p.add_argument("--json", default=None)
    a = p.parse_args()

    quick = a.quick
    net_name = "tiny" if quick else "resnet50"
    pace = a.pace if a.pace is not None else (0.3 if quick else 3.0)
    points = a.points or ("20,40,60" if quick else "25,50,100,200,300")
    train = a.train or (60 if quick else 300)
    heldout = a.heldout or (30 if quick else 100)
    size, model_size = (64, 64) if quick else (256, 224)
    if a.model_size:
        model_size = a.model_size
    # The app's default explanation layer (explain::kDefaultCamLayer) first, then layer4 beside it.
    layers = "layer3" if quick else "layer3,layer4"
    default_layer, *other_layers = layers.split(",")
    seeds = [int(s) for s in a.heldout_seeds.split(",")]
    work = pathlib.Path(a.dir or f"/tmp/camlabel-learning-{'quick' if quick else 'full'}-{a.seed}")
    work.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(a.threads)
    bench = pathlib.Path(a.build) / "tests/bench/camlabel_learning_bench"
    shape = ["--dir", work, "--train", train, "--heldout", heldout, "--seed", a.seed,
             "--heldout-seeds", a.heldout_seeds, "--size", size, "--model-size", model_size,
             "--network", net_name, "--threads", a.threads, "--layers", layers]
    if a.weights:
        shape += ["--weights", a.weights]

    print("machine:", machine())
    session_json = work / "session.json"
    cmd = [bench, "session", *shape, "--points", points, "--json", session_json, "--dump-inputs",
           "--order", a.order]
    cmd += ["--lockstep"] if a.lockstep else ["--pace-ms", int(pace * 1000)]
    if a.average_decay is not None:
        cmd += ["--average-decay", a.average_decay]
    if a.preempt_before is not None:
        cmd += ["--preempt-before", a.preempt_before]
    if a.progressive is not None:
        cmd += ["--progressive", a.progressive]
    if a.bfloat16 is not None:
        cmd += ["--bfloat16", a.bfloat16]
    if a.reuse_session and session_json.exists():
        print(f"reusing {session_json}")
    else:
        t0 = time.monotonic()
        sys.stdout.write(run(cmd))
        print(f"session replay and scoring: {time.monotonic() - t0:.0f} s")
    ours = json.loads(session_json.read_text())
    wanted = ({int(n) for n in a.reference_points.split(",")} if a.reference_points
              else {point["labels"] for point in ours["points"]})

    reference = []
    if a.reference_from:
        for point in ours["points"]:
            earlier = pathlib.Path(a.reference_from) / f"reference_{point['labels']}.json"
            reference.append(json.loads(earlier.read_text()) if earlier.exists() else None)
    elif not a.no_reference:
        n_total = train
        inputs = torch.from_numpy(np.fromfile(work / "train_inputs.f32", dtype=np.float32).reshape(
            n_total, 3, model_size, model_size))
        labels = torch.from_numpy(np.fromfile(work / "train_labels.i64", dtype=np.int64))
        # The same labels as the session, in the order it took them (its --order).
        taken = torch.tensor(ours["labelled_order"], dtype=torch.long)
        inputs, labels = inputs[taken], labels[taken]
        for point in ours["points"]:
            n = point["labels"]
            seconds = point["seconds"]
            if n not in wanted:
                reference.append(None)
                continue
            m, steps = train_offline(inputs, labels, n, seconds, net_name, a.seed, a.weights)
            weights = work / f"reference_{n}.pth"
            torch.save(m.state_dict(), weights)
            out = work / f"reference_{n}.json"
            run([bench, "evaluate", *shape, "--state-dict", weights, "--labels", n, "--json", out])
            ref = json.loads(out.read_text())
            ref["seconds"] = seconds
            ref["steps"] = steps
            print(f"reference at {n} labels: {steps} steps of 16 in {seconds:.0f} s", flush=True)
            reference.append(ref)

    print()
    print(f"machine: {machine()}")
    print(f"network {net_name}, {model_size} px, a label every {pace} s"
          f"{' (lockstep)' if a.lockstep else ''}; trainer steps {ours['steps']} "
          f"({ours['idle_steps']} idle, {ours.get('abandoned_steps', 0)} abandoned, {'bfloat16' if ours.get('bfloat16') else 'float32'}); order {a.order}; held-out seeds {seeds}; "
          f"CAM layer {default_layer}")
    head = (f"{'labels':>6} {'s':>5} | {'held-out acc (per seed)':>24} {'kappa':>10} {'AUC':>5} "
            f"{'ECE':>5} {'trained':>7} {'PG':>5} {'energy':>6} {'area':>5} | "
            f"{'ref acc (per seed)':>19} {'ref PG':>6} | {'ratio':>5}")
    print(head)
    print("-" * len(head))
    rows = []
    for k, point in enumerate(ours["points"]):
        s = summary(point, seeds, default_layer)
        r = summary(reference[k], seeds, default_layer) if reference and reference[k] else None
        ratio = (mean(s["acc"]) / mean(r["acc"])) if r and mean(r["acc"]) else None
        print(f"{point['labels']:>6} {point['seconds']:>5.0f} | "
              f"{' '.join(fmt(v) for v in s['acc']):>24} {' '.join(fmt(v) for v in s['kappa']):>10} "
              f"{fmt(s['auc']):>5} {fmt(s['ece']):>5} {fmt(s['trained']):>7} {fmt(s['pg']):>5} "
              f"{fmt(s['energy']):>6} {fmt(s['area']):>5} | "
              f"{(' '.join(fmt(v) for v in r['acc']) if r else '-'):>19} "
              f"{(fmt(r['pg']) if r else '-'):>6} | {fmt(ratio):>5}")
        rows.append({"labels": point["labels"], "ours": s, "reference": r, "ratio": ratio})
    other = {layer: [summary(pt, seeds, layer)["pg"] for pt in ours["points"]]
             for layer in other_layers}
    for layer, pgs in other.items():
        print(f"pointing game at {layer}:", " ".join(fmt(v) for v in pgs))
    within = [summary(pt, seeds, default_layer) for pt in ours["points"]]
    if within and within[0]["tolerance"] is not None:
        print(f"pointing game at {default_layer} within {within[0]['tolerance']} px of the lesion "
              f"(chance):", " ".join(f"{fmt(w['pg_within'])} ({fmt(w['chance_within'])})"
                                     for w in within))
    delays = ours.get("label_to_published_ms") or {}
    if delays.get("n"):
        print(f"label -> published model in the session: median {delays['median']:.0f} ms, "
              f"p90 {delays['p90']:.0f} ms, max {delays['max']:.0f} ms "
              f"({delays['n']} of {delays['of']} labels)")
    reached = next((r["labels"] for r in rows if mean(r["ours"]["acc"]) >= 0.8), None)
    print(f"labels to reach 0.8 held-out accuracy (mean of seeds, at the points measured): "
          f"{reached if reached else 'not reached'}")

    result = {"machine": machine(), "network": net_name, "pace": pace, "lockstep": a.lockstep,
              "ours": ours, "reference": reference, "rows": rows}
    (pathlib.Path(a.json) if a.json else work / "learning.json").write_text(json.dumps(result, indent=1))

    plot = pathlib.Path(a.plot) if a.plot else work / "learning_curve.png"
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (python3-matplotlib): no plot")
        return
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    xs = [r["labels"] for r in rows]
    axes[0].plot(xs, [mean(r["ours"]["acc"]) for r in rows], "o-", label="camlabel session")
    axes[0].plot(xs, [r["ours"]["trained"] for r in rows], "o:",
                 label="camlabel, on the labels trained so far")
    with_ref = [r for r in rows if r["reference"]]
    if with_ref:
        axes[0].plot([r["labels"] for r in with_ref], [mean(r["reference"]["acc"]) for r in with_ref],
                     "s--", label="offline python3-torch, same time")
    axes[0].axhline(0.1, color="grey", lw=0.5)
    axes[0].set_xlabel("labels given")
    axes[0].set_ylabel("accuracy (held-out: mean of seeds)")
    axes[0].set_ylim(0, 1)
    axes[0].legend(fontsize=8)
    axes[1].plot(xs, [r["ours"]["pg"] for r in rows], "o-", label=f"camlabel, {default_layer}")
    for layer, pgs in other.items():
        axes[1].plot(xs, pgs, "o:", label=f"camlabel, {layer}")
    if with_ref:
        axes[1].plot([r["labels"] for r in with_ref], [r["reference"]["pg"] for r in with_ref], "s--",
                     label=f"offline, {default_layer}")
    if rows and rows[0]["ours"].get("pg_within") is not None:
        tol = rows[0]["ours"]["tolerance"]
        axes[1].plot(xs, [r["ours"]["pg_within"] for r in rows], "o-.",
                     label=f"camlabel, {default_layer}, within {tol} px")
        axes[1].plot(xs, [r["ours"]["chance_within"] for r in rows], color="grey", lw=0.5, ls="--",
                     label=f"chance within {tol} px")
    axes[1].plot(xs, [r["ours"]["area"] for r in rows], color="grey", lw=0.5, label="chance (mask area)")
    axes[1].set_xlabel("labels given")
    axes[1].set_ylabel("Grad-CAM pointing game, held-out lesions")
    axes[1].set_ylim(0, 1)
    axes[1].legend(fontsize=8)
    fig.suptitle(f"{net_name}, {model_size} px, a label every {pace} s, {os.cpu_count()} cores")
    fig.tight_layout()
    fig.savefig(plot, dpi=110)
    print("plot:", plot)


if __name__ == "__main__":
    main()
