#!/bin/bash
# redis and the worker write through tee/logger; the last line serves HTTP in the foreground.
redis-server --save "" 2>&1 | tee -a /var/log/redis.log &
python3 /app/worker.py 2>&1 | logger -t worker &
tail -F /var/log/redis.log | sed 's/^/redis: /' &
exec python3 -m http.server 8000
