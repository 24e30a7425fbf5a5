import Testing
@testable import MultiProcAdvisor

@Suite struct DaemonCatalogTests {
  private func daemonizes(_ command: String, facts: DaemonCatalog.ImageFacts = .init()) -> Bool {
    // Arguments are separated by spaces, or by "|" when one of them contains a space.
    let words = command.split(separator: command.contains("|") ? "|" : " ").map(String.init)
    return DaemonCatalog.verdict(program: words[0], arguments: Array(words.dropFirst()), facts: facts) != nil
  }

  @Test(arguments: [
    "service apache2 start", "service mysql restart", "/etc/init.d/nginx start", "apachectl start", "apache2ctl -k start",
    "nginx", "/usr/sbin/nginx -c /etc/nginx/nginx.conf", "php-fpm8.2", "php-fpm7 -D", "sshd", "/usr/sbin/sshd -e",
    "cron", "crond -l 2", "rsyslogd", "redis-server --daemonize yes", "memcached -d -u memcache", "postfix start",
    "dbus-daemon --system", "dnsmasq", "squid", "varnishd -a :80", "haproxy -D -f x", "nmbd -D", "rpcbind",
    "systemctl start apache2", "mongod --fork", "gunicorn -D app:app", "catalina.sh start", "pm2 start app.js",
    "rc-service nginx start", "httpd",
  ])
  func daemonizingCommands(command: String) {
    #expect(daemonizes(command), "\(command) should daemonize")
  }

  @Test(arguments: [
    "service apache2 status", "nginx|-g|daemon off;", "nginx -t", "nginx -s reload", "php-fpm8.2 -F", "php-fpm --nodaemonize",
    "sshd -D", "/usr/sbin/sshd -D -e", "cron -f", "crond -f -l 2", "busybox", "rsyslogd -n", "redis-server",
    "redis-server --daemonize no", "memcached -u memcache", "postfix start-fg", "dbus-daemon --system --nofork",
    "dnsmasq -k", "squid -N", "varnishd -F", "haproxy -f x", "smbd -FS --no-process-group", "apachectl -DFOREGROUND",
    "apache2ctl -D FOREGROUND", "httpd -DFOREGROUND", "mysqld", "supervisord", "catalina.sh run", "pm2-runtime app.js",
    "node server.js", "sleep infinity",
  ])
  func foregroundCommands(command: String) {
    #expect(!daemonizes(command), "\(command) should stay in the foreground")
  }

  @Test func imageFactsDecide() {
    #expect(!daemonizes("nginx", facts: .init(nginxDaemonOff: true)))
    #expect(!daemonizes("php-fpm", facts: .init(phpFPMDaemonizeNo: true)))
    #expect(daemonizes("redis-server /etc/redis/redis.conf", facts: .init(redisDaemonizeYes: true)))
  }

  @Test func foregroundFormsAreDropInWhereTheyCanBe() {
    let nginx = DaemonCatalog.verdict(program: "nginx", arguments: [])!
    #expect(nginx.foreground == ["nginx", "-g", "daemon off;"])
    #expect(nginx.isDropIn)
    let service = DaemonCatalog.verdict(program: "service", arguments: ["apache2", "start"])!
    #expect(service.foreground == ["apache2ctl", "-D", "FOREGROUND"])
    #expect(!service.isDropIn)
    #expect(DaemonCatalog.verdict(program: "php-fpm7", arguments: ["-D"])?.foreground == ["php-fpm7", "-F"])
  }
}

/// `runsServerInForeground`: a command that blocks its script because a server runs in it.
@Suite struct ForegroundServerTests {
  private func blocks(_ command: String) -> Bool {
    let words = command.split(separator: command.contains("|") ? "|" : " ").map(String.init)
    return DaemonCatalog.runsServerInForeground(program: words[0], arguments: Array(words.dropFirst()))
  }

  @Test(arguments: [
    "php-fpm -F", "php-fpm8.2 --nodaemonize", "nginx|-g|daemon off;", "/usr/sbin/sshd -D -e", "cron -f", "crond -f -l 2",
    "rsyslogd -n", "apache2ctl -D FOREGROUND", "httpd -DFOREGROUND", "supervisord -n -c /etc/supervisord.conf",
    "redis-server /etc/redis.conf", "mysqld --user=mysql", "gunicorn app:app", "catalina.sh run", "dnsmasq -k",
  ])
  func serversInTheForeground(command: String) {
    #expect(blocks(command), "\(command) runs a server in the foreground")
  }

  @Test(arguments: [
    "php-fpm", "php-fpm -t", "nginx", "nginx -t", "nginx|-s|reload", "sshd", "cron", "redis-server --daemonize yes",
    "mysqld --initialize-insecure", "gunicorn -D app:app", "catalina.sh start", "node server.js", "chown -R www-data /var/www",
    "supervisord", "mysqld --version",
  ])
  func otherCommands(command: String) {
    #expect(!blocks(command), "\(command) does not hold the foreground as a server")
  }

  /// The restarting wrapper `mysqld_safe` ignores TERM and brings a killed server back, so the container
  /// never sees it die: the foreground form is the server itself, with its user and socket directory.
  @Test func mysqlRunsAsTheServerItselfNotMysqldSafe() {
    #expect(DaemonCatalog.foregroundCommand(forService: "mariadb") == ["mariadbd", "--user=mysql"])
    #expect(DaemonCatalog.foregroundCommand(forService: "mysql") == ["mysqld", "--user=mysql"])
    #expect(ServicePlan.mysqlServer(["mysqld_safe", "--nowatch", "--datadir=/data", "--syslog"]) == ["mysqld", "--datadir=/data", "--user=mysql"])
    #expect(ServicePlan.mysqlServer(["/usr/bin/mysqld_safe", "--user=db"]) == ["mysqld", "--user=db"])
    #expect(ServicePlan.mysqlServer(["nginx"]) == nil)
    let managed = ServicePlan.managedForm(["mariadbd", "--user=mysql"], family: .debian)
    #expect(managed.command == "install -d -o mysql -g mysql /run/mysqld && exec mariadbd --user=mysql")
    #expect(!managed.isSimple)
  }
}
