#!/bin/bash
# Job control on: fg brings nginx back to the foreground and the script waits for it.
set -m
nginx -g "daemon off;" &
php-fpm8.2 -F &
fg %1
