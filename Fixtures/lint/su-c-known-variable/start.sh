#!/bin/sh
SERVER="exec nginx"
exec su www-data -s /bin/sh -c "$SERVER"
