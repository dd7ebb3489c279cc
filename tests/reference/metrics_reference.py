#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Independent reference values for camlabel's evaluation metrics, computed with scikit-learn.

Run with Debian's python3-sklearn and python3-numpy (no other dependency):
    /usr/bin/python3 tests/reference/metrics_reference.py > tests/data/learning/metrics_reference.json
The output is committed, so the C++ tests need no Python.

Each case holds the inputs (true classes, predicted classes, probability rows) and sklearn's
figures. Where sklearn has no value camlabel reports none either (JSON null): recall of a class
absent from the truth and precision of a class never predicted (sklearn: 0 with a warning), the
AUC of a class absent from the truth (sklearn raises). The macro AUC is sklearn's
roc_auc_score(multi_class="ovr", average="macro") when every class occurs in the truth, else the
mean of sklearn's binary roc_auc_score over the classes that occur.
"""
import json
import re
import warnings

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, cohen_kappa_score, confusion_matrix,
                             precision_score, recall_score, roc_auc_score)


def dirichlet_rows(rng, n, k, concentration=1.0):
    return rng.dirichlet(np.full(k, concentration), size=n)


def case_random(rng):
    """Probabilities that lean towards the truth; prediction = argmax."""
    k, n = 4, 60
    truth = rng.integers(0, k, size=n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), truth] += 1.2
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return "random_4_classes", k, truth, probs.argmax(axis=1), probs


def case_ties(rng):
    """Rows drawn from a palette of five, so every column is full of tied scores."""
    k, n = 3, 40
    palette = np.array([[0.5, 0.25, 0.25], [0.25, 0.5, 0.25], [0.25, 0.25, 0.5],
                        [0.5, 0.375, 0.125], [0.125, 0.375, 0.5]])
    truth = rng.integers(0, k, size=n)
    pick = np.where(rng.random(n) < 0.6, truth, rng.integers(0, len(palette), size=n))
    probs = palette[pick]
    # A prediction that is not always the argmax (the first of tied maxima is not a rule here).
    predicted = np.where(rng.random(n) < 0.8, probs.argmax(axis=1), rng.integers(0, k, size=n))
    return "tied_scores", k, truth, predicted, probs


def case_absent(rng):
    """Class 3 of 5 never occurs in the truth but is sometimes predicted."""
    k, n = 5, 50
    truth = rng.choice([0, 1, 2, 4], size=n)
    probs = dirichlet_rows(rng, n, k)
    probs[np.arange(n), truth] += 0.5
    probs /= probs.sum(axis=1, keepdims=True)
    predicted = probs.argmax(axis=1)
    predicted[rng.random(n) < 0.15] = 3
    return "class_absent_from_truth", k, truth, predicted, probs


def case_perfect(rng):
    k, n = 4, 24
    truth = np.tile(np.arange(k), n // k)
    rng.shuffle(truth)
    probs = np.full((n, k), 0.1 / (k - 1))
    probs[np.arange(n), truth] = 0.9
    return "perfect", k, truth, truth.copy(), probs


def case_chance(rng):
    """Predictions and probabilities independent of the truth."""
    k, n = 10, 200
    truth = rng.integers(0, k, size=n)
    probs = dirichlet_rows(rng, n, k)
    return "chance_10_classes", k, truth, rng.integers(0, k, size=n), probs


def case_constant(rng):
    """The model always says class 0: kappa 0, precision of the other classes undefined."""
    k, n = 3, 30
    truth = rng.integers(0, k, size=n)
    probs = dirichlet_rows(rng, n, k, concentration=2.0)
    return "constant_prediction", k, truth, np.zeros(n, dtype=int), probs


def case_inverted(rng):
    """Two classes with the scores ordered exactly the wrong way: AUC 0, kappa -1."""
    truth = np.array([0, 1, 0, 1, 1, 0, 0, 1])
    p1 = np.where(truth == 1, 0.2, 0.8) + rng.uniform(-0.1, 0.1, size=truth.size)
    probs = np.stack([1 - p1, p1], axis=1)
    return "inverted_binary", 2, truth, 1 - truth, probs


def case_single_class(rng):
    """Every sample is of class 1: no class has both positives and negatives, so no AUC."""
    k, n = 3, 12
    truth = np.ones(n, dtype=int)
    probs = dirichlet_rows(rng, n, k)
    return "single_class_truth", k, truth, probs.argmax(axis=1), probs


def compact_lists(text):
    """json.dumps(indent=1) with every innermost list on one line, to keep the file readable."""
    return re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]",
                  text)


def describe(name, k, truth, predicted, probs):
    labels = list(range(k))
    truth = np.asarray(truth, dtype=int)
    predicted = np.asarray(predicted, dtype=int)
    present = [c for c in labels if np.any(truth == c) and np.any(truth != c)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        recall = recall_score(truth, predicted, labels=labels, average=None, zero_division=0)
        precision = precision_score(truth, predicted, labels=labels, average=None,
                                    zero_division=0)
        kappa = cohen_kappa_score(truth, predicted)
    auc = [None] * k
    for c in present:
        auc[c] = float(roc_auc_score(truth == c, probs[:, c]))
    if len(present) == k == 2:
        macro = float(roc_auc_score(truth, probs[:, 1]))  # sklearn's binary form of the same
    elif len(present) == k:
        macro = float(roc_auc_score(truth, probs, multi_class="ovr", average="macro",
                                    labels=labels))
    else:
        macro = float(np.mean([auc[c] for c in present])) if present else None
    return {
        "name": name,
        "class_count": k,
        "truth": truth.tolist(),
        "predicted": predicted.tolist(),
        "probabilities": probs.tolist(),
        "expected": {
            "accuracy": float(accuracy_score(truth, predicted)),
            "recall": [float(r) if np.any(truth == c) else None for c, r in enumerate(recall)],
            "precision": [float(p) if np.any(predicted == c) else None
                          for c, p in enumerate(precision)],
            "auc": auc,
            "macro_auc": macro,
            "kappa": None if np.isnan(kappa) else float(kappa),
            "confusion": confusion_matrix(truth, predicted, labels=labels).tolist(),
        },
    }


def main():
    rng = np.random.default_rng(20261201)
    cases = [describe(*make(rng)) for make in (case_random, case_ties, case_absent, case_perfect,
                                                case_chance, case_constant, case_inverted,
                                                case_single_class)]
    print(compact_lists(json.dumps({"generator": "scikit-learn " + sklearn.__version__ + ", numpy " +
                      np.__version__, "cases": cases}, indent=1)))


if __name__ == "__main__":
    main()
