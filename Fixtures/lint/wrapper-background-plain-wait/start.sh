#!/bin/bash
cd /srv
python3 -m http.server 8000 &
python3 -m http.server 8001 &
wait
