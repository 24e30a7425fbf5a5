#!/bin/sh
# The programs are decided when the container starts.
cat > /etc/supervisor/conf.d/services.conf <<EOF
[program:nginx]
command=nginx -g "daemon off;"

[program:cron]
command=cron -f
EOF
exec supervisord -n -c /etc/supervisor/supervisord.conf
