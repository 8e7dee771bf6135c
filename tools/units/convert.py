#!/usr/bin/env python3
"""Writes the official administrative units that hoagiai ships (data/units/*.csv) from the facts
carried by the PyPI packages vietnamadminunits and vietnam-provinces. See docs/units.md.

    python3 -m venv ../venv-units && ../venv-units/bin/pip install vietnamadminunits 'vietnam-provinces>=2025.8'
    ../venv-units/bin/python tools/units/convert.py          # rewrites data/units/
    ../venv-units/bin/python tools/units/check.py            # where the two packages disagree

Which source gives what, and why:
* the 2025 list: vietnamadminunits (codes, names, provinces). vietnam-provinces names exactly the
  same 3,321 communes (matched by province and name, which this script requires), but for 123 of
  them gives another code. vietnamadminunits' codes are the ones of the statistics office's
  current list (Decision 19/2025/QĐ-TTg) wherever we compared them with a list generated from that
  office's service (e.g. Phường Cửa Nam, Hà Nội: 00082, not 00073), and where vietnam-provinces'
  codes are rotated between neighbouring communes (Lý Quốc, Hạ Lang and Vinh Quý in Cao Bằng; Phủ
  Lý, Phù Vân and Châu Sơn in Ninh Bình) vietnamadminunits gives each commune the code of one of its
  own predecessors. Its names are the tidier ones too (no double spaces, one tone style).
* the list before the reform and the conversion table: vietnamadminunits alone (vietnam-provinces
  carries no conversion table, and its last old list is of 2025-01-04, before the changes of early
  2025). Its table is keyed by names; the keys are resolved to codes through its own old list.
check.py lists every disagreement.
"""

import argparse
import csv
import sys
from pathlib import Path

import sources

EFFECTIVE = "2025-07-01"
# Not carried by the packages: the National Assembly's resolution on the provinces
# (Nghị quyết 202/2025/QH15 of 12 June 2025). The communes were arranged by one resolution of the
# Standing Committee per province, which the packages do not name either: left empty.
PROVINCE_BASIS = "Nghị quyết 202/2025/QH15"
HEADER = ["code", "name", "level", "parent_code", "valid_from", "valid_to"]
SUCCESSION_HEADER = ["from_level", "from_code", "to_level", "to_code", "kind", "effective_date", "legal_basis"]


def build():
    new = sources.vau_2025()
    gso = sources.vp_2025()
    old = sources.vau_before()
    table = sources.vau_conversion()
    problems = []

    # Both packages must name the same communes; where their codes differ, vietnamadminunits'
    # are the official ones (see above and check.py).
    gso_names = {(w.parent_code, sources.fold(w.name)) for w in gso.communes.values()}
    for w in new.communes.values():
        if (w.parent_code, sources.fold(w.name)) not in gso_names:
            problems.append(f"2025 commune {w.name} ({w.parent_code}) is not in vietnam-provinces")
    if len(gso_names) != len(new.communes):
        problems.append("the two packages do not name the same number of 2025 communes")
    for p in new.provinces:
        if p not in gso.provinces:
            problems.append(f"2025 province {p} is not in vietnam-provinces")

    # Provinces. The 11 that the reform left alone (their only predecessor is themselves, same
    # code, same name) stay one unit; the 23 merged ones are new units whose predecessors all
    # (the namesake too) have a `merge` succession. See docs/units.md.
    old_province_by_key = {p.key: p for p in old.provinces.values()}
    new_province_by_key = {p.key: p for p in new.provinces.values()}
    continuing = set()
    successions = []
    for new_key, old_keys in sorted(table.provinces.items()):
        target = new_province_by_key[new_key]
        predecessors_ = [old_province_by_key[k] for k in old_keys]
        if len(predecessors_) == 1 and predecessors_[0].code == target.code and predecessors_[0].name == target.name:
            continuing.add(target.code)
            continue
        for s in predecessors_:
            successions.append(("province", s.code, "province", target.code, "merge", EFFECTIVE, PROVINCE_BASIS))

    # Communes: the table names, for each new commune, the old units wholly inside it, and for
    # each old commune divided between several new ones, those new ones.
    old_by_key = {c.key: c for c in old.communes.values()}
    old_by_key.update({d.key: d for d in old.districts.values()})  # island districts with no communes
    new_by_key = {w.key: w for w in new.communes.values()}
    predecessors = {}  # new code -> [(old unit, whole?)]
    for (pkey, wkey), old_keys in table.whole.items():
        target = new_by_key[f"{pkey}_{wkey}"]
        for k in old_keys:
            predecessors.setdefault(target.code, []).append((old_by_key[k], True))
    for old_key, targets in table.split.items():
        unit = old_by_key[old_key]
        seen = set()
        for pkey, wkey in targets:
            target = new_by_key[f"{pkey}_{wkey}"]
            if target.code not in seen:
                seen.add(target.code)
                predecessors.setdefault(target.code, []).append((unit, False))
        if len(seen) < 2:
            problems.append(f"{unit.name} ({unit.code}) is listed as divided but has {len(seen)} successor(s)")
    covered = {}
    for new_code, preds in sorted(predecessors.items()):
        target = new.communes[new_code]
        alone = len(preds) == 1 and preds[0][1]
        for unit, whole in preds:
            if not whole:
                kind = "split"
            elif alone:
                # Only its place changed (its district is gone), or its name too.
                kind = "transfer" if unit.name == target.name else "rename"
            else:
                kind = "merge"
            successions.append((unit.level, unit.code, "commune", new_code, kind, EFFECTIVE, ""))
            covered[(unit.level, unit.code)] = covered.get((unit.level, unit.code), 0) + 1
    for c in old.communes.values():
        if ("commune", c.code) not in covered:
            problems.append(f"old commune {c.name} ({c.code}) has no successor in the table")
    missing_new = [w.name for w in new.communes.values() if w.code not in predecessors]
    if missing_new:
        problems.append(f"new communes without a predecessor: {missing_new}")

    before = []
    for p in old.provinces.values():
        before.append([p.code, p.name, "province", "", "", "" if p.code in continuing else EFFECTIVE])
    for d in old.districts.values():
        before.append([d.code, d.name, "district", d.parent_code, "", EFFECTIVE])
    for c in old.communes.values():
        before.append([c.code, c.name, "commune", c.parent_code, "", EFFECTIVE])
    after = []
    for p in new.provinces.values():
        after.append([p.code, p.name, "province", "", "" if p.code in continuing else EFFECTIVE, ""])
    for w in new.communes.values():
        after.append([w.code, w.name, "commune", w.parent_code, EFFECTIVE, ""])
    order = {"province": 0, "district": 1, "commune": 2}
    before.sort(key=lambda r: (order[r[2]], r[0]))
    after.sort(key=lambda r: (order[r[2]], r[0]))
    successions.sort(key=lambda r: (order[r[0]], r[1], r[3]))
    return before, after, successions, problems


def write(path: Path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "data" / "units")
    args = ap.parse_args()
    before, after, successions, problems = build()
    if problems:
        for p in problems:
            print("problem:", p, file=sys.stderr)
        sys.exit(1)
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "units-before-2025.csv", HEADER, before)
    write(args.out / "units-2025.csv", HEADER, after)
    write(args.out / "successions-2025.csv", SUCCESSION_HEADER, successions)
    count = lambda rows, level: sum(1 for r in rows if r[2] == level)  # noqa: E731
    kinds = {}
    for s in successions:
        kinds[(s[0], s[4])] = kinds.get((s[0], s[4]), 0) + 1
    print(f"before the reform: {count(before, 'province')} provinces, {count(before, 'district')} districts, {count(before, 'commune')} communes")
    print(f"from {EFFECTIVE}: {count(after, 'province')} provinces, {count(after, 'commune')} communes")
    print("successions: " + ", ".join(f"{n} {level} {kind}" for (level, kind), n in sorted(kinds.items())))


if __name__ == "__main__":
    main()
