#!/bin/sh
gosu redis redis-server --port 6379 &
su www-data -c 'python3 -m http.server 8001' &
cd /srv && exec gosu app:app python3 -m http.server 8000
