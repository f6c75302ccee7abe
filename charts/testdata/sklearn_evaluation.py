# SPDX-License-Identifier: Apache-2.0
"""The reference numbers for charts/evaluation_test.go: scikit-learn's evaluation metrics
(and numpy for the expected calibration error) on the labels and scores the test sends.

Input (stdin, JSON): {"labels": [N ints], "scores": [[K floats] x N], "bins": M,
"probabilities": bool}. Output (stdout, JSON): the confusion matrix, and per class its ROC
and precision-recall curves with AUC and average precision, each computed for that class
against the rest, with scikit-learn's warnings; the reliability bins and ECE when the
scores are probabilities. Non-finite numbers are written as the strings "inf", "-inf",
"nan" (JSON has no form for them).
"""
import json
import math
import sys
import warnings

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (average_precision_score, confusion_matrix, precision_recall_curve,
                             roc_auc_score, roc_curve)
from sklearn.preprocessing import label_binarize


def finite(v):
    """JSON for numbers, arrays and structures, with non-finite floats as strings."""
    if isinstance(v, dict):
        return {k: finite(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [finite(x) for x in v]
    if isinstance(v, np.ndarray):
        return finite(v.tolist())
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return "nan"
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        return f
    if isinstance(v, np.integer):
        return int(v)
    return v


def caught(fn, *args, **kwargs):
    """Calls fn and returns its result and the messages of the warnings it raised."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = fn(*args, **kwargs)
    return out, [str(x.message) for x in w]


def main():
    job = json.load(sys.stdin)
    y = np.asarray(job["labels"], dtype=np.int64)
    s = np.asarray(job["scores"], dtype=np.float64)
    k = s.shape[1]
    classes = list(range(k))
    pred = s.argmax(axis=1)  # the first of equal scores
    out = {"sklearn": sklearn.__version__}
    if k == 2:
        # A binary problem as scikit-learn states it: the scores of class 1.
        out["binary_auc"], _ = caught(roc_auc_score, y, s[:, 1])
    out["confusion"] = confusion_matrix(y, pred, labels=classes)
    out["normalized"], _ = caught(confusion_matrix, y, pred, labels=classes, normalize="true")

    roc, pr = [], []
    for c in classes:
        yc, sc = y == c, s[:, c]
        (fpr, tpr, thr), warn = caught(roc_curve, yc, sc)  # drop_intermediate=True
        auc, warn_auc = caught(roc_auc_score, yc, sc)
        roc.append({"fpr": fpr, "tpr": tpr, "thresholds": thr, "auc": auc, "warnings": warn + warn_auc})
        (p, r, t), warn = caught(precision_recall_curve, yc, sc)
        ap, warn_ap = caught(average_precision_score, yc, sc)
        pr.append({"precision": p, "recall": r, "thresholds": t, "ap": ap, "warnings": warn + warn_ap})
    out["roc"], out["pr"] = roc, pr
    # The same per-class numbers through scikit-learn's multiclass entry points (which
    # take two classes as one binary problem).
    if k > 2:
        out["ap_multiclass"], _ = caught(average_precision_score, label_binarize(y, classes=classes), s, average=None)
    if job["probabilities"] and k > 2:
        out["auc_ovr"], _ = caught(roc_auc_score, y, s, multi_class="ovr", average=None, labels=classes)
        out["auc_ovr_macro"], _ = caught(roc_auc_score, y, s, multi_class="ovr", average="macro", labels=classes)
    if job["probabilities"]:
        # Reliability: equal-width bins over the confidence, bin b holding (b/M, (b+1)/M]
        # and the first bin also 0; ECE = sum over bins of n_b/N |accuracy_b - confidence_b|.
        m = job["bins"]
        conf = s.max(axis=1)
        correct = (pred == y).astype(np.float64)
        edges = np.arange(m + 1) / m
        b = np.searchsorted(edges[1:-1], conf, side="left")
        count = np.bincount(b, minlength=m)
        right = np.bincount(b, weights=correct, minlength=m)
        conf_sum = np.bincount(b, weights=conf, minlength=m)
        with np.errstate(invalid="ignore", divide="ignore"):
            acc_b, conf_b = right / count, conf_sum / count
        full = count > 0
        ece = np.sum(count[full] / len(y) * np.abs(acc_b[full] - conf_b[full]))
        out["calibration"] = {"count": count, "accuracy": acc_b, "confidence": conf_b, "ece": ece}
        # scikit-learn's calibration_curve on the correctness of the top class: the same
        # bins, but with edges from linspace (i * (1/M)), which can differ from i/M in the
        # last bit: compared on scores that do not fall on edges.
        prob_true, prob_pred = calibration_curve(correct, conf, n_bins=m, strategy="uniform")
        out["calibration_curve"] = {"accuracy": prob_true, "confidence": prob_pred}
    json.dump(finite(out), sys.stdout)


if __name__ == "__main__":
    main()
