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
    /// The image's distribution family: which program a wrapper's foreground form is (`apache2ctl`
    /// on Debian, `httpd` elsewhere).
    public var family: BaseImage.Family = .unknown

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
    /// The command cannot start the daemon in a container and fails at run time (`systemctl start x`:
    /// systemd is not PID 1): nothing runs afterwards, in the background or otherwise.
    public var failsInContainer = false
  }

  /// The verdict for `program` (basename, wrappers already resolved) run with `arguments`: init scripts
  /// (`service`, `/etc/init.d`, `systemctl`) here, every daemon from its record in `ProgramTable`.
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
      verdict.reason = "systemctl talks to systemd, which is not PID 1 here, so it exits with an error ('System has not been booted with systemd as init system') and starts nothing"
      verdict.failsInContainer = true
      return verdict
    default:
      return ProgramTable.record(for: name)?.verdict(program: program, name: name, arguments: arguments, facts: facts)
    }
  }

  /// Whether `program` with `arguments` is a server that runs in the foreground: a daemon told so by its
  /// own flag (`php-fpm -F`, `nginx -g 'daemon off;'`, `sshd -D`, `cron -f`), or one that never forks
  /// (`redis-server`, `mysqld`), not asked for its version, a test or an initialisation. Such a
  /// command blocks the script that runs it until the server ends.
  public static func runsServerInForeground(program: String, arguments: [String]) -> Bool {
    if arguments.contains(where: ProgramTable.commonQueries.contains) { return false }
    guard let record = ProgramTable.record(for: program) else { return false }
    switch record.foreground {
    case .notAServer: return false
    case .always: return true
    case .when(let test): return test(arguments)
    case .unlessDaemonizing: return verdict(program: program, arguments: arguments) == nil
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
    // The server itself, not `mysqld_safe`: that wrapper restarts a dead server and ignores TERM.
    switch service {
    case "mariadb": return ["mariadbd", "--user=mysql"]
    case "mysql", "mysqld": return ["mysqld", "--user=mysql"]
    default: break
    }
    if let record = ProgramTable.records.first(where: { $0.initScriptNames.contains(service) }) { return record.foregroundForm }
    return isPHPFPM(service) ? [service, "-F"] : nil
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
