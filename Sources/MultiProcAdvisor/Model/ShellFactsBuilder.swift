import DockerfileParser

/// Computes `ShellFacts` from a parsed shell program: the rule-level view of what it does with processes.
struct ShellFactsBuilder {
  let script: ShellScript
  let source: SourceFile
  let interpreter: ShellProgram.Interpreter
  /// Whether the program is an inline string (separators are `; ` rather than newlines in fixes).
  let isInline: Bool
  /// The daemon catalogue's verdict with the image's configuration.
  let daemonVerdict: (CommandReference) -> DaemonCatalog.Verdict?
  /// The values variables are known to hold (the program's own literal assignments, the image's ENV).
  var variables: ShellVariables = .empty
  /// The arguments the program runs with, as far as they are known: they decide `if [ $# -gt 0 ]` and
  /// `case "$1" in` branches.
  var arguments: ShellKnownArguments = .unknown
  /// Whether a command is known to fail at once in the image (`npm start` where package.json has no
  /// start script and there is no server.js): it holds nothing in the foreground.
  var failsAtOnce: (CommandReference, _ directory: String?) -> Bool = { _, _ in false }

  func location(_ range: SourceRange) -> FileRange { FileRange(file: source, range: range) }

  /// References already made, by invocation: `build()` asks for the same ones from several passes.
  final class ReferenceCache {
    struct Key: Hashable {
      var index: Int
      var start: Int
      var end: Int
    }
    var references: [Key: CommandReference] = [:]
  }
  let referenceCache = ReferenceCache()

  /// The rule-facing reference for one invocation.
  func reference(_ invocation: ShellInvocation) -> CommandReference {
    let key = ReferenceCache.Key(index: invocation.index, start: invocation.command.range.start, end: invocation.command.range.end)
    if let known = referenceCache.references[key] { return known }
    let made = makeReference(invocation)
    referenceCache.references[key] = made
    return made
  }

  private func makeReference(_ invocation: ShellInvocation) -> CommandReference {
    let command = invocation.command
    let resolved = command.resolved
    let programWord = resolved.programWord ?? command.words.first
    let isFunction = command.name.map { script.function(named: $0) != nil } ?? false
    let canExec = !resolved.isExec && !invocation.isBackground && !invocation.isInSubshell && invocation.pipelineCount == 1
      && !invocation.isInCondition && !isFunction && !invocation.isInCommandSubstitution
      && !(command.name.map { Knowledge.shortLivedPrograms.contains($0) && !Knowledge.applicationInterpreters.contains($0) && $0 != "bash" && $0 != "sh" } ?? false)
    // `exec ` goes where the word's own bytes are: not inside text the image pieced together from
    // escapes (a printf format, an undecodable byte), where the edit would land elsewhere.
    let insertion = canExec ? command.words.first.flatMap { word in isVerbatim(word) ? location(.empty(at: word.range.start)) : nil } : nil
    var reference = CommandReference(
      location: location(command.range), programLocation: location(programWord?.range ?? command.range),
      program: resolved.programPath, arguments: resolved.argumentValues,
      // Text decoded on the way into the image (`echo … | base64 -d > /main.sh`) has no bytes of its own in
      // the file: its words say what the command is.
      text: command.words.first.map(isVerbatim) ?? true
        ? Self.oneLine(source.text(of: command.range)) : command.words.map { $0.literalValue ?? $0.raw }.joined(separator: " "),
      // `eval exec …` replaces the shell as `exec …` does.
      isExec: resolved.isExec || (command.name == "eval" && command.words.dropFirst().first?.literalValue.map { $0 == "exec" || $0.hasPrefix("exec ") } == true),
      execInsertionPoint: insertion, argumentLocations: resolved.arguments.map { location($0.range) })
    reference.wrappers = resolved.wrappers.map(\.name)
    // Known variables: `vncserver $DISPLAY` with `ENV DISPLAY=:1`; `$CMD_LINE` holding a command line.
    for (index, word) in resolved.arguments.enumerated() where index < reference.arguments.count && reference.arguments[index] == nil {
      if word.isQuoted || variables.fields(of: word)?.count == 1, let value = variables.evaluate(word) { reference.arguments[index] = value }
    }
    if reference.program == nil, let word = resolved.programWord, !resolved.runsArguments {
      if word.isQuoted, let value = variables.evaluate(word), !value.isEmpty {
        reference.program = value
      } else if let fields = variables.fields(of: word), let first = fields.first {
        reference.program = first
        reference.arguments = fields.dropFirst().map { Optional($0) } + reference.arguments
        reference.argumentLocations = []
      } else if let alternatives = variables.programAlternatives(of: word) {
        reference.program = alternatives[0]
      }
    }
    if reference.program == nil, let word = programWord { reference.programText = word.raw }
    return reference
  }

  /// Whether `word`'s first bytes are in the source where its range starts.
  func isVerbatim(_ word: ShellWord) -> Bool {
    let raw = Array(word.raw.utf8.prefix(8))
    let start = word.range.start
    guard !raw.isEmpty, start >= 0, start + raw.count <= source.bytes.count else { return false }
    return source.bytes[start..<(start + raw.count)].elementsEqual(raw)
  }

  /// A command's source text on one line, for messages: a command that spans lines (backslash
  /// continuations, supervisord's continuation lines) reads with single spaces where the lines meet.
  static func oneLine(_ text: String) -> String {
    let trimmed = text.trimmed(in: " \t\r\n")
    guard trimmed.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0x0B || $0 == 0x0C || $0 >= 0x80 }) else { return trimmed }
    guard trimmed.contains(where: \.isNewline) else { return trimmed }
    let lines = trimmed.split(whereSeparator: \.isNewline).map { line -> String in
      var line = String(line).trimmed(in: " \t\r")
      if line.hasSuffix("\\") { line = String(line.dropLast()).trimmed(in: " \t") }
      return line
    }
    return lines.filter { !$0.isEmpty }.joined(separator: " ")
  }

  func build() -> ShellFacts {
    var facts = ShellFacts()
    let mainPath = script.invocations.filter(\.isInMainPath)
    facts.commands = mainPath.map(reference)

    // Background jobs started by the main shell, with the variable their PID goes into.
    let pidVariables = script.backgroundPIDVariables
    let jobs = script.backgroundJobs.filter { $0.isInMainPath && !$0.isNested }
    // Scanned once for all jobs: `fg %N` with job control on waits for job N.
    let foregrounded = jobControlIsOn ? foregroundedJobs : []
    for (index, job) in jobs.enumerated() {
      var commands = script.commands(of: job)
      guard let first = commands.first else { continue }
      // A pipeline is judged by the stage that runs the service, not by the log sink after it
      // (`svc | tee log &`, `svc 2>&1 | logger &`) or the producer before it (`cat conf | svc &`).
      if let stage = serviceStage(of: job, commands) { commands = [stage] }
      var reference = self.reference(commands.first ?? first)
      reference.location = location(job.range)
      let summary = source.text(of: job.range).trimmed(in: " \t\r\n")
      let nextJobStart = index + 1 < jobs.count ? jobs[index + 1].range.start : Int.max
      let pidVariable = pidVariables.first { variable in
        let start = script.invocations[variable.invocationIndex].command.range.start
        return start >= job.range.end && start < nextJobStart
      }?.name
      var record = ShellFacts.BackgroundJob(command: reference, isLongRunning: isLongRunning(job, commands), summary: summary, pidVariable: pidVariable)
      if let last = commands.last {
        let lastReference = self.reference(last)
        record.isLogRelay = Knowledge.isLogRelay(lastReference.program, arguments: lastReference.arguments)
        if record.isLogRelay { record.isLongRunning = false }
      }
      // `set -m; a & b & fg %1`: the script waits for job 1 (fg fails without job control, see `terminalKind`).
      let waitedByForeground = foregrounded.contains { target in
        target.job == index + 1 && target.start > job.range.end && !runsForegroundWork(between: job.range.end, and: target.start)
      }
      record.isWaitedFor = waitedByForeground || script.waits.contains { wait in
        guard wait.invocation.command.range.start > job.range.end else { return false }
        return wait.operands.contains { operand in
          switch operand {
          case .lastBackgroundPID: return wait.invocation.command.range.start < nextJobStart
          case .variable(let name, _): return name == pidVariable
          default: return false
          }
        }
      }
      // A bootstrap job (`mysqld --skip-networking & pid=$!; …; kill $pid; wait $pid; exec mysqld`) is
      // stopped by the script itself: not a service that keeps running.
      if isStopped(job, jobNumber: index + 1, program: record.command.programName, pidVariable: pidVariable, before: nextJobStart) {
        record.isStoppedByScript = true
        record.isLongRunning = false
      }
      facts.backgroundJobs.append(record)
    }

    // Waits.
    for wait in script.waits {
      let invocation = wait.invocation
      let reference = self.reference(invocation)
      var record = ShellFacts.Wait(
        command: reference, waitsForNext: wait.waitsForAny, operands: wait.operands.map(Self.describe),
        statusPropagates: true, statusLostBy: nil, isInMainPath: invocation.isInMainPath && !invocation.isBackground,
        isGuardedByTrue: false, statusFixEdits: [])
      analyseStatus(of: invocation, into: &record)
      facts.waits.append(record)
      if wait.waitsForAny { facts.waitNUses.append(reference) }
    }

    // Traps.
    for trap in script.traps {
      let signals = trap.signals.map(\.name)
      let handler = script.handlerCommands(of: trap)
      let forwards = handler.contains { command in
        let resolved = command.command.resolved
        return resolved.program == "kill" && !resolved.hasFlag("-0") || resolved.program == "pkill" || resolved.program == "killall"
      }
      facts.traps.append(ShellFacts.Trap(command: reference(trap.invocation), signals: signals, forwardsToChildren: forwards))
      if signals.contains("EXIT"), case .command = trap.action { facts.hasExitTrap = true }
    }

    // Terminal commands, with the branches the known arguments rule out marked.
    let decided: Set<Int>? = arguments.values == nil ? nil : Set(script.terminalCommands(given: arguments).map(\.invocation.index))
    var terminalCommands = script.terminalCommands
    var exitAfter: [Int: Int] = [:]
    // `server; exit 0`: the exit only replaces the server's status; the server is what holds the foreground.
    for (position, invocation) in terminalCommands.enumerated().reversed() {
      guard invocation.command.resolved.program == "exit", invocation.loopIndices.isEmpty, invocation.command.words.count <= 2,
        invocation.command.words.dropFirst().allSatisfy({ $0.literalValue.map { Int($0) != nil } ?? false }),
        let previous = script.command(before: invocation), previous.isInMainPath, !previous.isBackground, !previous.isInCondition,
        previous.pipelineCount == 1, !terminalCommands.contains(where: { $0.index == previous.index })
      else { continue }
      terminalCommands.insert(previous, at: position)
      exitAfter[previous.index] = invocation.index
    }
    for invocation in terminalCommands {
      var reference = self.reference(invocation)
      let kind = terminalKind(invocation, reference)
      if kind == .keepalive, let loop = invocation.loopIndices.first.map({ script.loops[$0] }) {
        reference.location = location(loop.range)
        if invocation.command.words.first.map(isVerbatim) ?? true {
          reference.text = source.text(of: loop.range).split(whereSeparator: \.isNewline).first.map(String.init) ?? reference.text
        }
      }
      // `sleep infinity & wait $!` reads as what it is, not as a bare wait.
      if kind == .keepalive, invocation.command.resolved.program == "wait", invocation.loopIndices.isEmpty,
        let job = script.backgroundJobs.last(where: { $0.isInMainPath && $0.range.end <= invocation.command.range.start })
      {
        reference.text = Self.oneLine(source.text(of: job.range)) + " & " + reference.text
      }
      var terminal = ShellFacts.Terminal(command: reference, kind: kind)
      terminal.failsAtOnce = failureAtOnce(invocation, reference)
      if let exit = exitAfter[invocation.index] { terminal.statusReplacedBy = self.reference(script.invocations[exit]) }
      if let decided, !decided.isEmpty, !decided.contains(exitAfter[invocation.index] ?? invocation.index) { terminal.isRuledOutByArguments = true }
      facts.terminals.append(terminal)
    }

    // Daemons (`nginx &` daemonizes too), keep-alives that hold the foreground, execs. A command in an
    // `if`/`while` condition or an `&&`/`||` list runs too (`if ! service cron start; then …`).
    let mainJobs = Set(jobs.map(\.index))
    let stops = bootstrapStops()
    let unconditional = unconditionalCommandRanges()
    // Keep-alives that hold the foreground, found once: DA105's facts and the unknown-start verdict read them.
    let keepaliveIndices = Set(mainPath.filter { unconditional.contains($0.command.range) && Self.holdsForegroundForever($0, self.reference($0)) }.map(\.index))
    let endsInKeepalive = !keepaliveIndices.isEmpty
    for invocation in script.invocations where invocation.isInMainPath || invocation.backgroundJob.map(mainJobs.contains) == true {
      guard !invocation.isInCommandSubstitution else { continue }
      let reference = self.reference(invocation)
      guard let verdict = daemonVerdict(reference) ?? (endsInKeepalive ? Self.unknownStartVerdict(reference, invocation) : nil) else { continue }
      // Started for the script's own setup and stopped again further on: a bootstrap server, not a service.
      if stops.contains(where: { $0.service == verdict.service && $0.offset > invocation.command.range.start }) { continue }
      if verdict.failsInContainer { facts.failingStarts.append((reference, verdict)) } else { facts.daemonizing.append((reference, verdict)) }
      // `systemctl start x && tail -f /dev/null`: what is joined to a failing start with && never runs.
      if verdict.failsInContainer, invocation.operatorAfter == .and {
        for later in script.commands(after: invocation) {
          guard later.operatorBefore == .and else { break }
          facts.skippedAfterFailure.append(location(later.command.range))
        }
      }
    }
    for invocation in mainPath {
      let reference = self.reference(invocation)
      if keepaliveIndices.contains(invocation.index) { facts.keepalives.append(reference) }
      if invocation.command.resolved.isExec { facts.execs.append(reference) }
      for wrapper in invocation.command.resolved.wrappers where Knowledge.initKind(of: wrapper.name) != nil {
        var wrapped = reference
        wrapped.program = wrapper.name
        facts.execs.append(wrapped)
      }
    }

    facts.evalsRunTimeText = mainPath.contains { invocation in
      invocation.command.name == "eval"
        && invocation.command.words.dropFirst().contains { $0.literalValue == nil && !["\"$@\"", "$@", "\"$*\"", "$*"].contains($0.raw) }
    }
    facts.readsPositionalParameters = script.usesScriptArguments || readsPositionalVariables()
    let single = singleSimpleCommand()
    facts.isSingleSimpleCommand = single != nil
    if let single, single.command.assignments.isEmpty, single.redirections.isEmpty, single.enclosingRedirections.isEmpty,
      single.command.words.allSatisfy({ $0.literalValue != nil && !$0.hasGlob && !$0.hasTilde && !$0.hasBraceExpansion })
    {
      facts.plainSimpleCommand = single.command.words.compactMap(\.literalValue)
      facts.plainSimpleCommandLocations = single.command.words.map { location($0.range) }
    }
    return facts
  }

  /// Commands that stop a daemon again (`pg_ctl -m fast -w stop`, `service mysql stop`,
  /// `/etc/init.d/x stop`, `nginx -s quit`): the service each stops and where. The official postgres
  /// entrypoint starts a temporary server with `pg_ctl -w start` to initialise the database and stops it
  /// before `exec "$@"`; that start is setup, not a service left running.
  func bootstrapStops() -> [(service: String, offset: Int)] {
    let stopVerbs: Set<String> = ["stop", "graceful-stop", "force-stop"]
    var stops: [(service: String, offset: Int)] = []
    for invocation in script.invocations where invocation.isInMainPath && !invocation.isBackground && !invocation.isInCommandSubstitution {
      var reference = self.reference(invocation)
      if reference.programName == "nginx", let flag = reference.arguments.firstIndex(of: "-s"), flag + 1 < reference.arguments.count,
        ["stop", "quit"].contains(reference.arguments[flag + 1])
      {
        reference.arguments.removeSubrange(flag...(flag + 1))
      } else if reference.arguments.contains(where: { $0.map(stopVerbs.contains) == true }) {
        reference.arguments = reference.arguments.map { $0.map(stopVerbs.contains) == true ? "start" : $0 }
      } else {
        continue
      }
      if let verdict = daemonVerdict(reference) { stops.append((verdict.service, invocation.command.range.start)) }
    }
    return stops
  }

  /// `./chia.bin start all`, `/opt/app/bin/app start` — a program dockadvise does not know, run in the
  /// foreground with a `start` verb, in a script whose foreground is then held by a keep-alive: the
  /// keep-alive is there because the start returns and leaves its services in the background.
  static func unknownStartVerdict(_ reference: CommandReference, _ invocation: ShellInvocation) -> DaemonCatalog.Verdict? {
    guard !invocation.isBackground, let program = reference.programName, ProgramTable.record(for: program) == nil,
      !Knowledge.shortLivedPrograms.contains(program), ShellNames.dialects[program] == nil,
      let verb = reference.arguments.first(where: { $0.map { !$0.hasPrefix("-") } ?? true }) ?? nil,
      verb == "start"
    else { return nil }
    return DaemonCatalog.Verdict(
      service: program, reason: "'\(program) start' returns and leaves what it starts in the background (the keep-alive after it holds the container up)",
      foreground: nil, isDropIn: false)
  }

  /// The one simple command the whole program consists of, if that is all it is.
  func singleSimpleCommand() -> ShellInvocation? {
    guard script.invocations.count == 1, let only = script.invocations.first, only.listCount == 1, only.pipelineCount == 1,
      only.operatorBefore == nil, only.operatorAfter == nil, !only.isBackground, !only.isInSubshell, only.loopIndices.isEmpty,
      !only.isInCondition, only.functionName == nil, script.body.items.count == 1
    else { return nil }
    return only
  }

  /// `$1`, `$#`, `shift` anywhere in the program (a text scan: precision over recall).
  func readsPositionalVariables() -> Bool {
    // One pass over the bytes for `$1` `$2` `$3` `${1` `${2` `$#` `${#}` `$*` `$@` `${@` `${*`.
    let found = script.source.bytes.withUnsafeBufferPointer { bytes -> Bool in
      var index = 0
      while index + 1 < bytes.count {
        if bytes[index] == UInt8(ascii: "$") {
          switch bytes[index + 1] {
          case UInt8(ascii: "1"), UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "#"), UInt8(ascii: "*"), UInt8(ascii: "@"):
            return true
          case UInt8(ascii: "{") where index + 2 < bytes.count:
            switch bytes[index + 2] {
            case UInt8(ascii: "1"), UInt8(ascii: "2"), UInt8(ascii: "@"), UInt8(ascii: "*"): return true
            case UInt8(ascii: "#") where index + 3 < bytes.count && bytes[index + 3] == UInt8(ascii: "}"): return true
            default: break
            }
          default: break
          }
        }
        index += 1
      }
      return false
    }
    if found { return true }
    if script.invocations.contains(where: { $0.command.name == "shift" || $0.command.name == "getopts" }) { return true }
    return false
  }

  static func describe(_ operand: ShellWait.Operand) -> String {
    String(describing: operand)
  }

  /// The ranges of the simple commands that run whenever the script runs: top-level items (each
  /// pipeline of an `&&` chain), brace groups, and the bodies of endless loops at that level.
  func unconditionalCommandRanges() -> Set<SourceRange> {
    var result = Set<SourceRange>()
    var stack: [ShellList] = [script.body]
    while let list = stack.popLast() {
      for item in list.items where !item.isBackground {
        for pipeline in item.pipelines where pipeline.commands.count == 1 {
          let command = pipeline.commands[0]
          switch command.kind {
          case .simple(let simple):
            result.insert(simple.range)
          case .braceGroup(let body):
            stack.append(body)
          case .loop(let loop):
            if script.loops.contains(where: { $0.isInfinite && $0.range.contains(command.range.start) && $0.range.start == command.range.start }) {
              stack.append(loop.body)
            }
          default:
            continue
          }
        }
        if item.operators.contains(.or) { break }
      }
    }
    return result
  }

  /// A keep-alive that blocks the script: not in a pipeline, a condition or under `timeout`, or an
  /// interactive shell started without arguments.
  static func holdsForegroundForever(_ invocation: ShellInvocation, _ reference: CommandReference) -> Bool {
    guard invocation.pipelineCount == 1, !invocation.isInCondition, !invocation.isBackground, !reference.wrappers.contains("timeout") else { return false }
    return Keepalive.isKeepalive(reference) || isInteractiveShell(reference)
  }

  /// `bash`, `sh` or `/bin/bash` with no arguments: it waits for a terminal's input (`docker run -it`) and
  /// exits at once without one.
  static func isInteractiveShell(_ reference: CommandReference) -> Bool {
    guard let name = reference.programName else { return false }
    guard name != "busybox", let shell = Knowledge.shellInterpreter(name), shell != .execline else { return false }
    return reference.arguments.isEmpty
  }

  /// What a command at the end of the main path is.
  func terminalKind(_ invocation: ShellInvocation, _ reference: CommandReference) -> ShellFacts.Terminal.Kind {
    if invocation.isBackground { return .background }
    let resolved = invocation.command.resolved
    if resolved.runsArguments { return .positionalArguments }
    guard let program = reference.programName else { return resolved.programWord == nil ? .shortLived : .service }
    // `eval …` runs a command made at run time (the launch chain follows it when its words are known).
    if program == "eval", invocation.command.words.count > 1 {
      let words = invocation.command.words.dropFirst()
      if reference.isExec { return words.contains(where: \.isAllArguments) ? .positionalArguments : .service }
      // Known words (`CMD="sleep infinity"; eval "$CMD"`): what they run decides; else as before.
      let texts = words.map { variables.evaluate($0) }
      guard texts.allSatisfy({ $0 != nil }) else { return .shortLived }
      let parsed = ShellScript.parse(texts.map { $0! }.joined(separator: " "))
      guard parsed.diagnostics.isEmpty, parsed.invocations.count == 1, let inner = parsed.invocations.first, let name = inner.command.resolved.program
      else { return .shortLived }
      if Keepalive.isKeepalive(program: name, arguments: inner.command.resolved.argumentValues) { return .keepalive }
      if Knowledge.shortLivedPrograms.contains(name) && !Knowledge.applicationInterpreters.contains(name) { return .shortLived }
      return .service
    }
    // `while true; do sleep 60 & wait $!; done`: the wait only lets a trap run during the sleep.
    if program == "wait", let loop = invocation.loopIndices.last.map({ script.loops[$0] }), loop.isInfinite,
      Keepalive.isSleepLoopBody(script.bodyCommands(of: loop).map { (program: $0.command.resolved.program, isBackground: $0.isBackground) })
    {
      return .keepalive
    }
    if program == "wait", waitsOnlyForKeepalive(invocation) { return .keepalive }
    // A script has no job control unless it turns it on (`set -m`): there `fg` fails at once ("no job control").
    if program == "fg" { return jobControlIsOn ? .wait : .shortLived }

    if program == "wait" { return .wait }
    if Keepalive.isKeepalive(reference) || Self.isInteractiveShell(reference) { return .keepalive }
    if program == "sleep" || program == "tail", let loop = invocation.loopIndices.last.map({ script.loops[$0] }), loop.isInfinite {
      return .keepalive
    }
    if let loop = invocation.loopIndices.last.map({ script.loops[$0] }) {
      let body = script.bodyCommands(of: loop).compactMap(\.command.resolved.program)
      if loop.isInfinite, body.allSatisfy({ $0 == "sleep" || $0 == "echo" || $0 == "printf" || $0 == ":" || $0 == "true" || $0 == "wait" }) {
        return .keepalive
      }
      return .loop
    }
    if Knowledge.isControlCommand(program, arguments: reference.literalArguments) { return .shortLived }
    if program == "exit" || program == "return" || Knowledge.shortLivedPrograms.contains(program) && !Knowledge.applicationInterpreters.contains(program) {
      return .shortLived
    }
    if Knowledge.applicationInterpreters.contains(program) {
      // `python -c '...'`, `node -e`, `php -r`, version checks: short; a script or module: a service.
      let arguments = reference.literalArguments
      if arguments.isEmpty || arguments.contains(where: { ["-c", "-e", "-r", "--version", "-v", "-V"].contains($0) }) { return .shortLived }
    }
    if script.function(named: program) != nil { return .shortLived }
    if failureAtOnce(invocation, reference) != nil { return .shortLived }
    return .service
  }

  /// Why a command that looks like it holds the foreground ends at once: `fg` in a script without job
  /// control, `npm start` where package.json has no start script.
  func failureAtOnce(_ invocation: ShellInvocation, _ reference: CommandReference) -> String? {
    // Only these can fail that way: the scan for a `cd` and the package.json lookup stay off the common path.
    guard let program = reference.programName, program == "fg" || PackageScript.managers.contains(program) else { return nil }
    if program == "fg" {
      return jobControlIsOn ? nil : "'\(reference.text)' fails at once in a script: job control is off unless the script runs 'set -m'"
    }
    if failsAtOnce(reference, directory(before: invocation)) {
      return "'\(reference.text)' fails at once: the image's package.json has no such script (npm: \"Missing script\")"
    }
    return nil
  }

  /// The directory a literal `cd DIR` on the main path moved to before `invocation` (nil: none, or not
  /// known).
  func directory(before invocation: ShellInvocation) -> String? {
    var directory: String? = nil
    for earlier in script.invocations where earlier.index < invocation.index && earlier.isInMainPath && !earlier.isBackground {
      guard earlier.command.resolved.program == "cd" else { continue }
      guard let target = earlier.command.words.dropFirst().first?.literalValue, target.hasPrefix("/") else { return nil }
      directory = target
    }
    return directory
  }

  /// Whether the main path turns job control on (`set -m`, `set -o monitor`), which `fg` needs in a script.
  var jobControlIsOn: Bool {
    script.invocations.contains { invocation in
      guard invocation.isInMainPath, invocation.command.resolved.program == "set" else { return false }
      let words = invocation.command.words.dropFirst().compactMap(\.literalValue)
      return words.contains { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.dropFirst().contains("m") }
        || zip(words, words.dropFirst()).contains { $0 == "-o" && $1 == "monitor" }
    }
  }

  /// Whether the main path runs something in the foreground between two offsets that may keep running
  /// (`gunicorn … | tee log` before `fg %1`): until it ends, nothing waits for the job.
  func runsForegroundWork(between start: Int, and end: Int) -> Bool {
    script.invocations.contains { invocation in
      // Pipeline stages run in subshells, so they are not on the main path, but the shell waits for them.
      guard invocation.isInMainPath || invocation.pipelineCount > 1, !invocation.isBackground, !invocation.isInCommandSubstitution,
        invocation.command.range.start >= start, invocation.command.range.end <= end
      else { return false }
      guard let program = reference(invocation).programName else { return false }
      if program == "sleep" || Knowledge.isControlCommand(program, arguments: reference(invocation).literalArguments) { return false }
      return !Knowledge.shortLivedPrograms.contains(program) || Knowledge.applicationInterpreters.contains(program)
    }
  }

  /// The jobs `fg` brings to the foreground on the main path (`fg %2` → 2; `fg`, `fg %+`, `fg %%` → the
  /// newest job started before it), with where the `fg` is.
  var foregroundedJobs: [(start: Int, job: Int)] {
    let jobs = script.backgroundJobs.filter { $0.isInMainPath && !$0.isNested }
    return script.invocations.compactMap { invocation in
      guard invocation.isInMainPath, !invocation.isBackground, invocation.command.resolved.program == "fg" else { return nil }
      let start = invocation.command.range.start
      let operand = invocation.command.words.dropFirst().first?.literalValue
      switch operand {
      case nil, "%+", "%%":
        let started = jobs.filter { $0.range.end <= start }.count
        return started > 0 ? (start, started) : nil
      case let text? where text.hasPrefix("%"):
        return Int(text.dropFirst()).map { (start, $0) }
      default:
        return nil
      }
    }
  }

  /// `sleep infinity & wait $!` (a trap can run during the wait, which a foreground sleep would block):
  /// the wait is for a keep-alive, not for a service. Also a plain `wait` when every background job before
  /// it is a keep-alive.
  func waitsOnlyForKeepalive(_ wait: ShellInvocation) -> Bool {
    let operands = Array(wait.command.words.dropFirst())
    let start = wait.command.range.start
    let jobs = script.invocations.filter { $0.isBackground && !$0.isInCommandSubstitution && $0.command.range.end <= start }
    func isKeepaliveJob(_ job: ShellInvocation) -> Bool {
      guard let index = job.backgroundJob, index < script.backgroundJobs.count, script.backgroundJobs[index].kind == .simpleCommand
      else { return false }
      return Keepalive.isKeepalive(reference(job))
    }
    if operands.isEmpty { return !jobs.isEmpty && jobs.allSatisfy(isKeepaliveJob) }
    guard operands.count == 1, operands[0].raw == "$!" || operands[0].raw == "\"$!\"", let last = jobs.last else { return false }
    return isKeepaliveJob(last)
  }

  /// Whether the main path stops a background job after starting it and then goes on to run its real
  /// service in the foreground: `kill $pid` (its saved PID), `kill $!` before the next job starts,
  /// `kill %N`, `pkill`/`killall` with its program's name, or the server's own shutdown command
  /// (`mysqladmin shutdown`, `redis-cli shutdown`). A kill that only cleans up after a
  /// `wait -n` (followed by `exit`) does not count.
  func isStopped(_ job: ShellBackgroundJob, jobNumber: Int, program: String?, pidVariable: String?, before nextJobStart: Int) -> Bool {
    let terminals = Set(script.terminalCommands.map(\.index))
    return script.invocations.contains { invocation in
      guard invocation.isInMainPath, !invocation.isBackground, !invocation.isInCommandSubstitution,
        invocation.command.range.start >= job.range.end, let name = invocation.command.resolved.program.map(DaemonCatalog.basename)
      else { return false }
      let operands = invocation.command.words.dropFirst()
      let stopsJob: Bool
      switch name {
      case "kill":
        stopsJob = operands.contains { word in
          if let pidVariable, word.parameterExpansions.contains(where: { $0.name == pidVariable }) { return true }
          if word.raw == "$!" || word.raw == "\"$!\"" { return invocation.command.range.start < nextJobStart }
          return word.literalValue == "%\(jobNumber)"
        }
      case "pkill", "killall":
        stopsJob = program.map { program in operands.contains { $0.literalValue == program } } ?? false
      default:
        // `mysqladmin shutdown`, `redis-cli shutdown`, `pg_ctl stop`, `nginx -s quit`.
        stopsJob = program.map { Knowledge.shutsDown(name, arguments: reference(invocation).arguments, server: $0) } ?? false
      }
      guard stopsJob else { return false }
      return script.commands(after: invocation).contains { later in
        guard terminals.contains(later.index), !later.isBackground else { return false }
        let kind = terminalKind(later, reference(later))
        return kind == .service || kind == .positionalArguments
      }
    }
  }

  /// The first stage of a background pipeline that is not a log sink (`tee`, `logger`, a `while read`
  /// loop): the command whose life decides the pipeline's. Nil when the job is not a pipeline.
  func serviceStage(of job: ShellBackgroundJob, _ commands: [ShellInvocation]) -> ShellInvocation? {
    guard job.kind == .pipeline else { return nil }
    // `( while true; do app; sleep 5; done ) | tee log &`: the loop decides (see `isLongRunning`).
    if script.loops.contains(where: { $0.isInfinite && job.range.contains($0.range.start) }) { return nil }
    return commands.first { invocation in
      guard invocation.backgroundJob == job.index, invocation.pipelineCount > 1, !invocation.isInCommandSubstitution,
        invocation.loopIndices == job.loopIndices, !invocation.isInCondition
      else { return false }
      guard let program = reference(invocation).programName else { return false }
      let isShort = Knowledge.shortLivedPrograms.contains(program) && !Knowledge.applicationInterpreters.contains(program)
      return !Knowledge.pipelineLogSinks.contains(program) && !isShort
    }
  }

  /// Whether a background job keeps running: a loop that never ends, or a last command that is a
  /// service (not a finite sleep, a log relay, a daemon that returns, or a one-shot task).
  func isLongRunning(_ job: ShellBackgroundJob, _ commands: [ShellInvocation]) -> Bool {
    if job.loopIndices.contains(where: { script.loops[$0].isInfinite }) { return false }
    for loop in script.loops where loop.isInfinite && job.range.contains(loop.range.start) {
      let body = script.bodyCommands(of: loop).compactMap(\.command.resolved.program)
      return !body.allSatisfy { $0 == "sleep" || $0 == "echo" || $0 == "printf" || $0 == ":" || $0 == "true" }
    }
    guard let last = commands.last(where: { !$0.isInCommandSubstitution }) else { return false }
    let reference = self.reference(last)
    guard let program = reference.programName else { return true }
    if program == "tail" || program == "sleep" { return false }
    if daemonVerdict(reference) != nil { return false }
    if Knowledge.shortLivedPrograms.contains(program) && !Knowledge.applicationInterpreters.contains(program) { return false }
    if script.function(named: program) != nil { return false }
    let oneShotHints = ["setup", "config", "init", "migrat", "wait", "bootstrap", "install", "provision", "seed", "warmup", "prepare"]
    if oneShotHints.contains(where: { program.lowercased().contains($0) }) { return false }
    return true
  }

  /// Follows what happens to `$?` after a wait: the commands after it in its list and the lists around it.
  func analyseStatus(of invocation: ShellInvocation, into record: inout ShellFacts.Wait) {
    if invocation.operatorAfter == .or {
      let next = script.commands(after: invocation).first
      if let name = next?.command.name, name == "true" || name == ":" {
        record.statusPropagates = false
        record.isGuardedByTrue = true
        record.statusLostBy = "'|| \(name)'"
        return
      }
    }
    let after = script.commands(after: invocation).filter { !$0.isBackground }
    guard let next = after.first else { return }
    if Self.isExitWithStatus(next) { return }
    // `x=$?` … `exit $x`.
    if next.command.words.isEmpty, let assignment = next.command.assignments.first,
      let value = assignment.value, value.raw == "$?" || value.raw == "\"$?\""
    {
      let name = assignment.name
      // Used later (`exit $status`, `stop "$status"`, `return $status`): the author carries it on.
      if after.dropFirst().contains(where: { command in
        command.command.words.contains { word in word.parameterExpansions.contains { $0.name == name } }
      }) {
        return
      }
    }
    record.statusPropagates = false
    if next.command.name == "exit" {
      record.statusLostBy = "'\(source.text(of: next.command.range))' after it"
    } else {
      record.statusLostBy = "'\(source.text(of: next.command.range).prefix(40))' runs after it"
    }
    // The fix: save the status right after the wait, exit with it at the end (replacing a final `exit N`).
    guard invocation.functionName == nil, invocation.loopIndices.isEmpty, invocation.operatorAfter == nil, !record.isGuardedByTrue,
      invocation.separator == nil || invocation.separator == .newline || invocation.separator == .semicolon
    else { return }
    let separator = isInline ? "; " : Edits.newline(of: source) + Edits.indentation(of: location(invocation.command.range))
    var edits: [(SourceRange, String)] = [(.empty(at: invocation.command.range.end), separator + "status=$?")]
    let finalCommand = after.last!
    if finalCommand.command.name == "exit", finalCommand.operatorBefore == nil {
      edits.append((finalCommand.command.range, "exit \"$status\""))
    } else {
      let end = finalCommand.command.range.end
      edits.append((.empty(at: end), separator + "exit \"$status\""))
    }
    record.statusFixEdits = edits.map { (range: $0.0, replacement: $0.1) }
  }

  /// `exit $?` / `exit "$?"` / `exit` (which exits with the last status).
  static func isExitWithStatus(_ invocation: ShellInvocation) -> Bool {
    guard invocation.command.name == "exit" else { return false }
    let arguments = invocation.command.words.dropFirst()
    guard let first = arguments.first else { return true }
    return first.raw == "$?" || first.raw == "\"$?\""
  }
}
