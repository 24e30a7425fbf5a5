#!/bin/sh
set -e
/opt/setup.sh
exec nginx -g "daemon off;"
