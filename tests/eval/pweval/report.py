"""Tables for the console and for Markdown, built from the scoring results."""

from __future__ import annotations

from . import values as V
from .scoring import BENIGN_TARGETS, TARGETS


def _f(x, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _pct(n: int, d: int) -> str:
    return "–" if d == 0 else f"{n}/{d} ({n / d:.0%})"


class Section:
    def __init__(self, title: str, headers: list[str] | None = None, rows: list[list] | None = None,
                 lines: list[str] | None = None) -> None:
        self.title, self.headers, self.rows, self.lines = title, headers or [], rows or [], lines or []


def build_sections(info: dict, syn: dict | None, by_tier: dict | None, benign: dict | None,
                   problems: dict, missed: list[str], checked: bool) -> list[Section]:
    out: list[Section] = []
    out.append(Section("Run", lines=[f"{k}: {v}" for k, v in info.items()]))
    if syn is not None:
        rows = []
        for c in V.CLASSES:
            m = syn["classes"][c]
            tp, tr = TARGETS[c]
            ok = (m["precision"] is None or m["precision"] >= tp) and (m["recall"] is not None and m["recall"] >= tr)
            rows.append([c, m["planted"], m["found"], _f(m["recall"]), f"≥{tr}", m["findings"], m["tp"], m["fp"],
                         _f(m["precision"]), f"≥{tp}", "ok" if ok else "MISS"])
        out.append(Section(f"Synthetic corpus — findings with confidence ≥ {syn['min_tier']}",
                           ["class", "planted", "found", "recall", "target", "findings", "TP", "FP", "precision",
                            "target", "status"], rows))
        if by_tier:
            rows = []
            for c in V.CLASSES:
                row = [c]
                for t in ("low", "medium", "high"):
                    m = by_tier[t]["classes"][c]
                    row.append(f"{_f(m['precision'])} / {_f(m['recall'])}")
                rows.append(row)
            out.append(Section("Precision / recall by minimum confidence tier",
                               ["class", "≥ low", "≥ medium", "high only"], rows))
        rows = [[c, syn["classes"][c]["fp"], syn["classes"][c]["fp_cross_class"],
                 syn["classes"][c]["fp_hard_negative"], syn["classes"][c]["fp_unlabelled"]] for c in V.CLASSES]
        out.append(Section("False positives by where they landed",
                           ["class", "FP", "on a value of another class", "on a hard negative", "elsewhere"], rows))
        rows = []
        for c in V.CLASSES:
            bc = syn["classes"][c]["by_context"]
            rows.append([c] + [_pct(bc[k]["found"], bc[k]["planted"]) if k in bc else "–"
                               for k in ("phrase", "key", "none")])
        out.append(Section("Recall by context of the planted value",
                           ["class", "context phrase", "key / column name", "no context"], rows))
        rows = []
        for c in V.CLASSES:
            for e, m in sorted(syn["entities"].items()):
                if m["class"] == c:
                    rows.append([e, c, m["planted"], m["found"], _f(m["recall"]), m["found_exact"]])
        out.append(Section("Recall per planted entity (found = a finding of the same class overlaps; "
                           "same entity = reported with exactly this entity)",
                           ["entity", "class", "planted", "found", "recall", "same entity"], rows))
        rows = []
        for kind, h in syn["hard_negatives"].items():
            status = ("ok" if h["hits_high"] == 0 else "MISS") if h["required_zero"] else "info"
            rules = ", ".join(f"{r}×{n}" for r, n in h["rules_high"].items())
            rows.append([kind, h["planted"], h["hits_high"], h["hits_any"], "0" if h["required_zero"] else "–",
                         status, rules])
        out.append(Section("Hard negatives (values that must not be reported)",
                           ["kind", "planted", "hits at high", "hits any tier", "required at high", "status",
                            "rules firing at high"], rows))
        if syn["other_entities"]:
            on = syn.get("other_entities_on_planted", {})
            rows = [[e, n, ", ".join(f"{c} {k}" for c, k in sorted(on.get(e, {}).items())) or "–"]
                    for e, n in syn["other_entities"].items()]
            out.append(Section("Findings of entities outside the five classes (not scored)", [
                "entity", "findings", "of which on planted values of class"], rows, [
                "An entity that mostly lands on planted values of one class may be a naming mismatch: "
                "score it with --class-map ENTITY=CLASS."]))
        if syn["top_false_positives"]:
            rows = [[x["class"], x["rule"], x["entity"], x["kind"], x["count"], (x["examples"] or [""])[0]]
                    for x in syn["top_false_positives"][:15]]
            out.append(Section("Top false-positive rules on the synthetic corpus",
                               ["class", "rule", "entity", "landed on", "count", "example"], rows))
        if syn["missed"]:
            rows = [[e, n, (syn["missed_examples"].get(e) or [""])[0]] for e, n in list(syn["missed"].items())[:20]]
            out.append(Section("Missed planted values by entity", ["entity", "missed", "example"], rows))
    if benign is not None:
        lines = [f"sampled: {benign['mb']:.2f} MB (1 MB = 1,000,000 bytes); findings: {benign['findings']} "
                 f"(high {benign['by_tier']['high']}, medium {benign['by_tier']['medium']}, "
                 f"low {benign['by_tier']['low']})"]
        if benign["ignored_entities"]:
            lines.append(f"ignored entities: {', '.join(benign['ignored_entities'])} "
                         f"({benign['ignored_findings']} findings left out)")
        rows = [["high confidence", _f(benign["high_per_mb"], 2), f"≤{BENIGN_TARGETS['high_per_mb']}",
                 "ok" if benign["high_per_mb"] is not None and benign["high_per_mb"] <= BENIGN_TARGETS["high_per_mb"]
                 else "MISS"],
                ["all tiers", _f(benign["all_per_mb"], 2), f"≤{BENIGN_TARGETS['all_per_mb']}",
                 "ok" if benign["all_per_mb"] is not None and benign["all_per_mb"] <= BENIGN_TARGETS["all_per_mb"]
                 else "MISS"]]
        for src, s in benign["by_source"].items():
            rows.append([f"  {src} ({s['bytes'] / 1e6:.2f} MB): high / all", _f(s["high_per_mb"], 2) + " / " +
                         _f(s["all_per_mb"], 2), "", ""])
        out.append(Section("Benign corpus (real files) — findings per MB", ["", "per MB", "target", "status"], rows,
                           lines))
        if benign["top_rules"]:
            rows = [[r["rule"], r["entity"], r["count"], r["high"], r["medium"], r["low"], (r["examples"] or [""])[0]]
                    for r in benign["top_rules"]]
            out.append(Section(f"Top {len(rows)} rules on the benign corpus",
                               ["rule", "entity", "count", "high", "medium", "low", "example"], rows))
    if problems:
        out.append(Section("Output contract problems", ["problem", "count", "example"],
                           [[k, v["count"], v["example"]] for k, v in problems.items()]))
    if missed:
        out.append(Section("Result: targets MISSED", lines=["- " + m for m in missed]))
    else:
        out.append(Section("Result", lines=["all targets met" if checked or syn or benign else "nothing scored"]))
    return out


def _cell(x) -> str:
    return str(x).replace("\n", " ")


def render_text(sections: list[Section]) -> str:
    parts = []
    for s in sections:
        parts.append(f"== {s.title} ==")
        parts.extend(s.lines)
        if s.headers:
            rows = [[_cell(c) for c in r] for r in s.rows]
            rows = [r[:-1] + [r[-1] if len(r[-1]) <= 90 else r[-1][:89] + "…"] for r in rows]
            widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(s.headers)]
            num = [bool(rows) and all(_numeric(r[i]) for r in rows) for i in range(len(s.headers))]

            def fmt(cells: list[str]) -> str:
                return "  ".join(c.rjust(w) if num[i] else c.ljust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

            parts.append(fmt(s.headers))
            parts.append("  ".join("-" * w for w in widths))
            parts.extend(fmt(r) for r in rows)
        parts.append("")
    return "\n".join(parts)


def _numeric(s: str) -> bool:
    return s.replace(".", "", 1).replace("/", "").replace(" ", "").isdigit() or s in ("n/a", "–")


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|")


def render_markdown(sections: list[Section], title: str = "PromptWarden evaluation") -> str:
    parts = [f"# {title}", ""]
    for s in sections:
        parts.append(f"## {s.title}")
        parts.append("")
        for line in s.lines:
            parts.append(line if line.startswith("- ") else f"- {line}")
        if s.lines:
            parts.append("")
        if s.headers:
            parts.append("| " + " | ".join(_md_escape(h) for h in s.headers) + " |")
            parts.append("|" + "|".join("---" for _ in s.headers) + "|")
            for r in s.rows:
                cells = []
                for i, c in enumerate(r):
                    c = _md_escape(_cell(c))
                    if i == len(r) - 1 and s.headers[-1] == "example" and c:
                        c = "`" + c.replace("`", "'") + "`"
                    cells.append(c)
                parts.append("| " + " | ".join(cells) + " |")
            parts.append("")
    return "\n".join(parts)
