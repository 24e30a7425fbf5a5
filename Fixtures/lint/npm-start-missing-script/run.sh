#!/usr/bin/env bash
nginx -g "daemon off;" &
cd /app
npm start
