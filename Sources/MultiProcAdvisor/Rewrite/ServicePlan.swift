import DockerfileParser

/// The services an image runs and the setup it does first, as dockadvise found them in the PID 1
/// shell (background jobs, daemons started through init scripts, the foreground command) or in the
/// supervisord configuration. Strategies render a plan as a Procfile, an s6-rc layout or a wrapper.
struct ServicePlan {
  /// One long-running service.
  struct Service: Equatable {
    var name: String
    /// A shell command line that runs it in the foreground.
    var command: String
    /// The signal that stops it gracefully, when not SIGTERM.
    var stopSignal: String?
    /// Whether dockadvise may prefix `exec` (a simple command, not a list or pipeline).
    var isSimple: Bool
  }

  var services: [Service] = []
  /// Shell lines to run first, in order (the setup part of the original script), and the interpreter.
  var setup: [String] = []
  var setupInterpreter = "/bin/sh"
  /// The setup assigns variables that the services use: it must share their shell (only the wrapper can).
  var needsSharedShell = false
  /// Where the plan came from, for the fix title.
  var origin: String

  /// Finds the plan for an image, or nil when there is nothing to move or it cannot be moved faithfully.
  static func extract(from context: LintContext) -> ServicePlan? {
    if let supervisord = context.launch.supervisord, let config = supervisord.config {
      return fromSupervisord(config, context: context)
    }
    guard let program = context.pid1Programs.first, program.issues.isEmpty,
      program.interpreter != .execline, program.interpreter != .other
    else { return nil }
    let facts = program.facts
    guard !facts.backgroundServices.isEmpty || !facts.daemonizing.isEmpty else { return nil }
    return fromShell(program, context: context)
  }

  /// A name made of letters, digits, `_` and `-`, unique in `taken`.
  static func serviceName(_ raw: String, taken: inout Set<String>) -> String {
    var base = String(DaemonCatalog.basename(raw).unicodeScalars.map { scalar -> Character in
      let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9") || scalar == "_" || scalar == "-"
      return ok ? Character(scalar) : "-"
    })
    while base.hasPrefix("-") { base.removeFirst() }
    if base.isEmpty { base = "service" }
    var name = base
    var counter = 2
    while taken.contains(name) {
      name = "\(base)-\(counter)"
      counter += 1
    }
    taken.insert(name)
    return name
  }

  static func stopSignal(for command: String) -> String? {
    let program = command.split(separator: " ").first.map(String.init) ?? command
    return StopsignalMismatchRule.gracefulSignal(for: DaemonCatalog.basename(program), arguments: []).map { String($0.dropFirst(3)) }
  }

  /// The top-level items of the PID 1 shell: background services, daemons (replaced by their foreground
  /// form), the final foreground command; everything else is setup. Keep-alives and waits are dropped.
  static func fromShell(_ program: ShellProgram, context: LintContext) -> ServicePlan? {
    var plan = ServicePlan(origin: program.displayName)
    plan.setupInterpreter = program.interpreter == .bash ? "/bin/bash" : "/bin/sh"
    let script = program.script
    let source = program.source
    let facts = program.facts
    var taken = Set<String>()
    var assigned = Set<String>()
    var cwd: String? = nil
    let daemons = Dictionary(facts.daemonizing.map { ($0.command.location.range.start, $0.verdict) }, uniquingKeysWith: { first, _ in first })
    let terminals = Set(facts.terminals.map { $0.command.location.range.start })
    // Sorted once, searched per pipeline and per item: a scan per item would be quadratic in the script.
    let terminalStarts = script.invocations.map(\.command.range.start).filter { terminals.contains($0) }.sorted()
    let jobStarts = facts.backgroundJobs.enumerated().map { ($0.element.command.location.range.start, $0.offset) }.sorted { $0 < $1 }
    let jobStartOffsets = jobStarts.map(\.0)
    // The first job (in `backgroundJobs` order) that starts inside `range`.
    func firstJob(in range: SourceRange) -> ShellFacts.BackgroundJob? {
      if range.isEmpty { return facts.backgroundJobs.first { $0.command.location.range == range } }
      var index = lowerBound(jobStartOffsets, range.start)
      var best: Int? = nil
      while index < jobStarts.count, jobStarts[index].0 < range.end {
        best = Swift.min(best ?? Int.max, jobStarts[index].1)
        index += 1
      }
      return best.map { facts.backgroundJobs[$0] }
    }

    func add(_ raw: String, command: String, simple: Bool) {
      let full = cwd.map { "cd \(ShellQuoting.quote($0)) && " + command } ?? command
      plan.services.append(Service(name: serviceName(raw, taken: &taken), command: full, stopSignal: stopSignal(for: command), isSimple: simple && cwd == nil))
    }

    for item in script.body.items {
      let itemText = source.text(of: item.range).trimmed(in: " \t\r\n")
      if item.isBackground {
        guard let job = firstJob(in: item.range) else { return nil }
        let isRelay = job.command.programName == "tail"
        guard job.isLongRunning || isRelay else { return nil }
        add(job.command.programName ?? "service", command: itemText, simple: item.pipelines.count == 1 && item.pipelines[0].commands.count == 1)
        continue
      }
      // Split `a && b && c` into its commands; other lists are setup unless they start something.
      let pipelines = item.operators.allSatisfy({ $0 == .and }) ? item.pipelines : [item.pipelines].flatMap { $0 }
      for pipeline in pipelines {
        guard pipeline.commands.count == 1, let simple = pipeline.commands[0].simple else {
          let text = source.text(of: pipeline.range).trimmed(in: " \t\r\n")
          if pipeline.range == item.pipelines.last?.range, containsStart(terminalStarts, pipeline.range) {
            add(pipeline.commands.first?.simple?.resolved.programPath ?? "service", command: text, simple: false)
          } else {
            plan.setup.append(text)
          }
          continue
        }
        let text = source.text(of: simple.range).trimmed(in: " \t\r\n")
        let resolved = simple.resolved
        for assignment in simple.assignments where simple.words.isEmpty { assigned.insert(assignment.name) }
        if resolved.program == "export" || resolved.program == "readonly" || resolved.program == "declare" {
          for word in resolved.arguments { if let value = word.literalValue ?? Optional(word.raw), let name = value.split(separator: "=").first { assigned.insert(String(name)) } }
        }
        guard let name = resolved.program else {
          if resolved.runsArguments, terminals.contains(simple.range.start) {
            guard let cmd = context.image.cmd?.words?.map(\.value), !cmd.isEmpty else { return nil }
            add(cmd[0], command: ShellQuoting.join(cmd), simple: true)
          } else {
            plan.setup.append(text)
          }
          continue
        }
        let reference = CommandReference(
          location: FileRange(file: source, range: simple.range), programLocation: FileRange(file: source, range: simple.range),
          program: resolved.programPath, arguments: resolved.argumentValues, text: text, isExec: resolved.isExec, execInsertionPoint: nil,
          argumentLocations: [])
        if Keepalive.isKeepalive(reference) || name == "wait" || (name == "exit" && terminals.contains(simple.range.start)) { continue }
        if let verdict = daemons[simple.range.start] {
          guard let foreground = verdict.foreground else { return nil }
          add(verdict.service, command: ShellQuoting.join(foreground), simple: true)
          continue
        }
        if terminals.contains(simple.range.start), !Knowledge.shortLivedPrograms.contains(name) || Knowledge.applicationInterpreters.contains(name) {
          var command = text
          if command.hasPrefix("exec ") { command = String(command.dropFirst(5)).trimmed(in: " ") }
          add(name, command: command, simple: true)
          continue
        }
        if name == "cd", let target = resolved.argumentValues.first ?? nil { cwd = target }
        plan.setup.append(text)
      }
    }
    // Infinite loops at top level (keep-alives) were dropped with their commands; compound setup stays.
    guard !plan.services.isEmpty else { return nil }
    plan.needsSharedShell = plan.services.contains { service in
      assigned.contains { service.command.contains("$" + $0) || service.command.contains("${" + $0) }
    }
    return plan
  }

  /// `[program:x]` sections: commands (with `directory=` and `environment=`), stop signals; one-shot
  /// programs (`autorestart=false`, `startsecs=0`) become setup.
  static func fromSupervisord(_ config: SupervisordConfig, context: LintContext) -> ServicePlan? {
    var plan = ServicePlan(origin: "supervisord")
    var taken = Set<String>()
    let programs = config.programs.sorted { lhs, rhs in
      (Int(lhs.value("priority") ?? "999") ?? 999) < (Int(rhs.value("priority") ?? "999") ?? 999)
    }
    for program in programs {
      guard var command = program.value("command")?.replacing("\n", with: " ").trimmed(in: " ") else { continue }
      if program.value("autostart").flatMap(SupervisordConfig.boolean) == false { continue }
      if let user = program.value("user"), user != "root" {
        // Keep the user without an extra dependency: setpriv is in util-linux on Debian and Alpine.
        command = "setpriv --reuid=\(ShellQuoting.quote(user)) --regid=\(ShellQuoting.quote(user)) --init-groups -- " + command
      }
      if let environment = program.value("environment") {
        let pairs = environment.split(separator: ",").map { $0.trimmed(in: " \"") }
        command = "env " + pairs.map { pair in
          let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmed(in: "\"'") }
          return parts.count == 2 ? parts[0] + "=" + ShellQuoting.quote(parts[1]) : ShellQuoting.quote(pair)
        }.joined(separator: " ") + " " + command
      }
      if let directory = program.value("directory") { command = "cd \(ShellQuoting.quote(directory)) && " + command }
      let name = String(program.name.dropFirst("program:".count))
      let isOneShot = program.value("autorestart").flatMap(SupervisordConfig.boolean) == false && (program.value("startsecs") ?? "1") == "0"
      if isOneShot {
        plan.setup.append(command)
        continue
      }
      var signal = program.value("stopsignal")?.uppercased()
      if signal == "TERM" { signal = nil }
      plan.services.append(Service(name: serviceName(name, taken: &taken), command: command, stopSignal: signal ?? stopSignal(for: command), isSimple: !command.contains("&&")))
    }
    return plan.services.isEmpty ? nil : plan
  }
}

/// The index of the first element of sorted `values` that is not below `value`.
private func lowerBound(_ values: [Int], _ value: Int) -> Int {
  var low = 0
  var high = values.count
  while low < high {
    let middle = (low + high) / 2
    if values[middle] < value { low = middle + 1 } else { high = middle }
  }
  return low
}

/// Whether sorted `values` has an element inside `range`.
private func containsStart(_ values: [Int], _ range: SourceRange) -> Bool {
  let index = lowerBound(values, range.start)
  return index < values.count && values[index] < range.end
}
