#!/bin/sh
exec vncserver $DISPLAY -fg -geometry 1280x800
