#!/bin/bash
trap 'nginx -s quit; kill "$(cat /run/php/php8.2-fpm.pid)"; exit 0' TERM
php-fpm8.2 -D
nginx
sleep infinity & wait $!
