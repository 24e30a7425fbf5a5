#!/bin/bash
# The wait lets the trap run; the sleep is what keeps the container up.
trap "nginx -s quit; exit 0" TERM
php-fpm8.2 -D
nginx
sleep infinity & wait $!
