"""Benign corpus: a deterministic, size-capped sample of real text on this machine.

Sources: Rust sources under the Cargo registry (``$CARGO_HOME/registry/src``), the licence texts in
``/usr/share/common-licenses`` and raw roff text of section-1 man pages (``/usr/share/man/man1/*.gz``).
Files are copied (man pages decompressed) into ``OUT/benign/{rust,licenses,man}/`` so the scan sees
exactly the sampled bytes. Only files that decode as UTF-8 are used.
"""

from __future__ import annotations

import gzip
import json
import os
import random

MAX_FILE = 256 * 1024  # skip larger single files so the sample stays varied
RUST_SHARE = 0.60
LICENSE_SHARE_CAP = 0.10


def default_cargo_src() -> str:
    home = os.environ.get("CARGO_HOME") or os.path.join(os.path.expanduser("~"), ".cargo")
    return os.path.join(home, "registry", "src")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _rust_files(root: str) -> list[str]:
    out = []
    if not os.path.isdir(root):
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "target")
        for fn in sorted(filenames):
            if fn.endswith(".rs") and not fn.startswith("."):
                out.append(os.path.join(dirpath, fn))
    out.sort()
    return out


def _unique_files(paths: list[str]) -> list[str]:
    seen, out = set(), []
    for p in sorted(paths):
        rp = os.path.realpath(p)
        if rp in seen or not os.path.isfile(rp):
            continue
        seen.add(rp)
        out.append(p)
    return out


def _safe_name(rel: str) -> str:
    return rel.replace(os.sep, "/").lstrip("/")


def build_benign(out_dir: str, total_mb: float, seed: int, cargo_src: str | None = None,
                 licenses_dir: str = "/usr/share/common-licenses", man_dir: str = "/usr/share/man/man1") -> dict:
    """Sample about ``total_mb`` MB (1 MB = 1,000,000 bytes) into ``out_dir/benign``; return a manifest."""
    budget = int(total_mb * 1_000_000)
    rng = random.Random(seed ^ 0x5EED)
    root = os.path.join(out_dir, "benign")
    files: list[dict] = []
    used = {"rust": 0, "licenses": 0, "man": 0}

    def write(source: str, rel: str, data: bytes, origin: str) -> None:
        dest = os.path.join(root, source, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as f:
            f.write(data)
        used[source] += len(data)
        files.append({"file": f"benign/{source}/{rel}", "source": source, "origin": origin, "bytes": len(data)})

    # Licences: all of them (deduplicated), capped.
    lic_cap = int(budget * LICENSE_SHARE_CAP)
    if os.path.isdir(licenses_dir):
        for p in _unique_files([os.path.join(licenses_dir, f) for f in os.listdir(licenses_dir)]):
            with open(p, "rb") as f:
                data = f.read()
            if not _is_utf8(data) or used["licenses"] + len(data) > lic_cap:
                continue
            write("licenses", os.path.basename(p), data, p)

    # Rust sources: seeded sample of sorted paths.
    cargo_src = cargo_src or default_cargo_src()
    rust_budget = int(budget * RUST_SHARE)
    rust = _rust_files(cargo_src)
    rng.shuffle(rust)
    for p in rust:
        if used["rust"] >= rust_budget - 2048:
            break
        try:
            size = os.path.getsize(p)
        except OSError:
            continue
        if size == 0 or size > MAX_FILE or used["rust"] + size > rust_budget:
            continue
        with open(p, "rb") as f:
            data = f.read()
        if _is_utf8(data):
            write("rust", _safe_name(os.path.relpath(p, cargo_src)).split("/", 1)[-1], data, p)

    # Man pages: the rest of the budget.
    man_budget = budget - used["rust"] - used["licenses"]
    if os.path.isdir(man_dir):
        pages = _unique_files([os.path.join(man_dir, f) for f in os.listdir(man_dir) if f.endswith(".gz")])
        rng.shuffle(pages)
        for p in pages:
            if used["man"] >= man_budget - 2048:
                break
            try:
                with gzip.open(p, "rb") as f:
                    data = f.read(MAX_FILE + 1)
            except (OSError, EOFError):
                continue
            if not data or len(data) > MAX_FILE or used["man"] + len(data) > man_budget or not _is_utf8(data):
                continue
            write("man", os.path.basename(p)[:-3], data, p)

    manifest = {"seed": seed, "budget_bytes": budget, "bytes": sum(used.values()), "bytes_by_source": used,
                "files": len(files), "cargo_src": cargo_src, "file_list": files}
    with open(os.path.join(out_dir, "benign-manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
    return manifest
