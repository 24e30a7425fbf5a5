import DockerfileParser

/// The programs dockadvise knows, one `ProgramRecord` each. This is the one place to add a daemon, an
/// init, a process manager or a shell: `DaemonCatalog`, `Knowledge`, the launch chain, DA107's stop
/// signals and DA108's "a shell cannot read this file" all read it. In reasons, `NAME` stands for the
/// basename the program was called by.
public enum ProgramTable {
  typealias R = ProgramRecord
  typealias T = ProgramRecord.ArgumentTest

  /// The record for a program (path or basename).
  public static func record(for program: String) -> ProgramRecord? {
    let name = DaemonCatalog.basename(program)
    if let index = byName[name] { return records[index] }
    for index in matchingRecords where records[index].matches?(name) == true { return records[index] }
    return nil
  }

  /// The records that also recognise names by a test (`php-fpm8.2`), so a miss does not copy every record.
  static let matchingRecords: [Int] = records.indices.filter { records[$0].matches != nil }

  /// The record and the package that installs `path` in an image whose RUN installed `packages`.
  public static func installed(at path: String, packages: [ImageModel.InstalledPackage]) -> (ProgramRecord, ImageModel.InstalledPackage)? {
    for record in records {
      for install in record.installs where install.path == path {
        if let package = packages.first(where: { $0.manager == install.manager && $0.name == install.package }) { return (record, package) }
      }
    }
    return nil
  }

  static let byName: [String: Int] = {
    var map: [String: Int] = [:]
    for (index, record) in records.enumerated() {
      for name in record.names where map[name] == nil { map[name] = index }
    }
    return map
  }()

  static let commonQueries: Set<String> = ["-v", "-V", "--version", "-h", "--help", "-t", "-T", "--test", "--initialize", "--initialize-insecure", "--validate-config", "-s"]

  public static let records: [ProgramRecord] = daemons + wrappersAndManagers + inits + shells

  // MARK: - Daemons

  static let daemons: [ProgramRecord] = [
    R(
      ["nginx"], .elf, foregroundForm: nil,
      installs: [.init(.apt, "nginx", "/usr/sbin/nginx"), .init(.apk, "nginx", "/usr/sbin/nginx"), .init(.dnf, "nginx", "/usr/sbin/nginx")],
      stopSignal: "SIGQUIT"
    ).with(
      daemonizing: .custom { call in
        if call.facts.nginxDaemonOff || call.facts.nginxConfigUnknown { return nil }
        let arguments = call.arguments
        if arguments.contains(where: { $0 == "-t" || $0 == "-T" || $0 == "-s" || $0 == "-v" || $0 == "-V" || $0 == "-h" || $0 == "-?" }) { return nil }
        for (index, argument) in arguments.enumerated() where argument == "-g" && index + 1 < arguments.count {
          if arguments[index + 1].replacing(" ", with: "").contains("daemonoff") { return nil }
        }
        return DaemonCatalog.Verdict(
          service: "nginx", reason: "nginx forks into the background unless 'daemon off;' is set", foreground: [call.program] + arguments + ["-g", "daemon off;"],
          isDropIn: !arguments.contains("-g"))
      },
      foreground: .when(T { arguments in arguments.indices.contains { arguments[$0] == "-g" && $0 + 1 < arguments.count && arguments[$0 + 1].replacing(" ", with: "").contains("daemonoff") } }),
      initScriptNames: ["nginx"], foregroundForm: ["nginx", "-g", "daemon off;"]),
    R(
      ["httpd", "apache2"], .elf, service: "httpd",
      daemonizing: .unless(
        .any("-DFOREGROUND", "FOREGROUND", "-X") || .any("-v", "-V", "-t", "-h", "-S", "-M", "-l", "-L")
          || T { arguments in arguments.firstIndex(of: "-k").map { $0 + 1 < arguments.count && arguments[$0 + 1] != "start" } ?? false },
        adding: ["-DFOREGROUND"], atEnd: true, removing: ["-k", "start"], reason: "NAME forks into the background unless run with -DFOREGROUND"),
      foreground: .when(apacheForeground),
      installs: [.init(.apt, "apache2", "/usr/sbin/apache2"), .init(.apk, "apache2", "/usr/sbin/httpd"), .init(.dnf, "httpd", "/usr/sbin/httpd")],
      stopSignal: "SIGWINCH"
    ).with(initScriptNames: ["httpd"], foregroundForm: ["httpd", "-DFOREGROUND"]),
    R(
      ["apachectl", "apache2ctl"], .shellScript, service: "apache2",
      daemonizing: .custom { call in
        let arguments = call.arguments
        if arguments.contains(where: { $0 == "-DFOREGROUND" || $0 == "FOREGROUND" }) { return nil }
        if arguments.contains(where: DaemonCatalog.startVerbs.contains) || (arguments.contains("-k") && arguments.contains("start")) {
          // The server in the foreground, with the other arguments: Debian's apache2ctl sets up the
          // environment apache2 needs; elsewhere apachectl does not exec httpd, so httpd is run itself.
          var rest = arguments.filter { !DaemonCatalog.startVerbs.contains($0) }
          if let k = rest.firstIndex(of: "-k") { rest.remove(at: k) }
          let foreground = apacheServer(call.facts.family, name: call.name) + rest
          return DaemonCatalog.Verdict(service: "apache2", reason: "\(call.name) start forks httpd into the background", foreground: foreground, isDropIn: true)
        }
        return nil
      },
      foreground: .when(apacheForeground), initScriptNames: ["apache2"], foregroundForm: ["apache2ctl", "-D", "FOREGROUND"],
      installs: [.init(.apt, "apache2", "/usr/sbin/apachectl"), .init(.apk, "apache2-ctl", "/usr/sbin/apachectl"), .init(.dnf, "httpd", "/usr/sbin/apachectl")],
      stopSignal: "SIGWINCH"
    ).wrapping { arguments, family in
      // `apachectl -DFOREGROUND` runs httpd as a child (no exec) outside Debian: the server itself instead.
      guard family == .alpine || family == .redHat, apacheForeground(arguments) else { return nil }
      return ["httpd"] + arguments.filter { $0 != "-DFOREGROUND" && $0 != "-D" && $0 != "FOREGROUND" } + ["-DFOREGROUND"]
    },
    R(
      ["php-fpm"], .elf, service: "php-fpm", matches: DaemonCatalog.isPHPFPM,
      daemonizing: .custom { call in
        let arguments = call.arguments
        if arguments.contains(where: { $0 == "-D" || $0 == "--daemonize" }) {
          return DaemonCatalog.Verdict(
            service: "php-fpm", reason: "\(call.name) -D forks into the background",
            foreground: [call.program] + arguments.filter { $0 != "-D" && $0 != "--daemonize" } + ["-F"], isDropIn: true)
        }
        if call.facts.phpFPMDaemonizeNo { return nil }
        if arguments.contains(where: { $0 == "-F" || $0 == "--nodaemonize" || $0 == "-t" || $0 == "--test" || $0 == "-v" || $0 == "-i" || $0 == "-m" || $0 == "-h" }) { return nil }
        return DaemonCatalog.Verdict(
          service: "php-fpm", reason: "\(call.name) forks into the background unless run with -F (or 'daemonize = no')", foreground: [call.program] + arguments + ["-F"],
          isDropIn: true)
      },
      foreground: .when(.any("-F", "--nodaemonize")), queryFlags: ["-t", "--test", "-v", "-i", "-m", "-h"], stopSignal: "SIGQUIT"),
    R(
      ["sshd"], .elf,
      daemonizing: .unless(.any("-D", "-d", "-t", "-T", "-i") || .prefix("-D"), adding: ["-D"], reason: "NAME forks into the background unless run with -D"),
      foreground: .when(.any("-D")), queryFlags: ["-t", "-T"], initScriptNames: ["ssh", "sshd"], foregroundForm: ["/usr/sbin/sshd", "-D"],
      installs: [.init(.apt, "openssh-server", "/usr/sbin/sshd"), .init(.apk, "openssh-server", "/usr/sbin/sshd"), .init(.dnf, "openssh-server", "/usr/sbin/sshd")]),
    R(
      ["cron"], .elf,
      daemonizing: .unless(cronStays, adding: ["-f"], reason: "NAME forks into the background unless run with -f"),
      foreground: .when(.shortFlag("f")), initScriptNames: ["cron"], foregroundForm: ["cron", "-f"], installs: [.init(.apt, "cron", "/usr/sbin/cron")]),
    R(
      ["crond"], .elf,
      daemonizing: .unless(cronStays, adding: ["-f"], reason: "NAME forks into the background unless run with -f"),
      foreground: .when(.shortFlag("f")), initScriptNames: ["crond", "cronie"], foregroundForm: ["crond", "-f"],
      installs: [.init(.dnf, "cronie", "/usr/sbin/crond")]),
    R(
      ["rsyslogd", "syslogd"], .elf,
      daemonizing: .unless(.any("-n", "-N", "-v") || .shortFlag("n"), adding: ["-n"], reason: "NAME forks into the background unless run with -n"),
      foreground: .when(.shortFlag("n")), initScriptNames: ["rsyslog"], foregroundForm: ["rsyslogd", "-n"],
      installs: [.init(.apt, "rsyslog", "/usr/sbin/rsyslogd"), .init(.apk, "rsyslog", "/usr/sbin/rsyslogd")]),
    R(
      ["syslog-ng"], .elf,
      daemonizing: .unless(.any("-F", "--foreground", "-s", "--syntax-only", "-V"), adding: ["--foreground"], reason: "syslog-ng forks into the background unless run with --foreground"),
      foreground: .when(.any("-F", "--foreground")), initScriptNames: ["syslog-ng"], foregroundForm: ["syslog-ng", "--foreground"]),
    R(
      ["redis-server"], .elf, service: "redis",
      daemonizing: .custom { call in
        let arguments = call.arguments
        if let index = arguments.firstIndex(of: "--daemonize"), index + 1 < arguments.count {
          guard arguments[index + 1].lowercased() == "yes" else { return nil }
          var replaced = arguments
          replaced[index + 1] = "no"
          return DaemonCatalog.Verdict(service: "redis", reason: "redis-server --daemonize yes forks into the background", foreground: [call.program] + replaced, isDropIn: true)
        }
        if call.facts.redisDaemonizeYes {
          return DaemonCatalog.Verdict(service: "redis", reason: "redis.conf sets 'daemonize yes'", foreground: [call.program] + arguments + ["--daemonize", "no"], isDropIn: true)
        }
        return nil
      },
      foreground: .unlessDaemonizing, initScriptNames: ["redis-server", "redis"], foregroundForm: ["redis-server", "--daemonize", "no"],
      installs: [.init(.apt, "redis-server", "/usr/bin/redis-server"), .init(.apk, "redis", "/usr/bin/redis-server")]),
    R(
      ["memcached"], .elf, daemonizing: .with(["-d", "--daemon"], reason: "memcached -d forks into the background"), foreground: .unlessDaemonizing,
      initScriptNames: ["memcached"], foregroundForm: ["memcached", "-u", "memcache"], installs: [.init(.apt, "memcached", "/usr/bin/memcached")]),
    R(
      ["postfix"], .elf,
      daemonizing: .custom { call in
        guard call.arguments.contains("start") else { return nil }
        return DaemonCatalog.Verdict(
          service: "postfix", reason: "postfix start runs the master daemon in the background", foreground: [call.program] + call.arguments.map { $0 == "start" ? "start-fg" : $0 },
          isDropIn: true)
      },
      foreground: .when(T { $0.contains("start-fg") }), initScriptNames: ["postfix"], foregroundForm: ["postfix", "start-fg"]),
    R(
      ["dbus-daemon"], .elf, service: "dbus",
      daemonizing: .custom { call in
        let arguments = call.arguments
        if arguments.contains(where: { $0 == "--nofork" || $0 == "--version" || $0 == "--session" }) { return nil }
        guard arguments.contains(where: { $0 == "--system" || $0 == "--fork" }) else { return nil }
        return DaemonCatalog.Verdict(
          service: "dbus", reason: "dbus-daemon --system forks into the background unless run with --nofork", foreground: [call.program] + arguments.filter { $0 != "--fork" } + ["--nofork"],
          isDropIn: true)
      },
      foreground: .when(.any("--nofork")), initScriptNames: ["dbus"], foregroundForm: ["dbus-daemon", "--system", "--nofork"]),
    R(
      ["dnsmasq"], .elf,
      daemonizing: .unless(.any("-k", "--keep-in-foreground", "-d", "--no-daemon", "--test", "-v"), adding: ["-k"], reason: "dnsmasq forks into the background unless run with -k"),
      foreground: .when(.any("-k", "--keep-in-foreground", "-d", "--no-daemon")), initScriptNames: ["dnsmasq"], foregroundForm: ["dnsmasq", "-k"]),
    R(
      ["squid"], .elf,
      daemonizing: .unless(.any("-N", "-k", "-z", "-v", "--foreground", "-NYCd"), adding: ["-N"], reason: "squid forks into the background unless run with -N"),
      foreground: .when(.any("-N", "--foreground")), initScriptNames: ["squid"], foregroundForm: ["squid", "-N"]),
    R(
      ["varnishd"], .elf, service: "varnish",
      daemonizing: .unless(.any("-F", "-d", "-C", "-V", "-x"), adding: ["-F"], reason: "varnishd forks into the background unless run with -F"),
      foreground: .when(.any("-F", "--foreground")), initScriptNames: ["varnish"], foregroundForm: ["varnishd", "-F"]),
    R(
      ["haproxy"], .elf, daemonizing: .with(["-D"], adding: ["-db"], reason: "haproxy -D forks into the background"), foreground: .when(.any("-db")),
      initScriptNames: ["haproxy"], foregroundForm: ["haproxy", "-db", "-f", "/etc/haproxy/haproxy.cfg"]),
    samba(["smbd"], initScript: true), samba(["nmbd"], initScript: true), samba(["winbindd", "samba"], initScript: false),
    R(["rpcbind"], .elf, daemonizing: .unless(.any("-f", "-d"), adding: ["-f"], reason: "rpcbind forks into the background unless run with -f"), foreground: .when(.any("-f"))),
    R(
      ["rpc.statd", "rpc.mountd", "rpc.idmapd"], .elf,
      daemonizing: .unless(.any("-F", "--foreground", "-f", "-d"), adding: ["-F"], reason: "NAME forks into the background unless run with -F"),
      foreground: .when(.any("-F", "--foreground"))),
    R(["named"], .elf, daemonizing: .unless(.any("-f", "-g", "-v", "-V"), adding: ["-f"], reason: "named forks into the background unless run with -f"), foreground: .when(.any("-f", "-g"))),
    R(["mongod"], .elf, daemonizing: .with(["--fork"], reason: "mongod --fork forks into the background"), foreground: .unlessDaemonizing),
    R(
      ["pg_ctl", "pg_ctlcluster"], .elf, service: "postgresql",
      daemonizing: .custom { call in
        guard call.arguments.contains(where: DaemonCatalog.startVerbs.contains) else { return nil }
        return DaemonCatalog.Verdict(service: "postgresql", reason: "\(call.name) start launches the server in the background", foreground: nil, isDropIn: false)
      }),
    R(["gunicorn"], .script(interpreter: "python"), daemonizing: .with(["-D", "--daemon"], reason: "gunicorn --daemon forks into the background"), foreground: .unlessDaemonizing),
    R(
      ["uwsgi"], .elf,
      daemonizing: .custom { call in
        let arguments = call.arguments
        guard let index = arguments.firstIndex(where: { $0 == "--daemonize" || $0 == "-d" || $0.hasPrefix("--daemonize=") }) else { return nil }
        var rest = arguments
        rest.remove(at: index)
        if !arguments[index].contains("="), index < rest.count { rest.remove(at: index) }
        return DaemonCatalog.Verdict(service: "uwsgi", reason: "uwsgi --daemonize forks into the background", foreground: [call.program] + rest, isDropIn: true)
      },
      foreground: .unlessDaemonizing),
    R(
      ["catalina.sh"], .shellScript, service: "tomcat",
      daemonizing: .custom { call in
        guard call.arguments.first == "start" else { return nil }
        return DaemonCatalog.Verdict(service: "tomcat", reason: "catalina.sh start launches Tomcat in the background", foreground: [call.program, "run"] + call.arguments.dropFirst(), isDropIn: true)
      },
      foreground: .when(T { $0.first == "run" })),
    R(
      ["startup.sh"], .shellScript, service: "tomcat",
      daemonizing: .custom { call in
        let program = call.program
        guard program.contains("catalina") || program.contains("tomcat") || program.contains("CATALINA") else { return nil }
        return DaemonCatalog.Verdict(service: "tomcat", reason: "Tomcat's startup.sh launches it in the background", foreground: [program.replacingSuffix("startup.sh", with: "catalina.sh"), "run"], isDropIn: false)
      }),
    R(["openvpn"], .elf, daemonizing: .with(["--daemon"], reason: "openvpn --daemon forks into the background")),
    R(
      ["xinetd"], .elf, daemonizing: .unless(.any("-dontfork", "-d"), adding: ["-dontfork"], reason: "xinetd forks into the background unless run with -dontfork"),
      foreground: .when(.any("-dontfork")), initScriptNames: ["xinetd"], foregroundForm: ["xinetd", "-dontfork"]),
    R(
      ["vncserver", "tigervncserver", "tightvncserver"], .shellScript, file: .script("perl"), service: "vncserver",
      daemonizing: .unless(.any("-fg", "-kill", "-list", "-version"), adding: ["-fg"], reason: "NAME starts the X server in the background unless run with -fg"),
      foreground: .when(.any("-fg"))),
    R(
      ["supervisord"], .script(interpreter: "python"),
      daemonizing: .custom { call in
        // As PID 1, DA302 decides with the configuration in hand; started by a script, it is a daemon
        // unless -n or the configuration it reads says nodaemon=true.
        let arguments = call.arguments
        if arguments.contains(where: { $0 == "-n" || $0 == "--nodaemon" || $0 == "-h" || $0 == "--help" || $0 == "-v" || $0 == "--version" }) { return nil }
        var key = "default"
        if let flag = arguments.firstIndex(where: { $0 == "-c" || $0 == "--configuration" }), flag + 1 < arguments.count { key = arguments[flag + 1] }
        guard call.facts.supervisordNodaemon[key] == false else { return nil }
        return DaemonCatalog.Verdict(
          service: "supervisord", reason: "supervisord forks into the background unless run with -n (or nodaemon=true)", foreground: [call.program, "-n"] + arguments, isDropIn: true)
      },
      foreground: .when(.any("-n", "--nodaemon")), initScriptNames: ["supervisor", "supervisord"], foregroundForm: ["supervisord", "-n"],
      installs: [
        .init(.apt, "supervisor", "/usr/bin/supervisord"), .init(.apk, "supervisor", "/usr/bin/supervisord"), .init(.dnf, "supervisor", "/usr/bin/supervisord"),
        .init(.pip, "supervisor", "/usr/local/bin/supervisord"),
      ]),
    R(
      ["mysqld", "mariadbd"], .elf, service: "mysql", foreground: .unlessDaemonizing,
      installs: [.init(.apt, "mysql-server", "/usr/sbin/mysqld"), .init(.apt, "mariadb-server", "/usr/sbin/mysqld"), .init(.apk, "mariadb", "/usr/bin/mysqld")]),
    // mysqld_safe starts mysqld and restarts it when it dies (and ignores TERM): a foreground wrapper, not
    // a daemon, and never the foreground form of `service mysql start` (that is the server itself, below).
    R(
      ["mysqld_safe"], .restartingWrapper, service: "mysql", foreground: .unlessDaemonizing,
      installs: [.init(.apt, "mysql-server", "/usr/bin/mysqld_safe"), .init(.apt, "mariadb-server", "/usr/bin/mysqld_safe")]),
    R(["postgres"], .elf, foreground: .unlessDaemonizing),
    R(["uvicorn", "hypercorn", "daphne"], .script(interpreter: "python"), foreground: .unlessDaemonizing),
    R(["docker"], .elf, initScriptNames: ["docker"]),
  ]

  /// smbd, nmbd, winbindd: `--foreground --no-process-group` (as an init script's foreground form too).
  static func samba(_ names: [String], initScript: Bool) -> ProgramRecord {
    R(
      names, .elf,
      daemonizing: .unless(
        .any("-F", "--foreground", "-i", "--interactive", "-V", "-b") || T { $0.contains { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.dropFirst().contains("F") } },
        adding: ["--foreground", "--no-process-group"], atEnd: true, removing: ["-D", "--daemon"], reason: "NAME forks into the background unless run with --foreground"),
      foreground: .when(.any("-F", "--foreground")), initScriptNames: initScript ? names : [],
      foregroundForm: initScript ? [names[0], "--foreground", "--no-process-group"] : nil)
  }

  static let cronStays: T = .any("-f", "-n", "-h") || .prefix("-f") || T { $0.contains { $0.hasPrefix("-") && $0.dropFirst().contains("f") && !$0.hasPrefix("--") } }
  /// Apache's server in the foreground by family: `apache2ctl -D FOREGROUND` on Debian (its envvars),
  /// `httpd -DFOREGROUND` on Alpine and Red Hat, the control script as called where the family is unknown.
  static func apacheServer(_ family: BaseImage.Family, name: String) -> [String] {
    switch family {
    case .debian: ["apache2ctl", "-D", "FOREGROUND"]
    case .alpine, .redHat: ["httpd", "-DFOREGROUND"]
    default: [name, "-D", "FOREGROUND"]
    }
  }

  /// `forever [start] [options] SCRIPT [arguments]` as the script's own command (`node SCRIPT …`, or
  /// the `-c` command): nil for an option dockadvise does not know or without a script.
  static func foreverServer(_ arguments: [String]) -> [String]? {
    var rest = arguments[...]
    if rest.first == "start" { rest = rest.dropFirst() }
    let valued: Set<String> = ["-m", "-l", "-o", "-e", "-p", "-c", "--sourceDir", "--workingDir", "--minUptime", "--spinSleepTime", "--uid", "--pidFile", "--killSignal", "--watchDirectory", "--append", "--colors", "-t", "--id"]
    let flags: Set<String> = ["-a", "-f", "-d", "-v", "-s", "-w", "--watch", "--verbose", "--silent", "--plain", "--no-colors", "--debug"]
    var command = ["node"]
    while let word = rest.first, word.hasPrefix("-") {
      rest = rest.dropFirst()
      if flags.contains(word) { continue }
      guard valued.contains(word), let value = rest.first else { return nil }
      rest = rest.dropFirst()
      if word == "-c" { command = value.split(separator: " ").map(String.init) }
    }
    guard let script = rest.first, !command.isEmpty else { return nil }
    return command + [script] + rest.dropFirst()
  }

  static let apacheForeground = T { arguments in
    arguments.contains("-DFOREGROUND") || arguments.indices.contains { arguments[$0] == "-D" && $0 + 1 < arguments.count && arguments[$0 + 1] == "FOREGROUND" }
  }

  // MARK: - Wrappers, managers, package managers, systemd

  static let wrappersAndManagers: [ProgramRecord] = [
    R(
      ["pm2"], .restartingWrapper, file: .script("node"),
      daemonizing: .custom { call in
        guard call.arguments.first == "start" || call.arguments.first == "restart" else { return nil }
        return DaemonCatalog.Verdict(service: "pm2", reason: "pm2 start daemonizes the pm2 God process; use pm2-runtime in containers", foreground: ["pm2-runtime"] + call.arguments.dropFirst(), isDropIn: true)
      },
      installs: [.init(.npm, "pm2", "/usr/local/bin/pm2")]),
    R(["pm2-runtime"], .processManager, file: .script("node"), foreground: .always, installs: [.init(.npm, "pm2", "/usr/local/bin/pm2-runtime")]),
    // `forever start` daemonizes; `forever app.js` stays but restarts the script when it dies. Either
    // way a container runs the script itself.
    R(
      ["forever"], .restartingWrapper, file: .script("node"),
      daemonizing: .custom { call in
        guard call.arguments.first == "start" else { return nil }
        return DaemonCatalog.Verdict(
          service: "forever", reason: "forever start daemonizes and restarts the script when it dies; run the script itself",
          foreground: foreverServer(call.arguments), isDropIn: true)
      },
      installs: [.init(.npm, "forever", "/usr/local/bin/forever")]
    ).wrapping { arguments, _ in arguments.first == "start" ? nil : foreverServer(arguments) },
    R(["runsvdir", "runit", "runsv"], .processManager, installs: [.init(.apt, "runit", "/usr/bin/runsvdir"), .init(.apk, "runit", "/sbin/runsvdir")]),
    R(["s6-svscan"], .processManager, installs: [.init(.apk, "s6", "/bin/s6-svscan"), .init(.apt, "s6", "/usr/bin/s6-svscan")]),
    R(["my_init"], .processManager, file: .script("python3")),
    R(["forego", "overmind", "hivemind", "multirun", "horust"], .processManager),
    R(["honcho", "circusd", "chaperone"], .processManager, file: .script("python3")),
    R(["concurrently"], .processManager, file: .script("node"), installs: [.init(.npm, "concurrently", "/usr/local/bin/concurrently")]),
    R(["monit"], .processManager, installs: [.init(.apt, "monit", "/usr/bin/monit")]),
    R(["systemd"], .systemd, stopSignal: "SIGRTMIN+3"),
    R(["init"], .systemd, stopSignal: "SIGRTMIN+3"),
    R(["npm", "yarn", "pnpm"], .packageManager),
  ]

  // MARK: - Inits

  static let inits: [ProgramRecord] = [
    R(
      ["tini", "tini-static", "tini-static-amd64", "tini-amd64"], .initProcess(.tini),
      installs: [.init(.apt, "tini", "/usr/bin/tini"), .init(.apk, "tini", "/sbin/tini"), .init(.apt, "tini-static", "/usr/bin/tini-static")]),
    R(["docker-init"], .initProcess(.dockerInit)),
    R(
      ["dumb-init"], .initProcess(.dumbInit),
      installs: [.init(.apt, "dumb-init", "/usr/bin/dumb-init"), .init(.apk, "dumb-init", "/usr/bin/dumb-init"), .init(.pip, "dumb-init", "/usr/local/bin/dumb-init")]),
    R(["catatonit"], .initProcess(.catatonit), installs: [.init(.apt, "catatonit", "/usr/bin/catatonit"), .init(.apk, "catatonit", "/usr/bin/catatonit")]),
    R(["dockadvise-init"], .initProcess(.dockadviseInit)),
  ]

  // MARK: - Shells

  /// The shells, from the parser's list of shell names (the parser needs it for shebangs and `sh -c`).
  static let shells: [ProgramRecord] = ShellNames.dialects.keys.sorted().compactMap { name in
    guard let interpreter = shellInterpreter(name) else { return nil }
    return R([name], .shell(interpreter))
  }

  /// The interpreter dockadvise models for a shell name (`sh` is resolved per image by the factory).
  static func shellInterpreter(_ name: String) -> ShellProgram.Interpreter? {
    switch name {
    case "sh": return .sh
    case "dash": return .dash
    case "ash", "busybox": return .ash
    case "zsh": return .zsh
    case "execlineb": return .execline
    default:
      switch ShellNames.dialects[name] {
      case .bash: return .bash
      case .posix: return .sh
      default: return nil
      }
    }
  }
}

extension ProgramRecord {
  /// A copy with the behaviour fields set (keeps the table's entries readable when they are long).
  func with(
    daemonizing: Daemonizing? = nil, foreground: Foreground? = nil, initScriptNames: [String]? = nil, foregroundForm: [String]? = nil
  ) -> ProgramRecord {
    var copy = self
    if let daemonizing { copy.daemonizing = daemonizing }
    if let foreground { copy.foreground = foreground }
    if let initScriptNames { copy.initScriptNames = initScriptNames }
    if let foregroundForm { copy.foregroundForm = foregroundForm }
    return copy
  }

  func wrapping(_ server: @escaping @Sendable (_ arguments: [String], _ family: BaseImage.Family) -> [String]?) -> ProgramRecord {
    var copy = self
    copy.wrappedServer = server
    return copy
  }
}
