#!/bin/bash
set -euxo pipefail
apt-get update
apt-get install -y nodejs npm
# my_init runs these once at start, before runsvdir
cp /tmp/start-server.sh /etc/my_init.d/start-server.sh
chmod +x /etc/my_init.d/start-server.sh
cp /tmp/warm-cache.sh /etc/my_init.d/
chmod +x /etc/my_init.d/warm-cache.sh
