#!/bin/bash
php-fpm8.2 -F &
nginx -g "daemon off;" &
trap "kill 0" TERM
while true; do
  sleep 60 &
  wait $!
done
