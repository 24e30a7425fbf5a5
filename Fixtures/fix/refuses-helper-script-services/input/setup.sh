#!/bin/sh
mkdir -p /run/php
php-fpm8.2 -F &
echo "php-fpm started"
