#!/usr/bin/env python3
"""Compares the two packages behind data/units/ and reports where they disagree, with the source
the converter follows for each kind of disagreement; then checks that the shipped files are what
convert.py writes today. Exit status 1 when the shipped files are stale or a fact is missing.

    ../venv-units/bin/python tools/units/check.py [--before-json PATH]

--before-json: nested-divisions.json of vietnam-provinces 0.6.0 (its last list before the reform),
installed apart, e.g. `pip install --target ../vp-0.6 vietnam-provinces==0.6.0`; without it the old
list is checked against vietnamadminunits' own conversion table only.
"""

import argparse
import csv
import sys
from pathlib import Path

import convert
import sources

fold = sources.fold


def section(title):
    print(f"\n== {title}")


def predecessor_codes():
    """For each 2025 commune (by vietnamadminunits' code), the codes of the old units it came from."""
    old, new, table = sources.vau_before(), sources.vau_2025(), sources.vau_conversion()
    old_by_key = {c.key: c for c in old.communes.values()} | {d.key: d for d in old.districts.values()}
    new_by_key = {w.key: w for w in new.communes.values()}
    out = {}
    for (pkey, wkey), olds in table.whole.items():
        out.setdefault(new_by_key[f"{pkey}_{wkey}"].code, set()).update(old_by_key[k].code for k in olds)
    for old_key, targets in table.split.items():
        for pkey, wkey in targets:
            out.setdefault(new_by_key[f"{pkey}_{wkey}"].code, set()).add(old_by_key[old_key].code)
    return out


def check_2025(vau, gso):
    section("the 2025 list: vietnamadminunits vs vietnam-provinces")
    fatal = 0
    ours = {(w.parent_code, fold(w.name)): w for w in vau.communes.values()}
    theirs = {(w.parent_code, fold(w.name)): w for w in gso.communes.values()}
    print(f"provinces: {len(vau.provinces)} vs {len(gso.provinces)}; communes: {len(vau.communes)} vs {len(gso.communes)}")
    for code in sorted(set(vau.provinces) ^ set(gso.provinces)):
        print(f"  province {code} only in one package")
        fatal += 1
    for code, p in sorted(vau.provinces.items()):
        g = gso.provinces.get(code)
        # vietnam-provinces leaves out "Tỉnh" (not "Thành phố"): compare the rest.
        if g and not fold(p.name).endswith(fold(g.name)):
            print(f"  province {code}: {p.name!r} vs {g.name!r}")
    only_ours = sorted(set(ours) - set(theirs))
    only_theirs = sorted(set(theirs) - set(ours))
    for k in only_ours:
        print(f"  only in vietnamadminunits: {ours[k].name} ({k[0]})")
    for k in only_theirs:
        print(f"  only in vietnam-provinces: {theirs[k].name} ({k[0]})")
    fatal += len(only_ours) + len(only_theirs)
    if not only_ours and not only_theirs:
        print("same communes (by province and name): yes")
    codes = [(ours[k], theirs[k]) for k in sorted(set(ours) & set(theirs)) if ours[k].code != theirs[k].code]
    print(f"codes differ for {len(codes)} communes -> the converter uses vietnamadminunits' code: it is the")
    print("  statistics office's current code (Decision 19/2025/QĐ-TTg) wherever compared with a list generated")
    print("  from that office's service; marked *: vietnam-provinces' code is none of the commune's predecessors'")
    print("  (codes rotated between neighbours), vietnamadminunits' is:")
    preds = predecessor_codes()
    for a, b in codes:
        mark = "*" if b.code not in preds.get(a.code, set()) and a.code in preds.get(a.code, set()) else " "
        print(f" {mark}{a.name} ({a.parent_code}): vietnamadminunits {a.code}, vietnam-provinces {b.code}")
    spelled = [(ours[k], theirs[k]) for k in sorted(set(ours) & set(theirs)) if ours[k].name != theirs[k].name]
    print(f"spelling differs for {len(spelled)} names (tone placement, spaces, apostrophes, case) -> the converter")
    print("  uses vietnamadminunits' spelling (one tone style, no double spaces, 'Đắk Song' not 'Đắk song'):")
    for a, b in spelled:
        print(f"  {a.code}: {a.name!r} vs {b.name!r}")
    return fatal


def check_table(vau_old, vau_new, gso, table):
    section("the conversion table (carried by vietnamadminunits only)")
    print("vietnam-provinces carries no old -> new table, so the table cannot be compared between the two;")
    print("checked instead: every old unit has a successor, every new commune a predecessor, and both ends")
    print("exist in the lists (the new end in vietnam-provinces' list too).")
    fatal = 0
    old_keys = {c.key for c in vau_old.communes.values()} | {d.key for d in vau_old.districts.values()}
    new_keys = {w.key: w for w in vau_new.communes.values()}
    gso_names = {(w.parent_code, fold(w.name)) for w in gso.communes.values()}
    listed = []
    for (pkey, wkey), olds in table.whole.items():
        if f"{pkey}_{wkey}" not in new_keys:
            print(f"  unknown new commune {pkey}/{wkey}")
            fatal += 1
        listed.extend(olds)
    listed.extend(table.split)
    for k in set(listed) - old_keys:
        print(f"  unknown old unit {k}")
        fatal += 1
    twice = len(listed) - len(set(listed))
    if twice:
        print(f"  {twice} old units listed twice")
        fatal += 1
    missing = [c for c in vau_old.communes.values() if c.key not in set(listed)]
    for c in missing:
        print(f"  old commune without successor: {c.name} ({c.code})")
    fatal += len(missing)
    for new in {t for targets in table.split.values() for t in targets}:
        if f"{new[0]}_{new[1]}" not in new_keys:
            print(f"  unknown new commune in a split: {new}")
            fatal += 1
    for w in vau_new.communes.values():
        if (w.parent_code, fold(w.name)) not in gso_names:
            print(f"  successor {w.name} ({w.parent_code}) not in vietnam-provinces")
            fatal += 1
    districts = sum(1 for k in listed if k.endswith("_"))
    print(f"old units wholly in one new commune: {len(listed) - len(table.split)} ({districts} of them districts without communes); divided: {len(table.split)}")
    one_piece = [k for k, v in table.split.items() if len(set(v)) < 2]
    print(f"divided communes with fewer than two successors: {len(one_piece)}")
    fatal += len(one_piece)
    return fatal


def check_before(vau_old, path):
    section("the list before the reform: vietnamadminunits vs vietnam-provinces 0.6.0")
    if path is None:
        print("skipped (no --before-json)")
        return 0
    vp = sources.vp_before(path)
    print("vietnam-provinces 0.6.0 is the list of 2025-01-04; vietnamadminunits' list is the one the")
    print("conversion table starts from (30 June 2025): the converter follows vietnamadminunits, and")
    print("units created, merged or renamed in the first half of 2025 show up below.")
    for level, ours, theirs in (
        ("province", vau_old.provinces, vp.provinces),
        ("district", vau_old.districts, vp.districts),
        ("commune", vau_old.communes, vp.communes),
    ):
        only_ours = sorted(set(ours) - set(theirs))
        only_theirs = sorted(set(theirs) - set(ours))
        renamed = [c for c in sorted(set(ours) & set(theirs)) if fold(ours[c].name) != fold(theirs[c].name)]
        moved = [c for c in sorted(set(ours) & set(theirs)) if ours[c].parent_code != theirs[c].parent_code]
        print(f"{level}: {len(ours)} vs {len(theirs)}; only in vietnamadminunits {len(only_ours)}, only in 0.6.0 {len(only_theirs)},"
              f" named differently {len(renamed)}, under another parent {len(moved)}")
        for c in only_ours:
            print(f"  + {c} {ours[c].name}")
        for c in only_theirs:
            print(f"  - {c} {theirs[c].name}")
        for c in renamed:
            print(f"  ~ {c} {theirs[c].name!r} -> {ours[c].name!r}")
        for c in moved:
            print(f"  > {c} {ours[c].name}: {theirs[c].parent_code} -> {ours[c].parent_code}")
    return 0


def check_shipped(out: Path):
    section("the shipped files")
    before, after, successions, problems = convert.build()
    for p in problems:
        print("  problem:", p)
    stale = []
    for name, header, rows in (
        ("units-before-2025.csv", convert.HEADER, before),
        ("units-2025.csv", convert.HEADER, after),
        ("successions-2025.csv", convert.SUCCESSION_HEADER, successions),
    ):
        path = out / name
        shipped = list(csv.reader(path.open(encoding="utf-8"))) if path.exists() else []
        if shipped != [header] + [list(r) for r in rows]:
            stale.append(name)
    print("up to date with the installed packages" if not stale else f"stale (run convert.py): {', '.join(stale)}")
    # The example every reader checks first.
    rows = {(r[0], r[1], r[3]) for r in successions if r[2] == "commune"}
    hai_hung = {("commune", c, "11257") for c in ("11248", "11257", "11263")}
    print("Ngô Quyền 11248, Tân Trào 11257, Đoàn Kết 11263 -> Hải Hưng 11257:", "yes" if hai_hung <= rows else "NO")
    return len(problems) + len(stale) + (0 if hai_hung <= rows else 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before-json", type=Path)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "data" / "units")
    args = ap.parse_args()
    vau_new, vau_old, gso = sources.vau_2025(), sources.vau_before(), sources.vp_2025()
    fatal = check_2025(vau_new, gso)
    fatal += check_table(vau_old, vau_new, gso, sources.vau_conversion())
    fatal += check_before(vau_old, args.before_json)
    fatal += check_shipped(args.out)
    print("\nresult:", "ok" if fatal == 0 else f"{fatal} problem(s)")
    sys.exit(1 if fatal else 0)


if __name__ == "__main__":
    main()
