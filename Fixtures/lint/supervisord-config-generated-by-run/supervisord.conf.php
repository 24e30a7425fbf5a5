[supervisord]
nodaemon=true
<?php foreach (["nginx" => "nginx -g \"daemon off;\""] as $name => $cmd) { ?>
[program:<?= $name ?>]
command=<?= $cmd ?>
<?php } ?>
