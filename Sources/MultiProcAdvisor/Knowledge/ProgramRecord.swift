import DockerfileParser

/// Everything dockadvise knows about one program: its names, what kind of file it is, whether and how
/// it daemonizes, the flags that make it exit at once, its foreground form, where packages install it
/// and the signal that stops it gracefully. The records live in `ProgramTable`; every rule, the model
/// and the rewriter read them through `ProgramTable`, `DaemonCatalog` and `Knowledge`.
public struct ProgramRecord: Sendable {
  /// What the program is, as far as running it as PID 1 (or under a shell) is concerned.
  public enum Kind: Sendable, Equatable {
    /// A compiled binary (ELF): a shell cannot read it as a script.
    case elf
    /// A script for another interpreter (`/usr/bin/supervisord` is Python): a shell cannot read it either.
    case script(interpreter: String)
    /// A shell dockadvise parses.
    case shell(ShellProgram.Interpreter)
    /// A shell script that ships with a package (`catalina.sh`, `apachectl`).
    case shellScript
    /// A wrapper that starts the real server and restarts it when it dies (`mysqld_safe`, `pm2`).
    case restartingWrapper
    /// An init that reaps and forwards signals (tini, dumb-init…).
    case initProcess(Launch.InitProcess.Kind)
    /// A process manager that runs several services and is trusted as PID 1.
    case processManager
    /// A package manager that runs a script of the project (`npm start`).
    case packageManager
    /// systemd or a SysV init as PID 1.
    case systemd
  }

  /// A package that installs the program, and where.
  public struct Install: Sendable, Equatable {
    public enum Manager: String, Sendable { case apt, apk, dnf, pip, npm }
    public var manager: Manager
    public var package: String
    public var path: String
    public init(_ manager: Manager, _ package: String, _ path: String) {
      self.manager = manager
      self.package = package
      self.path = path
    }
  }

  /// A test over a command's literal arguments.
  public struct ArgumentTest: Sendable {
    let test: @Sendable ([String]) -> Bool
    public init(_ test: @escaping @Sendable ([String]) -> Bool) { self.test = test }
    public func callAsFunction(_ arguments: [String]) -> Bool { test(arguments) }

    /// One of these words is an argument.
    public static func any(_ flags: String...) -> ArgumentTest {
      let set = Set(flags)
      return ArgumentTest { $0.contains(where: set.contains) }
    }
    /// A cluster of one-letter options (`-fl`) contains `letter`.
    public static func shortFlag(_ letter: Character) -> ArgumentTest {
      ArgumentTest { $0.contains { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.dropFirst().contains(letter) } }
    }
    /// An argument starts with `prefix`.
    public static func prefix(_ prefix: String) -> ArgumentTest { ArgumentTest { $0.contains { $0.hasPrefix(prefix) } } }
    public static func || (lhs: ArgumentTest, rhs: ArgumentTest) -> ArgumentTest { ArgumentTest { lhs($0) || rhs($0) } }
    public static let never = ArgumentTest { _ in false }
    public static let always = ArgumentTest { _ in true }
  }

  /// How the program is asked to run: what `DaemonCatalog.verdict` needs.
  public struct Call: Sendable {
    /// The program as written (path or basename).
    public var program: String
    /// Its basename.
    public var name: String
    public var arguments: [String]
    public var facts: DaemonCatalog.ImageFacts
    /// The record's service name.
    public var service: String
  }

  /// Whether and how the program goes to the background.
  public enum Daemonizing: Sendable {
    /// It never forks by itself.
    case never
    /// It forks unless `stays` holds for its arguments (a foreground flag or a query); the foreground form
    /// adds `adding` at the front (after the program) or the end, and drops `removing`.
    case unless(ArgumentTest, adding: [String], atEnd: Bool = false, removing: Set<String> = [], reason: String)
    /// It forks only when given one of `flags`; the foreground form drops them (and adds `adding` at the end).
    case with(Set<String>, adding: [String] = [], reason: String)
    /// Decided by code (nginx's configuration, supervisord's `nodaemon`, verbs such as `postfix start`).
    case custom(@Sendable (Call) -> DaemonCatalog.Verdict?)
  }

  /// When a run of the program blocks its caller because a server runs in it (`runsServerInForeground`).
  public enum Foreground: Sendable {
    /// Not a server (or dockadvise does not say).
    case notAServer
    /// A server that is in the foreground when its arguments pass this test.
    case when(ArgumentTest)
    /// A server that is in the foreground whenever it does not daemonize.
    case unlessDaemonizing
    /// Always (`pm2-runtime`).
    case always
  }

  /// What the program's file is: a compiled binary or a script for some interpreter.
  public enum File: Sendable, Equatable {
    case elf
    /// A script run by this interpreter (`sh`, `python3`, `node`).
    case script(String)
  }

  /// Basenames the program goes by (`cron`, `crond`).
  public var names: [String]
  /// Matches further basenames (`php-fpm8.2`, `php7.4-fpm`).
  public var matches: (@Sendable (String) -> Bool)?
  public var kind: Kind
  public var file: File
  /// The service as people call it (nil: the basename).
  public var service: String?
  public var daemonizing: Daemonizing
  public var foreground: Foreground
  /// Flags that make it print something and exit at once (`-t`, `-V`, `--version`).
  public var queryFlags: Set<String>
  /// The foreground command to run for `service NAME start` / `/etc/init.d/NAME start`, for each NAME.
  public var initScriptNames: [String]
  public var foregroundForm: [String]?
  /// Where packages install it.
  public var installs: [Install]
  /// The signal it treats as a graceful stop, when it is not SIGTERM.
  public var stopSignal: String?
  /// For a wrapper that restarts the server it starts or does not `exec` it (`forever app.js`,
  /// `apachectl -DFOREGROUND` outside Debian): the server itself in the foreground, from the wrapper's
  /// arguments and the image's family, so that a supervisor sees the server die and stops it with its
  /// signal. Nil when the arguments do not say (or the wrapper is fine as it is).
  public var wrappedServer: (@Sendable (_ arguments: [String], _ family: BaseImage.Family) -> [String]?)?

  public init(
    _ names: [String], _ kind: Kind, file: File? = nil, service: String? = nil, matches: (@Sendable (String) -> Bool)? = nil,
    daemonizing: Daemonizing = .never, foreground: Foreground = .notAServer, queryFlags: Set<String> = [],
    initScriptNames: [String] = [], foregroundForm: [String]? = nil, installs: [Install] = [], stopSignal: String? = nil
  ) {
    self.names = names
    self.kind = kind
    self.file = file ?? Self.defaultFile(kind)
    self.service = service
    self.matches = matches
    self.daemonizing = daemonizing
    self.foreground = foreground
    self.queryFlags = queryFlags
    self.initScriptNames = initScriptNames
    self.foregroundForm = foregroundForm
    self.installs = installs
    self.stopSignal = stopSignal
    self.wrappedServer = nil
  }

  /// Whether the record describes a program with this basename.
  /// Whether a command naming either program does the same at PID 1: the same program, or two names of
  /// systemd / of one init (`/lib/systemd/systemd`, `/sbin/init`).
  func playsSameRole(as other: ProgramRecord) -> Bool {
    if names == other.names { return true }
    switch (kind, other.kind) {
    case (.systemd, .systemd): return true
    case (.initProcess(let a), .initProcess(let b)): return a == b
    default: return false
    }
  }

  public func describes(_ name: String) -> Bool { names.contains(name) || matches?(name) == true }

  /// What the file is when the record does not say: binaries, except scripts and wrappers (shell scripts).
  static func defaultFile(_ kind: Kind) -> File {
    switch kind {
    case .script(let interpreter): .script(interpreter)
    case .shellScript, .restartingWrapper: .script("sh")
    case .packageManager: .script("node")
    default: .elf
    }
  }

  /// Whether a shell cannot read the program's file as a script (a binary, or another language's script).
  public var isUnreadableByShell: Bool {
    if case .shell = kind { return false }
    return file != .script("sh")
  }

  /// What the record says about `program` run with `arguments`.
  func verdict(program: String, name: String, arguments: [String], facts: DaemonCatalog.ImageFacts) -> DaemonCatalog.Verdict? {
    let service = self.service ?? name
    let reasonFor = { (reason: String) in reason.replacing("NAME", with: name) }
    switch daemonizing {
    case .never:
      return nil
    case .unless(let stays, let adding, let atEnd, let removing, let reason):
      if stays(arguments) { return nil }
      let kept = arguments.filter { !removing.contains($0) }
      let foreground = atEnd ? [program] + kept + adding : [program] + adding + kept
      return DaemonCatalog.Verdict(service: service, reason: reasonFor(reason), foreground: foreground, isDropIn: true)
    case .with(let flags, let adding, let reason):
      guard arguments.contains(where: flags.contains) else { return nil }
      return DaemonCatalog.Verdict(
        service: service, reason: reasonFor(reason), foreground: [program] + arguments.filter { !flags.contains($0) } + adding, isDropIn: true)
    case .custom(let decide):
      return decide(Call(program: program, name: name, arguments: arguments, facts: facts, service: service))
    }
  }
}
