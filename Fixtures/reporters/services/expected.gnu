Dockerfile:8.1: warning: DA101 shell-form-pid1: CMD uses shell form: /bin/sh -c is PID 1, so SIGTERM never reaches the application
Dockerfile:8.1: warning: DA206 missing-init: CMD runs 1 background service as PID 1 with no init: orphans are never reaped and signals are not forwarded (docker run --init only helps where it is used)
Dockerfile:8.5: warning: DA106 shell-pid1-no-signal-forwarding: CMD is PID 1 with 1 background service and no trap forwarding TERM/INT to them: they are SIGKILLed at stop
Dockerfile:8.5: error: DA201 background-process: 'php-fpm8.2 -F' runs in the background while 'nginx -g 'daemon off;'' holds the foreground: when it dies the container keeps running without it
