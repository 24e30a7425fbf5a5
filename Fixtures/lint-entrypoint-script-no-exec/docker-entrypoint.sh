#!/bin/sh
set -e
if [ -n "$DATABASE_URL" ]; then
  python manage.py migrate --noinput
fi
"$@"
