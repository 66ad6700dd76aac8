#!/usr/bin/env python3
"""PromptWarden development evaluation: precision, recall and false-positive density of `warden scan`.

1. Generates a labelled synthetic corpus of realistic chat prompts with planted, checksum-valid PII and
   secrets plus hard negatives (UUIDs, git SHAs, digests, Luhn-invalid numbers, ...).
2. Samples a benign corpus of real text on this machine (Rust sources, licences, man pages).
3. Runs `warden scan --format jsonl --min-confidence low` over both.
4. Scores per class, reports hard-negative hits and benign findings per MB, and checks the targets.

Standard library only (Python 3.11+). See tests/eval/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from pweval import benign as B  # noqa: E402
from pweval import corpus as C  # noqa: E402
from pweval import report as R  # noqa: E402
from pweval import scoring as S  # noqa: E402
from pweval import values as V  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_SEED = 20240601
DEFAULT_PROMPTS = 3000
DEFAULT_BENIGN_MB = 8.0
BUILD_HINT = "cargo build --release -p warden-cli"
OUR_OUTPUTS = ("synthetic", "benign", "labels.jsonl", "manifest.json", "benign-manifest.json",
               "findings-synthetic.jsonl", "findings-benign.jsonl", "results.json")


class EvalError(Exception):
    """A problem that stops the evaluation (exit status 2)."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="evaluate.py",
        description="Evaluate `warden scan` on a generated labelled corpus and on benign real text.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"""classes scored:
  email            EMAIL_ADDRESS
  phone            PHONE_NUMBER
  ids_cards        CREDIT_CARD IBAN_CODE UK_NHS CA_SIN IN_AADHAAR BR_CPF DE_TAX_ID NL_BSN ES_NIF
                   IT_FISCAL_CODE FR_NIR PL_PESEL ABA_ROUTING_NUMBER US_NPI US_SSN
  prefixed_secret  provider-prefixed secrets, and any other entity of category "secret"
  generic_secret   GENERIC_SECRET PASSWORD DB_CONNECTION_STRING
Findings of other entities are counted but not scored.

targets (checked with --check):
  ids_cards P>=0.98 R>=0.97; prefixed_secret P>=0.99 R>=0.98; generic_secret P>=0.80 R>=0.85;
  email P>=0.99 R>=0.99; phone P>=0.90 R>=0.90; benign <=0.5 high/MB and <=10 all-tier/MB;
  no high-confidence hit on a UUID, git SHA, hex digest, Luhn-invalid 16-digit number or SSN with area
  000/666/9xx.

exit status: 0 done (and targets met with --check), 1 a target missed (--check only), 2 error.

examples:
  {BUILD_HINT}
  python3 tests/eval/evaluate.py
  python3 tests/eval/evaluate.py --check --markdown eval.md
  python3 tests/eval/evaluate.py --out /tmp/pw-eval --generate-only      # write the corpus only
  python3 tests/eval/evaluate.py --corpus /tmp/pw-eval                   # rescan an existing corpus
""")
    g = p.add_argument_group("corpus")
    g.add_argument("--seed", type=int, metavar="N", default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    g.add_argument("--prompts", type=int, metavar="N", default=DEFAULT_PROMPTS,
                   help=f"number of synthetic prompts (default {DEFAULT_PROMPTS})")
    g.add_argument("--benign-mb", type=float, metavar="MB", default=DEFAULT_BENIGN_MB,
                   help=f"size of the benign sample in MB (default {DEFAULT_BENIGN_MB:g}; 0 disables it)")
    g.add_argument("--cargo-src", default=None, metavar="DIR",
                   help="Rust sources for the benign sample (default $CARGO_HOME/registry/src or ~/.cargo/registry/src)")
    g.add_argument("--out", metavar="DIR",
                   help="write the corpora, labels, findings and results.json here and keep them "
                        "(default: a temporary directory, deleted afterwards unless --keep)")
    g.add_argument("--corpus", metavar="DIR",
                   help="reuse a corpus written earlier with --out instead of generating one")
    g.add_argument("--generate-only", action="store_true", help="write the corpus (needs --out) and stop")
    g.add_argument("--keep", action="store_true", help="keep the temporary directory and print its path")
    g = p.add_argument_group("scan")
    g.add_argument("--warden", metavar="PATH", default=None,
                   help="the warden binary (default: target/release/warden in the repository root)")
    g.add_argument("--timeout", type=float, metavar="SECONDS", default=1800, help="seconds allowed per scan (default 1800)")
    g = p.add_argument_group("scoring and output")
    g.add_argument("--tier", choices=list(S.TIERS), default="low",
                   help="minimum confidence of the findings the main table scores (default low = all)")
    g.add_argument("--class-map", action="append", default=[], metavar="ENTITY=CLASS",
                   help="score ENTITY as CLASS (one of %s, or 'other'); repeatable" % ", ".join(V.CLASSES))
    g.add_argument("--benign-ignore", action="append", default=[], metavar="ENTITY",
                   help="leave ENTITY out of the benign figures (e.g. EMAIL_ADDRESS for real maintainer "
                        "addresses); repeatable; default: nothing is left out")
    g.add_argument("--markdown", metavar="FILE", help="also write the tables as Markdown to FILE")
    g.add_argument("--json", metavar="FILE", help="also write all figures as JSON to FILE")
    g.add_argument("--check", action="store_true", help="exit 1 when any target is missed")
    g.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    args = p.parse_args(argv)
    if args.generate_only and not args.out:
        p.error("--generate-only needs --out DIR")
    if args.corpus and args.out:
        p.error("use either --corpus (reuse) or --out (generate), not both")
    if args.prompts < 1:
        p.error("--prompts must be at least 1")
    for m in args.class_map:
        ent, _, cls = m.partition("=")
        if not ent or cls not in V.CLASSES + ("other",):
            p.error(f"--class-map {m!r}: expected ENTITY=CLASS with CLASS one of {', '.join(V.CLASSES)}, other")
    return args


def log(args, msg: str) -> None:
    if not args.quiet:
        print(msg, file=sys.stderr, flush=True)


def resolve_warden(args) -> str:
    path = args.warden or os.path.join(REPO_ROOT, "target", "release", "warden")
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        if args.warden:
            raise EvalError(f"warden binary not found: {path}")
        raise EvalError(f"warden binary not found at {path}.\nBuild it first:  {BUILD_HINT}\n"
                        "(or pass --warden PATH)")
    if not os.access(path, os.X_OK):
        raise EvalError(f"warden binary is not executable: {path}")
    return path


def prepare_out_dir(path: str) -> None:
    """Make ``path`` ready for a fresh corpus: create it, or clear our own outputs from an earlier run."""
    os.makedirs(path, exist_ok=True)
    entries = set(os.listdir(path))
    foreign = entries - set(OUR_OUTPUTS)
    if foreign and "manifest.json" not in entries:
        raise EvalError(f"--out {path} is not empty and was not written by this script; choose another directory")
    for name in OUR_OUTPUTS:
        full = os.path.join(path, name)
        if os.path.isdir(full):
            shutil.rmtree(full)
        elif os.path.exists(full):
            os.remove(full)


def run_scan(warden: str, cwd: str, target: str, timeout: float) -> tuple[str, float, int]:
    cmd = [warden, "scan", "--format", "jsonl", "--min-confidence", "low", target]
    t0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise EvalError(f"`{' '.join(cmd)}` did not finish within {timeout:g} s") from None
    except OSError as e:
        raise EvalError(f"could not run {warden}: {e}") from None
    elapsed = time.monotonic() - t0
    if proc.returncode not in (0, 1):
        err = proc.stderr.decode("utf-8", "replace").strip()
        raise EvalError(f"`{' '.join(cmd)}` (in {cwd}) exited with status {proc.returncode}:\n{err[-3000:]}")
    return proc.stdout.decode("utf-8", "replace"), elapsed, proc.returncode


def dir_bytes(path: str) -> int:
    total = 0
    for dp, _, fns in os.walk(path):
        for fn in fns:
            total += os.path.getsize(os.path.join(dp, fn))
    return total


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return _main(args)
    except EvalError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


def _main(args) -> int:
    warden = None if args.generate_only else resolve_warden(args)
    overrides = {m.split("=", 1)[0]: m.split("=", 1)[1] for m in args.class_map}
    temp = None
    if args.corpus:
        root = os.path.abspath(args.corpus)
        if not os.path.isfile(os.path.join(root, "manifest.json")):
            raise EvalError(f"--corpus {root}: no manifest.json (write a corpus with --out first)")
    elif args.out:
        root = os.path.abspath(args.out)
    else:
        root = temp = tempfile.mkdtemp(prefix="pw-eval-")
    try:
        return _run(args, root, warden, overrides)
    finally:
        if temp is not None:
            if args.keep:
                print(f"corpus kept in {temp}", file=sys.stderr)
            else:
                shutil.rmtree(temp, ignore_errors=True)


def _run(args, root: str, warden: str | None, overrides: dict[str, str]) -> int:
    if not args.corpus:
        if args.out:
            prepare_out_dir(root)
        t0 = time.monotonic()
        manifest = C.generate_corpus(root, args.prompts, args.seed)
        log(args, f"generated {manifest['prompts']} prompts, {manifest['labels']} labels, "
                  f"{manifest['bytes'] / 1e6:.2f} MB in {time.monotonic() - t0:.1f} s -> {root}")
        if args.benign_mb > 0:
            t0 = time.monotonic()
            bm = B.build_benign(root, args.benign_mb, args.seed, args.cargo_src)
            log(args, f"sampled benign corpus: {bm['files']} files, {bm['bytes'] / 1e6:.2f} MB "
                      f"({', '.join(f'{k} {v / 1e6:.2f} MB' for k, v in bm['bytes_by_source'].items())}) "
                      f"in {time.monotonic() - t0:.1f} s")
            if bm["bytes"] < 0.5 * args.benign_mb * 1e6:
                log(args, "warning: the benign sample is smaller than asked (missing sources?)")
    with open(os.path.join(root, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    bm = None
    if os.path.isfile(os.path.join(root, "benign-manifest.json")) and os.path.isdir(os.path.join(root, "benign")):
        with open(os.path.join(root, "benign-manifest.json"), encoding="utf-8") as f:
            bm = json.load(f)
    if args.generate_only:
        print(f"corpus written to {root}")
        return 0

    labels = C.load_labels(root)
    cache = S.FileCache(root)
    info = {
        "warden": warden, "seed": manifest["seed"], "prompts": manifest["prompts"],
        "synthetic MB": f"{manifest['bytes'] / 1e6:.2f}",
        "planted values": sum(1 for lab in labels if lab["kind"] == "planted"),
        "hard negatives": sum(1 for lab in labels if lab["kind"] == "hard_negative"),
    }
    problems: dict[str, dict] = {}

    def absorb(parsed: S.Parsed) -> None:
        for k, n in parsed.problems.items():
            p = problems.setdefault(k, {"count": 0, "example": parsed.problem_examples[k]})
            p["count"] += n

    log(args, "scanning the synthetic corpus ...")
    out, secs, rc = run_scan(warden, root, "synthetic", args.timeout)
    with open(os.path.join(root, "findings-synthetic.jsonl"), "w", encoding="utf-8") as f:
        f.write(out)
    parsed = S.parse_findings(out, root, root, cache)
    absorb(parsed)
    if rc == 0 and parsed.findings:
        problems["exit status 0 although findings were printed"] = {"count": 1, "example": "synthetic scan"}
    info["synthetic scan"] = f"{secs:.2f} s, {len(parsed.findings)} findings, exit {rc}"
    syn_by_tier = {t: S.score_synthetic(labels, parsed.findings, t, overrides, cache.snippet) for t in S.TIERS}
    syn = syn_by_tier[args.tier]

    ben = None
    if bm is not None and args.benign_mb > 0:
        log(args, "scanning the benign corpus ...")
        bout, bsecs, brc = run_scan(warden, root, "benign", args.timeout)
        with open(os.path.join(root, "findings-benign.jsonl"), "w", encoding="utf-8") as f:
            f.write(bout)
        bparsed = S.parse_findings(bout, root, root, cache)
        absorb(bparsed)
        if brc == 0 and bparsed.findings:
            problems["exit status 0 although findings were printed"] = {"count": 1, "example": "benign scan"}
        total = dir_bytes(os.path.join(root, "benign"))
        info["benign scan"] = (f"{bsecs:.2f} s, {total / 1e6:.2f} MB, {total / 1e6 / bsecs:.1f} MB/s end to end, "
                               f"{len(bparsed.findings)} findings, exit {brc}") if bsecs > 0 else "-"
        ben = S.score_benign(bparsed.findings, total, bm.get("bytes_by_source"), tuple(args.benign_ignore),
                             cache.snippet)

    missed = S.check_targets(syn, ben)
    sections = R.build_sections(info, syn, syn_by_tier, ben, problems, missed, args.check)
    print(R.render_text(sections))
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(R.render_markdown(sections))
        log(args, f"wrote {args.markdown}")
    results = {"info": info, "synthetic": syn_by_tier, "benign": ben, "contract_problems": problems,
               "targets_missed": missed}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1, ensure_ascii=False)
    if args.out or args.corpus:
        with open(os.path.join(root, "results.json"), "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1, ensure_ascii=False)
    if args.check and missed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
