/// Which commands fork into the background at run time, and each one's foreground form
/// (`../shared/DOMAIN.md`, "Daemons and their foreground forms").
///
/// The catalogue looks only at a command's program and arguments; facts from the image that change
/// the answer (nginx.conf says `daemon off;`, php-fpm's config says `daemonize = no`) come in through
/// `ImageFacts`.
public enum DaemonCatalog {
  /// Facts about the image that decide whether some programs daemonize.
  public struct ImageFacts: Sendable {
    /// nginx's configuration sets `daemon off;`.
    public var nginxDaemonOff: Bool
    /// php-fpm's configuration sets `daemonize = no` (the official `php:*-fpm` images do).
    public var phpFPMDaemonizeNo: Bool
    /// redis's configuration sets `daemonize yes`.
    public var redisDaemonizeYes: Bool
    /// nginx's main configuration includes files the image does not show: `daemon` may be set there.
    public var nginxConfigUnknown: Bool
    /// Whether each supervisord configuration of the image sets `nodaemon=true`, by path; `default`
    /// is what supervisord finds without `-c`.
    public var supervisordNodaemon: [String: Bool] = [:]

    public init(nginxDaemonOff: Bool = false, phpFPMDaemonizeNo: Bool = false, redisDaemonizeYes: Bool = false, nginxConfigUnknown: Bool = false) {
      self.nginxDaemonOff = nginxDaemonOff
      self.phpFPMDaemonizeNo = phpFPMDaemonizeNo
      self.redisDaemonizeYes = redisDaemonizeYes
      self.nginxConfigUnknown = nginxConfigUnknown
    }
  }

  /// A command that daemonizes, why, and what to run instead.
  public struct Verdict: Sendable, Equatable {
    /// The service as people call it (`nginx`, `apache2`, `cron`).
    public var service: String
    /// Why it goes to the background (`nginx forks unless 'daemon off;' is set`).
    public var reason: String
    /// The command to run instead, as argv, when dockadvise knows it.
    public var foreground: [String]?
    /// Whether `foreground` is a drop-in replacement for the same arguments (a flag added or removed) —
    /// then a fix may apply it without asking; a rewrite through `service`/init.d is not.
    public var isDropIn: Bool
  }

  /// The verdict for `program` (basename, wrappers already resolved) run with `arguments`.
  public static func verdict(program: String, arguments: [String], facts: ImageFacts = ImageFacts()) -> Verdict? {
    let name = basename(program)
    if program.hasPrefix("/etc/init.d/") || program.hasPrefix("/etc/rc.d/init.d/") {
      guard arguments.contains(where: startVerbs.contains) else { return nil }
      return initScript(name)
    }
    switch name {
    case "service", "rc-service":
      guard arguments.count >= 2, startVerbs.contains(arguments[1]) else { return nil }
      return initScript(arguments[0])
    case "systemctl":
      guard let verb = arguments.first(where: { !$0.hasPrefix("-") }), startVerbs.contains(verb),
        let unit = arguments.drop(while: { $0 != verb }).dropFirst().first(where: { !$0.hasPrefix("-") })
      else { return nil }
      var verdict = initScript(unit.replacingSuffix(".service", with: ""))
      verdict.reason = "systemctl needs systemd as PID 1, which a container does not run; the service is never started in the foreground"
      return verdict
    case "apachectl", "apache2ctl":
      if arguments.contains(where: { $0 == "-DFOREGROUND" || $0 == "FOREGROUND" }) { return nil }
      if arguments.contains(where: startVerbs.contains) || (arguments.contains("-k") && arguments.contains("start")) {
        return Verdict(service: "apache2", reason: "\(name) start forks httpd into the background", foreground: [name, "-D", "FOREGROUND"], isDropIn: true)
      }
      return nil
    case "httpd", "apache2":
      if arguments.contains(where: { $0 == "-DFOREGROUND" || $0 == "FOREGROUND" || $0 == "-X" }) { return nil }
      if arguments.contains(where: { $0 == "-v" || $0 == "-V" || $0 == "-t" || $0 == "-h" || $0 == "-S" || $0 == "-M" || $0 == "-l" || $0 == "-L" }) { return nil }
      if let k = arguments.firstIndex(of: "-k"), k + 1 < arguments.count, arguments[k + 1] != "start" { return nil }
      return Verdict(service: "httpd", reason: "\(name) forks into the background unless run with -DFOREGROUND", foreground: [program] + arguments.filter { $0 != "-k" && $0 != "start" } + ["-DFOREGROUND"], isDropIn: true)
    case "nginx":
      if facts.nginxDaemonOff || facts.nginxConfigUnknown { return nil }
      if arguments.contains(where: { $0 == "-t" || $0 == "-T" || $0 == "-s" || $0 == "-v" || $0 == "-V" || $0 == "-h" || $0 == "-?" }) { return nil }
      for (index, argument) in arguments.enumerated() where argument == "-g" && index + 1 < arguments.count {
        if arguments[index + 1].replacing(" ", with: "").contains("daemonoff") { return nil }
      }
      return Verdict(service: "nginx", reason: "nginx forks into the background unless 'daemon off;' is set", foreground: [program] + arguments + ["-g", "daemon off;"], isDropIn: !arguments.contains("-g"))
    case _ where isPHPFPM(name):
      if arguments.contains(where: { $0 == "-D" || $0 == "--daemonize" }) {
        return Verdict(service: "php-fpm", reason: "\(name) -D forks into the background", foreground: [program] + arguments.filter { $0 != "-D" && $0 != "--daemonize" } + ["-F"], isDropIn: true)
      }
      if facts.phpFPMDaemonizeNo { return nil }
      if arguments.contains(where: { $0 == "-F" || $0 == "--nodaemonize" || $0 == "-t" || $0 == "--test" || $0 == "-v" || $0 == "-i" || $0 == "-m" || $0 == "-h" }) { return nil }
      return Verdict(service: "php-fpm", reason: "\(name) forks into the background unless run with -F (or 'daemonize = no')", foreground: [program] + arguments + ["-F"], isDropIn: true)
    case "sshd":
      if arguments.contains(where: { $0 == "-D" || $0 == "-d" || $0 == "-t" || $0 == "-T" || $0 == "-i" || $0.hasPrefix("-D") }) { return nil }
      return Verdict(service: "sshd", reason: "sshd forks into the background unless run with -D", foreground: [program, "-D"] + arguments, isDropIn: true)
    case "cron", "crond":
      if arguments.contains(where: { $0 == "-f" || $0.hasPrefix("-f") || $0 == "-n" || $0 == "-h" }) { return nil }
      if arguments.contains(where: { $0.hasPrefix("-") && $0.dropFirst().contains("f") && !$0.hasPrefix("--") }) { return nil }
      return Verdict(service: name, reason: "\(name) forks into the background unless run with -f", foreground: [program, "-f"] + arguments, isDropIn: true)
    case "rsyslogd", "syslogd":
      if arguments.contains(where: { $0 == "-n" || $0 == "-N" || $0 == "-v" || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.dropFirst().contains("n")) }) { return nil }
      return Verdict(service: name, reason: "\(name) forks into the background unless run with -n", foreground: [program, "-n"] + arguments, isDropIn: true)
    case "syslog-ng":
      if arguments.contains(where: { $0 == "-F" || $0 == "--foreground" || $0 == "-s" || $0 == "--syntax-only" || $0 == "-V" }) { return nil }
      return Verdict(service: name, reason: "syslog-ng forks into the background unless run with --foreground", foreground: [program, "--foreground"] + arguments, isDropIn: true)
    case "redis-server":
      if let index = arguments.firstIndex(of: "--daemonize"), index + 1 < arguments.count {
        guard arguments[index + 1].lowercased() == "yes" else { return nil }
        var replaced = arguments
        replaced[index + 1] = "no"
        return Verdict(service: "redis", reason: "redis-server --daemonize yes forks into the background", foreground: [program] + replaced, isDropIn: true)
      }
      if facts.redisDaemonizeYes {
        return Verdict(service: "redis", reason: "redis.conf sets 'daemonize yes'", foreground: [program] + arguments + ["--daemonize", "no"], isDropIn: true)
      }
      return nil
    case "memcached":
      guard arguments.contains(where: { $0 == "-d" || $0 == "--daemon" }) else { return nil }
      return Verdict(service: "memcached", reason: "memcached -d forks into the background", foreground: [program] + arguments.filter { $0 != "-d" && $0 != "--daemon" }, isDropIn: true)
    case "postfix":
      guard arguments.contains("start") else { return nil }
      return Verdict(service: "postfix", reason: "postfix start runs the master daemon in the background", foreground: [program] + arguments.map { $0 == "start" ? "start-fg" : $0 }, isDropIn: true)
    case "dbus-daemon":
      if arguments.contains(where: { $0 == "--nofork" || $0 == "--version" || $0 == "--session" }) { return nil }
      guard arguments.contains(where: { $0 == "--system" || $0 == "--fork" }) else { return nil }
      return Verdict(service: "dbus", reason: "dbus-daemon --system forks into the background unless run with --nofork", foreground: [program] + arguments.filter { $0 != "--fork" } + ["--nofork"], isDropIn: true)
    case "dnsmasq":
      if arguments.contains(where: { $0 == "-k" || $0 == "--keep-in-foreground" || $0 == "-d" || $0 == "--no-daemon" || $0 == "--test" || $0 == "-v" }) { return nil }
      return Verdict(service: "dnsmasq", reason: "dnsmasq forks into the background unless run with -k", foreground: [program, "-k"] + arguments, isDropIn: true)
    case "squid":
      if arguments.contains(where: { $0 == "-N" || $0 == "-k" || $0 == "-z" || $0 == "-v" || $0 == "--foreground" || $0 == "-NYCd" }) { return nil }
      return Verdict(service: "squid", reason: "squid forks into the background unless run with -N", foreground: [program, "-N"] + arguments, isDropIn: true)
    case "varnishd":
      if arguments.contains(where: { $0 == "-F" || $0 == "-d" || $0 == "-C" || $0 == "-V" || $0 == "-x" }) { return nil }
      return Verdict(service: "varnish", reason: "varnishd forks into the background unless run with -F", foreground: [program, "-F"] + arguments, isDropIn: true)
    case "haproxy":
      guard arguments.contains(where: { $0 == "-D" }) else { return nil }
      return Verdict(service: "haproxy", reason: "haproxy -D forks into the background", foreground: [program] + arguments.filter { $0 != "-D" } + ["-db"], isDropIn: true)
    case "smbd", "nmbd", "winbindd", "samba":
      if arguments.contains(where: { $0 == "-F" || $0 == "--foreground" || $0 == "-i" || $0 == "--interactive" || $0 == "-V" || $0 == "-b" || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.dropFirst().contains("F")) }) { return nil }
      return Verdict(service: name, reason: "\(name) forks into the background unless run with --foreground", foreground: [program] + arguments.filter { $0 != "-D" && $0 != "--daemon" } + ["--foreground", "--no-process-group"], isDropIn: true)
    case "rpcbind":
      if arguments.contains(where: { $0 == "-f" || $0 == "-d" }) { return nil }
      return Verdict(service: "rpcbind", reason: "rpcbind forks into the background unless run with -f", foreground: [program, "-f"] + arguments, isDropIn: true)
    case "rpc.statd", "rpc.mountd", "rpc.idmapd":
      if arguments.contains(where: { $0 == "-F" || $0 == "--foreground" || $0 == "-f" || $0 == "-d" }) { return nil }
      return Verdict(service: name, reason: "\(name) forks into the background unless run with -F", foreground: [program, "-F"] + arguments, isDropIn: true)
    case "named":
      if arguments.contains(where: { $0 == "-f" || $0 == "-g" || $0 == "-v" || $0 == "-V" }) { return nil }
      return Verdict(service: "named", reason: "named forks into the background unless run with -f", foreground: [program, "-f"] + arguments, isDropIn: true)
    case "mongod":
      guard arguments.contains("--fork") else { return nil }
      return Verdict(service: "mongod", reason: "mongod --fork forks into the background", foreground: [program] + arguments.filter { $0 != "--fork" }, isDropIn: true)
    case "pg_ctl", "pg_ctlcluster":
      guard arguments.contains(where: startVerbs.contains) else { return nil }
      return Verdict(service: "postgresql", reason: "\(name) start launches the server in the background", foreground: nil, isDropIn: false)
    case "gunicorn":
      guard arguments.contains(where: { $0 == "-D" || $0 == "--daemon" }) else { return nil }
      return Verdict(service: "gunicorn", reason: "gunicorn --daemon forks into the background", foreground: [program] + arguments.filter { $0 != "-D" && $0 != "--daemon" }, isDropIn: true)
    case "uwsgi":
      guard let index = arguments.firstIndex(where: { $0 == "--daemonize" || $0 == "-d" || $0.hasPrefix("--daemonize=") }) else { return nil }
      var rest = arguments
      rest.remove(at: index)
      if !arguments[index].contains("="), index < rest.count { rest.remove(at: index) }
      return Verdict(service: "uwsgi", reason: "uwsgi --daemonize forks into the background", foreground: [program] + rest, isDropIn: true)
    case "catalina.sh":
      guard arguments.first == "start" else { return nil }
      return Verdict(service: "tomcat", reason: "catalina.sh start launches Tomcat in the background", foreground: [program, "run"] + arguments.dropFirst(), isDropIn: true)
    case "startup.sh" where program.contains("catalina") || program.contains("tomcat") || program.contains("CATALINA"):
      return Verdict(service: "tomcat", reason: "Tomcat's startup.sh launches it in the background", foreground: [program.replacingSuffix("startup.sh", with: "catalina.sh"), "run"], isDropIn: false)
    case "pm2":
      guard arguments.first == "start" || arguments.first == "restart" else { return nil }
      return Verdict(service: "pm2", reason: "pm2 start daemonizes the pm2 God process; use pm2-runtime in containers", foreground: ["pm2-runtime"] + arguments.dropFirst(), isDropIn: true)
    case "openvpn":
      guard arguments.contains(where: { $0 == "--daemon" }) else { return nil }
      return Verdict(service: "openvpn", reason: "openvpn --daemon forks into the background", foreground: [program] + arguments.filter { $0 != "--daemon" }, isDropIn: true)
    case "xinetd":
      if arguments.contains(where: { $0 == "-dontfork" || $0 == "-d" }) { return nil }
      return Verdict(service: "xinetd", reason: "xinetd forks into the background unless run with -dontfork", foreground: [program, "-dontfork"] + arguments, isDropIn: true)
    case "vncserver", "tigervncserver", "tightvncserver":
      if arguments.contains(where: { $0 == "-fg" || $0 == "-kill" || $0 == "-list" || $0 == "-version" }) { return nil }
      return Verdict(service: "vncserver", reason: "\(name) starts the X server in the background unless run with -fg", foreground: [program, "-fg"] + arguments, isDropIn: true)
    case "supervisord":
      // As PID 1, DA302 decides with the configuration in hand; started by a script, it is a daemon
      // unless -n or the configuration it reads says nodaemon=true.
      if arguments.contains(where: { $0 == "-n" || $0 == "--nodaemon" || $0 == "-h" || $0 == "--help" || $0 == "-v" || $0 == "--version" }) { return nil }
      var key = "default"
      if let flag = arguments.firstIndex(where: { $0 == "-c" || $0 == "--configuration" }), flag + 1 < arguments.count { key = arguments[flag + 1] }
      guard facts.supervisordNodaemon[key] == false else { return nil }
      return Verdict(service: "supervisord", reason: "supervisord forks into the background unless run with -n (or nodaemon=true)", foreground: [program, "-n"] + arguments, isDropIn: true)
    default:
      if program.hasPrefix("/etc/init.d/") || program.hasPrefix("/etc/rc.d/init.d/"), let verb = arguments.first, startVerbs.contains(verb) {
        return initScript(name)
      }
      return nil
    }
  }

  /// Whether `program` with `arguments` is a server that runs in the foreground: a daemon told so by its
  /// own flag (`php-fpm -F`, `nginx -g 'daemon off;'`, `sshd -D`, `cron -f`), or one that never forks
  /// (`redis-server`, `mysqld`), not asked for its version, a test or an initialisation. Such a
  /// command blocks the script that runs it until the server ends.
  public static func runsServerInForeground(program: String, arguments: [String]) -> Bool {
    let name = basename(program)
    let queries: Set<String> = ["-v", "-V", "--version", "-h", "--help", "-t", "-T", "--test", "--initialize", "--initialize-insecure", "--validate-config", "-s"]
    if arguments.contains(where: queries.contains) { return false }
    func has(_ flags: String...) -> Bool { arguments.contains(where: flags.contains) }
    func shortFlag(_ letter: Character) -> Bool { arguments.contains { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.dropFirst().contains(letter) } }
    switch name {
    case "nginx":
      return arguments.indices.contains { arguments[$0] == "-g" && $0 + 1 < arguments.count && arguments[$0 + 1].replacing(" ", with: "").contains("daemonoff") }
    case _ where isPHPFPM(name): return has("-F", "--nodaemonize")
    case "sshd": return has("-D")
    case "cron", "crond": return shortFlag("f")
    case "rsyslogd", "syslogd": return shortFlag("n")
    case "syslog-ng": return has("-F", "--foreground")
    case "httpd", "apache2", "apachectl", "apache2ctl":
      return has("-DFOREGROUND") || arguments.indices.contains { arguments[$0] == "-D" && $0 + 1 < arguments.count && arguments[$0 + 1] == "FOREGROUND" }
    case "supervisord": return has("-n", "--nodaemon")
    case "dbus-daemon": return has("--nofork")
    case "dnsmasq": return has("-k", "--keep-in-foreground", "-d", "--no-daemon")
    case "squid": return has("-N", "--foreground")
    case "varnishd", "smbd", "nmbd", "winbindd", "samba", "rpc.statd", "rpc.mountd", "rpc.idmapd": return has("-F", "--foreground")
    case "rpcbind": return has("-f")
    case "named": return has("-f", "-g")
    case "haproxy": return has("-db")
    case "xinetd": return has("-dontfork")
    case "vncserver", "tigervncserver", "tightvncserver": return has("-fg")
    case "catalina.sh": return arguments.first == "run"
    case "postfix": return arguments.contains("start-fg")
    case "pm2-runtime": return true
    case "redis-server", "memcached", "mongod", "gunicorn", "uwsgi", "mysqld", "mariadbd", "mysqld_safe", "postgres", "uvicorn", "hypercorn", "daphne":
      return verdict(program: program, arguments: arguments) == nil
    default: return false
    }
  }

  /// Verbs of init scripts that leave a daemon running.
  public static let startVerbs: Set<String> = ["start", "restart", "force-reload", "reload-or-restart", "try-restart"]

  /// `service NAME start` and `/etc/init.d/NAME start` always daemonize; the foreground form depends on NAME.
  static func initScript(_ service: String) -> Verdict {
    let foreground = foregroundCommand(forService: service)
    return Verdict(service: service, reason: "an init script starts the daemon in the background", foreground: foreground, isDropIn: false)
  }

  /// The foreground command of a service started through an init script, when dockadvise knows it.
  public static func foregroundCommand(forService service: String) -> [String]? {
    switch service {
    case "apache2": ["apache2ctl", "-D", "FOREGROUND"]
    case "httpd": ["httpd", "-DFOREGROUND"]
    case "nginx": ["nginx", "-g", "daemon off;"]
    case "ssh", "sshd": ["/usr/sbin/sshd", "-D"]
    case "cron": ["cron", "-f"]
    case "crond", "cronie": ["crond", "-f"]
    case "rsyslog": ["rsyslogd", "-n"]
    case "syslog-ng": ["syslog-ng", "--foreground"]
    case "redis-server", "redis": ["redis-server", "--daemonize", "no"]
    case "memcached": ["memcached", "-u", "memcache"]
    case "postfix": ["postfix", "start-fg"]
    case "dbus": ["dbus-daemon", "--system", "--nofork"]
    case "dnsmasq": ["dnsmasq", "-k"]
    case "squid": ["squid", "-N"]
    case "varnish": ["varnishd", "-F"]
    case "haproxy": ["haproxy", "-db", "-f", "/etc/haproxy/haproxy.cfg"]
    // The server itself, not `mysqld_safe`: that wrapper restarts a dead server and ignores TERM.
    case "mariadb": ["mariadbd", "--user=mysql"]
    case "mysql", "mysqld": ["mysqld", "--user=mysql"]
    case "supervisor", "supervisord": ["supervisord", "-n"]
    case "smbd": ["smbd", "--foreground", "--no-process-group"]
    case "nmbd": ["nmbd", "--foreground", "--no-process-group"]
    case "xinetd": ["xinetd", "-dontfork"]
    case "docker": nil
    default:
      if isPHPFPM(service) { [service, "-F"] } else { nil }
    }
  }

  /// `php-fpm`, `php-fpm8.2`, `php-fpm7`, `php85-fpm`, `php-fpm85`, `php7.4-fpm`.
  public static func isPHPFPM(_ name: String) -> Bool {
    name.hasPrefix("php") && name.contains("fpm") && !name.hasSuffix(".conf")
  }

  static func basename(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }
}

extension String {
  func replacingSuffix(_ suffix: String, with replacement: String) -> String {
    hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : self
  }
}
