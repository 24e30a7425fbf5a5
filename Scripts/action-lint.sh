#!/bin/bash
# The lint step of the GitHub Action (action.yml): one `dockadvise lint` run that writes the
# annotations (or another format) to the log and a SARIF report to a file, and records the status
# instead of failing, so that the SARIF upload still runs; the action's last step fails on it.
#
# Environment (the action's inputs): PATHS (blank- or newline-separated, default .), FORMAT (default
# github: workflow commands GitHub turns into annotations on the pull request), FAIL_ON (error,
# warning, info, style, none), CONFIG (a .dockadvise.json), SARIF_FILE (empty: no SARIF), ARGS (more
# lint options, split on blanks), DOCKADVISE (the binary, default dockadvise on PATH).
# Writes exit-code= and sarif-file= to $GITHUB_OUTPUT when it is set. Exit status: 0, or 2 when the
# run itself failed (bad input or usage), so a broken configuration is not mistaken for findings.
set -uo pipefail
dockadvise=${DOCKADVISE:-dockadvise}
arguments=(lint --format "${FORMAT:-github}")
if [[ -n "${SARIF_FILE:-}" ]]; then
  mkdir -p "$(dirname "$SARIF_FILE")"
  arguments+=(--format sarif --output "$SARIF_FILE")
fi
[[ -z "${FAIL_ON:-}" ]] || arguments+=(--fail-on "$FAIL_ON")
[[ -z "${CONFIG:-}" ]] || arguments+=(--config "$CONFIG")
read -r -a extra <<<"${ARGS:-}"
arguments+=("${extra[@]}")
paths=()
while IFS= read -r line; do
  for word in $line; do paths+=("$word"); done
done <<<"${PATHS:-.}"
[[ ${#paths[@]} -gt 0 ]] || paths=(.)

echo "action-lint: $dockadvise ${arguments[*]} ${paths[*]}" >&2
status=0
"$dockadvise" "${arguments[@]}" "${paths[@]}" || status=$?
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  echo "exit-code=$status" >>"$GITHUB_OUTPUT"
  if [[ -n "${SARIF_FILE:-}" && -s "$SARIF_FILE" ]]; then echo "sarif-file=$SARIF_FILE" >>"$GITHUB_OUTPUT"; fi
fi
echo "action-lint: exit status $status (0 clean, 1 findings at or above fail-on, 2 bad input)" >&2
[[ $status -eq 2 ]] && exit 2
exit 0
