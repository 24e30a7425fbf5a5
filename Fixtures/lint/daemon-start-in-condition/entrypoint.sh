#!/bin/bash
# Each start is checked; the checks do not stop the daemons from forking away.
if ! service cron start; then
  echo "cron failed to start" >&2
  exit 1
fi
service ssh start || exit 1
until service rsyslog start; do
  sleep 1
done
# Queries in conditions start nothing.
if nginx -t && ! service nginx status; then
  echo "nginx configuration is valid"
fi
exec nginx -g 'daemon off;'
