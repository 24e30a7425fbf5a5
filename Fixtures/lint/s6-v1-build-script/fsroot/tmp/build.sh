#!/bin/sh
set -xueo pipefail

BUILD_DEPS="curl"
RUN_DEPS="s6-rc s6-portable-utils"

apk add --update --no-cache ${RUN_DEPS} ${BUILD_DEPS}

# the overlay itself comes from a second script
sh /tmp/install-s6.sh

apk del ${BUILD_DEPS}
rm -rf /var/cache/apk/*
