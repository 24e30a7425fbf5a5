#!/bin/sh
set -e
echo "installing the start script"
cat > /usr/local/bin/start.sh <<'SCRIPT'
#!/bin/sh
echo "starting"
nginx -g 'daemon off;'
SCRIPT
chmod +x /usr/local/bin/start.sh
