#!/usr/bin/env bash
# Whether a parser change leaves its output unchanged (a speed-up should):
#   scripts/parser-identity.sh [BASE_REF]   (default HEAD: checks the uncommitted change;
#                                            give the branch point to check a series of commits)
# Builds the `pledgebook` CLI of BASE_REF (a temporary git worktree) and of the
# working tree (Release, build-identity/), then parses with both and compares
# the JSON byte for byte: the corpus (tests/corpus/factsheets), the gold set,
# and variants of the corpus neither was tuned on (scripts/corpus_variants.py:
# other cases, spacing, currency and year spellings, list styles), so that a
# hand-written matcher that mirrors a pattern is checked beyond the corpus.
# Prints the documents that differ and fails if any does. ~10 minutes on 2
# cores from scratch (two builds).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
base=${1:-HEAD}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
build() {  # SOURCE_DIR BUILD_DIR
  cmake -S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPLEDGEBOOK_BUILD_TESTS=OFF \
    -DPLEDGEBOOK_BUILD_BENCH=OFF >/dev/null
  cmake --build "$2" -j "${JOBS:-2}" --target pledgebook >/dev/null
}
git worktree add --detach "$work/base" "$base" >/dev/null
echo "building the CLI of $base and of the working tree"
build "$work/base" "$work/base-build"
build "$root" "$root/build-identity"
old=$work/base-build/cli/pledgebook
new=$root/build-identity/cli/pledgebook
python3 scripts/corpus_variants.py tests/corpus/factsheets "$work/variants"
differ=0 total=0
for f in tests/corpus/factsheets/* tests/gold/*/*.txt tests/gold/*/*.md tests/gold/*/*.html tests/gold/*.txt \
         "$work"/variants/*; do
  [ -f "$f" ] || continue
  total=$((total + 1))
  if ! cmp -s <("$old" parse "$f" --format=json 2>&1) <("$new" parse "$f" --format=json 2>&1); then
    echo "differs: $f"
    differ=$((differ + 1))
  fi
done
if ! cmp -s <("$old" eval tests/gold 2>&1) <("$new" eval tests/gold 2>&1); then
  echo "differs: the eval table of tests/gold"
  differ=$((differ + 1))
fi
echo "$differ of $total documents (and the eval table) differ from $base"
[ "$differ" -eq 0 ]
