/// Small facts about programs that several parts of dockadvise share.
public enum Knowledge {
  /// Which init a program is, by its basename (or the configuration's trusted inits).
  public static func initKind(of program: String, trusted: Set<String> = []) -> Launch.InitProcess.Kind? {
    let name = DaemonCatalog.basename(program)
    if let record = ProgramTable.record(for: name), case .initProcess(let kind) = record.kind { return kind }
    return trusted.contains(program) || trusted.contains(name) ? .trusted : nil
  }

  /// Process managers that reap and forward well enough that dockadvise does not second-guess them as
  /// PID 1 (the table's process managers and systemd).
  public static let processManagers: Set<String> = Set(
    ProgramTable.records.filter { $0.kind == .processManager || $0.kind == .systemd }.flatMap(\.names))

  /// Shells dockadvise parses, by basename.
  public static func shellInterpreter(_ program: String) -> ShellProgram.Interpreter? {
    guard let record = ProgramTable.record(for: program), case .shell(let interpreter) = record.kind else { return nil }
    return interpreter
  }

  /// Commands that finish quickly (for deciding what holds the foreground and what is a one-shot task).
  public static let shortLivedPrograms: Set<String> = [
    "echo", "printf", "true", "false", ":", "exit", "return", "cd", "export", "set", "unset", "test", "[", "[[", "local",
    "readonly", "declare", "source", ".", "eval", "shift", "trap", "umask", "ulimit", "wait", "kill", "cp", "mv", "rm",
    "mkdir", "chmod", "chown", "ln", "touch", "cat", "sed", "awk", "grep", "envsubst", "curl", "wget", "sleep", "date",
    "id", "whoami", "usermod", "useradd", "groupadd", "adduser", "addgroup", "install", "find", "xargs", "tee", "sort",
    "head", "cut", "tr", "basename", "dirname", "mktemp", "sync", "update-ca-certificates", "ldconfig", "locale-gen",
    "apt-get", "apk", "pip", "npm", "composer", "php", "python", "python3", "node", "ruby", "perl", "java", "bash", "sh",
    "hostname", "ip", "iptables", "sysctl", "setcap", "ssh-keygen", "openssl", "envtpl", "dockerize", "wait-for-it",
    "wait-for-it.sh", "nc", "timeout", "jq", "yq", "gosu", "su-exec", "tar", "gzip", "unzip", "a2enmod", "a2ensite",
    "a2dissite", "a2enconf", "service", "systemctl", "rc-service", "sv", "s6-svc", "supervisorctl", "mysql", "psql",
    "mysqladmin", "pg_isready", "redis-cli", "confd", "ps", "pgrep", "pkill", "killall", "logger", "stat", "ls", "df",
    "printenv", "env", "unlink", "readlink", "realpath", "chgrp", "chpasswd", "passwd", "crontab", "rsync", "git",
  ]

  /// Commands that copy logs to the container's output and never end on their own (`tail -F`,
  /// `gitlab-ctl tail`, `journalctl -f`): not services, but they keep a plain `wait` waiting.
  public static func isLogRelay(_ program: String?, arguments: [String?]) -> Bool {
    guard let program = program.map(DaemonCatalog.basename) else { return false }
    let literal = arguments.compactMap { $0 }
    switch program {
    case "tail": return Keepalive.isKeepalive(program: program, arguments: arguments)
    case "gitlab-ctl", "supervisorctl", "sv": return literal.first == "tail"
    case "journalctl": return literal.contains { $0 == "-f" || $0 == "--follow" }
    case "multitail": return true
    default: return false
    }
  }

  /// Programs that only carry what a service writes in a pipeline (`svc | tee log`, `svc 2>&1 | logger`):
  /// a pipeline is judged by its other stages.
  public static let pipelineLogSinks: Set<String> = [
    "tee", "logger", "cat", "sed", "awk", "gawk", "grep", "egrep", "s6-log", "multilog", "svlogd", "cronolog", "rotatelogs",
    "ts", "stdbuf", "while", "read", "sponge", "gzip", "xz",
  ]

  /// Commands that shut a server down (`mysqladmin shutdown`, `redis-cli shutdown`, `pg_ctl stop`,
  /// `nginx -s quit`): a word that must be among their arguments, and the servers they stop.
  static let shutdownCommands: [String: (word: Set<String>, servers: Set<String>)] = [
    "mysqladmin": (["shutdown"], ["mysqld", "mariadbd", "mysqld_safe", "mariadbd-safe"]),
    "mariadb-admin": (["shutdown"], ["mysqld", "mariadbd", "mysqld_safe", "mariadbd-safe"]),
    "redis-cli": (["shutdown", "SHUTDOWN"], ["redis-server"]),
    "pg_ctl": (["stop"], ["postgres", "pg_ctl"]),
    "nginx": (["stop", "quit"], ["nginx"]),
    "apachectl": (["stop", "graceful-stop"], ["apache2", "httpd", "apachectl", "apache2ctl"]),
    "apache2ctl": (["stop", "graceful-stop"], ["apache2", "httpd", "apachectl", "apache2ctl"]),
    "rabbitmqctl": (["stop", "shutdown"], ["rabbitmq-server"]),
  ]

  /// Whether `program` run with `arguments` shuts down a running `server` (both basenames).
  public static func shutsDown(_ program: String, arguments: [String?], server: String) -> Bool {
    guard let entry = shutdownCommands[program], entry.servers.contains(server) else { return false }
    return arguments.contains { $0.map(entry.word.contains) == true }
  }

  /// Commands that talk to a running server rather than run one (`nginx -s reload`, `apachectl graceful`).
  public static func isControlCommand(_ program: String, arguments: [String]) -> Bool {
    switch program {
    case "nginx":
      return arguments.contains { ["-s", "-t", "-T", "-v", "-V", "-h", "-?"].contains($0) }
    case "apachectl", "apache2ctl":
      return arguments.contains { ["configtest", "graceful", "graceful-stop", "stop", "status", "fullstatus", "-t", "-S", "-M", "-v", "-V"].contains($0) }
    case _ where DaemonCatalog.isPHPFPM(program):
      return arguments.contains { ["-t", "--test", "-v", "-i", "-m", "-h"].contains($0) }
    case "supervisorctl", "s6-svc", "s6-rc", "sv", "svc", "s6-svscanctl", "rc-status":
      return true
    case "service", "rc-service", "systemctl":
      return !arguments.contains(where: DaemonCatalog.startVerbs.contains)
    default:
      return false
    }
  }

  /// Interpreters that run a long-lived application when given a script or module (not `-c` one-liners).
  public static let applicationInterpreters: Set<String> = ["python", "python3", "node", "ruby", "perl", "java", "php", "bun", "deno", "dotnet", "npm", "yarn", "pnpm"]
}

/// Recognises keep-alive commands: `tail -f /dev/null`, `sleep infinity`, `sleep 9999999`, `tail -f some.log`.
public enum Keepalive {
  /// A sleep long enough (a day or more) to count as forever.
  static func isEndlessSleep(_ arguments: [String]) -> Bool {
    guard arguments.count == 1, let argument = arguments.first else { return false }
    if argument == "infinity" || argument == "inf" || argument == "infinite" { return true }
    var digits = Substring(argument)
    var multiplier = 1.0
    if let last = digits.last, "smhd".contains(last) {
      multiplier = ["s": 1, "m": 60, "h": 3600, "d": 86400][String(last)]!
      digits = digits.dropLast()
    }
    guard let value = Double(digits) else { return false }
    return value * multiplier >= 86_400
  }

  /// `tail -f`/`-F`/`--follow` of anything, or an endless sleep.
  public static func isKeepalive(program: String?, arguments: [String?]) -> Bool {
    guard let program = program.map(DaemonCatalog.basename) else { return false }
    let literal = arguments.compactMap { $0 }
    switch program {
    case "sleep":
      return isEndlessSleep(literal)
    case "tail":
      return literal.contains { $0 == "-f" || $0 == "-F" || $0.hasPrefix("--follow") || ($0.hasPrefix("-") && !$0.hasPrefix("--") && ($0.contains("f") || $0.contains("F"))) }
    case "cat" where literal.isEmpty:
      return false
    default:
      return false
    }
  }

  /// The body of an endless loop that only sleeps: `sleep 60`, or `sleep 60 & wait $!` (the idiom that
  /// lets a trap run during the sleep), with `echo`/`:`/`true` around it. A sleep in the background is
  /// the only background job allowed.
  public static func isSleepLoopBody(_ commands: [(program: String?, isBackground: Bool)]) -> Bool {
    guard commands.contains(where: { $0.program == "sleep" }) else { return false }
    return commands.allSatisfy { command in
      guard let program = command.program else { return false }
      if command.isBackground { return program == "sleep" }
      return ["sleep", "wait", "echo", "printf", ":", "true"].contains(program)
    }
  }

  public static func isKeepalive(_ command: CommandReference) -> Bool {
    isKeepalive(program: command.program, arguments: command.arguments)
  }

  /// `tail -f /dev/null` specifically (nothing but a keep-alive, never a log relay).
  public static func followsNothing(_ command: CommandReference) -> Bool {
    command.programName == "tail" && command.arguments.contains("/dev/null")
  }
}
