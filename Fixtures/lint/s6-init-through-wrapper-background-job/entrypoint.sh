#!/bin/sh
set -e
mkdir -p /data/logs /backup
# Copy the state out every minute, beside s6's services.
(while true; do
  sleep 60
  cp /data/state.json /backup/state.json 2>/dev/null || true
done) &
exec /init "$@"
