#!/bin/sh
forever start /app/app.js
exec apachectl -DFOREGROUND
