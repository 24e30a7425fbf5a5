#!/bin/sh
set -e
echo "configuring nginx: 100% done, <ok> & \"ready\""
"$@"
