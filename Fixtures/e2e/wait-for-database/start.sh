#!/bin/bash
redis-server --save '' --appendonly no &
while ! nc -z 127.0.0.1 6379; do sleep 1; done
echo "redis is up"
python3 -m http.server 8000
