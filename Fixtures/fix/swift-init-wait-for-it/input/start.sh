#!/bin/sh
postgres -D /var/lib/postgresql/data &
exec /wait-for-it.sh localhost:5432 -t 60 -- python3 -m http.server 8000
