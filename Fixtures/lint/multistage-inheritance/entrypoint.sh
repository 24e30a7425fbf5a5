#!/bin/sh
set -e
export APP_ENV=production
exec "$@"
