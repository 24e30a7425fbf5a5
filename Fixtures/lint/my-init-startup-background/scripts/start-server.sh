#!/bin/bash
set -euxo pipefail
pushd /www/backend
echo "starting node server"
npm start &
popd
