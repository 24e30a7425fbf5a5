#!/bin/sh
set -e
select_init() {
  command -v tini || command -v dumb-init
}
eval exec $(select_init) -- "$@"
