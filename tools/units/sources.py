"""Reads the facts the two PyPI packages carry, as plain tuples, for convert.py and check.py.

Only their data files are read (JSON and SQLite), never their code: what we need is the list of
units and the conversion table, not the address parser around them.

* vietnamadminunits (MIT): the 2025 list, the list before the reform (63 provinces, districts,
  communes, with GSO codes) and the old → new conversion table. The table is keyed by folded
  names ("tinhhaiduong_huyenthanhmien_xadoanket"), so keys are resolved to codes here.
* vietnam-provinces: the 2025 list as published by the statistics office (GSO/NSO), with its
  codes. Its releases before 2025 (0.6.0, data of 2025-01-04) carry the old list; one
  environment holds one version, so check.py takes that one as a path.
"""

import importlib.util
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


def package_data(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise SystemExit(f"the Python package providing '{module}' is not installed (see tools/units/README.md)")
    return Path(spec.origin).parent / "data"


# Old-style tone placement (hoà, thuỷ) and new style (hòa, thủy) name the same place; the two
# packages use different styles, so names are compared with one style.
_TONES = {}
for plain, marks in (("a", "àáảãạ"), ("e", "èéẻẽẹ"), ("y", "ỳýỷỹỵ")):
    first = {"a": "o", "e": "o", "y": "u"}[plain]
    moved = {"o": "òóỏõọ", "u": "ùúủũụ"}[first]
    for i, m in enumerate(marks):
        _TONES[first + m] = moved[i] + plain


def fold(name: str) -> str:
    """A name for comparison: one Unicode form, one tone style, one kind of apostrophe and dash,
    single spaces, lower case. Diacritics stay: Văn Lang and Văn Lăng are two communes."""
    s = unicodedata.normalize("NFC", name).lower()
    s = s.replace("’", "'").replace("‘", "'").replace("–", "-")
    s = re.sub(r"\s*-\s*", " - ", s)
    s = re.sub(r"\s+", " ", s).strip()
    for old, new in _TONES.items():
        s = s.replace(old, new)
    return s


def tidy(name: str) -> str:
    """The name as shipped: single spaces, straight apostrophes."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", name).replace("’", "'")).strip()


@dataclass
class Unit:
    code: str
    name: str
    level: str  # province, district, commune
    parent_code: str | None
    key: str = ""  # the package's key, for the conversion table


@dataclass
class Era:
    provinces: dict = field(default_factory=dict)  # code -> Unit
    districts: dict = field(default_factory=dict)
    communes: dict = field(default_factory=dict)


def vau_db() -> sqlite3.Connection:
    return sqlite3.connect(package_data("vietnamadminunits") / "dataset.db")


def vau_2025() -> Era:
    era = Era()
    rows = vau_db().execute(
        "SELECT provinceCode, province, provinceKey, wardCode, ward, wardKey FROM admin_units ORDER BY provinceCode, wardCode"
    )
    for pcode, pname, pkey, wcode, wname, wkey in rows:
        era.provinces.setdefault(pcode, Unit(pcode, tidy(pname), "province", None, pkey))
        era.communes[wcode] = Unit(wcode, tidy(wname), "commune", pcode, f"{pkey}_{wkey}")
    return era


def vau_before() -> Era:
    era = Era()
    rows = vau_db().execute(
        "SELECT provinceCode, province, provinceKey, districtCode, district, districtKey, wardCode, ward, wardKey"
        " FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
    )
    for pcode, pname, pkey, dcode, dname, dkey, wcode, wname, wkey in rows:
        era.provinces.setdefault(pcode, Unit(pcode, tidy(pname), "province", None, pkey))
        era.districts.setdefault(dcode, Unit(dcode, tidy(dname), "district", pcode, f"{pkey}_{dkey}_"))
        if wcode:
            era.communes[wcode] = Unit(wcode, tidy(wname), "commune", dcode, f"{pkey}_{dkey}_{wkey}")
    return era


@dataclass
class Conversion:
    provinces: dict  # new province key -> [old province keys]
    whole: dict  # (new province key, new ward key) -> [old keys]: old units wholly inside it
    split: dict  # old key -> [(new province key, new ward key)]: old units divided between several


def vau_conversion() -> Conversion:
    data = json.loads((package_data("vietnamadminunits") / "converter_2025.json").read_text(encoding="utf-8"))
    whole = {}
    for pkey, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, olds in wards.items():
            whole[(pkey, wkey)] = list(olds)
    split = {}
    for pkey, olds in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            split.setdefault(old, []).extend((pkey, n["newWardKey"]) for n in news)
    return Conversion(dict(data["DICT_PROVINCE"]), whole, split)


def vp_2025() -> Era:
    """vietnam-provinces ≥ 2025: provinces and communes (no districts)."""
    nested = json.loads((package_data("vietnam_provinces") / "nested-divisions.json").read_text(encoding="utf-8"))
    era = Era()
    if nested and "districts" in nested[0]:
        raise SystemExit("vietnam-provinces is a release from before the 2025 reform; install vietnam-provinces>=2025.8")
    for p in nested:
        pcode = f"{p['code']:02d}"
        era.provinces[pcode] = Unit(pcode, p["name"], "province", None)
        for w in p["wards"]:
            era.communes[f"{w['code']:05d}"] = Unit(f"{w['code']:05d}", w["name"], "commune", pcode)
    return era


def vp_before(path: Path) -> Era:
    """vietnam-provinces 0.6.0's nested-divisions.json (the old list, as of 2025-01-04)."""
    nested = json.loads(path.read_text(encoding="utf-8"))
    era = Era()
    for p in nested:
        pcode = f"{p['code']:02d}"
        era.provinces[pcode] = Unit(pcode, p["name"], "province", None)
        for d in p["districts"]:
            dcode = f"{d['code']:03d}"
            era.districts[dcode] = Unit(dcode, d["name"], "district", pcode)
            for w in d["wards"]:
                era.communes[f"{w['code']:05d}"] = Unit(f"{w['code']:05d}", w["name"], "commune", dcode)
    return era
