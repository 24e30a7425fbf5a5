import CSys

/// When a service that exited is started again.
enum RestartPolicy {
  case never, onFailure, always
}

/// One service of the Procfile (or the single command): its configuration, then its live state.
struct Service {
  var name: Bytes
  /// The command as written in the Procfile, or the argv joined by spaces.
  var command: Bytes = []
  /// What is executed: the command's argv, or `/bin/sh -c SCRIPT` for a Procfile line.
  var argv: [Bytes] = []
  var oneshot = false
  var isMain = false
  var restartSet = false
  var restart = RestartPolicy.never
  /// Restarts allowed in a row; -1 for no limit.
  var maxRestarts = -1
  var backoffMin: Int64 = 100
  var backoffMax: Int64 = 30_000
  /// The signal that stops this service; 0 for the default (SIGTERM, or the signal the init got).
  var stopSignal: Int32 = 0
  /// Keeps the init's stdin (and takes the terminal's foreground); the others read /dev/null.
  var keepsTerminal = false
  /// `after=`: the names as written, where they were written, and the services this one waits for
  /// (also the implicit ones: the oneshot before a oneshot, every oneshot before a service).
  var after: [Bytes] = []
  var afterOrigin: Bytes = []
  var dependencies: [Int] = []
  /// 0 without dependencies, else one more than the deepest one: services stop from the deepest level up.
  var level = 0
  /// `ready=`: the probe as written, its kind (see `ReadyKind`), its target (host, path or command).
  var readySpec: Bytes = []
  var readyKind = ReadyKind.none
  var readyTarget: Bytes = []
  var readyPort: Int32 = 0
  var readyTimeout: Int64 = 60_000
  var readyInterval: Int64 = 200
  /// `user=`: -1 for none; the gid and the groups (the gid first) from /etc/passwd and /etc/group.
  var uid: Int = -1
  var gid = 0
  var groups: [UInt32] = []
  var userSpec: Bytes = []
  var workdir: Bytes = []
  /// `KEY=VALUE` entries for the service's environment, in order (later ones win): HOME for `user=`,
  /// `env-file=` lines, `env=`.
  var environment: [Bytes] = []

  // Live state (see Supervisor).
  var cArgv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
  var pid: Int32 = 0
  /// The process group of the current or last run, until it is found empty.
  var group: Int32 = 0
  /// The group of an earlier run that still had members when the service restarted.
  var strayGroup: Int32 = 0
  /// When the processes left in its groups after its main process ended get SIGKILL (-1: not yet set).
  var orphanDeadline: Int64 = -1
  /// Whether that SIGKILL was said.
  var orphansKilled = false
  var startedAt: Int64 = 0
  var restartsInRow = 0
  var delay: Int64 = 0
  /// When a scheduled restart is due; -1 when none is.
  var restartAt: Int64 = -1
  /// The signal sent to stop it; 0 while it was not asked to stop.
  var sentSignal: Int32 = 0
  /// The shell-style status of the last run; -1 before it first ends.
  var status: Int32 = -1
  /// A oneshot that has succeeded.
  var finished = false
  /// Started once (its dependencies were satisfied); ready (its probe succeeded, or it has none).
  var launched = false
  var ready = false
  /// When the readiness probe gives up (-1 before the first start); the next probe; a running exec probe,
  /// a pending TCP connect and when it began.
  var readyDeadline: Int64 = -1
  var nextProbe: Int64 = 0
  var probePid: Int32 = 0
  var probeFd: Int32 = -1
  var probeSince: Int64 = 0
  /// `--prefix` pipes (the init keeps both ends for the whole run) and unfinished lines.
  var outRead: Int32 = -1
  var outWrite: Int32 = -1
  var errRead: Int32 = -1
  var errWrite: Int32 = -1
  var outPending: Bytes = []
  var errPending: Bytes = []

  init(name: Bytes) { self.name = name }
}

/// What `ready=` waits for.
enum ReadyKind {
  case none, tcp, unix, file, exec
}

/// Everything the command line and the Procfile ask for.
struct Config {
  var services: [Service] = []
  /// `-- CMD ARGS…` (tini-compatible) rather than `--procfile`.
  var single = false
  var graceMs: Int64 = 5000
  /// `--stop-timeout`: the most that stopping every level may take; 0 for no cap.
  var stopTimeoutMs: Int64 = 0
  /// `--prefix`: on by default for a Procfile of more than one service; `--no-prefix` turns it off.
  var prefix = false
  var prefixSet = false
  var verbosity = 0
  var check = false
  /// `-e CODE`: exit statuses reported as 0.
  var zeroCodes: Bytes = []
  var parentDeathSignal: Int32 = 0
}

let usageText: StaticString = """
  usage: dockadvise-init [OPTIONS] [--] COMMAND [ARG...]
         dockadvise-init [OPTIONS] --procfile FILE [[--] COMMAND [ARG...]]

  Runs one command (like tini) or the `name: command` lines of a Procfile as PID 1: forwards signals
  to each service's process group, reaps zombies, stops everything when a service ends (SIGTERM,
  grace period, SIGKILL) and exits with that service's status. See docs/init.md.

  options:
    --procfile FILE         run the services of FILE, each as /bin/sh -c "exec COMMAND";
                            a COMMAND given as well runs instead (docker run IMAGE COMMAND)
    --main NAME             its exit ends the container; the other services restart (always)
    --restart NAME=POLICY   never (default), on-failure or always
    --oneshot NAME          must finish with 0 before the services start
    --stop-signal NAME=SIG  stops NAME (default: TERM, or the signal the init got)
    --opt 'NAME OPTION...'  as a '# dockadvise-init: NAME OPTION...' line of the Procfile
    --grace DURATION        before SIGKILL (default 5s; also 500ms, 1.5s, 1m)
    --stop-timeout DURATION caps the whole stop (reverse start order, a grace each)
    --prefix, --no-prefix   prefix output lines with the service name (default with
                            a Procfile of more than one service)
    --check                 check the arguments and the Procfile, print the plan, start nothing
    -v, -vv                 say more on stderr
    -e CODE                 report exit status CODE as 0 (tini)
    -p SIGNAL               get SIGNAL when the parent dies (tini)
    -s, -g, -w              accepted for tini (subreaper and process groups are always on)

  service options: main oneshot restart=never|on-failure|always max-restarts=N
                   backoff=DURATION (first delay, 100ms) backoff-max=DURATION (30s) stop-signal=SIG
                   after=NAME,... ready=tcp:[HOST:]PORT|unix:PATH|file:PATH|'exec:CMD ARGS'
                   ready-timeout=60s ready-interval=200ms user=NAME|UID[:GID] workdir=PATH
                   env=KEY=VALUE env-file=PATH

  """

/// Options that take a value, in the order `loadConfig` handles them.
private let valueFlags: StaticString =
  "--procfile --grace -e -p --opt --main --oneshot --restart --stop-signal --stop-timeout"

/// Prints `dockadvise-init: FIRST MIDDLE LAST` and exits 2: nothing has been started.
@inline(never)
func configFailure(_ first: StaticString, _ middle: Bytes = [], _ last: StaticString = "") -> Never {
  complain(first, middle, last)
  exit(2)
}

/// Reads the command line (`arguments` excludes argv[0]) and the Procfile; exits 2 on any problem.
func loadConfig(_ arguments: [Bytes]) -> Config {
  var config = Config()
  var procfile: Bytes? = nil
  // Each entry: origin (for messages), service name, options.
  var markers: [[Bytes]] = []
  var command: [Bytes] = []
  var index = 0
  while index < arguments.count {
    let argument = arguments[index]
    index += 1
    if equals(argument, "--") {
      command = Array(arguments[index...])
      break
    }
    if argument.count < 2 || argument[0] != UInt8(ascii: "-") {
      command = Array(arguments[(index - 1)...])
      break
    }
    var flag = argument
    var value: Bytes? = nil
    if argument[1] == UInt8(ascii: "-"), let equal = argument.firstIndex(of: UInt8(ascii: "=")) {
      flag = Bytes(argument[..<equal])
      value = Bytes(argument[(equal + 1)...])
    }
    if equals(flag, "-h") || equals(flag, "--help") {
      writeAll(1, Text(usageText).bytes)
      exit(0)
    }
    if equals(flag, "--version") {
      writeAll(1, Text("dockadvise-init 0.1.0\n").bytes)
      exit(0)
    }
    if equals(flag, "--prefix") || equals(flag, "--no-prefix") {
      config.prefix = flag.count == 8
      config.prefixSet = true
      continue
    }
    if equals(flag, "--check") {
      config.check = true
      continue
    }
    if equals(flag, "--verbose") {
      config.verbosity += 1
      continue
    }
    guard let kind = position(of: flag, in: valueFlags) else {
      if argument[1] != UInt8(ascii: "-")
        && argument.dropFirst().allSatisfy({ position(of: [$0], in: "s g w v") != nil })
      {
        for letter in argument where letter == UInt8(ascii: "v") { config.verbosity += 1 }
        continue
      }
      configFailure("unknown option '", argument, "' (see dockadvise-init --help)")
    }
    if value == nil {
      guard index < arguments.count else {
        configFailure("option '", flag, "' needs a value (see dockadvise-init --help)")
      }
      value = arguments[index]
      index += 1
    }
    let text = value ?? []
    switch kind {
    case 0:
      procfile = text
    case 1:
      guard let grace = parseDuration(text) else {
        configFailure("--grace: '", text, "' is not a duration (5s, 500ms, 1m)")
      }
      config.graceMs = grace
    case 2:
      guard let code = parseNumber(text), code <= 255 else { configFailure("-e: '", text, "' is not an exit code") }
      config.zeroCodes.append(UInt8(code))
    case 3:
      guard let signal = Signals.parse(text) else { configFailure("-p: unknown signal '", text, "'") }
      config.parentDeathSignal = signal
    case 4:
      let optionWords = words(text, quotes: true)
      if optionWords.isEmpty { configFailure("--opt needs 'NAME OPTION...'") }
      markers.append([flag] + optionWords)
    case 5, 6:
      markers.append([flag, text, word(at: kind - 5, in: "main oneshot")])
    case 9:
      guard let limit = parseDuration(text) else {
        configFailure("--stop-timeout: '", text, "' is not a duration (10s, 500ms, 1m)")
      }
      config.stopTimeoutMs = limit
    default:  // --restart NAME=POLICY, --stop-signal NAME=SIG
      guard let equal = text.firstIndex(of: UInt8(ascii: "=")), equal > 0 else {
        configFailure("option '", flag, "' expects NAME=VALUE")
      }
      markers.append([flag, Bytes(text[..<equal]), Bytes(flag.dropFirst(2)) + Bytes(text[equal...])])
    }
  }

  // A COMMAND after --procfile replaces the Procfile (`docker run IMAGE bash` under
  // `ENTRYPOINT ["dockadvise-init", "--procfile", FILE]`): it runs alone, as in single-command mode.
  if let procfile, command.isEmpty {
    var services: [Service] = []
    readProcfile(procfile, into: &services, markers: &markers)
    applyServiceOptions(&services, markers)
    if !config.prefixSet && services.count > 1 { config.prefix = true }
    config.services = services
  } else {
    guard !command.isEmpty else {
      configFailure("nothing to run: give a COMMAND (after --) or --procfile FILE (see dockadvise-init --help)")
    }
    guard markers.isEmpty || procfile != nil else {
      configFailure("--main, --restart, --oneshot, --stop-signal and --opt need --procfile")
    }
    config.single = true
    var service = Service(name: baseName(command[0]))
    service.argv = command
    for word in command {
      if !service.command.isEmpty { service.command.append(UInt8(ascii: " ")) }
      service.command += word
    }
    service.keepsTerminal = true
    config.services = [service]
  }
  return config
}
