#!/bin/sh
set -e
# Prepare the data folder, start the periodic jobs, then hand over to s6-overlay.
mkdir -p /data/logs
chown -R nginx:nginx /data
crond
exec /init "$@"
