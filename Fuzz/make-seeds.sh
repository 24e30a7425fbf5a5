#!/usr/bin/env bash
# Builds the fuzz seed corpora from Fixtures/ and the shared corpus (../shared/corpus) into OUT/TARGET/:
#   dockerfile  every Dockerfile (BuildKit's test files and snippets, official images, real-world repos)
#   shell       every shell script (files with a sh/bash shebang, *.sh, s6/runit run, finish, up)
#   lint, fix   one FuzzArchive per Dockerfile directory: the Dockerfile, then `\n@@@ PATH\n` and the
#               bytes of each small text file beside it (scripts, supervisord.conf, s6 layouts, …)
# The corpora are generated, never committed. Usage: Fuzz/make-seeds.sh OUT
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: Fuzz/make-seeds.sh OUT}
SHARED=${FUZZ_SHARED:-../shared}
SOURCES=(Fixtures)
[[ -d $SHARED/corpus ]] && SOURCES+=("$SHARED/corpus") || echo "make-seeds: no $SHARED/corpus; seeding from Fixtures/ only" >&2
rm -rf "$OUT"
mkdir -p "$OUT"/{dockerfile,shell,lint,fix}

# A stable, collision-free name for a seed.
seed_name() { printf '%s' "$1" | cksum | cut -d' ' -f1; }

count=0
while IFS= read -r -d '' file; do
  cp "$file" "$OUT/dockerfile/$(seed_name "$file")"
  count=$((count + 1))
done < <(find "${SOURCES[@]}" -type f \( -name Dockerfile -o -name 'Dockerfile.*' -o -name '*.Dockerfile' \) \
  ! -name '*.json' ! -name '*.txt' -size -64k -print0)
echo "make-seeds: $count Dockerfile seeds" >&2

count=0
while IFS= read -r -d '' file; do
  if [[ $file == *.sh || $(basename "$file") =~ ^(run|finish|up|start|entrypoint)$ ]] ||
    head -c 64 "$file" | grep -qE '^#! ?/(usr/)?(bin/)?(env )?(ba|da|a)?sh'; then
    cp "$file" "$OUT/shell/$(seed_name "$file")"
    count=$((count + 1))
  fi
done < <(find "${SOURCES[@]}" -type f ! -name '*.json' ! -name '*.md' ! -name 'Dockerfile*' -size -64k -print0)
echo "make-seeds: $count shell seeds" >&2

count=0
while IFS= read -r -d '' dockerfile; do
  dir=$(dirname "$dockerfile")
  seed=$OUT/lint/$(seed_name "$dockerfile")
  cat "$dockerfile" >"$seed"
  total=0
  while IFS= read -r -d '' file; do
    size=$(stat -c %s "$file")
    ((size > 8192 || total + size > 24576)) && continue
    grep -Iq . "$file" 2>/dev/null || [[ $size -eq 0 ]] || continue  # text files only
    printf '\n@@@ %s\n' "${file#"$dir"/}" >>"$seed"
    cat "$file" >>"$seed"
    total=$((total + size))
  done < <(find "$dir" -type f ! -path "$dockerfile" ! -name '*.json' ! -name '*.md' ! -name 'expected*' \
    ! -name result ! -name 'Dockerfile*' -print0 | sort -z)
  cp "$seed" "$OUT/fix/"
  count=$((count + 1))
done < <(find "${SOURCES[@]}" -type f -name Dockerfile ! -path '*/buildkit-parser/*' -print0)
echo "make-seeds: $count lint/fix archives" >&2
