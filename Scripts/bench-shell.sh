#!/usr/bin/env bash
# Shows that the shell parser's time grows linearly with the script's size: generates a 10,000-line and a
# 100,000-line script from the same 20-line block (functions, if/elif/else, case, loops, pipelines,
# redirections, here-documents, expansions, background jobs), builds the `shell-bench` tool in release
# mode (no tests), and times parsing plus indexing of each.
#
#   Scripts/bench-shell.sh [--repeat N]
set -euo pipefail
cd "$(dirname "$0")/.."

repeat=5
if [ "${1:-}" = "--repeat" ]; then repeat=$2; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

generate() {
  local lines=$1 out=$2
  awk -v blocks=$((lines / 20)) 'BEGIN {
    print "#!/bin/bash"
    for (i = 0; i < blocks; i++) {
      printf "f_%d() {\n", i
      printf "  local x=\"${1:-default}\" y=$(printf %%s \"$2\")\n"
      printf "  if [ -n \"$x\" ] && [[ $y == a* ]]; then\n"
      printf "    echo \"value: $x $((%d + 1))\" >> /tmp/log 2>&1\n", i
      printf "  elif [ \"$x\" = b ]; then\n"
      printf "    case \"$y\" in\n"
      printf "      a|b) exec gosu app tool --flag \"$y\" ;;\n"
      printf "      *) other \"${arr[@]}\" | grep -v foo ;;\n"
      printf "    esac\n"
      printf "  else\n"
      printf "    while read -r line; do echo \"$line\"; done < /etc/passwd\n"
      printf "  fi\n"
      printf "  cat <<EOF > /tmp/conf_%d\n", i
      printf "[section]\n"
      printf "key = $x\n"
      printf "EOF\n"
      printf "}\n"
      printf "f_%d a b & pid_%d=$!\n", i, i
      printf "trap %ckill $pid_%d%c TERM INT\n", 39, i, 39
      printf "wait -n \"$pid_%d\" || echo \"job %d ended: $?\"\n", i, i
    }
  }' > "$out"
}

generate 10000 "$work/10k.sh"
generate 100000 "$work/100k.sh"
bash -n "$work/10k.sh"
bash -n "$work/100k.sh"

swift build -c release --product shell-bench 2>&1 | tail -1
bin=$(swift build -c release --product shell-bench --show-bin-path)/shell-bench

out10=$("$bin" --repeat "$repeat" "$work/10k.sh")
out100=$("$bin" --repeat "$repeat" "$work/100k.sh")
echo "$out10" | sed "s|$work/||"
echo "$out100" | sed "s|$work/||"
ms10=$(echo "$out10" | sed -E 's/.*: ([0-9.]+) ms$/\1/')
ms100=$(echo "$out100" | sed -E 's/.*: ([0-9.]+) ms$/\1/')
awk -v a="$ms10" -v b="$ms100" 'BEGIN {
  printf "100k/10k time ratio: %.1f (10x the input; linear is about 10)\n", b / a
}'
