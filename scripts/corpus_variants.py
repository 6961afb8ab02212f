#!/usr/bin/env python3
"""Writes variants of fact sheets that a parser change has not been tuned on, for
scripts/parser-identity.sh:  corpus_variants.py CORPUS_DIR OUT_DIR

Each of the first 120 plain-text documents in upper, lower and title case, with
its spacing changed (double spaces, line breaks, no-break spaces), its amounts
and years respelled ("US$", "€", "5M", "bn", "FY24", "2022–2024"), its
sentences as list items in every bullet style, and sentences shuffled across
documents; the first 100 Markdown and HTML documents in upper and lower case
and with respelled amounts. Deterministic (fixed seed)."""
import os
import random
import re
import sys

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
rng = random.Random(7)


def read(name):
    with open(os.path.join(src, name), encoding="utf-8", errors="replace") as f:
        return f.read()


def respell(text):
    text = re.sub(
        r"\$(\d+(?:\.\d+)?) (million|billion)",
        lambda m: rng.choice(["US$", "USD ", "$", "C$", "MX$", "€", "£"]) + m.group(1)
        + rng.choice([" " + m.group(2), m.group(2)[0].upper(), " " + m.group(2).upper(), "bn", " mn"]),
        text)
    return re.sub(r"\b(19|20)(\d\d)\b",
                  lambda m: rng.choice([m.group(0), "FY" + m.group(2), m.group(0) + "–" + str(int(m.group(0)) + 2)]),
                  text)


def split(text):
    return re.split(r"(?<=[.!?])\s+", text)


def write(name, text):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(text)


names = sorted(os.listdir(src))
plain = [n for n in names if n.endswith(".txt")]
marked = [n for n in names if n.endswith(".md") or n.endswith(".html")]
sentences = [s for n in plain for s in split(read(n)) if len(s) > 20]
count = 0
for i, name in enumerate(plain[:120]):
    text = read(name)
    variants = {
        "upper": text.upper(),
        "lower": text.lower(),
        "title": text.title(),
        "spacing": re.sub(" ", lambda m: rng.choice([" ", "  ", "\n", " \u00a0"]), text),
        "respelled": respell(text),
        "bullets": "\n".join(rng.choice(["• ", "- ", "* ", "1. ", "(a) ", "i. ", ""]) + s for s in split(text)),
        "shuffled": "\n\n".join(rng.sample(sentences, 40)),
    }
    for kind, variant in variants.items():
        write(f"{i:03d}-{kind}.txt", variant)
        count += 1
for i, name in enumerate(marked[:100]):
    text, ext = read(name), os.path.splitext(name)[1]
    for kind, variant in {"upper": text.upper(), "lower": text.lower(), "respelled": respell(text)}.items():
        write(f"{i:03d}-{kind}{ext}", variant)
        count += 1
print(f"{count} variants in {out}")
