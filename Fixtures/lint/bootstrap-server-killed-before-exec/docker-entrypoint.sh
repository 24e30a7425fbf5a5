#!/bin/bash
set -eo pipefail
if [ ! -d /var/lib/mysql/app ]; then
  # A server without networking, only for the initial schema.
  mariadbd --user=mysql --skip-networking --socket=/run/mysqld/init.sock &
  pid=$!
  for i in $(seq 30); do
    mariadb-admin --socket=/run/mysqld/init.sock ping >/dev/null 2>&1 && break
    sleep 1
  done
  mariadb --socket=/run/mysqld/init.sock -e "CREATE DATABASE app"
  kill "$pid"
  wait "$pid"
fi
exec "$@"
