#!/bin/bash
celery -A app.worker beat -l info &
celery -A app.worker worker -l info &
gunicorn --bind 0.0.0.0:5000 app:app
