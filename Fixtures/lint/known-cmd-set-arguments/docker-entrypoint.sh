#!/bin/sh
set -e
if [ "${1#-}" != "$1" ]; then
  set -- redis-server "$@"
fi
if [ "$1" = 'redis-server' ]; then
  chown -R redis .
  exec gosu redis "$@"
fi
exec "$@"
