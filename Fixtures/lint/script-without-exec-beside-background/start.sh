#!/bin/sh
set -e
python manage.py migrate
exec gunicorn proj.wsgi --bind 0.0.0.0:8000 &
celery -A proj worker --loglevel=info
