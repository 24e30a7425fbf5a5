#!/bin/sh
nginx -g 'daemon off;' & php-fpm -F & wait -n; echo "a service stopped"
