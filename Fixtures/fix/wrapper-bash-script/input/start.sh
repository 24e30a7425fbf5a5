#!/bin/bash
set -e
cd /srv
export GREETING="hello world"
mkdir -p /srv/www && echo "$GREETING" > /srv/www/index.html
python3 -m http.server 8000 --directory www &
python3 -m http.server 8001 &
wait
