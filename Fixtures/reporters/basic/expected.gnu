Dockerfile:5.1: warning: DA501 init-installed-unused: tini is installed but never runs as PID 1: zombies are not reaped and signals not forwarded
entrypoint.sh:4.1: warning: DA102 script-without-exec: /entrypoint.sh runs '"$@"' without exec: the shell stays PID 1 and the application never gets SIGTERM
