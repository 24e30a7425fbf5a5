import DockerfileParser

/// Parses the programs supervisors run: s6 `run` scripts (v3 longruns and v2 `services.d`), runit `run`
/// scripts, and supervisord `command=` lines.
struct ServiceAnalysis {
  let image: ImageModel
  let launch: Launch
  let s6: S6Layout
  let runit: RunitLayout

  var factory: ShellProgramFactory { ShellProgramFactory(image: image) }

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
        // supervisord splits the command with shlex, which reads like a shell command line.
        var text = MappedText()
        let range = entry.valueLocation.range
        text.appendVerbatim(entry.valueLocation.file.bytes[range.start..<range.end], originalStart: range.start)
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
