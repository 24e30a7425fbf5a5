#!/bin/sh
. /etc/app.env
exec $APP_CMD
