#!/bin/bash
set -e
# The program is configured here; findings about it point at these lines.
cat > /etc/supervisor/conf.d/web.conf <<EOF
[program:nginx]
command=/usr/sbin/nginx -g "daemon off;"
autorestart=true
EOF
