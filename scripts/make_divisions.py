"""Regenerate graph/data/divisions.tsv, the administrative-division table govkg ships.

Source: the GB/T 2260 codes carried by the `cpca` package (its resources/adcodes.csv), a
dev-time dependency only (``pip install cpca``). Placeholder rows (市辖区, 县, 省直辖县级行政区划)
are dropped and every division gets its parent's code; ``divisions_updates.tsv`` beside the
output lists changes made after cpca's table was drawn (e.g. 监利县 became 监利市 in 2020).

Usage: python scripts/make_divisions.py
"""

from __future__ import annotations

import csv
from importlib.resources import files
from pathlib import Path

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
OUT = Path(__file__).resolve().parent.parent / "graph" / "data"


def main() -> None:
    src = files("cpca").joinpath("resources/adcodes.csv").read_text(encoding="utf-8")
    names = {r["adcode"][:6]: r["name"] for r in csv.DictReader(src.splitlines())}
    for row in csv.DictReader((OUT / "divisions_updates.tsv").open(encoding="utf-8"), delimiter="\t"):
        if row["old_code"]:
            names.pop(row["old_code"], None)
        names[row["code"]] = row["name"]
    out = []
    for code, name in sorted(names.items()):
        if name in PLACEHOLDERS:
            continue
        if code.endswith("0000"):
            level, parent = "province", ""
        elif code.endswith("00"):
            level, parent = "prefecture", code[:2] + "0000"
        else:
            level = "county"
            parent = code[:4] + "00"
            if names.get(parent, "市辖区") in PLACEHOLDERS:
                parent = code[:2] + "0000"
        out.append((code, name, parent, level))
    with (OUT / "divisions.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("code\tname\tparent\tlevel\n")
        for row in out:
            fh.write("\t".join(row) + "\n")
    print(f"wrote {len(out)} divisions to {OUT / 'divisions.tsv'}")


if __name__ == "__main__":
    main()
