#!/bin/sh
exec su www-data -s /bin/sh -c "exec nginx -g 'daemon off;'"
