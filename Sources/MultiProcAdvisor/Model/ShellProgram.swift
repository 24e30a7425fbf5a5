import DockerfileParser

/// A shell program the container runs: a shell-form instruction, an `sh -c` string, or a script file,
/// together with what dockadvise learned about it.
public struct ShellProgram: Sendable {
  /// Which shell runs it.
  public enum Interpreter: String, Sendable {
    /// `/bin/sh` that is dash (Debian, Ubuntu).
    case dash
    /// `/bin/sh` that is busybox ash (Alpine).
    case ash
    /// `/bin/sh` of an unknown base image.
    case sh
    case bash
    case zsh
    /// execline (`#!/command/execlineb`): not parsed, execs by construction.
    case execline
    /// Some other interpreter (python, perl…): not a shell.
    case other

    /// Whether `wait -n` works under this interpreter (nil: unknown).
    public var supportsWaitN: Bool? {
      switch self {
      case .bash, .ash, .zsh: true
      case .dash: false
      case .sh, .execline, .other: nil
      }
    }
  }

  /// Where the program sits in the process tree.
  public enum Role: Sendable, Equatable {
    /// It is PID 1 (nothing in front of it).
    case pid1
    /// It is the direct child of an init; `signalsGroup` says whether the init signals the whole group.
    case initChild(initName: String, signalsGroup: Bool)
    /// It is a supervised service's `run` script or a supervisord program.
    case service(name: String, supervisor: String)
    /// A one-shot script an init runs once at start, before the services (my_init's `/etc/my_init.d/*`,
    /// s6-overlay's `/etc/cont-init.d/*`): it must end, and what it leaves in the background nobody
    /// supervises. `name` is the script's path, `runner` the init that runs it.
    case startup(name: String, runner: String)
  }

  /// Which instruction's words name this program in the effective argv.
  public enum ArgvSource: Sendable, Equatable {
    case entrypoint, cmd
    /// Reached through an earlier program's `exec`, or run by a supervisor.
    case other
  }

  public var script: ShellScript
  public var interpreter: Interpreter
  /// A shell-form ENTRYPOINT/CMD (DA101's business rather than DA102's).
  public var isShellForm: Bool
  public var argvSource: ArgvSource
  /// How the program is named in messages: `CMD`, `ENTRYPOINT`, `/start.sh`.
  public var displayName: String
  /// The image file, for scripts.
  public var file: ImageFile?
  /// The file ranges point into (the Dockerfile for inline commands and heredocs).
  public var source: SourceFile
  /// The Dockerfile instruction that leads here (the ENTRYPOINT/CMD), for notes and suppressions.
  public var instruction: FileRange?
  /// Notes showing the chain: "CMD runs /start.sh, copied from docker/start.sh at Dockerfile:7".
  public var provenance: [Finding.Note]
  public var role: Role
  /// Where the interpreter is named: the shebang line, or the `sh` word of `["sh", "-c", …]` (nil for
  /// shell form, whose shell comes from SHELL).
  public var interpreterLocation: FileRange?
  /// Whether `interpreterLocation` is a shebang line (else an argv word).
  public var interpreterIsShebang: Bool
  /// Whether `interpreterLocation` is an exec-form JSON element.
  public var interpreterIsJSONElement: Bool
  /// Problems parsing it (DA002).
  public var issues: [(message: String, location: FileRange)]
  public var facts: ShellFacts
  /// The values its variables are known to hold (computed once, with the files it sources).
  var variables: ShellVariables?

  public var isPID1: Bool { role == .pid1 }
  public var isInline: Bool { file == nil || file?.source.path == source.path && !(file?.isWholeSourceFile ?? false) }
}

/// What a shell program does with processes: the facts the DA1xx/DA2xx rules are built on.
public struct ShellFacts: Sendable {
  /// A command started with `&`.
  public struct BackgroundJob: Sendable {
    public var command: CommandReference
    /// A service that keeps running (not a one-shot task, a finite sleep, or a `tail -F` relaying logs).
    public var isLongRunning: Bool
    /// What it is, for messages (`php-fpm8.2 -F`).
    public var summary: String
    /// The variable its PID is saved in (`pid=$!` right after it).
    public var pidVariable: String?
    /// Whether a `wait` on the main path waits for this job specifically (`wait $pid`, `wait $!`).
    public var isWaitedFor: Bool = false
    /// A log relay (`tail -F`, `gitlab-ctl tail`): never ends, but is not a service.
    public var isLogRelay: Bool = false
    /// The script stops it itself (`kill $pid`, `kill %1`, `pkill NAME`) before going on: a bootstrap
    /// server run only while the script prepares, not a service.
    public var isStoppedByScript: Bool = false
  }

  /// A `wait` call.
  public struct Wait: Sendable {
    public var command: CommandReference
    /// `-n`: wait for the next job to end.
    public var waitsForNext: Bool
    /// Operands (`$pid`, `$!`, `%1`); empty for a plain `wait`.
    public var operands: [String]
    /// Whether `$?` of this wait reaches the script's exit status (it is the last command, `exit $?`
    /// follows, or the status is saved and exited with).
    public var statusPropagates: Bool
    /// Where the status is lost: `|| true`, a later `exit 0`, a command after it; nil when it propagates.
    public var statusLostBy: String?
    /// Whether it runs in the main path (not in a function never called, not in the background).
    public var isInMainPath: Bool
    /// Whether this is `wait … || true`, which the author chose (no automatic fix).
    public var isGuardedByTrue: Bool
    /// Edits that save the status after the wait and exit with it, when that is unambiguous.
    public var statusFixEdits: [(range: SourceRange, replacement: String)]
  }

  /// A `trap` command.
  public struct Trap: Sendable {
    public var command: CommandReference
    /// Normalised signal names (`TERM`, `INT`, `EXIT`, `CHLD`…).
    public var signals: [String]
    /// Whether the handler passes the signal on to children (`kill`, `kill -TERM $pids`, a function that does).
    public var forwardsToChildren: Bool
  }

  /// A command that can run last on the main path (after `if`/`case` branches and function calls).
  public struct Terminal: Sendable {
    public var command: CommandReference
    public enum Kind: Sendable, Equatable {
      /// A program that keeps running (a service).
      case service
      /// `tail -f /dev/null`, `sleep infinity`, an endless sleep loop, `tail -f some.log`.
      case keepalive
      /// `wait` / `wait -n`.
      case wait
      /// `exec "$@"` (or `"$@"`): runs the container's arguments.
      case positionalArguments
      /// A builtin or a short command (`echo`, `exit`, `true`, `cd`).
      case shortLived
      /// A background job (`a &` at the very end).
      case background
      /// A command inside a loop that holds the foreground (a polling or watching loop).
      case loop
    }
    public var kind: Kind
    /// The container's known arguments decide that its branch never runs (`case "$1" in app:init)`
    /// with `CMD ["app:start"]`).
    public var isRuledOutByArguments = false
    /// Why the command ends at once although it looks like it holds the foreground (`fg` without job
    /// control, `npm start` with no start script): nil for a command that runs as it looks.
    public var failsAtOnce: String? = nil
    /// `server; exit 0`: the literal `exit` right after the command, which replaces its status.
    public var statusReplacedBy: CommandReference? = nil
  }

  /// Whether the program writes `daemon off;` into nginx.conf (an entrypoint that appends it before
  /// starting nginx): nginx started after it stays in the foreground.
  public var writesNginxDaemonOff: Bool = false
  public var backgroundJobs: [BackgroundJob] = []
  public var waits: [Wait] = []
  public var traps: [Trap] = []
  public var terminals: [Terminal] = []
  /// Runtime commands that daemonize (DA205), with the catalogue's verdict.
  public var daemonizing: [(command: CommandReference, verdict: DaemonCatalog.Verdict)] = []
  /// Runtime commands meant to start a daemon that fail instead and start nothing (`systemctl start x`
  /// without systemd as PID 1), with the catalogue's verdict. Not counted as running daemons.
  public var failingStarts: [(command: CommandReference, verdict: DaemonCatalog.Verdict)] = []

  /// Commands that never run because a failing start comes before them with `&&`.
  public var skippedAfterFailure: [FileRange] = []

  /// Every command meant to start a daemon, whether it does or fails: what a strategy turns into services.
  public var intendedDaemons: [(command: CommandReference, verdict: DaemonCatalog.Verdict)] { daemonizing + failingStarts }
  /// Keep-alive commands wherever they are on the main path (DA105).
  public var keepalives: [CommandReference] = []
  /// Every simple command on the main path (resolved through wrappers).
  public var commands: [CommandReference] = []
  /// Whether the program reads its arguments (`"$@"`, `$*`, `$1`, `shift`, `$#`).
  public var readsPositionalParameters: Bool = false
  /// Whether it sets an EXIT trap (which an `exec` would skip).
  public var hasExitTrap: Bool = false
  /// The whole program is one simple command whose words are plain literals (exec form can say it),
  /// with no assignments or redirections: its argv.
  public var plainSimpleCommand: [String]? = nil
  /// Where each word of `plainSimpleCommand` is written.
  public var plainSimpleCommandLocations: [FileRange] = []
  /// The whole program is one simple command (possibly with expansions).
  public var isSingleSimpleCommand: Bool = false
  /// Uses of `wait -n` (the command, for DA203).
  public var waitNUses: [CommandReference] = []
  /// An `eval` on the main path runs text known only at run time (`eval exec $(select_init) -- "$@"`
  /// where the function prints one of several values): what finally runs is not known here.
  public var evalsRunTimeText = false
  /// Every `exec` of an init (`exec tini -- …`) or `/init`, for DA401/DA501/DA503.
  public var execs: [CommandReference] = []

  public init() {}

  /// Long-running background services.
  public var backgroundServices: [BackgroundJob] { backgroundJobs.filter(\.isLongRunning) }

  /// Whether a trap passes TERM (or INT) on to children.
  public var forwardsTermToChildren: Bool {
    traps.contains { $0.forwardsToChildren && ($0.signals.contains("TERM") || $0.signals.contains("INT")) }
  }

  /// The commands that run last in the foreground, keep running (a service, or the container's
  /// arguments) and do not replace the shell: the shell stays their parent. In a branch the known CMD
  /// rules out, an unknown command is not taken for a service. Background jobs beside them
  /// do not change that (`gunicorn app & celery worker`: celery runs as the shell's child).
  public var foregroundServicesWithoutExec: [Terminal] {
    terminals.filter { terminal in
      guard !terminal.command.isExec, terminal.kind == .service || terminal.kind == .positionalArguments else { return false }
      // After a wait for the services, the final command is a clean-up step (`wait $PID` then
      // `code tunnel unregister`), not the service: the shell had to stay to run it.
      let start = terminal.command.location.range.start
      if waits.contains(where: { $0.isInMainPath && $0.command.location.file.path == terminal.command.location.file.path && $0.command.location.range.start < start }) {
        return false
      }
      // In a branch only another CMD reaches (`app:init) migrate_database ;;` with `CMD ["app:start"]`),
      // only what surely keeps running counts: the container's arguments, or a server dockadvise knows.
      guard terminal.isRuledOutByArguments, terminal.kind == .service else { return true }
      guard let program = terminal.command.program else { return false }
      return DaemonCatalog.runsServerInForeground(program: program, arguments: terminal.command.literalArguments)
    }
  }

  /// Whether putting `exec` in front of the final commands changes nothing but the process that runs
  /// them: no EXIT trap (which `exec` skips) and, with background jobs, no trap at all (a handler that
  /// stops them would be gone).
  public var execKeepsBehaviour: Bool { !hasExitTrap && (backgroundJobs.isEmpty || traps.isEmpty) }

  /// Whether every terminal command replaces the shell (`exec`), so the shell does not stay resident.
  public var execsAtEnd: Bool { !terminals.isEmpty && terminals.allSatisfy(\.command.isExec) }
}
