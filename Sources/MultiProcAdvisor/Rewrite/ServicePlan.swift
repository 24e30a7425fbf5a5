import DockerfileParser

/// The services an image runs and what it does before starting them, as dockadvise found them in the
/// PID 1 shell (background jobs, daemons started through init scripts, the foreground command) or in the
/// supervisord configuration. Strategies render a plan as a Procfile, an s6-rc layout or a wrapper.
struct ServicePlan {
  /// One long-running service.
  struct Service: Equatable {
    var name: String
    /// A shell command line that runs it in the foreground (without `cd`, environment or user).
    var command: String
    /// Whether the command is one simple command, which `exec` can replace the shell with.
    var isSimple: Bool
    /// The directory to start it in (a literal path), when not the image's WORKDIR.
    var directory: String? = nil
    /// Literal `NAME=value` pairs to add to its environment (supervisord `environment=`).
    var environment: [(String, String)] = []
    /// The user to run it as (supervisord `user=`).
    var user: String? = nil
    /// The signal that stops it gracefully, when not SIGTERM (`QUIT`, `WINCH`…).
    var stopSignal: String?
    /// The service is the container's arguments (`exec "$@"` with CMD): the wrapper runs `"$@"` and
    /// keeps CMD; the other strategies run `command` (CMD's words).
    var isArguments = false
    /// A test (`[ -n "$X" ]`) the original checked before starting it (an `if` around the start): the
    /// service starts only when it holds. The wrapper keeps the `if`; elsewhere the service checks it
    /// when it starts and idles when it does not hold (see `idleCommand`).
    var condition: String? = nil
    /// dockadvise-init only (see `waitsAsDependencies`): the services to wait for, and the shell test
    /// that tells when this one is ready (`mysqladmin ping`), from a wait loop of the original.
    var after: [String] = []
    var readyTest: String? = nil

    static func == (lhs: Service, rhs: Service) -> Bool {
      lhs.name == rhs.name && lhs.command == rhs.command && lhs.isSimple == rhs.isSimple && lhs.directory == rhs.directory
        && lhs.environment.map { "\($0.0)=\($0.1)" } == rhs.environment.map { "\($0.0)=\($0.1)" } && lhs.user == rhs.user
        && lhs.stopSignal == rhs.stopSignal && lhs.isArguments == rhs.isArguments && lhs.condition == rhs.condition
        && lhs.after == rhs.after && lhs.readyTest == rhs.readyTest
    }

    /// The command as one shell command line: `cd`, environment and user included; with `exec`
    /// (`exec: true`) so the service replaces the shell wherever that is possible.
    func shellLine(exec: Bool, prelude: String? = nil) -> String {
      var steps: [String] = []
      if let prelude { steps.append(". \(ShellQuoting.quote(prelude))") }
      if let directory { steps.append("cd \(ShellQuoting.quote(directory))") }
      var words: [String] = []
      if let user { words += ["setpriv", "--reuid=\(ShellQuoting.quote(user))", "--regid=\(ShellQuoting.quote(user))", "--init-groups", "--"] }
      if !environment.isEmpty { words += ["env"] + environment.map { "\($0.0)=\(ShellQuoting.quote($0.1))" } }
      var main = command
      if !words.isEmpty {
        main = words.joined(separator: " ") + " " + (isSimple ? command : "/bin/sh -c \(ShellQuoting.quote(command))")
      }
      let simple = isSimple || !words.isEmpty
      if exec && simple { main = "exec " + main }
      guard let condition, exec else { return (steps + [main]).joined(separator: " && ") }
      // The state first (the test may read it), then the test; a service the original did not start idles.
      let sourced = prelude.map { ". \(ShellQuoting.quote($0)) && " } ?? ""
      let rest = (directory.map { ["cd \(ShellQuoting.quote($0))"] } ?? []) + [main]
      return sourced + "if \(condition); then \(rest.joined(separator: " && ")); else exec \(ServicePlan.idleCommand); fi"
    }

    /// Whether `shellLine` is a plain simple command (nothing before it, no `exec` needed for a Procfile).
    var isPlain: Bool { directory == nil && environment.isEmpty && user == nil && isSimple && condition == nil }
  }

  /// What runs before the services, from the original script, in order.
  struct Step: Equatable {
    var text: String
    /// Sets shell state the services need (`cd`, variables, `umask`, `ulimit`, `.`): repeated in
    /// front of every service.
    var isState: Bool
    /// A failure stops the start (it was chained with `&&`, or the script runs under `set -e`).
    var isFatal: Bool
    /// A `cd` to a literal directory: the services get it as their `directory` instead.
    var isLiteralDirectoryChange = false
    /// A `trap`: it only means something in a shell that stays (the wrapper); elsewhere it is dropped.
    var isTrap = false
    /// A wait loop (`until mysqladmin ping; do sleep 1; done`, `while ! nc -z db 5432; do sleep 1; done`):
    /// the test it waits for, and how many services had started before it.
    var waitsFor: String? = nil
    var servicesBefore = 0
  }

  var services: [Service] = []
  /// Each step knows how many services started before it (a wait loop records it itself).
  var steps: [Step] = [] {
    didSet {
      guard steps.count > oldValue.count else { return }
      for index in oldValue.count..<steps.count where steps[index].waitsFor == nil { steps[index].servicesBefore = services.count }
    }
  }
  /// Background jobs that finish on their own (a warm-up request): only the wrapper can keep them.
  var unwatched: [String] = []
  /// The shell that ran the original (for the setup script's shebang).
  var interpreter = "/bin/sh"
  /// Where the plan came from, for comments in generated files.
  var origin: String
  /// Why the services cannot leave the original shell (only the wrapper, which runs the setup in the
  /// same shell as the services, keeps them): a service reads a variable that a step sets inside a
  /// compound command or a function, which the setup script would set in a shell of its own.
  var sharedShellState: String?

  /// What a service whose condition did not hold runs instead, under the strategies where each service
  /// is a process of its own: nothing, until it is stopped (so that its absence, which the original
  /// allowed, does not stop the container). Plain `sleep` with a number: busybox has no `infinity`.
  static let idleCommand = "sleep 2147483647"

  /// The work to do before the services start (state lines included, since the work may need them),
  /// for the strategies where no shell stays around the services (traps are left out).
  var setup: [Step] { steps.contains(where: { !$0.isState && !$0.isTrap }) ? steps.filter { !$0.isTrap } : [] }
  /// The state lines every service needs (a literal `cd` is the services' `directory` instead).
  var prelude: [Step] { steps.filter { $0.isState && !$0.isLiteralDirectoryChange && !$0.isTrap } }

  /// For dockadvise-init: each wait loop that follows a service becomes that service's readiness test
  /// (several are joined with `&&`), and the services started after the loop wait for it (`after=`),
  /// instead of a setup step that would wait for a service that only starts after the setup.
  func waitsAsDependencies() -> ServicePlan {
    var plan = self
    plan.steps = []
    for step in steps {
      guard let test = step.waitsFor, step.servicesBefore > 0, step.servicesBefore <= services.count else {
        plan.steps.append(step)
        continue
      }
      let target = step.servicesBefore - 1
      plan.services[target].readyTest = plan.services[target].readyTest.map { "\($0) && \(test)" } ?? test
      for later in step.servicesBefore..<services.count where !plan.services[later].after.contains(services[target].name) {
        plan.services[later].after.append(services[target].name)
      }
    }
    return plan
  }

  /// Why the services cannot keep the original's order under `strategy`: a wait loop for a service that
  /// the script started before it (`mysqld & until mysqladmin ping; do sleep 1; done`) would run in the
  /// setup, before that service starts, and wait forever — only dockadvise-init orders services
  /// (`after=`, `ready=`); and even there, work after the wait that needs the service
  /// (`mysql -e "CREATE DATABASE …"`) would run in the setup, before it. Nil when the order holds.
  func waitOrderProblem(for strategy: Strategy) -> String? {
    for (index, step) in steps.enumerated() {
      guard step.waitsFor != nil, step.servicesBefore > 0 else { continue }
      let service = services[step.servicesBefore - 1].name
      guard strategy == .swiftInit else {
        return "the wait for \(service) ('\(Self.firstLine(step.text))') would run in the setup, before \(service) starts: only --strategy swift-init orders services (after=, ready=)"
      }
      let harmless: Set<String> = ["echo", "printf", "sleep", ":", "true"]
      if let work = steps[(index + 1)...].first(where: { later in
        later.servicesBefore == step.servicesBefore && later.waitsFor == nil && !later.isState && !later.isTrap
          && !harmless.contains(later.text.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? "")
      }) {
        return "'\(Self.firstLine(work.text))' runs after the wait for \(service) and may need it, but dockadvise-init runs the setup before every service"
      }
    }
    return nil
  }

  static func firstLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).first.map { String($0).trimmed(in: " \t") } ?? text
  }

  /// The test of a loop that waits until something is ready, when that is all it does: `until TEST` or
  /// `while ! TEST`, a body of `sleep`, `echo`, `printf`, `:`, `true`; nil for a test that reads
  /// variables (the script's own would not be there) or spans lines.
  static func waitTest(_ command: ShellCommand, text: (SourceRange) -> String) -> String? {
    guard case .loop(let loop) = command.kind, loop.condition.items.count == 1 else { return nil }
    let item = loop.condition.items[0]
    guard !item.isBackground, let first = item.pipelines.first?.commands.first, let last = item.pipelines.last?.commands.last else {
      return nil
    }
    if loop.isUntil == (item.pipelines.count == 1 && item.pipelines[0].isNegated) { return nil }
    if !loop.isUntil && item.pipelines.count != 1 { return nil }
    let idle: Set<String> = ["sleep", "echo", "printf", ":", "true"]
    let bodyIdles = loop.body.items.allSatisfy { bodyItem in
      !bodyItem.isBackground
        && bodyItem.pipelines.allSatisfy { $0.commands.allSatisfy { $0.simple.flatMap(\.name).map(idle.contains) ?? false } }
    }
    guard bodyIdles else { return nil }
    let test = text(SourceRange(start: first.range.start, end: last.range.end))
    guard !test.contains("$"), !test.contains("\n"), !test.contains("`") else { return nil }
    return test
  }

  /// `[exec] wait-for-it[.sh] HOST:PORT [-t N] [-s] [-q] -- CMD…` or `[exec] dockerize -wait tcp://HOST:PORT
  /// [-wait …] [-timeout T] CMD…` (literal words only; `count` is how many words there were): the wait
  /// alone as a step, its test when HOST is local (a TCP check, `nc -z localhost PORT`), and the command.
  static func waitWrapper(_ literal: [String], count: Int) -> (step: String, test: String?, name: String, command: String)? {
    guard literal.count == count else { return nil }
    var words = literal
    if words.first == "exec" { words.removeFirst() }
    guard let first = words.first else { return nil }
    let base = first.split(separator: "/").last.map(String.init) ?? first
    var targets: [String] = []
    var commandStart = 0
    if base == "wait-for-it" || base == "wait-for-it.sh" {
      guard let separator = words.firstIndex(of: "--"), separator + 1 < words.count else { return nil }
      var index = 1
      while index < separator {
        let word = words[index]
        if word == "-t" || word == "--timeout" {
          index += 2
          continue
        }
        if ["-s", "--strict", "-q", "--quiet"].contains(word) || word.hasPrefix("--timeout=") {
          index += 1
          continue
        }
        guard !word.hasPrefix("-"), targets.isEmpty else { return nil }
        targets.append(word)
        index += 1
      }
      commandStart = separator + 1
    } else if base == "dockerize" {
      var index = 1
      while index < words.count, words[index].hasPrefix("-") {
        guard index + 1 < words.count else { return nil }
        if words[index] == "-wait", words[index + 1].hasPrefix("tcp://") {
          targets.append(String(words[index + 1].dropFirst(6)))
        } else if words[index] != "-timeout" {
          return nil
        }
        index += 2
      }
      commandStart = index
    } else {
      return nil
    }
    guard !targets.isEmpty, commandStart < words.count else { return nil }
    var tests: [String] = []
    for target in targets {
      guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]) else { return nil }
      let host = String(target[..<colon])
      if ["localhost", "127.0.0.1"].contains(host) { tests.append("nc -z localhost \(port)") }
    }
    let command = Array(words[commandStart...])
    return (
      ShellQuoting.join(Array(words[..<commandStart].filter { $0 != "--" })), tests.count == targets.count ? tests.joined(separator: " && ") : nil,
      command[0].split(separator: "/").last.map(String.init) ?? command[0], ShellQuoting.join(command)
    )
  }

  /// Finds the plan for an image, or nil when there is nothing to move or it cannot be moved faithfully.
  static func extract(from context: LintContext) -> ServicePlan? {
    var refusal: String?
    return extract(from: context, refusal: &refusal)
  }

  /// The plan, or nil with `refusal` saying (file:line: why) when services were found that cannot be
  /// moved faithfully.
  static func extract(from context: LintContext, refusal: inout String?) -> ServicePlan? {
    if let supervisord = context.launch.supervisord, let config = supervisord.config {
      return fromSupervisord(config, context: context)
    }
    guard let program = context.pid1Programs.first, program.issues.isEmpty,
      program.interpreter != .execline, program.interpreter != .other
    else {
      if context.pid1Programs.isEmpty { refusal = servicesOutsidePID1Script(context, pid1: nil) }
      return nil
    }
    let facts = program.facts
    guard !facts.backgroundServices.isEmpty || !facts.intendedDaemons.isEmpty else {
      refusal = servicesOutsidePID1Script(context, pid1: program)
      return nil
    }
    // A process manager in front (my_init, runsvdir) that also runs services of its own: replacing it
    // would drop them.
    if case .initChild(let initName, _) = program.role, ProgramTable.record(for: initName)?.kind == .processManager,
      let other = context.runit.services.first
    {
      refusal = "\(other.run.source.path): \(initName) also runs the services of \(other.run.path.split(separator: "/").dropLast(2).joined(separator: "/").isEmpty ? "/" : "/" + other.run.path.split(separator: "/").dropLast(2).joined(separator: "/")) (\(context.runit.services.map(\.name).joined(separator: ", "))), which a new layout would drop"
      return nil
    }
    return fromShell(program, context: context, refusal: &refusal)
  }

  /// Why nothing is planned although services start: they start in a script the PID 1 script runs and
  /// waits for (`/opt/setup.sh`), or in a one-shot startup script of an init (my_init.d, cont-init.d),
  /// which the plan does not take services out of (file:line: why).
  static func servicesOutsidePID1Script(_ context: LintContext, pid1: ShellProgram?) -> String? {
    let startups = context.servicePrograms.filter { if case .startup = $0.role { return true } else { return false } }
    for other in context.launch.helperPrograms + startups {
      let start = other.facts.backgroundServices.first?.command ?? other.facts.intendedDaemons.first?.command
      guard let start else { continue }
      let how: String
      if case .startup(_, let runner) = other.role {
        how = "a one-shot startup script \(runner) runs"
      } else {
        how = "a script \(pid1?.displayName ?? "the PID 1 chain") runs and waits for (or sources)"
      }
      return "\(start.location.file.path):\(start.location.start): '\(start.text)' starts in \(other.displayName), \(how): dockadvise moves services out of the script PID 1 runs only, so this one is left as it is"
    }
    return nil
  }

  /// A name made of letters, digits, `_` and `-`, unique in `taken`.
  static func serviceName(_ raw: String, taken: inout Set<String>) -> String {
    var base = String(DaemonCatalog.basename(raw).unicodeScalars.map { scalar -> Character in
      let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9") || scalar == "_" || scalar == "-"
      return ok ? Character(scalar) : "-"
    })
    while base.hasPrefix("-") { base.removeFirst() }
    while base.hasSuffix("-") { base.removeLast() }
    if base.isEmpty || S6Facts.overlayOwnNames.contains(base) || base == "setup" { base = base.isEmpty ? "service" : base + "-service" }
    var name = base
    var counter = 2
    while taken.contains(name) {
      name = "\(base)-\(counter)"
      counter += 1
    }
    taken.insert(name)
    return name
  }

  /// The graceful stop signal of a program (without `SIG`), when it is not TERM. Not for Apache: its
  /// WINCH (graceful-stop) waits for every connection without limit, and the workers a killed parent
  /// leaves behind ignore it, so a managed layout stops Apache with TERM (measured in Fixtures/e2e).
  static func stopSignal(program: String?) -> String? {
    guard let program else { return nil }
    let name = DaemonCatalog.basename(program)
    if ["apache2ctl", "apachectl", "httpd", "apache2"].contains(name) { return nil }
    return StopsignalMismatchRule.gracefulSignal(for: name, arguments: []).map { String($0.dropFirst(3)) }
  }

  /// How a foreground command runs under a managed layout. Debian's `apache2ctl -D FOREGROUND` is a
  /// shell script that does not `exec` apache2, and apache2 then starts a session of its own (APR's
  /// `apr_proc_detach`), so neither a stop signal nor the stop of a killed parent's workers would reach
  /// it through the service's process group; the script's own steps (the environment from `envvars`,
  /// the run and lock directories) are done inline and apache2 replaces the shell (measured in
  /// Fixtures/e2e). Everything else is the argv, quoted.
  static func managedForm(_ argv: [String], family: BaseImage.Family) -> (command: String, isSimple: Bool) {
    if family == .debian, let first = argv.first, ["apache2ctl", "apachectl"].contains(DaemonCatalog.basename(first)),
      Array(argv.dropFirst()) == ["-D", "FOREGROUND"] || Array(argv.dropFirst()) == ["-DFOREGROUND"]
    {
      return (
        ". /etc/apache2/envvars && mkdir -p \"$APACHE_RUN_DIR\" \"$APACHE_LOCK_DIR\" \"$APACHE_LOG_DIR\" && exec apache2 -D FOREGROUND",
        false
      )
    }
    if let server = mysqlServer(argv) {
      // The server refuses to run as root without `--user`, and needs its socket directory.
      return ("install -d -o mysql -g mysql /run/mysqld && exec \(ShellQuoting.join(server))", false)
    }
    // A wrapper that restarts its server or does not exec it (`forever app.js`): the server itself.
    if let first = argv.first, let server = ProgramTable.record(for: first)?.wrappedServer?(Array(argv.dropFirst()), family) {
      return (ShellQuoting.join(server), true)
    }
    return (ShellQuoting.join(argv), true)
  }

  /// Options of `mysqld_safe` that are its own (the rest go to the server).
  static let mysqldSafeOwnOptions = ["--nowatch", "--no-watch", "--syslog", "--skip-syslog", "--ledir", "--mysqld", "--mysqld-version", "--malloc-lib", "--timezone", "--core-file-size", "--syslog-tag", "--flush-caches", "--numa-interleave", "--no-auto-restart", "--crash-script"]

  /// The MySQL/MariaDB server in the foreground, with its user: `mysqld_safe` (a restarting wrapper that
  /// ignores TERM) becomes `mysqld` itself. Nil for other programs.
  static func mysqlServer(_ argv: [String]) -> [String]? {
    guard let first = argv.first else { return nil }
    let name = DaemonCatalog.basename(first)
    var arguments = Array(argv.dropFirst())
    var server = first
    switch name {
    case "mysqld", "mariadbd": break
    case "mysqld_safe", "mariadbd-safe":
      server = name == "mysqld_safe" ? "mysqld" : "mariadbd"
      arguments = arguments.filter { argument in !mysqldSafeOwnOptions.contains { argument == $0 || argument.hasPrefix($0 + "=") } }
    default: return nil
    }
    if !arguments.contains(where: { $0.hasPrefix("--user=") || $0 == "--user" || $0 == "-u" }) { arguments.append("--user=mysql") }
    return [server] + arguments
  }

  /// The logical text (continuations removed, JSON escapes decoded) of an original range of a program.
  static func logicalText(_ range: SourceRange, in text: MappedText) -> String {
    var bytes: [UInt8] = []
    var lastOriginal = -1
    for segment in text.segments {
      let originalEnd = segment.originalStart + segment.originalLength
      guard originalEnd > range.start, segment.originalStart < range.end || (range.isEmpty && segment.originalStart == range.start) else { continue }
      if segment.isVerbatim {
        let lower = max(range.start, segment.originalStart)
        let upper = min(range.end, originalEnd)
        guard upper > lower else { continue }
        let logical = segment.logicalStart + (lower - segment.originalStart)
        bytes += text.bytes[logical..<(logical + upper - lower)]
      } else if segment.originalStart >= range.start && originalEnd <= range.end, segment.originalStart != lastOriginal {
        bytes += text.bytes[segment.logicalStart..<(segment.logicalStart + segment.length)]
        lastOriginal = segment.originalStart
      }
    }
    return String(decoding: bytes, as: UTF8.self).trimmed(in: " \t\r\n")
  }

  /// Programs whose only effect is on the shell running them.
  static let stateBuiltins: Set<String> = [":", "cd", "export", "readonly", "declare", "typeset", "local", "umask", "ulimit", ".", "source", "set", "shopt", "unset"]

  /// The top-level items of the PID 1 shell: background services, daemons (replaced by their foreground
  /// form), the final foreground command; state (`cd`, variables) and setup work come first. Keep-alives
  /// and waits are dropped. Nil when something would not survive the move (a daemon or a service inside
  /// a compound command, a daemon without a known foreground form, an unreadable command).
  static func fromShell(_ program: ShellProgram, context: LintContext) -> ServicePlan? {
    var refusal: String?
    return fromShell(program, context: context, refusal: &refusal)
  }

  static func fromShell(_ program: ShellProgram, context: LintContext, refusal: inout String?) -> ServicePlan? {
    var plan = ServicePlan(origin: program.displayName)
    plan.interpreter = program.interpreter == .bash ? "/bin/bash" : "/bin/sh"
    let script = program.script
    let mapped = script.source
    let facts = program.facts
    var taken = Set<String>()
    var directory: String? = nil
    var directoryIsLiteral = true
    var errexit = false
    let daemons = Dictionary(facts.intendedDaemons.map { ($0.command.location.range.start, $0.verdict) }, uniquingKeysWith: { first, _ in first })
    var handledDaemons = Set<Int>()
    let terminals = Set(facts.terminals.map { $0.command.location.range.start })
    // `tail -f /dev/null`, `sleep infinity`, a final interactive `bash`: the plan's supervisor replaces them all.
    let keepalives = (facts.keepalives + facts.terminals.filter { $0.kind == .keepalive }.map(\.command)).map(\.location.range)
    var handledServices = Set<Int>()
    func text(_ range: SourceRange) -> String { logicalText(range, in: mapped) }

    func add(_ raw: String, command: String, simple: Bool, program: String?, isArguments: Bool = false, condition: String? = nil) {
      plan.services.append(
        Service(
          name: serviceName(raw, taken: &taken), command: command, isSimple: simple, directory: directoryIsLiteral ? directory : nil,
          stopSignal: stopSignal(program: program), isArguments: isArguments, condition: condition))
    }

    // MARK: services inside `for`/`if` bodies and functions

    let variables = ShellVariables(script: script, source: program.source, environment: context.image.environment)
    func refuse(_ why: String, at range: SourceRange) -> Bool {
      if refusal == nil { refusal = "\(program.source.path):\(FileRange(file: program.source, range: range).start): \(why)" }
      return false
    }
    // `echo … | base64 -d > /start.sh`: every command points at the one encoded word.
    let starts = facts.commands.map(\.location.range.start)
    if Set(starts).count < starts.count, let first = facts.commands.first {
      _ = refuse("the script is decoded at build time (base64 -d), so its commands have no text of their own to move", at: first.location.range)
      return nil
    }
    let serviceStarts = Set(daemons.keys).union(facts.backgroundJobs.map(\.command.location.range.start))
    func containsService(_ range: SourceRange) -> Bool { range.contains(where: serviceStarts) }
    /// The tests (`[ … ]`) the current body runs under, and the values of the loops' variables.
    struct Scope {
      var conditions: [String] = []
      var bindings: [(name: String, value: String)] = []
      var depth = 0
      var condition: String? { conditions.isEmpty ? nil : conditions.joined(separator: " && ") }
    }
    /// A step of a body: the loop variables set first, inside the body's `if`.
    func bodyStep(_ text: String, _ scope: Scope) {
      var text = text
      if !scope.bindings.isEmpty { text = scope.bindings.map { "\($0.name)=\(ShellQuoting.quote($0.value))" }.joined(separator: "; ") + "; " + text }
      if let condition = scope.condition { text = "if \(condition); then\n\(text)\nfi" }
      plan.steps.append(Step(text: text, isState: false, isFatal: errexit))
    }
    /// A word's value with the loop variables and the known variables: nil when it is not known.
    func value(_ word: ShellWord, _ scope: Scope) -> String? {
      if let literal = word.literalValue { return literal }
      var inner = word.parts
      if inner.count == 1, case .doubleQuoted(let parts) = inner[0].kind { inner = parts }
      if inner.count == 1, case .parameter(let parameter) = inner[0].kind, parameter.operation == nil, parameter.arraySubscript == nil,
        !parameter.isLength, !parameter.isIndirect, let bound = scope.bindings.last(where: { $0.name == parameter.name })
      {
        return bound.value
      }
      if scope.bindings.contains(where: { binding in word.parameterExpansions.contains { $0.name == binding.name } }) { return nil }
      return variables.evaluate(word)
    }
    /// The argv of a simple command with the loop variables put in; nil when a word is not known.
    func argv(_ simple: ShellSimpleCommand, _ scope: Scope) -> [String]? {
      let resolved = simple.resolved
      guard let path = resolved.programPath ?? resolved.programWord.flatMap({ value($0, scope) }) else { return nil }
      var words = [path]
      for word in resolved.arguments {
        guard !word.hasGlob, let text = value(word, scope) else { return nil }
        words.append(text)
      }
      return words
    }
    /// The catalogue's verdict on a daemon start once the loop variables are put in.
    func verdict(_ simple: ShellSimpleCommand, _ scope: Scope) -> DaemonCatalog.Verdict? {
      guard let known = daemons[simple.range.start] else { return nil }
      guard !scope.bindings.isEmpty else { return known }
      guard let words = argv(simple, scope) else { return known }
      let resolved = simple.resolved
      let reference = CommandReference(
        location: FileRange(file: program.source, range: simple.range), programLocation: FileRange(file: program.source, range: simple.range),
        program: words[0], arguments: words.dropFirst().map { Optional($0) }, text: ShellQuoting.join(words), isExec: resolved.isExec,
        execInsertionPoint: nil, argumentLocations: [])
      return context.daemonVerdict(reference) ?? known
    }
    /// A test without side effects (`[`, `test`, `[[ ]]`, negated or joined with `&&`/`||`), which
    /// every service it guards can check again.
    func isPureTest(_ list: ShellList) -> Bool {
      guard list.items.count == 1, !list.items[0].isBackground else { return false }
      let text = text(list.items[0].range)
      if text.contains("$(") || text.contains("`") || text.contains(">") || text.contains("<(") { return false }
      return list.items[0].pipelines.allSatisfy { pipeline in
        pipeline.commands.count == 1 && {
          switch $0.kind {
          case .conditional: return true
          case .simple(let simple): return simple.assignments.isEmpty && ["[", "test", "true", "false"].contains(simple.name ?? "")
          default: return false
          }
        }(pipeline.commands[0])
      }
    }
    func serviceFunction(_ simple: ShellSimpleCommand) -> ShellFunction? {
      guard let name = simple.name, let function = script.function(named: name), containsService(function.range) else { return nil }
      return function
    }
    /// One service start inside a body (or a top-level item that is more than a chain of simple commands).
    func planService(_ simple: ShellSimpleCommand, background: Bool, _ scope: Scope) -> Bool {
      let start = simple.range.start
      if let verdict = verdict(simple, scope) {
        guard let foreground = verdict.foreground else {
          return refuse("'\(text(simple.range))' starts a daemon whose foreground form dockadvise does not know\(scope.bindings.isEmpty ? "" : " (with \(scope.bindings.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")))")", at: simple.range)
        }
        handledDaemons.insert(start)
        handledServices.insert(start)
        let managed = managedForm(foreground, family: context.image.family)
        add(verdict.service, command: managed.command, simple: managed.isSimple, program: foreground.first, condition: scope.condition)
        return true
      }
      guard background, let job = facts.backgroundJobs.first(where: { $0.command.location.range.start == start }) else {
        return refuse("'\(text(simple.range))' cannot be moved out of the script", at: simple.range)
      }
      guard job.isLongRunning else {
        return refuse("'\(text(simple.range))' is a background job that ends on its own inside a compound command: only the script can run it", at: simple.range)
      }
      var command = text(simple.range)
      if !scope.bindings.isEmpty {
        guard let words = argv(simple, scope) else { return refuse("the words of '\(command)' are not known", at: simple.range) }
        command = ShellQuoting.join(words)
      } else if let first = simple.words.first, first.literalValue == "exec", let next = simple.words.dropFirst().first {
        command = text(SourceRange(start: next.range.start, end: simple.range.end))
      }
      handledServices.insert(start)
      add(job.command.programName ?? "service", command: command, simple: simple.assignments.isEmpty, program: job.command.program, condition: scope.condition)
      return true
    }
    /// For `[ "$#" -ne 0 ]` (or `-gt 0`, `!= 0`): true; for `[ "$#" -eq 0 ]` (or `= 0`): false; nil otherwise.
    func argumentTest(_ list: ShellList) -> Bool? {
      guard list.items.count == 1 else { return nil }
      let compact = text(list.items[0].range).filter { $0 != " " && $0 != "\"" && $0 != "'" && $0 != "{" && $0 != "}" }
      if ["[$#-ne0]", "[$#-gt0]", "[$#!=0]", "test$#-ne0", "test$#-gt0", "[[$#-ne0]]", "[[$#-gt0]]"].contains(compact) { return true }
      if ["[$#-eq0]", "[$#=0]", "test$#-eq0", "[[$#-eq0]]", "[$#-lt1]"].contains(compact) { return false }
      return nil
    }
    /// A body that only runs the container's arguments (`exec "$@"`).
    func runsArgumentsOnly(_ list: ShellList) -> Bool {
      list.items.count == 1 && list.items[0].pipelines.count == 1 && list.items[0].pipelines[0].commands.count == 1
        && list.items[0].pipelines[0].commands[0].simple?.resolved.runsArguments == true
    }
    /// Whether a pipeline only handles a failed start (`|| return 0`, `|| true`, `|| exit 1`, a message).
    func isFallback(_ pipeline: ShellPipeline) -> Bool {
      pipeline.commands.allSatisfy { ["return", "true", ":", "exit", "echo", "printf"].contains($0.simple?.name ?? "") }
    }
    /// Whether a range starts a service, itself or through a function it calls.
    func startsService(_ range: SourceRange) -> Bool {
      containsService(range) || script.invocations.contains { range.contains($0.command.range.start) && serviceFunction($0.command) != nil }
    }
    /// The item is a keep-alive itself (not merely one inside a branch of it).
    func isKeepalive(_ item: ShellAndOrList) -> Bool { keepalives.contains { $0.start <= item.range.start && $0.end >= item.range.end } }
    func planItem(_ item: ShellAndOrList, _ scope: Scope) -> Bool {
      // `while [ 1 ]; do sleep 60 & wait $!; done`: the supervisor replaces it.
      if isKeepalive(item) {
        for job in facts.backgroundJobs where item.range.contains(job.command.location.range.start) { handledServices.insert(job.command.location.range.start) }
        return true
      }
      guard startsService(item.range) else {
        if !keepalives.contains(where: { item.range.contains($0.start) }) { bodyStep(text(item.range), scope) }
        return true
      }
      if item.isBackground {
        guard item.pipelines.count == 1, item.pipelines[0].commands.count == 1, let simple = item.pipelines[0].commands[0].simple else {
          return refuse("a background list inside a compound command: only the script can run it", at: item.range)
        }
        return planService(simple, background: true, scope)
      }
      // `daemon || return 0`: under a supervisor a failed start stops the container rather than going unnoticed.
      var pipelines = item.pipelines
      if item.operators.contains(.or) {
        guard item.operators.allSatisfy({ $0 == .or }), pipelines.dropFirst().allSatisfy(isFallback), !startsService(SourceRange(start: pipelines[1].range.start, end: item.range.end)) else {
          return refuse("a service started in a list with '||' that does more than handle a failed start", at: item.range)
        }
        pipelines = [pipelines[0]]
      }
      for pipeline in pipelines {
        guard startsService(pipeline.range) else {
          bodyStep(text(pipeline.range), scope)
          continue
        }
        guard pipeline.commands.count == 1 else { return refuse("a service started inside a pipeline", at: pipeline.range) }
        let command = pipeline.commands[0]
        switch command.kind {
        case .simple(let simple):
          if let function = serviceFunction(simple) {
            guard simple.arguments.isEmpty else { return refuse("'\(text(simple.range))' passes arguments to a function that starts services", at: simple.range) }
            guard scope.depth < 8, case .braceGroup(let body) = function.definition.body.kind else {
              return refuse("the function \(function.name) that starts services is not a plain { … } body", at: function.range)
            }
            var inner = scope
            inner.depth += 1
            for bodyItem in body.items { guard planItem(bodyItem, inner) else { return false } }
            continue
          }
          if terminals.contains(simple.range.start), daemons[simple.range.start] == nil {
            return refuse("the command that holds the foreground, '\(text(simple.range))', is inside a compound command", at: simple.range)
          }
          guard planService(simple, background: false, scope) else { return false }
        case .forLoop(let loop):
          guard !loop.isSelect, let words = loop.words else { return refuse("a loop over the script's arguments starts services: they cannot be listed", at: command.range) }
          var values: [String] = []
          for word in words {
            if let literal = word.literalValue, !word.hasGlob {
              values += literal.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
            } else if let fields = variables.fields(of: word) {
              values += fields
            } else if let known = value(word, scope), word.isQuoted {
              values.append(known)
            } else {
              return refuse("the words of this loop ('\(word.raw)') are not known, so the services it starts cannot be listed", at: command.range)
            }
          }
          for value in values {
            var inner = scope
            inner.bindings.append((loop.variable, value))
            for bodyItem in loop.body.items { guard planItem(bodyItem, inner) else { return false } }
          }
        case .ifClause(let clause):
          // `if [ "$#" -ne 0 ]; then exec "$@"; else …services…; fi`: every layout already runs the
          // container's arguments instead of the services, so the services' branch is planned as is.
          if clause.branches.count == 1, let elseBody = clause.elseBody, let test = argumentTest(clause.branches[0].condition) {
            let (argumentsBody, servicesBody) = test ? (clause.branches[0].body, elseBody) : (elseBody, clause.branches[0].body)
            if runsArgumentsOnly(argumentsBody) {
              for bodyItem in servicesBody.items { guard planItem(bodyItem, scope) else { return false } }
              continue
            }
          }
          var negated: [String] = []
          for branch in clause.branches {
            let conditionText = text(branch.condition.range)
            if ["$#", "${#", "$1", "${1", "$@", "$*"].contains(where: conditionText.contains) {
              return refuse("services start under a test of the script's arguments ('\(conditionText)'), which the services would not see", at: branch.condition.range)
            }
            guard isPureTest(branch.condition) else {
              return refuse("services start under a condition that is more than a test ('\(text(branch.condition.range))'): each service would have to run it again", at: branch.condition.range)
            }
            let test = text(branch.condition.items[0].range)
            var inner = scope
            inner.conditions += negated + [test]
            for bodyItem in branch.body.items { guard planItem(bodyItem, inner) else { return false } }
            negated.append("! { \(test); }")
          }
          if let elseBody = clause.elseBody {
            var inner = scope
            inner.conditions += negated
            for bodyItem in elseBody.items { guard planItem(bodyItem, inner) else { return false } }
          }
        case .braceGroup(let body):
          for bodyItem in body.items { guard planItem(bodyItem, scope) else { return false } }
        case .functionDefinition:
          // Defining it runs nothing: its calls are unfolded where they are, so the setup does not need it.
          break
        default:
          return refuse("services start inside a while/until loop, a case or a subshell, which dockadvise does not unfold", at: command.range)
        }
      }
      return true
    }
    /// Items that the planner above reads: compound commands, `||` lists and calls of functions that start services.
    func needsCompoundPlanning(_ item: ShellAndOrList) -> Bool {
      guard !item.isBackground, containsService(item.range) || item.pipelines.contains(where: { $0.commands.contains { $0.simple.flatMap(serviceFunction) != nil } }) else { return false }
      if item.operators.contains(.or) { return true }
      return item.pipelines.contains { pipeline in
        pipeline.commands.contains { command in command.simple.map { serviceFunction($0) != nil } ?? true }
      }
    }

    let items = script.body.items
    /// Whether nothing after item `index` matters once a service runs in the foreground there: only
    /// keep-alives, waits, exits and messages follow.
    func onlyIdleAfter(_ index: Int) -> Bool {
      items[(index + 1)...].allSatisfy { later in
        if later.isBackground { return false }
        if keepalives.contains(where: { later.range.contains($0.start) }) { return true }
        return later.pipelines.allSatisfy { pipeline in
          pipeline.commands.allSatisfy { command in
            guard let program = command.simple?.resolved.program else { return false }
            return ["wait", "exit", ":", "true", "echo", "printf", "sleep"].contains(program)
          }
        }
      }
    }

    for (itemIndex, item) in items.enumerated() {
      if needsCompoundPlanning(item) {
        guard planItem(item, Scope()) else { return nil }
        continue
      }
      if item.isBackground {
        let jobs = facts.backgroundJobs.filter { item.range.contains($0.command.location.range.start) }
        let body = text(SourceRange(start: item.range.start, end: item.separatorRange?.start ?? item.range.end))
        guard let job = jobs.first else { return nil }
        // `sleep infinity & wait $!`: a keep-alive put in the background so a trap can run; the
        // supervisor replaces it.
        if jobs.count == 1, !job.isLongRunning, Keepalive.isKeepalive(job.command), job.command.programName == "sleep" || Keepalive.followsNothing(job.command) {
          handledServices.insert(job.command.location.range.start)
          continue
        }
        let isRelay = job.command.programName == "tail"
        // `nginx &`: a daemon sent to the background forks away all the same; it runs in its foreground form.
        let daemonJobs = jobs.filter { daemons[$0.command.location.range.start] != nil }
        if jobs.count == 1, let verdict = daemons[job.command.location.range.start] {
          guard let foreground = verdict.foreground else { return nil }
          handledDaemons.insert(job.command.location.range.start)
          handledServices.insert(job.command.location.range.start)
          let managed = managedForm(foreground, family: context.image.family)
          add(verdict.service, command: managed.command, simple: managed.isSimple, program: foreground.first)
          continue
        }
        if !daemonJobs.isEmpty { return nil }
        if job.isLongRunning || isRelay {
          let simple = item.pipelines.count == 1 && item.pipelines[0].commands.count == 1 && item.pipelines[0].commands[0].simple != nil
          var command = body
          if simple, let words = item.pipelines[0].commands[0].simple?.words, let first = words.first, first.literalValue == "exec" {
            command = text(SourceRange(start: words.dropFirst().first?.range.start ?? first.range.end, end: item.pipelines[0].range.end))
          }
          add(job.command.programName ?? "service", command: command, simple: simple, program: job.command.program)
          for other in jobs { handledServices.insert(other.command.location.range.start) }
        } else {
          plan.unwatched.append(body)
          for other in jobs { handledServices.insert(other.command.location.range.start) }
        }
        continue
      }
      // `a && b && c` splits into its commands (each fatal); any other list is one step.
      let chained = item.operators.allSatisfy { $0 == .and }
      let pipelines = chained ? item.pipelines : []
      if !chained {
        if keepalives.contains(where: { item.range.contains($0.start) }) { continue }
        let itemText = text(item.range)
        if item.range.contains(where: terminals) {
          // A compound list that ends in the service (`prepare || exit 1; server`): keep it whole.
          add(item.pipelines.last?.commands.last?.simple?.resolved.program ?? "service", command: itemText, simple: false, program: nil)
        } else {
          plan.steps.append(Step(text: itemText, isState: false, isFatal: errexit))
        }
        continue
      }
      for pipeline in pipelines {
        let fatal = errexit || pipelines.count > 1
        guard pipeline.commands.count == 1, let simple = pipeline.commands[0].simple else {
          if keepalives.contains(where: { pipeline.range.contains($0.start) }) { continue }
          let pipelineText = text(pipeline.range)
          if pipeline.range.contains(where: terminals) {
            add(pipeline.commands.last?.simple?.resolved.program ?? "service", command: pipelineText, simple: false, program: nil)
          } else {
            var step = Step(text: pipelineText, isState: false, isFatal: fatal)
            if pipelines.count == 1, pipeline.commands.count == 1, !pipeline.isNegated {
              step.waitsFor = waitTest(pipeline.commands[0], text: text)
              step.servicesBefore = plan.services.count
            }
            plan.steps.append(step)
          }
          continue
        }
        let commandText = text(simple.range)
        let resolved = simple.resolved
        if simple.words.isEmpty {
          // Assignments only.
          plan.steps.append(Step(text: commandText, isState: true, isFatal: fatal))
          continue
        }
        // `exec wait-for-it.sh localhost:5432 -- app`, `dockerize -wait tcp://localhost:5432 app`: the
        // wait is a step (a wait for a service before it, under dockadvise-init), the app a service.
        if simple.assignments.isEmpty, pipeline.range == pipelines.last?.range, onlyIdleAfter(itemIndex),
          let wait = waitWrapper(simple.words.compactMap(\.literalValue), count: simple.words.count)
        {
          // wait-for-it runs the command after its timeout too, unless --strict; dockerize does not.
          let strict = !wait.step.hasPrefix("wait-for-it") && !wait.step.contains("/wait-for-it") || wait.step.contains(" -s") || wait.step.contains("--strict")
          var step = Step(text: wait.step, isState: false, isFatal: strict)
          step.waitsFor = wait.test
          step.servicesBefore = plan.services.count
          plan.steps.append(step)
          add(wait.name, command: wait.command, simple: true, program: wait.name)
          continue
        }
        guard let name = resolved.program else {
          if resolved.runsArguments, terminals.contains(simple.range.start) {
            guard let cmd = context.image.cmd?.words?.map(\.value), !cmd.isEmpty else { return nil }
            add(cmd[0], command: ShellQuoting.join(cmd), simple: true, program: cmd[0], isArguments: true)
          } else {
            plan.steps.append(Step(text: commandText, isState: false, isFatal: fatal))
          }
          continue
        }
        let reference = CommandReference(
          location: FileRange(file: program.source, range: simple.range), programLocation: FileRange(file: program.source, range: simple.range),
          program: resolved.programPath, arguments: resolved.argumentValues, text: commandText, isExec: resolved.isExec, execInsertionPoint: nil,
          argumentLocations: [])
        if Keepalive.isKeepalive(reference) || keepalives.contains(simple.range) || name == "wait" || (name == "exit" && terminals.contains(simple.range.start)) { continue }
        if let verdict = daemons[simple.range.start] {
          guard let foreground = verdict.foreground else { return nil }
          handledDaemons.insert(simple.range.start)
          let managed = managedForm(foreground, family: context.image.family)
          add(verdict.service, command: managed.command, simple: managed.isSimple, program: foreground.first)
          continue
        }
        // `php-fpm -F` followed only by `tail -f /dev/null`: the server is what holds the foreground.
        // Anywhere else it would block the script, so the plan cannot say what the script meant.
        var isForegroundServer = false
        if !terminals.contains(simple.range.start), let path = resolved.programPath, resolved.argumentValues.allSatisfy({ $0 != nil }),
          DaemonCatalog.runsServerInForeground(program: path, arguments: resolved.argumentValues.compactMap { $0 })
        {
          guard pipeline.range == pipelines.last?.range, onlyIdleAfter(itemIndex) else { return nil }
          isForegroundServer = true
        }
        if isForegroundServer || terminals.contains(simple.range.start), !Knowledge.shortLivedPrograms.contains(name) || Knowledge.applicationInterpreters.contains(name) {
          var command = commandText
          if resolved.isExec, let first = simple.words.first, first.literalValue == "exec", let next = simple.words.dropFirst().first {
            command = text(SourceRange(start: next.range.start, end: simple.range.end))
            if !simple.assignments.isEmpty { command = simple.assignments.map { text($0.range) }.joined(separator: " ") + " " + command }
          }
          if let path = resolved.programPath, resolved.argumentValues.allSatisfy({ $0 != nil }), simple.assignments.isEmpty, resolved.wrappers.allSatisfy({ $0.name == "exec" }) {
            let argv = [path] + resolved.argumentValues.compactMap { $0 }
            let managed = managedForm(argv, family: context.image.family)
            if !managed.isSimple || managed.command != ShellQuoting.join(argv) {
              add(name, command: managed.command, simple: false, program: path)
              continue
            }
          }
          add(name, command: command, simple: true, program: resolved.programPath)
          continue
        }
        if name == "set" {
          let flags = resolved.argumentValues.compactMap { $0 }
          if flags.contains(where: { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("e") }) || flags.contains("errexit") { errexit = true }
          continue
        }
        var literalDirectory = false
        if name == "cd" {
          if let target = resolved.argumentValues.first ?? nil, resolved.argumentValues.count == 1, directoryIsLiteral, target.hasPrefix("/") || directory != nil {
            directory = target.hasPrefix("/") ? target : directory! + "/" + target
            literalDirectory = true
          } else {
            // `cd "$APP"` or a relative path from WORKDIR: the services repeat it as state.
            directoryIsLiteral = false
            directory = nil
            for index in plan.steps.indices where plan.steps[index].isLiteralDirectoryChange { plan.steps[index].isLiteralDirectoryChange = false }
          }
        }
        plan.steps.append(
          Step(text: commandText, isState: stateBuiltins.contains(name) || name == "trap", isFatal: fatal, isLiteralDirectoryChange: literalDirectory, isTrap: name == "trap"))
      }
    }
    // Every service and every daemon must have been moved.
    if let left = facts.intendedDaemons.first(where: { !handledDaemons.contains($0.command.location.range.start) }) {
      _ = refuse("'\(left.command.text)' starts a service where dockadvise cannot move it from (a list, a subshell or a nested function)", at: left.command.location.range)
      return nil
    }
    if let left = facts.backgroundServices.first(where: { !handledServices.contains($0.command.location.range.start) }) {
      _ = refuse("'\(left.command.text)' starts a service where dockadvise cannot move it from (a list, a subshell or a nested function)", at: left.command.location.range)
      return nil
    }
    guard !plan.services.isEmpty else { return nil }
    plan.sharedShellState = sharedShellState(plan, script: script, source: program.source, topLevel: items)
    if !directoryIsLiteral {
      for index in plan.services.indices { plan.services[index].directory = nil }
    }
    distinguishNamesakes(&plan.services)
    return plan
  }

  /// Why the services need the shell that ran the setup: a service (its command or its condition)
  /// reads a variable that is set somewhere other than a top-level command of the script (inside an
  /// `if`, a loop, a function), which the setup script would set in a shell of its own. Nil when none does.
  static func sharedShellState(_ plan: ServicePlan, script: ShellScript, source: SourceFile, topLevel: [ShellAndOrList]) -> String? {
    var topLevelStarts = Set<Int>()
    for item in topLevel where !item.isBackground {
      for pipeline in item.pipelines where pipeline.commands.count == 1 {
        if let simple = pipeline.commands[0].simple { topLevelStarts.insert(simple.range.start) }
      }
    }
    var assigned: [String: SourceRange] = [:]
    for invocation in script.invocations where !topLevelStarts.contains(invocation.command.range.start) {
      let command = invocation.command
      if command.words.isEmpty || ["export", "declare", "local", "readonly", "typeset"].contains(command.name ?? "") {
        for assignment in command.assignments where assignment.arraySubscript == nil { assigned[assignment.name] = assigned[assignment.name] ?? command.range }
      }
      if ["export", "declare", "readonly", "typeset", "read"].contains(command.name ?? "") {
        for word in command.words.dropFirst() {
          let raw = word.raw
          let name = raw.firstIndex(of: "=").map { String(raw[..<$0]) } ?? raw
          if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { assigned[name] = assigned[name] ?? command.range }
        }
      }
    }
    for service in plan.services {
      let reads = service.command + " " + (service.condition ?? "")
      for (name, range) in assigned.sorted(by: { $0.key < $1.key }) where reads.contains("$" + name) || reads.contains("${" + name) {
        let location = FileRange(file: source, range: range).start
        return "\(service.name) reads $\(name), which \(source.path):\(location) sets inside a compound command or a function: only the wrapper strategy runs the services in the shell that sets it"
      }
    }
    return nil
  }

  /// Services of one program (`celery … beat &`, `celery … worker &`) are named by the word that tells
  /// their commands apart (`celery-beat`, `celery-worker`) rather than numbered, when every one of them
  /// has such a word: a plain lower-case word of its command line that the others do not have.
  static func distinguishNamesakes(_ services: inout [Service]) {
    func base(_ name: String) -> String {
      guard let dash = name.lastIndex(of: "-"), name[name.index(after: dash)...].allSatisfy(\.isNumber) else { return name }
      return String(name[..<dash])
    }
    func plainWords(_ command: String) -> [String] {
      command.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().map(String.init).filter { word in
        word.count >= 2 && word.count <= 24 && word.unicodeScalars.first.map { $0 >= "a" && $0 <= "z" } == true
          && word.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" || $0 == "_" }
      }
    }
    var taken = Set(services.map(\.name))
    let groups = Dictionary(grouping: services.indices, by: { base(services[$0].name) }).filter { $0.value.count > 1 }
    for (name, indices) in groups.sorted(by: { $0.key < $1.key }) {
      let words = indices.map { plainWords(services[$0].command) }
      var chosen: [String] = []
      for (position, own) in words.enumerated() {
        let others = Set(words.enumerated().filter { $0.offset != position }.flatMap(\.element))
        guard let word = own.first(where: { !others.contains($0) && $0 != name }) else { break }
        chosen.append(name + "-" + word)
      }
      guard chosen.count == indices.count, Set(chosen).count == chosen.count,
        chosen.allSatisfy({ !taken.contains($0) })
      else { continue }
      for (index, newName) in zip(indices, chosen) {
        taken.remove(services[index].name)
        services[index].name = newName
        taken.insert(newName)
      }
    }
  }

  /// `[program:x]` sections: argv (supervisord splits `command=` like shlex, without a shell),
  /// `directory=`, `environment=`, `user=`, `stopsignal=`; one-shot programs (`autorestart=false` with
  /// `startsecs=0`) become setup steps. Nil when a value uses an expansion dockadvise cannot resolve.
  static func fromSupervisord(_ config: SupervisordConfig, context: LintContext) -> ServicePlan? {
    var plan = ServicePlan(origin: "supervisord")
    var taken = Set<String>()
    let programs = config.programs.enumerated().sorted { lhs, rhs in
      let l = Int(lhs.element.value("priority") ?? "999") ?? 999
      let r = Int(rhs.element.value("priority") ?? "999") ?? 999
      return l != r ? l < r : lhs.offset < rhs.offset
    }.map(\.element)
    for program in programs {
      guard let raw = program.value("command") else { continue }
      if program.value("autostart").flatMap(SupervisordConfig.boolean) == false { continue }
      if let count = program.value("numprocs"), count != "1" { return nil }
      let values = ["command", "directory", "environment", "user"].compactMap { program.value($0) }
      if values.contains(where: { $0.contains("%(") }) { return nil }
      guard let argv = Shlex.split(raw), !argv.isEmpty else { return nil }
      let name = String(program.name.dropFirst("program:".count))
      let managed = managedForm(argv, family: context.image.family)
      var service = Service(name: serviceName(name, taken: &taken), command: managed.command, isSimple: managed.isSimple)
      service.directory = program.value("directory")
      if let environment = program.value("environment") {
        guard let pairs = parseEnvironment(environment) else { return nil }
        service.environment = pairs
      }
      if let user = program.value("user")?.trimmed(in: " "), user != "root", user != "0" { service.user = user }
      var signal = program.value("stopsignal")?.uppercased().trimmed(in: " ")
      if signal?.hasPrefix("SIG") == true { signal = String(signal!.dropFirst(3)) }
      if signal == "TERM" { signal = nil }
      service.stopSignal = signal ?? stopSignal(program: argv[0])
      let isOneShot = program.value("autorestart").flatMap(SupervisordConfig.boolean) == false && (program.value("startsecs") ?? "1") == "0"
      if isOneShot {
        taken.remove(service.name)
        plan.steps.append(Step(text: service.shellLine(exec: false), isState: false, isFatal: false))
        continue
      }
      plan.services.append(service)
    }
    return plan.services.isEmpty ? nil : plan
  }

  /// supervisord's `environment=KEY="val",KEY2=val2`: values may be quoted (double or single) and then
  /// contain commas. Nil when it does not read as such a list.
  static func parseEnvironment(_ text: String) -> [(String, String)]? {
    var pairs: [(String, String)] = []
    var rest = Substring(text)
    while true {
      rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
      if rest.isEmpty { break }
      guard let equals = rest.firstIndex(of: "=") else { return nil }
      let key = rest[..<equals].trimmed(in: " \t")
      guard !key.isEmpty, key.unicodeScalars.allSatisfy({ $0 == "_" || ($0.properties.isASCIIHexDigit || ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")) }) else { return nil }
      rest = rest[rest.index(after: equals)...]
      var value = ""
      if let quote = rest.first, quote == "\"" || quote == "'" {
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(of: quote) else { return nil }
        value = String(rest[..<close])
        rest = rest[rest.index(after: close)...]
        rest = rest.drop { $0 == " " || $0 == "\t" }
      } else {
        let end = rest.firstIndex(of: ",") ?? rest.endIndex
        value = String(rest[..<end]).trimmed(in: " \t")
        rest = rest[end...]
      }
      pairs.append((String(key), value))
      if rest.first == "," { rest = rest.dropFirst() } else if !rest.isEmpty { return nil }
    }
    return pairs
  }
}

extension SourceRange {
  /// Whether any of `offsets` falls inside the range.
  fileprivate func contains(where offsets: Set<Int>) -> Bool { offsets.contains { $0 >= start && $0 < end } }
}

/// Python's `shlex.split` in POSIX mode, which supervisord uses to turn `command=` into argv.
enum Shlex {
  static func split(_ text: String) -> [String]? {
    var words: [String] = []
    var current: [UInt8] = []
    var inWord = false
    let bytes = Array(text.utf8)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case 0x20, 0x09, 0x0A, 0x0D:
        if inWord {
          words.append(String(decoding: current, as: UTF8.self))
          current = []
          inWord = false
        }
        index += 1
      case UInt8(ascii: "'"):
        inWord = true
        guard let close = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "'")) else { return nil }
        current += bytes[(index + 1)..<close]
        index = close + 1
      case UInt8(ascii: "\""):
        inWord = true
        index += 1
        var closed = false
        while index < bytes.count {
          let inner = bytes[index]
          if inner == UInt8(ascii: "\"") {
            closed = true
            index += 1
            break
          }
          if inner == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "\\") {
            current.append(bytes[index + 1])
            index += 2
            continue
          }
          current.append(inner)
          index += 1
        }
        guard closed else { return nil }
      case UInt8(ascii: "\\"):
        inWord = true
        guard index + 1 < bytes.count else { return nil }
        current.append(bytes[index + 1])
        index += 2
      default:
        inWord = true
        current.append(byte)
        index += 1
      }
    }
    if inWord { words.append(String(decoding: current, as: UTF8.self)) }
    return words
  }
}
