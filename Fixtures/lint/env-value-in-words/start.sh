#!/bin/sh
vncserver $DISPLAY -geometry 1280x800
exec tail -f /dev/null
