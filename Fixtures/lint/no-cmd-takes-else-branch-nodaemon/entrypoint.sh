#!/bin/sh
set -e
if [ $# -gt 0 ]; then
  exec "$@"
else
  exec /usr/bin/supervisord -c /etc/supervisor/supervisord.conf
fi
