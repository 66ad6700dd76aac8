#!/usr/bin/env python3
"""Packs the built-in rule packs (rules/*.toml) for the extension: one JSON file holding every pack in
the JSON rule-file form the engine's WebAssembly build reads (it carries no TOML parser, to stay small).

The packs keep the order the engine compiles them in, read from crates/warden-core/src/builtin.rs, so the
extension and the CLI resolve overrides and overlaps the same way. Rule examples are dropped: they are
for `warden rules check`, not for scanning.

    python3 extension/build/pack-rules.py ROOT VERSION OUT.json
"""

import json
import pathlib
import re
import sys
import tomllib


def pack_order(root: pathlib.Path) -> list[str]:
    source = (root / "crates/warden-core/src/builtin.rs").read_text(encoding="utf-8")
    block = re.search(r"packs!\((.*?)\);", source, re.S)
    if not block:
        sys.exit("pack-rules: cannot find the packs!(…) list in crates/warden-core/src/builtin.rs")
    return re.findall(r'"([^"]+\.toml)"', block.group(1))


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    root, version, out = pathlib.Path(sys.argv[1]), sys.argv[2], pathlib.Path(sys.argv[3])
    order = pack_order(root)
    on_disk = sorted(p.name for p in (root / "rules").glob("*.toml"))
    if sorted(order) != on_disk:
        sys.exit(f"pack-rules: builtin.rs lists {sorted(order)} but rules/ holds {on_disk}")
    files = []
    for name in order:
        path = root / "rules" / name
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            sys.exit(f"pack-rules: rules/{name}: {e}")
        for rule in data.get("rule", []):
            rule.pop("examples", None)
        files.append({"source": f"rules/{name}", "text": json.dumps(data, ensure_ascii=False, separators=(",", ":"))})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"version": version, "files": files}, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
