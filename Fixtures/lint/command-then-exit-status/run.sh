#!/usr/bin/env bash
cd /app
node server.js
exit 0
