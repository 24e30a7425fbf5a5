#!/bin/sh
# The database first, the app once it answers; the worker once the app listens.
mysqld --user=mysql &
until mysqladmin ping --silent; do
  echo "waiting for mysql"
  sleep 1
done
python3 -m http.server 8000 --directory /srv/app &
while ! nc -z 127.0.0.1 8000; do sleep 0.5; done
exec python3 /srv/app/worker.py
