import DockerfileParser

/// A plain-text account of what dockadvise understood about an image: the final stage, ENTRYPOINT and
/// CMD, the PID 1 chain step by step, installed components and supervised services. What
/// `dockadvise inspect` prints.
public enum ModelDescription {
  static func at(_ location: FileRange?) -> String {
    guard let location else { return "" }
    return " (\(location.file.path):\(location.start.line))"
  }

  static func describe(_ setting: ImageModel.CommandSetting?, inherited: Bool) -> String {
    guard let setting else { return inherited ? "inherited from the base image (unknown)" : "not set" }
    switch setting.form {
    case .exec(let words): return Edits.jsonArray(words.map(\.value)) + at(setting.keyword)
    case .shell(let text): return text.text + " (shell form" + (setting.looksLikeJSON ? ", malformed JSON" : "") + ")" + at(setting.keyword)
    }
  }

  static func describe(_ program: ShellProgram) -> [String] {
    var lines: [String] = []
    let facts = program.facts
    for issue in program.issues { lines.append("syntax error at \(issue.location.file.path):\(issue.location.start): \(issue.message)") }
    for job in facts.backgroundJobs { lines.append("background: \(job.summary)\(job.isStoppedByScript ? " (stopped by the script before it goes on)" : job.isLongRunning ? "" : " (finishes on its own)")") }
    for (command, verdict) in facts.daemonizing { lines.append("daemonizes: \(command.text) — \(verdict.reason)") }
    for (command, verdict) in facts.failingStarts { lines.append("fails: \(command.text) — \(verdict.reason)") }
    for wait in facts.waits where wait.isInMainPath {
      lines.append("wait: \(wait.command.text)\(wait.statusPropagates ? "" : " (status lost)")")
    }
    for trap in facts.traps { lines.append("trap \(trap.signals.joined(separator: " "))\(trap.forwardsToChildren ? " (forwards to children)" : "")") }
    for terminal in facts.terminals { lines.append("runs last: \(terminal.command.text) [\(terminal.kind)]\(terminal.command.isExec ? " (exec)" : "")") }
    return lines
  }

  public static func describe(_ context: LintContext) -> String {
    let image = context.image
    var lines: [String] = []
    if image.stages.isEmpty { return "no build stage\n" }
    let stage = image.stages[image.finalStage]
    let base = image.base.map { "\($0.reference) (\($0.family == .unknown ? "unknown family" : "/bin/sh from \($0.family.rawValue)"))" } ?? "scratch"
    lines.append("final stage: #\(stage.index)\(stage.name.map { " '\($0)'" } ?? "") from \(stage.baseStage.map { "stage #\($0)" } ?? base)")
    if stage.baseStage != nil { lines.append("base image: \(base)") }
    lines.append("/bin/sh: \(image.family.rawValue)")
    lines.append("ENTRYPOINT: \(describe(image.entrypoint, inherited: image.entrypointFromBase))")
    lines.append("CMD: \(describe(image.cmd, inherited: image.cmdFromBase))")
    if let signal = image.stopSignal { lines.append("STOPSIGNAL: \(signal.value)") } else if let signal = image.base?.known?.stopSignal {
      lines.append("STOPSIGNAL: \(signal) (from the base image)")
    }
    if let base = context.launch.inheritedFrom { lines.append("inherited from \(base): ENTRYPOINT and CMD of the well-known image") }
    lines.append("PID 1 chain:")
    for (index, step) in context.launch.steps.enumerated() {
      let number = "  \(index + 1). "
      switch step {
      case .initProcess(let process):
        lines.append(number + "init \(process.kind.rawValue) \(process.program)\(process.flags.isEmpty ? "" : " " + process.flags.joined(separator: " "))\(process.isPID1 ? " — PID 1" : " — not PID 1")\(at(process.location))")
      case .shell(let program):
        let role: String
        switch program.role {
        case .pid1: role = "PID 1"
        case .initChild(let name, let group): role = "child of \(name)\(group ? ", signalled as a group" : "")"
        case .service(let name, let supervisor): role = "\(supervisor) service \(name)"
        case .startup(let name, let runner): role = "\(runner) startup script \(name)"
        }
        lines.append(number + "shell \(program.displayName) [\(program.interpreter.rawValue)] — \(role)")
        lines += describe(program).map { "       " + $0 }
      case .supervisord(let process):
        lines.append(number + "supervisord\(process.hasNodaemonFlag ? " -n" : "") with \(process.configPath ?? "no configuration found")\(process.isPID1 ? " — PID 1" : "")")
        if let config = process.config {
          lines.append("       programs: \(config.programs.map { String($0.name.dropFirst(8)) }.joined(separator: ", "))")
          if !config.eventListeners.isEmpty { lines.append("       event listeners: \(config.eventListeners.map { String($0.name.dropFirst(14)) }.joined(separator: ", "))") }
        } else if case .run(let instruction)? = process.configContentUnknownFrom {
          lines.append("       its text is written by a command at \(instruction.file.path):\(instruction.start.line) whose output is not known: its programs are not checked")
        }
      case .s6Overlay(let location):
        lines.append(number + "s6-overlay /init\(at(location))")
      case .manager(let manager):
        lines.append(number + "process manager \(manager.name)\(at(manager.location))")
        if let directory = manager.scanDirectory { lines.append("       supervises \(directory)/*/run") }
        if !manager.startupScripts.isEmpty { lines.append("       runs at start: \(manager.startupScripts.joined(separator: ", "))") }
        if manager.hasMainCommand { lines.append("       main command (its exit ends the container):") }
      case .program(let program):
        lines.append(number + "program \(program.command.text)\(program.isPID1 ? " — PID 1" : "")")
      case .unknown(let reason):
        lines.append(number + "unknown: \(reason)")
      }
    }
    for helper in context.launch.helperPrograms {
      lines.append("helper \(helper.displayName) [\(helper.interpreter.rawValue)] — \(helper.provenance.last(where: { $0.message.contains(helper.displayName) && !$0.message.contains("copied") })?.message ?? "run by the chain")")
      lines += describe(helper).map { "  " + $0 }
    }
    let components = image.components.filter(\.inFinalImage)
    if !components.isEmpty {
      lines.append("installed: " + components.map { "\($0.kind.rawValue)\($0.path.map { " at \($0)" } ?? "")\(at($0.evidence))" }.joined(separator: "; "))
    }
    if !context.s6.isEmpty {
      lines.append("s6 services: " + context.s6.services.map { "\($0.name) (\($0.type?.rawValue ?? "no type"))\(context.s6.enabled.contains($0.name) ? "" : ", not enabled")" }.joined(separator: ", "))
      if !context.s6.legacyServices.isEmpty { lines.append("s6 v2 services: " + context.s6.legacyServices.map(\.name).joined(separator: ", ")) }
    }
    if !context.runit.services.isEmpty { lines.append("runit services: " + context.runit.services.map(\.name).joined(separator: ", ")) }
    for program in context.servicePrograms {
      if case .service(let name, let supervisor) = program.role {
        lines.append("service \(name) (\(supervisor)):")
        lines += describe(program).map { "  " + $0 }
      }
      if case .startup(let name, let runner) = program.role {
        lines.append("startup script \(name) (\(runner), once before the services):")
        lines += describe(program).map { "  " + $0 }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
