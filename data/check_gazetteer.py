#!/usr/bin/env python3
"""Checks data/gazetteer.tsv (see the header of that file for the format).

Usage: /usr/bin/python3 data/check_gazetteer.py [path/to/gazetteer.tsv]
Exits 0 and prints counts per kind when the file is valid; otherwise prints
every problem found and exits 1.
"""
import collections
import os
import re
import sys
import unicodedata

KINDS = ("country", "state", "city", "region", "org")
DEMONYM_KINDS = ("country", "state", "region")
CODE_REQUIRED = ("country", "state")
CODE_RE = re.compile(r"^[A-Z]{2}$")
# The one written form allowed on two entities: the U.S. state (first) and the country.
SHARED_OK = {"Georgia"}


def main(argv):
    path = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "gazetteer.tsv")
    errors = []

    def err(lineno, msg):
        errors.append(f"{path}:{lineno}: {msg}")

    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        print(f"cannot read {path}: {e}", file=sys.stderr)
        return 1
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"{path}: not UTF-8: {e}", file=sys.stderr)
        return 1
    if text.startswith("\ufeff"):
        errors.append(f"{path}: starts with a byte-order mark")
    if "\r" in text:
        errors.append(f"{path}: contains carriage returns (use LF line endings)")

    entities = []  # (lineno, kind, name, code)
    names_by_kind = collections.defaultdict(dict)  # kind -> name -> lineno
    written = collections.defaultdict(list)  # written form -> [(entity index, lineno, role)]
    demonyms = collections.defaultdict(list)  # demonym -> [(entity index, lineno)]
    country_codes = {}
    counts = collections.Counter()

    for lineno, line in enumerate(text.split("\n"), 1):
        if line == "" or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 5:
            err(lineno, f"expected 5 tab-separated columns, found {len(cols)}: {line!r}")
            continue
        kind, name, code, alias_col, demonym_col = cols
        for label, value in (("kind", kind), ("name", name), ("code", code),
                             ("aliases", alias_col), ("demonyms", demonym_col)):
            if value != value.strip():
                err(lineno, f"{label} has leading/trailing whitespace: {value!r}")
            if unicodedata.normalize("NFC", value) != value:
                err(lineno, f"{label} is not in Unicode NFC form: {value!r}")
        if kind not in KINDS:
            err(lineno, f"invalid kind {kind!r} (expected one of {', '.join(KINDS)})")
            continue
        if not name.strip():
            err(lineno, "empty canonical name")
            continue
        if "|" in name:
            err(lineno, f"canonical name contains '|': {name!r}")
        if code and not CODE_RE.match(code):
            err(lineno, f"code must be empty or two uppercase letters, got {code!r}")
        if not code and kind in CODE_REQUIRED:
            err(lineno, f"{kind} {name!r} needs a region code")
        if kind == "country" and code:
            if code in country_codes:
                err(lineno, f"country code {code} already used by {country_codes[code]!r}")
            else:
                country_codes[code] = name

        if name in names_by_kind[kind]:
            err(lineno, f"duplicate {kind} name {name!r} (first on line {names_by_kind[kind][name]})")
        else:
            names_by_kind[kind][name] = lineno

        idx = len(entities)
        entities.append((lineno, kind, name, code))
        counts[kind] += 1
        written[name].append((idx, lineno, "name"))

        def items(col, label):
            if col == "":
                return []
            parts = col.split("|")
            seen = set()
            for p in parts:
                if p == "":
                    err(lineno, f"empty item in {label} {col!r}")
                elif p != p.strip():
                    err(lineno, f"{label} item has leading/trailing whitespace: {p!r}")
                elif p in seen:
                    err(lineno, f"{label} item {p!r} repeated")
                seen.add(p)
            return [p for p in parts if p]

        for alias in items(alias_col, "alias"):
            if alias == name:
                err(lineno, f"alias {alias!r} repeats the canonical name")
                continue
            written[alias].append((idx, lineno, "alias"))
        dems = items(demonym_col, "demonym")
        if dems and kind not in DEMONYM_KINDS:
            err(lineno, f"demonyms are only allowed on {'/'.join(DEMONYM_KINDS)} rows, not {kind}")
        for d in dems:
            demonyms[d].append((idx, lineno))

    # A written form must identify one entity (Georgia excepted).
    for form, uses in written.items():
        ents = {u[0] for u in uses}
        if len(ents) > 1 and form not in SHARED_OK:
            where = ", ".join(f"line {ln} ({role} of {entities[i][1]} {entities[i][2]!r})" for i, ln, role in uses)
            errors.append(f"{path}: {form!r} is written for more than one entity: {where}")
    # Georgia: the U.S. state must come before the country.
    if "Georgia" in written:
        kinds = [(entities[i][1], entities[i][3]) for i, _, _ in sorted(written["Georgia"], key=lambda u: u[1])]
        if len(kinds) > 1 and kinds[0] != ("state", "US"):
            errors.append(f"{path}: 'Georgia' must be listed first as the U.S. state, found {kinds}")

    # A demonym belongs to one entity and is never also a place/org name or alias.
    for dem, uses in demonyms.items():
        ents = {i for i, _ in uses}
        if len(ents) > 1:
            where = ", ".join(f"line {ln} ({entities[i][2]!r})" for i, ln in uses)
            errors.append(f"{path}: demonym {dem!r} is shared: {where}")
        if dem in written:
            i, ln, role = written[dem][0]
            errors.append(f"{path}: demonym {dem!r} (line {uses[0][1]}) is also the {role} of "
                          f"{entities[i][2]!r} on line {ln}; demonyms must not be place mentions")

    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        print(f"gazetteer check FAILED: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    summary = ", ".join(f"{k} {counts[k]}" for k in KINDS)
    print(f"gazetteer OK: {sum(counts.values())} entities ({summary}); "
          f"{len(written)} written forms, {len(demonyms)} demonyms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
