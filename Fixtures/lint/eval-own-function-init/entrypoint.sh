#!/bin/sh
set -e
# Run under tini when the image has it.
select_init() {
  if [ -x /usr/bin/tini ]; then
    echo /usr/bin/tini
  else
    echo tini
  fi
}
eval exec $(select_init) -- "$@"
