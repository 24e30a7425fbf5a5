#!/bin/bash
# Written for a VM: systemd is not PID 1 in a container, so both starts fail.
systemctl start cron
systemctl start apache2 && tail -f /var/log/apache2/access.log
