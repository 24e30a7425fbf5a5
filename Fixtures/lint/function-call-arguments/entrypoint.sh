#!/bin/sh
set -e
run() {
  echo "starting $1"
  exec "$@"
}
run nginx
