#!/bin/sh
set -e
/opt/scripts/setup.sh
exec nginx -g "daemon off;"
