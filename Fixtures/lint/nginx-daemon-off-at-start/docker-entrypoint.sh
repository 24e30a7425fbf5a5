#!/bin/sh
set -e
# nginx stays in the foreground: the entrypoint puts `daemon off;` into the main configuration
if ! grep -q "daemon off;" /etc/nginx/nginx.conf; then
  echo "daemon off;" >> /etc/nginx/nginx.conf
fi
sed -i "s/worker_processes .*/worker_processes ${NGINX_WORKERS:-2};/" /etc/nginx/nginx.conf
exec nginx
