#!/bin/sh
set -eu
term() {
  kill -TERM "$child" 2>/dev/null
  wait "$child"
}
trap term TERM INT
/usr/local/bin/app "$@" &
child=$!
wait "$child"
