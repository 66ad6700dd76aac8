"""Scoring of `warden scan --format jsonl` findings against the labels.

Spans are half-open UTF-8 byte ranges [start, end); two spans overlap when each starts before the other
ends. A planted value is *found* when a finding of the same class overlaps it; a finding of a class is a
*true positive* when it overlaps a planted value of that class, otherwise a *false positive*.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict

from . import values as V

TIERS = {"low": 0, "medium": 1, "high": 2}

# Targets: class -> (min precision, min recall)
TARGETS = {
    V.IDS: (0.98, 0.97),
    V.PREFIXED: (0.99, 0.98),
    V.GENERIC: (0.80, 0.85),
    V.EMAIL: (0.99, 0.99),
    V.PHONE: (0.90, 0.90),
}
BENIGN_TARGETS = {"high_per_mb": 0.5, "all_per_mb": 10.0}
REQUIRED_FINDING_KEYS = ("path", "start", "end", "entity", "category", "rule", "confidence")


def classify(entity: str, category: str, overrides: dict[str, str] | None = None) -> str | None:
    """Scoring class of a finding, or None when its entity is outside the five classes."""
    if overrides and entity in overrides:
        c = overrides[entity]
        return None if c in ("", "none", "other") else c
    if entity in V.ENTITY_CLASS:
        return V.ENTITY_CLASS[entity]
    if category == "secret":
        return V.PREFIXED
    return None


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


# --------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------

class Parsed:
    """Findings read from JSONL output plus contract problems found while reading."""

    def __init__(self) -> None:
        self.findings: list[dict] = []
        self.problems: Counter = Counter()
        self.problem_examples: dict[str, str] = {}

    def problem(self, kind: str, example: str) -> None:
        self.problems[kind] += 1
        self.problem_examples.setdefault(kind, example[:300])


def parse_findings(text: str, cwd: str, corpus_root: str, file_bytes=None) -> Parsed:
    """Parse JSONL ``text``; paths are made relative to ``corpus_root`` (relative paths resolve against ``cwd``).

    ``file_bytes(rel)`` (optional) returns a file's bytes, used to check that offsets are in range and on
    UTF-8 character boundaries.
    """
    out = Parsed()
    root = os.path.realpath(corpus_root)
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            f = json.loads(line)
        except json.JSONDecodeError:
            out.problem("non-JSON line on stdout", line)
            continue
        if not isinstance(f, dict) or any(k not in f for k in REQUIRED_FINDING_KEYS):
            out.problem("finding without a required field", line)
            continue
        if f["confidence"] not in TIERS:
            out.problem("unknown confidence value", line)
            continue
        if not isinstance(f["start"], int) or not isinstance(f["end"], int) or not 0 <= f["start"] < f["end"]:
            out.problem("bad start/end", line)
            continue
        p = f["path"]
        full = os.path.realpath(p if os.path.isabs(p) else os.path.join(cwd, p))
        rel = os.path.relpath(full, root).replace(os.sep, "/")
        if rel.startswith("../"):
            out.problem("path outside the corpus", line)
            continue
        f = dict(f, file=rel)
        if file_bytes is not None:
            data = file_bytes(rel)
            if data is None:
                out.problem("path not in the corpus", line)
                continue
            if f["end"] > len(data):
                out.problem("offset past end of file", line)
                continue
            if _continuation(data, f["start"]) or _continuation(data, f["end"]):
                out.problem("offset not on a UTF-8 character boundary", line)
        out.findings.append(f)
    return out


def _continuation(data: bytes, i: int) -> bool:
    return i < len(data) and 0x80 <= data[i] < 0xC0


class FileCache:
    def __init__(self, root: str) -> None:
        self.root = root
        self._cache: dict[str, bytes | None] = {}

    def __call__(self, rel: str) -> bytes | None:
        if rel not in self._cache:
            try:
                with open(os.path.join(self.root, rel), "rb") as f:
                    self._cache[rel] = f.read()
            except OSError:
                self._cache[rel] = None
            if len(self._cache) > 4096:
                self._cache.pop(next(iter(self._cache)))
        return self._cache[rel]

    def snippet(self, rel: str, start: int, end: int, limit: int = 70) -> str:
        data = self(rel) or b""
        s = data[start:end].decode("utf-8", "replace")
        s = s.replace("\n", "\\n")
        return s if len(s) <= limit else s[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------------
# Synthetic scoring
# --------------------------------------------------------------------------------------------------

def _ratio(n: int, d: int) -> float | None:
    return None if d == 0 else n / d


def score_synthetic(labels: list[dict], findings: list[dict], min_tier: str = "low",
                    overrides: dict[str, str] | None = None, snippet=None) -> dict:
    """Precision/recall per class, per entity and per context, and hard-negative hits, over findings whose
    confidence is at least ``min_tier``."""
    rank = TIERS[min_tier]
    by_file: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for i, lab in enumerate(labels):
        by_file[lab["file"]].append((i, lab))
    found_class: set[int] = set()
    found_exact: set[int] = set()
    hn_hit: dict[str, set[int]] = {"high": set(), "any": set()}
    hn_rules: dict[str, Counter] = defaultdict(Counter)
    per_class = {c: {"findings": 0, "tp": 0, "fp": 0, "fp_cross_class": 0, "fp_hard_negative": 0,
                     "fp_unlabelled": 0} for c in V.CLASSES}
    other = Counter()
    other_on: dict[str, Counter] = defaultdict(Counter)
    fp_rules: Counter = Counter()
    fp_examples: dict[tuple, list[str]] = defaultdict(list)
    n_used = 0
    for f in findings:
        tier = TIERS[f["confidence"]]
        if tier < rank:
            continue
        n_used += 1
        cls = classify(f["entity"], f["category"], overrides)
        hits = [(i, lab) for i, lab in by_file.get(f["file"], ())
                if overlaps(f["start"], f["end"], lab["start"], lab["end"])]
        for i, lab in hits:
            if lab["kind"] == "hard_negative":
                hn_hit["any"].add(i)
                if tier == TIERS["high"]:
                    hn_hit["high"].add(i)
                    hn_rules[lab["hn_kind"]][f["rule"]] += 1
        if hits and tier < TIERS["high"] and all(
                lab["kind"] == "hard_negative" and lab["hn_kind"] == "sample_value" for _, lab in hits):
            # Published sample values (4111 1111 1111 1111, AKIAIOSFODNN7EXAMPLE, ...) are reported as "low"
            # by design (rule `test_values`); below high they are neither true nor false positives.
            continue
        if cls is None:
            other[f["entity"]] += 1
            for c in sorted({lab["class"] for _, lab in hits if lab["kind"] == "planted"}):
                other_on[f["entity"]][c] += 1
            continue
        pc = per_class[cls]
        pc["findings"] += 1
        same = [(i, lab) for i, lab in hits if lab["kind"] == "planted" and lab["class"] == cls]
        if same:
            pc["tp"] += 1
            for i, lab in same:
                found_class.add(i)
                if lab["entity"] == f["entity"] or (lab["entity"] == "DB_CONNECTION_STRING"
                                                   and f["entity"] in ("PASSWORD", "DB_CONNECTION_STRING")):
                    found_exact.add(i)
            continue
        pc["fp"] += 1
        if any(lab["kind"] == "planted" for _, lab in hits):
            kind = "cross_class"
        elif hits:
            kind = "hard_negative"
        else:
            kind = "unlabelled"
        pc["fp_" + kind] += 1
        key = (cls, f["rule"], f["entity"], kind)
        fp_rules[key] += 1
        if snippet is not None and len(fp_examples[key]) < 3:
            fp_examples[key].append(f"{f['file']}@{f['start']}: {snippet(f['file'], f['start'], f['end'])}")

    classes = {}
    for c in V.CLASSES:
        planted = [i for i, lab in enumerate(labels) if lab["kind"] == "planted" and lab["class"] == c]
        found = sum(1 for i in planted if i in found_class)
        pc = per_class[c]
        by_ctx = {}
        for ctx in ("phrase", "key", "none"):
            ids = [i for i in planted if labels[i].get("context") == ctx]
            if ids:
                by_ctx[ctx] = {"planted": len(ids), "found": sum(1 for i in ids if i in found_class)}
        classes[c] = dict(pc, planted=len(planted), found=found, recall=_ratio(found, len(planted)),
                          precision=_ratio(pc["tp"], pc["findings"]), by_context=by_ctx)
    entities = {}
    for i, lab in enumerate(labels):
        if lab["kind"] != "planted":
            continue
        e = entities.setdefault(lab["entity"], {"class": lab["class"], "planted": 0, "found": 0, "found_exact": 0})
        e["planted"] += 1
        e["found"] += i in found_class
        e["found_exact"] += i in found_exact
    for e in entities.values():
        e["recall"] = _ratio(e["found"], e["planted"])
    missed = Counter()
    missed_examples: dict[str, list[str]] = defaultdict(list)
    for i, lab in enumerate(labels):
        if lab["kind"] == "planted" and i not in found_class:
            missed[lab["entity"]] += 1
            if len(missed_examples[lab["entity"]]) < 3:
                missed_examples[lab["entity"]].append(f"{lab['file']}@{lab['start']}: {lab['value'][:70]!r} "
                                                      f"(context: {lab.get('context')}, {lab.get('template')})")
    hard = {}
    for kind in V.HN_KINDS:
        ids = [i for i, lab in enumerate(labels) if lab["kind"] == "hard_negative" and lab["hn_kind"] == kind]
        hard[kind] = {"planted": len(ids), "hits_high": sum(1 for i in ids if i in hn_hit["high"]),
                      "hits_any": sum(1 for i in ids if i in hn_hit["any"]),
                      "required_zero": kind in V.HN_REQUIRED_ZERO,
                      "rules_high": dict(hn_rules[kind].most_common(5))}
    top_fp = [{"class": k[0], "rule": k[1], "entity": k[2], "kind": k[3], "count": n, "examples": fp_examples[k]}
              for k, n in fp_rules.most_common(25)]
    return {"min_tier": min_tier, "findings_scored": n_used, "classes": classes, "entities": entities,
            "hard_negatives": hard, "other_entities": dict(other.most_common()),
            "other_entities_on_planted": {e: dict(c) for e, c in sorted(other_on.items())}, "top_false_positives": top_fp,
            "missed": dict(missed.most_common()), "missed_examples": dict(missed_examples)}


# --------------------------------------------------------------------------------------------------
# Benign scoring
# --------------------------------------------------------------------------------------------------

def score_benign(findings: list[dict], total_bytes: int, bytes_by_source: dict[str, int] | None = None,
                 ignore_entities: tuple[str, ...] = (), snippet=None, top: int = 15) -> dict:
    mb = total_bytes / 1_000_000 if total_bytes else 0.0
    used = [f for f in findings if f["entity"] not in ignore_entities]
    high = [f for f in used if f["confidence"] == "high"]
    rules: dict[str, dict] = {}
    for f in used:
        r = rules.setdefault(f["rule"], {"rule": f["rule"], "entity": f["entity"], "category": f["category"],
                                         "count": 0, "high": 0, "medium": 0, "low": 0, "examples": []})
        r["count"] += 1
        r[f["confidence"]] += 1
        if snippet is not None and len(r["examples"]) < 2:
            r["examples"].append(f"{f['file']}@{f['start']}: {snippet(f['file'], f['start'], f['end'])}")
    by_source = {}
    for src, n in sorted((bytes_by_source or {}).items()):
        fs = [f for f in used if f["file"].startswith(f"benign/{src}/")]
        smb = n / 1_000_000 if n else 0.0
        by_source[src] = {"bytes": n, "findings": len(fs),
                          "high_per_mb": (sum(1 for f in fs if f["confidence"] == "high") / smb) if smb else None,
                          "all_per_mb": (len(fs) / smb) if smb else None}
    top_rules = sorted(rules.values(), key=lambda r: (-r["count"], r["rule"]))[:top]
    return {"bytes": total_bytes, "mb": mb, "findings": len(used), "findings_high": len(high),
            "ignored_entities": list(ignore_entities), "ignored_findings": len(findings) - len(used),
            "high_per_mb": (len(high) / mb) if mb else None, "all_per_mb": (len(used) / mb) if mb else None,
            "by_tier": {t: sum(1 for f in used if f["confidence"] == t) for t in TIERS},
            "by_source": by_source, "top_rules": top_rules}


# --------------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------------

def check_targets(synthetic: dict | None, benign: dict | None) -> list[str]:
    """Human-readable list of missed targets (empty when all are met)."""
    missed = []
    if synthetic is not None:
        for c, (tp, tr) in TARGETS.items():
            m = synthetic["classes"][c]
            if m["precision"] is not None and m["precision"] < tp:
                missed.append(f"{c} precision {m['precision']:.3f} < {tp}")
            if m["recall"] is not None and m["recall"] < tr:
                missed.append(f"{c} recall {m['recall']:.3f} < {tr}")
        for kind, h in synthetic["hard_negatives"].items():
            if h["required_zero"] and h["hits_high"] > 0:
                missed.append(f"hard negative '{kind}': {h['hits_high']} hit(s) at high confidence (must be 0)")
    if benign is not None and benign["mb"]:
        if benign["high_per_mb"] > BENIGN_TARGETS["high_per_mb"]:
            missed.append(f"benign high-confidence findings {benign['high_per_mb']:.2f}/MB > "
                          f"{BENIGN_TARGETS['high_per_mb']}")
        if benign["all_per_mb"] > BENIGN_TARGETS["all_per_mb"]:
            missed.append(f"benign findings (all tiers) {benign['all_per_mb']:.2f}/MB > {BENIGN_TARGETS['all_per_mb']}")
    return missed
