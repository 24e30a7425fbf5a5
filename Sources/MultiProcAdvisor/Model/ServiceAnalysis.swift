import DockerfileParser

/// Parses the programs supervisors run: s6 `run` scripts (v3 longruns and v2 `services.d`), runit `run`
/// scripts, and supervisord `command=` lines.
struct ServiceAnalysis {
  let image: ImageModel
  let launch: Launch
  let s6: S6Layout
  let runit: RunitLayout

  /// Services start after the PID 1 chain's scripts ran: what they wrote into nginx.conf holds for them.
  var factory: ShellProgramFactory {
    ShellProgramFactory(image: image, nginxDaemonOffWrittenAtStart: launch.shellPrograms.contains { $0.facts.writesNginxDaemonOff })
  }

  func programs() -> [ShellProgram] {
    var programs: [ShellProgram] = []
    for service in s6.longruns {
      guard let run = service.run else { continue }
      if let program = factory.script(run, role: .service(name: service.name, supervisor: "s6"), argvSource: .other, instruction: nil, provenance: []) {
        programs.append(program)
      }
    }
    let usesRunit = launch.steps.contains { step in
      if case .manager(let manager) = step { return ["runsvdir", "runit", "runsv", "my_init"].contains(manager.name) }
      return false
    } || image.has(.runit)
    if usesRunit {
      for service in runit.services {
        if let program = factory.script(service.run, role: .service(name: service.name, supervisor: "runit"), argvSource: .other, instruction: nil, provenance: []) {
          programs.append(program)
        }
      }
    }
    // `runsvdir DIR` and `s6-svscan DIR` elsewhere than the usual folders: DIR/*/run are the services.
    var analysed = Set(programs.compactMap { $0.file?.path })
    for case .manager(let manager) in launch.steps {
      guard let directory = manager.scanDirectory else { continue }
      let supervisor = manager.name == "s6-svscan" ? "s6" : "runit"
      for service in RunitLayout.read(image.files, directories: [directory]).services where analysed.insert(service.run.path).inserted {
        let note = Finding.Note("\(manager.name) supervises \(directory)", at: manager.location)
        if let program = factory.script(
          service.run, role: .service(name: service.name, supervisor: supervisor), argvSource: .other, instruction: nil,
          provenance: manager.location == nil ? [] : [note])
        {
          programs.append(program)
        }
      }
    }
    // One-shot startup scripts: my_init's /etc/my_init.d/* (and /etc/rc.local), s6-overlay's
    // /etc/cont-init.d/*. Read for what they leave running when they end.
    var startup: [(ImageFile, String, FileRange?)] = []
    for case .manager(let manager) in launch.steps {
      for path in manager.startupScripts { if let file = image.files.file(at: path) { startup.append((file, manager.name, manager.location)) } }
    }
    if launch.runsS6Overlay || image.has(.s6Overlay) || image.has(.s6OverlayLegacy) {
      startup += s6.contInit.map { ($0, "s6-overlay", nil) }
    }
    for (file, runner, location) in startup where file.text.hasPrefix("#!") || file.path.hasSuffix(".sh") {
      guard analysed.insert(file.path).inserted else { continue }
      let note = Finding.Note("\(runner) runs \(file.path) once at start, before the services", at: location)
      if let program = factory.script(file, role: .startup(name: file.path, runner: runner), argvSource: .other, instruction: nil, provenance: [note]) {
        programs.append(program)
      }
    }
    if let config = launch.supervisord?.config {
      for section in config.programs {
        guard let entry = section.entry("command") else { continue }
        let name = String(section.name.dropFirst("program:".count))
        // A program that runs a script of the image: analyse the script (where the daemons hide).
        let words = entry.value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0.isNewline }).map(String.init)
        let scriptWord = words.first.flatMap { Knowledge.shellInterpreter($0) != nil ? words.dropFirst().first { !$0.hasPrefix("-") } : $0 }
        if let scriptWord, scriptWord.hasPrefix("/"), let file = image.files.file(at: scriptWord), file.text.hasPrefix("#!") || scriptWord.hasSuffix(".sh"),
          let program = factory.script(
            file, role: .service(name: name, supervisor: "supervisord"), argvSource: .other, instruction: nil,
            provenance: [Finding.Note("supervisord program \(name) runs \(file.path)", at: entry.valueLocation)])
        {
          programs.append(program)
          continue
        }
        // supervisord splits the command with shlex, which reads like a shell command line; continuation
        // lines are whitespace to it, so they are joined with spaces (a newline would end the shell command).
        let text = entry.joinedValue
        var program = factory.make(
          ShellProgramFactory.Input(
            text: text, source: entry.valueLocation.file, interpreter: .sh, displayName: "program \(name)", file: nil,
            instruction: nil, provenance: [], role: .service(name: name, supervisor: "supervisord"), isShellForm: false,
            argvSource: .other, interpreterLocation: nil, interpreterIsShebang: false, interpreterIsJSONElement: false))
        // supervisord splits the command itself (no shell): text a shell would reject is not an error here,
        // but then nothing can be said about it.
        if !program.issues.isEmpty {
          program.issues = []
          program.facts = ShellFacts()
        }
        programs.append(program)
      }
    }
    return programs
  }
}
