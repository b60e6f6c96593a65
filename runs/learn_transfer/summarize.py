"""The transfer table of issue 23 from run.sh's JSON outputs (markdown on standard output)."""
import json


def fmt(s, key):
    v, ci = s[key], s.get(key + "_ci")
    return f"{v:.2f} [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else f"{v:.2f}"


def row(label, scores):
    """scores: selection name -> score object (all, Cu, Zr)"""
    a = scores["all"]
    return (f"| {label} | {a['n']} | {fmt(a, 'r')} | {fmt(a, 'r2')} | {fmt(a, 'auc')} | "
            f"{fmt(scores['Cu'], 'r')} | {fmt(scores['Zr'], 'r')} |")


def cv_scores(path, radius):
    d = json.load(open(path))
    out = {}
    for sel in d["selections"]:
        for r in sel["radii"]:
            if r["radius"] == radius:
                out[sel["name"]] = r["model"]
    return out


def transfer_scores(path):
    d = json.load(open(path))
    return {s["name"]: s["score"] for s in d["scores"]["selections"]}


print("| model (features to R = 6 Å) | atoms scored | r | R² | AUC top/bottom 5 % | Cu r | Zr r |")
print("|---|---|---|---|---|---|---|")
for m in ("ridge", "xgboost"):
    for g in (1, 2):
        o = 3 - g
        print(row(f"{m}: glass {g}, cross-validated in itself", cv_scores(f"cv_{m}_{g}.json", 6)))
        print(row(f"{m}: trained on glass {g}, scored on glass {o}", transfer_scores(f"transfer_{m}_{g}to{o}.json")))
