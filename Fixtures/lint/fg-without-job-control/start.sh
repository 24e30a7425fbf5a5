#!/bin/bash
nginx -g "daemon off;" &
php-fpm8.2 -F &
fg %1
