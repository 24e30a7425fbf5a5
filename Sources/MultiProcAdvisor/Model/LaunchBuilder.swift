import DockerfileParser

/// Follows what PID 1 runs: the effective ENTRYPOINT + CMD of the final stage, through inits, shells
/// (and the `exec` at the end of their scripts), to supervisord, s6-overlay, a process manager or the
/// application.
struct LaunchBuilder {
  let dockerfile: Dockerfile
  let image: ImageModel
  let configuration: Configuration

  var factory: ShellProgramFactory { ShellProgramFactory(image: image) }
  var source: SourceFile { dockerfile.source }

  /// One word of the argv being followed.
  struct Argument {
    var word: Launch.Word
    /// For `-c` strings and shell-form text: the code, mapped to its file.
    var code: MappedText?
    /// The file `code` maps into.
    var codeSource: SourceFile?
    var isJSONElement: Bool
    var argvSource: ShellProgram.ArgvSource
  }

  /// Where the process being resolved sits.
  struct Position {
    var isPID1 = true
    var parentName = "docker"
    var signalsGroup = false
    var role: ShellProgram.Role = .pid1
  }

  /// Base images whose ENTRYPOINT starts with an init, which a derived ENTRYPOINT replaces.
  static func knownBaseEntrypoint(_ base: BaseImage?) -> [String]? { base?.initEntrypoint }

  func build() -> Launch {
    var launch = Launch()
    var arguments: [Argument] = []
    let entrypoint = image.entrypoint
    let cmd = image.cmd
    launch.cmdInstruction = cmd?.keyword
    launch.definingInstruction = entrypoint?.keyword ?? cmd?.keyword

    let known = image.base?.known
    func inherited(_ words: [String]) -> [Argument] {
      words.map { Argument(word: Launch.Word($0), code: nil, codeSource: nil, isJSONElement: false, argvSource: .other) }
    }
    if let entrypoint {
      arguments = words(of: entrypoint, source: .entrypoint)
      if !entrypoint.isShellForm, let cmd { arguments += words(of: cmd, source: .cmd) }
    } else if let cmd {
      // A base image's ENTRYPOINT stays in front of this CMD: an init or s6's /init is followed; a
      // docker-entrypoint.sh that ends in `exec "$@"` is stepped over (the CMD replaces it).
      if image.entrypointFromBase, let known, !known.entrypointExecsArguments, let words = known.entrypoint(tag: image.base?.tag) {
        arguments = inherited(words)
      }
      arguments += words(of: cmd, source: .cmd)
    } else if image.entrypointFromBase, image.cmdFromBase, let known, let base = image.base,
      known.entrypoint != nil || known.cmd != nil
    {
      // Neither is set here: the well-known base image's own ENTRYPOINT and CMD run.
      let entry = known.entrypointExecsArguments ? [] : known.entrypoint(tag: base.tag) ?? []
      arguments = inherited(entry + (known.cmd ?? []))
      launch.inheritedFrom = base.reference
    } else {
      let reason = image.base.map { "ENTRYPOINT and CMD come from the base image \($0.reference)" } ?? "no ENTRYPOINT or CMD"
      launch.steps = [.unknown(reason: reason)]
      return launch
    }
    resolve(arguments, into: &launch, position: Position())
    if let main = launch.mainProgram { launch.packageScript = PackageScript.of(main.command, image: image) }
    var visited = Set(launch.shellPrograms.compactMap { $0.file?.path })
    for program in launch.shellPrograms { launch.helperPrograms += helpers(of: program, depth: 1, visited: &visited) }
    return launch
  }

  static let maximumHelperDepth = 16

  /// The scripts `program` runs without `exec` (and waits for) or sources, and theirs in turn; each file
  /// once (a script that runs itself is not followed again).
  func helpers(of program: ShellProgram, depth: Int, visited: inout Set<String>) -> [ShellProgram] {
    guard depth <= Self.maximumHelperDepth, program.issues.isEmpty else { return [] }
    var result: [ShellProgram] = []
    for invocation in program.script.invocations
    where invocation.isInMainPath && !invocation.isBackground && !invocation.isInCommandSubstitution && !invocation.isInSubshell {
      let command = invocation.command
      var file: ImageFile?
      var verb = "runs"
      if command.name == "." || command.name == "source" {
        guard command.words.count >= 2 else { continue }
        file = factory.sourcedFile(command.words[1])
        verb = "sources"
      } else if !command.resolved.isExec, let word = command.resolved.programWord, let value = word.literalValue, !word.hasGlob,
        value.contains("/") || !Knowledge.shortLivedPrograms.contains(value) || factory.interpreter(named: value) != nil
      {
        if factory.interpreter(named: value) != nil {
          // `sh /opt/setup.sh`, `bash -e setup.sh`: the first operand, unless the code comes from -c.
          let operands = command.resolved.arguments.compactMap(\.literalValue)
          guard !operands.contains(where: { $0 == "-c" || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("c")) }),
            let script = operands.first(where: { !$0.hasPrefix("-") && !$0.hasPrefix("+") })
          else { continue }
          file = resolvePath(script).flatMap { image.files.file(at: $0) } ?? image.files.file(at: ImageFileSystem.normalize(script, workdir: image.workdir))
        } else if let path = resolvePath(value), let candidate = image.files.file(at: path),
          candidate.text.hasPrefix("#!") || Self.looksLikeShellScript(candidate)
        {
          file = candidate
        }
      }
      guard let file, visited.insert(file.path).inserted else { continue }
      let note = Finding.Note("\(program.displayName) \(verb) \(file.path)\(verb == "runs" ? " and waits for it" : "")", at: FileRange(file: program.source, range: command.range))
      guard let helper = factory.script(
        file, role: .initChild(initName: program.displayName, signalsGroup: false), argvSource: .other, instruction: program.instruction,
        provenance: program.provenance + [note]),
        helper.interpreter != .other, helper.interpreter != .execline
      else { continue }
      result.append(helper)
      result += helpers(of: helper, depth: depth + 1, visited: &visited)
    }
    return result
  }

  /// The argv words of an ENTRYPOINT/CMD; shell form becomes `SHELL… TEXT`.
  func words(of setting: ImageModel.CommandSetting, source argvSource: ShellProgram.ArgvSource) -> [Argument] {
    switch setting.form {
    case .exec(let words):
      return words.map { word in
        let code = word.location.map { JSONStringText.mapped($0.range, in: source) }
        return Argument(word: word, code: code, codeSource: source, isJSONElement: true, argvSource: argvSource)
      }
    case .shell(let text):
      let shell = setting.shell.isEmpty ? ["/bin/sh", "-c"] : setting.shell
      var result = shell.map { Argument(word: Launch.Word($0), code: nil, codeSource: nil, isJSONElement: false, argvSource: argvSource) }
      result.append(Argument(word: Launch.Word(text.text, location: setting.arguments), code: text, codeSource: source, isJSONElement: false, argvSource: argvSource))
      return result
    }
  }

  // MARK: - Resolution

  func resolve(_ initial: [Argument], into launch: inout Launch, position initialPosition: Position) {
    var arguments = initial
    var position = initialPosition
    var hops = 0
    while let first = arguments.first, hops < 16 {
      hops += 1
      let value = first.word.value
      if value.isEmpty || value.contains("$") || value.hasPrefix("-") {
        let reason = "PID 1 is '\(value)', which is only known at run time"
        launch.steps.append(.unknown(reason: reason))
        if let location = first.word.location { Self.noteStop(reason, at: location, in: &launch) }
        return
      }
      let name = DaemonCatalog.basename(value)

      // An init.
      if let kind = Knowledge.initKind(of: value, trusted: configuration.trustedInits) {
        let (flags, rest, procfile) = Self.splitInitArguments(kind, Array(arguments.dropFirst()))
        let signalsGroup = kind == .dumbInit ? !(flags.contains("-c") || flags.contains("--single-child")) : (flags.contains("-g") || kind == .dockadviseInit)
        launch.steps.append(
          .initProcess(
            Launch.InitProcess(
              kind: kind, program: value, location: first.word.location, flags: flags, signalsGroup: signalsGroup,
              isPID1: position.isPID1, optionInsertionPoint: first.word.location, isJSONElement: first.isJSONElement)))
        if procfile { return }
        arguments = rest
        position = Position(isPID1: false, parentName: name, signalsGroup: signalsGroup, role: .initChild(initName: name, signalsGroup: signalsGroup))
        continue
      }

      // s6-overlay's /init (or its renamed copy).
      if value == "/init" || image.renamedS6Init.contains(value) {
        launch.steps.append(.s6Overlay(location: first.word.location))
        if position.isPID1 { launch.s6OverlayIsPID1 = true }
        arguments.removeFirst()
        position = Position(isPID1: false, parentName: "s6-overlay", signalsGroup: true, role: .initChild(initName: "s6-overlay", signalsGroup: true))
        continue
      }

      if name == "supervisord" {
        // An entrypoint that writes supervisord's configuration before it execs it (`cat > …/supervisord.conf <<EOF`).
        let writers = launch.steps.compactMap { step -> ImageFile? in if case .shell(let program) = step { return program.file } else { return nil } }
        launch.steps.append(.supervisord(supervisord(arguments, position: position, writtenBy: writers)))
        return
      }

      if Knowledge.processManagers.contains(name) {
        var (manager, main) = managerProcess(name: name, arguments: arguments)
        manager.isPID1 = position.isPID1
        launch.steps.append(.manager(manager))
        guard let main, !main.isEmpty else { return }
        // my_init runs its main command as a child: it reaps orphans and passes TERM on to it.
        arguments = main
        position = Position(isPID1: false, parentName: name, signalsGroup: false, role: .initChild(initName: name, signalsGroup: false))
        continue
      }

      // A shell with `-c` or a script argument.
      if let interpreter = factory.interpreter(named: value), interpreter != .execline {
        if let misuse = shellReadsProgram(arguments) {
          // The shell fails on it; the rest of the chain is judged as if the program ran in its place.
          launch.shellReadsPrograms.append(misuse)
          arguments = Array(arguments.dropFirst(misuse.shellWordCount))
          continue
        }
        guard let (program, positional) = shellProgram(interpreter: interpreter, arguments: arguments, position: position, launch: &launch) else { return }
        launch.steps.append(.shell(program))
        guard let (next, replaces) = follow(program, positional: positional, into: &launch) else { return }
        arguments = next
        if !replaces { position = Self.childOf(program) }
        continue
      }

      // A file of the image: a script (follow it) or something else (the application).
      let path = resolvePath(value)
      if let path, let file = image.files.file(at: path), file.text.hasPrefix("#!") || Self.looksLikeShellScript(file) {
        var notes = provenance(for: first, file: file)
        if !file.text.hasPrefix("#!") {
          notes.append(Finding.Note("\(file.path) has no shebang: running it directly fails with 'exec format error'; only a shell can run it"))
        }
        // `#!/usr/bin/dumb-init /bin/sh`: the kernel runs the init with the rest of the line as ONE
        // argument (the shell), so the init is the process here and the shell its child.
        if let shebang = ShellShebang.parse(file.content.bytes, text: file.content), shebang.launchers.count == 1, shebang.arguments.isEmpty,
          let kind = Knowledge.initKind(of: shebang.launchers[0], trusted: configuration.trustedInits)
        {
          let initName = DaemonCatalog.basename(shebang.launchers[0])
          let signalsGroup = kind == .dumbInit || kind == .dockadviseInit
          launch.steps.append(
            .initProcess(
              Launch.InitProcess(
                kind: kind, program: shebang.launchers[0], location: FileRange(file: file.source, range: shebang.range), flags: [],
                signalsGroup: signalsGroup, isPID1: position.isPID1, optionInsertionPoint: nil, isJSONElement: false)))
          notes.append(Finding.Note("its shebang runs \(initName), which starts the script's shell", at: FileRange(file: file.source, range: shebang.range)))
          position = Position(isPID1: false, parentName: initName, signalsGroup: signalsGroup, role: .initChild(initName: initName, signalsGroup: signalsGroup))
        }
        guard let program = factory.script(
          file, role: position.role, argvSource: first.argvSource, instruction: instruction(for: first), provenance: notes,
          arguments: Self.known(Array(arguments.dropFirst())))
        else { return }
        if program.interpreter == .other || program.interpreter == .execline {
          launch.steps.append(.program(Launch.ProgramProcess(command: commandReference(arguments), isPID1: position.isPID1)))
          return
        }
        launch.steps.append(.shell(program))
        guard let (next, replaces) = follow(program, positional: Array(arguments.dropFirst()), into: &launch) else { return }
        arguments = next
        if !replaces { position = Self.childOf(program) }
        continue
      }
      if let missing = missingSource(for: value) {
        launch.missingContextFiles.append(
          Launch.MissingContextFile(
            imagePath: missing.imagePath, contextPath: missing.contextPath, reason: missing.reason, sourceWord: missing.word,
            notes: [Finding.Note("PID 1 runs \(value)", at: first.word.location)]))
        launch.steps.append(.unknown(reason: "\(value) is not in the build context"))
        return
      }
      launch.steps.append(.program(Launch.ProgramProcess(command: commandReference(arguments), isPID1: position.isPID1)))
      return
    }
    if arguments.isEmpty && launch.steps.isEmpty { launch.steps.append(.unknown(reason: "empty command")) }
  }

  /// What a process manager supervises, and the main command it runs (`my_init -- CMD`), if any.
  func managerProcess(name: String, arguments: [Argument]) -> (Launch.ManagerProcess, [Argument]?) {
    let first = arguments[0]
    var manager = Launch.ManagerProcess(name: name, location: first.word.location)
    let rest = Array(arguments.dropFirst())
    switch name {
    case "my_init":
      // phusion's my_init: /etc/my_init.d/* and /etc/rc.local once, then runsvdir /etc/service (unless
      // --skip-runit), then the main command; when the main command exits, my_init stops everything and
      // exits with its status.
      var index = 0
      var skipRunit = false
      var skipStartup = false
      while index < rest.count, rest[index].word.value.hasPrefix("-") {
        let value = rest[index].word.value
        index += 1
        if value == "--" { break }
        if value == "--skip-runit" { skipRunit = true }
        if value == "--skip-startup-files" { skipStartup = true }
      }
      if !skipRunit { manager.scanDirectory = "/etc/service" }
      if !skipStartup {
        manager.startupScripts = image.files.entries(in: "/etc/my_init.d").sorted().map { "/etc/my_init.d/" + $0 }
        if image.files.file(at: "/etc/rc.local") != nil { manager.startupScripts.append("/etc/rc.local") }
        for directory in ["/etc/my_init.pre_shutdown.d", "/etc/my_init.post_shutdown.d"] {
          manager.shutdownScripts += image.files.entries(in: directory).sorted().map { directory + "/" + $0 }
        }
      }
      let main = Array(rest[index...])
      manager.hasMainCommand = !main.isEmpty
      return (manager, main)
    case "runsvdir", "s6-svscan":
      // `runsvdir [-P] DIR [log]`, `s6-svscan [-c N] [-t N] [DIR]` (default: the working directory).
      let valued: Set<String> = name == "s6-svscan" ? ["-c", "-C", "-L", "-t", "-d", "-X"] : []
      var index = 0
      while index < rest.count, rest[index].word.value.hasPrefix("-") {
        let value = rest[index].word.value
        index += 1
        if value == "--" { break }
        if valued.contains(value) { index += 1 }
      }
      let directory = index < rest.count ? rest[index].word.value : (name == "s6-svscan" ? "." : nil)
      if let directory, !directory.contains("$") {
        var normalized = ImageFileSystem.normalize(directory, workdir: image.workdir)
        while normalized.count > 1, normalized.hasSuffix("/") { normalized.removeLast() }
        manager.scanDirectory = normalized
      }
      return (manager, nil)
    default:
      return (manager, nil)
    }
  }

  /// A text file without a shebang that a shell would run: a `.sh` name, no NUL bytes.
  static func looksLikeShellScript(_ file: ImageFile) -> Bool {
    guard file.path.hasSuffix(".sh") else { return false }
    return !file.content.bytes.prefix(4096).contains(0)
  }

  /// tini/dumb-init/catatonit/dockadvise-init options, the child's argv, and whether the init runs a Procfile.
  static func splitInitArguments(_ kind: Launch.InitProcess.Kind, _ arguments: [Argument]) -> ([String], [Argument], Bool) {
    var flags: [String] = []
    var index = 0
    let valued: Set<String> = ["-p", "-e", "-r", "--rewrite", "-P", "--grace", "--main", "--restart", "--prefix", "--procfile", "-l"]
    var procfile = false
    while index < arguments.count {
      let value = arguments[index].word.value
      if value == "--" {
        index += 1
        break
      }
      guard value.hasPrefix("-") else { break }
      flags.append(value)
      if value == "--procfile" { procfile = true }
      if valued.contains(value), index + 1 < arguments.count {
        index += 1
        flags.append(arguments[index].word.value)
      }
      index += 1
    }
    return (flags, Array(arguments[index...]), procfile)
  }

  /// `/x` as is, `x/y` relative to WORKDIR, a bare name through PATH.
  func resolvePath(_ value: String) -> String? {
    if value.hasPrefix("/") { return ImageFileSystem.normalize(value) }
    if value.contains("/") { return ImageFileSystem.normalize(value, workdir: image.workdir) }
    for directory in image.path {
      let candidate = ImageFileSystem.normalize(directory + "/" + value)
      if image.files.file(at: candidate) != nil { return candidate }
    }
    return nil
  }

  func missingSource(for value: String) -> MissingSource? {
    var candidates: [String] = []
    if value.hasPrefix("/") || value.contains("/") {
      candidates = [ImageFileSystem.normalize(value, workdir: image.workdir)]
    } else {
      candidates = image.path.map { ImageFileSystem.normalize($0 + "/" + value) }
    }
    return image.missingSources.first { candidates.contains($0.imagePath) }
  }

  func instruction(for argument: Argument) -> FileRange? {
    switch argument.argvSource {
    case .entrypoint: return image.entrypoint?.instruction
    case .cmd: return image.cmd?.instruction
    case .other: return nil
    }
  }

  func provenance(for argument: Argument, file: ImageFile?) -> [Finding.Note] {
    guard let instruction = instruction(for: argument) else { return [] }
    let what = argument.argvSource == .entrypoint ? "ENTRYPOINT" : "CMD"
    return [Finding.Note("\(what) runs \(file?.path ?? argument.word.value)", at: instruction)]
  }

  /// A shell step: `sh -c CODE [arg0 args…]`, `sh SCRIPT args…`, or shell-form text.
  func shellProgram(
    interpreter: ShellProgram.Interpreter, arguments: [Argument], position: Position, launch: inout Launch
  ) -> (ShellProgram, [Argument])? {
    let first = arguments[0]
    var index = 1
    var codeIndex: Int? = nil
    while index < arguments.count {
      let value = arguments[index].word.value
      if value == "-c" || (value.hasPrefix("-") && !value.hasPrefix("--") && value.contains("c") && !value.contains("o")) {
        codeIndex = index + 1
        break
      }
      if value == "-o" || value == "+o" {
        index += 2
        continue
      }
      guard value.hasPrefix("-") || value.hasPrefix("+") else { break }
      index += 1
    }
    let interpreterLocation = first.word.location
    if let codeIndex {
      guard codeIndex < arguments.count, let code = arguments[codeIndex].code, let codeSource = arguments[codeIndex].codeSource else {
        launch.steps.append(.unknown(reason: "\(first.word.value) -c without code"))
        return nil
      }
      let argument = arguments[codeIndex]
      let isShellForm = !argument.isJSONElement && argument.word.location != nil && argument.argvSource != .other
        && arguments.allSatisfy { $0.argvSource == argument.argvSource }
      let settingKind: Launch.ShellFormUse.Kind = argument.argvSource == .entrypoint ? .entrypoint : .cmd
      let displayName = isShellForm ? (settingKind == .entrypoint ? "ENTRYPOINT" : "CMD") : "the \(DaemonCatalog.basename(first.word.value)) -c string"
      let program = factory.make(
        ShellProgramFactory.Input(
          text: code, source: codeSource, interpreter: interpreter, displayName: displayName, file: nil,
          instruction: instruction(for: argument), provenance: [], role: position.role, isShellForm: isShellForm,
          argvSource: argument.argvSource, interpreterLocation: isShellForm ? nil : interpreterLocation,
          interpreterIsShebang: false, interpreterIsJSONElement: first.isJSONElement,
          arguments: Self.known(Array(arguments.dropFirst(codeIndex + 2)))))
      if isShellForm, let setting = settingKind == .entrypoint ? image.entrypoint : image.cmd {
        launch.shellForms.append(
          Launch.ShellFormUse(
            kind: settingKind, keyword: setting.keyword, program: program, isPID1: position.isPID1,
            parentName: position.parentName, ignoredCommand: settingKind == .entrypoint ? image.cmd?.keyword : nil, notes: []))
      }
      // `sh -c CODE arg0 args…`: "$@" is args.
      return (program, Array(arguments.dropFirst(codeIndex + 2)))
    }
    guard index < arguments.count else {
      launch.steps.append(.program(Launch.ProgramProcess(command: commandReference(arguments), isPID1: position.isPID1)))
      return nil
    }
    let scriptArgument = arguments[index]
    guard let path = resolvePath(scriptArgument.word.value) ?? Optional(ImageFileSystem.normalize(scriptArgument.word.value, workdir: image.workdir)),
      let file = image.files.file(at: path)
    else {
      if let missing = missingSource(for: scriptArgument.word.value) {
        launch.missingContextFiles.append(
          Launch.MissingContextFile(
            imagePath: missing.imagePath, contextPath: missing.contextPath, reason: missing.reason, sourceWord: missing.word,
            notes: [Finding.Note("PID 1 runs it with \(first.word.value)", at: first.word.location)]))
      }
      launch.steps.append(.unknown(reason: "\(scriptArgument.word.value) is not known"))
      return nil
    }
    // The script is the argument's (`ENTRYPOINT ["/bin/sh"]` + `CMD ["./run.sh"]`: the CMD is the script).
    guard let program = factory.script(
      file, forced: interpreter, forcedLocation: interpreterLocation, forcedIsJSON: first.isJSONElement, role: position.role,
      argvSource: scriptArgument.argvSource, instruction: instruction(for: first), provenance: provenance(for: scriptArgument, file: file),
      arguments: Self.known(Array(arguments.dropFirst(index + 1))))
    else { return nil }
    return (program, Array(arguments.dropFirst(index + 1)))
  }

  /// `sh [options] FILE …` where FILE is not a shell script: an ELF binary or a script with another
  /// interpreter's shebang (a file of the image), or a program the table knows to be one, installed at
  /// that path by a package a RUN installs.
  func shellReadsProgram(_ arguments: [Argument]) -> Launch.ShellReadsProgram? {
    var index = 1
    while index < arguments.count {
      let value = arguments[index].word.value
      if value == "-c" || value == "-s" || value == "-i" || value == "--" || value == "-" { return nil }
      if value.hasPrefix("-") && !value.hasPrefix("--") && (value.contains("c") || value.contains("s")) { return nil }
      if value == "-o" || value == "+o" {
        index += 2
        continue
      }
      guard value.hasPrefix("-") || value.hasPrefix("+") else { break }
      index += 1
    }
    guard index < arguments.count else { return nil }
    let target = arguments[index]
    let value = target.word.value
    guard !value.isEmpty, !value.contains("$") else { return nil }
    let path = resolvePath(value) ?? ImageFileSystem.normalize(value, workdir: image.workdir)
    var what: String
    var notes: [Finding.Note] = []
    if let file = image.files.file(at: path) {
      let bytes = file.content.bytes
      if bytes.starts(with: [0x7F, 0x45, 0x4C, 0x46]) {
        what = "an ELF binary"
      } else if let shebang = ShellShebang.parse(bytes, text: file.content), shebang.dialect == .other, !shebang.interpreter.isEmpty {
        what = "a \(shebang.interpreter) script"
        notes.append(Finding.Note("its shebang names \(shebang.interpreterPath)", at: FileRange(file: file.source, range: shebang.range)))
      } else {
        return nil
      }
      notes.append(file.provenanceNote)
    } else if let (record, package) = ProgramTable.installed(at: path, packages: image.installedPackages), record.isUnreadableByShell {
      switch record.file {
      case .elf: what = "an ELF binary"
      case .script(let interpreter): what = "a \(["python": "Python", "python3": "Python", "node": "Node.js", "perl": "Perl"][interpreter] ?? interpreter) script"
      }
      notes.append(Finding.Note("the \(package.manager.rawValue) package \(package.name) installs \(path) here", at: package.evidence))
    } else {
      return nil
    }
    return Launch.ShellReadsProgram(
      shell: arguments[0].word, shellArgvSource: arguments[0].argvSource, shellWordCount: index, program: target.word,
      programArgvSource: target.argvSource, what: what, notes: notes)
  }

  /// Where a command runs that a shell starts without `exec`: as that shell's child.
  static func childOf(_ program: ShellProgram) -> Position {
    Position(isPID1: false, parentName: program.displayName, signalsGroup: false, role: .initChild(initName: program.displayName, signalsGroup: false))
  }

  /// The argv a shell program hands over to: its single `exec` at the end (preferring the one that runs
  /// `"$@"`), or its only command when the whole program is one simple command (which dash and bash
  /// exec themselves) — `replaces` is true then; or the one service it runs last without `exec`, which
  /// runs as its child (`replaces` false).
  /// Where the chain goes after a shell program: its `execTarget`, or, when it stops for a reason worth
  /// telling (an `eval` or `su -c` of a value known only at run time), an unknown step and a note on the
  /// program, which every finding about it carries.
  func follow(_ program: ShellProgram, positional: [Argument], into launch: inout Launch) -> ([Argument], replaces: Bool)? {
    switch execTarget(of: program, positional: positional) {
    case .follow(let next, let replaces):
      return (next, replaces)
    case .stop(let reason, let location):
      launch.steps.append(.unknown(reason: reason))
      Self.noteStop(reason, at: location, in: &launch)
      return nil
    case .none:
      return nil
    }
  }

  /// Tells, on the last shell of the chain (whose findings carry its notes), where and why the chain stops.
  static func noteStop(_ reason: String, at location: FileRange, in launch: inout Launch) {
    guard let index = launch.steps.indices.last(where: { if case .shell = launch.steps[$0] { true } else { false } }),
      case .shell(var shell) = launch.steps[index], location.file.path == shell.source.path
    else { return }
    shell.provenance.append(Finding.Note("the PID 1 chain is not followed past here: \(reason)", at: location))
    launch.steps[index] = .shell(shell)
  }

  enum Target {
    case follow([Argument], replaces: Bool)
    case stop(reason: String, location: FileRange)
    case none
  }

  func execTarget(of program: ShellProgram, positional: [Argument]) -> Target {
    let script = program.script
    guard program.issues.isEmpty else { return .none }
    // The branches the arguments decide (`if [ $# -gt 0 ]` with no CMD), each terminal with the
    // arguments it sees (a function's call words).
    let known = Self.known(positional)
    let decided = script.terminalCommands(given: known).filter { !$0.invocation.isBackground }
    let terminals = decided.map(\.invocation)
    // Background services do not stop the chain: what the script `exec`s last (`exec /init "$@"`,
    // `exec celery worker`) replaces it, and the jobs live on under it.
    guard !terminals.isEmpty else { return .none }
    let execs = terminals.filter { $0.command.resolved.isExec }
    var chosen: ShellInvocation?
    if execs.count == terminals.count, let runsArguments = execs.first(where: { $0.command.resolved.runsArguments }) {
      chosen = runsArguments
    } else if execs.count == terminals.count, let first = execs.first,
      execs.allSatisfy({ $0.command.resolved.programPath == first.command.resolved.programPath })
    {
      chosen = first
    } else if program.facts.isSingleSimpleCommand, terminals.count == 1 {
      chosen = terminals[0]
    }
    var replaces = true
    if chosen == nil, terminals.count == 1, program.facts.backgroundJobs.isEmpty,
      let fact = program.facts.terminals.first(where: { $0.command.location.range == terminals[0].command.range }) ?? (program.facts.terminals.count == 1 ? program.facts.terminals.first : nil),
      fact.kind == .service || fact.kind == .positionalArguments
    {
      chosen = terminals[0]
      replaces = false
    }
    // `eval …` as the one last command.
    if chosen == nil, terminals.count == 1, terminals[0].command.name == "eval", program.facts.backgroundJobs.isEmpty { chosen = terminals[0] }
    guard let chosen else { return .none }
    let frame = decided.first { $0.invocation.index == chosen.index }?.arguments ?? .unknown
    let command = chosen.command
    let variables = program.variables ?? factory.variables(of: script, source: program.source)
    let commandLocation = FileRange(file: program.source, range: command.range)
    if command.name == "eval" {
      return evalTarget(command, at: commandLocation, script: script, variables: variables, frame: frame, positional: positional, inFunction: chosen.functionName != nil)
    }
    if let su = command.resolved.wrappers.first(where: { $0.name == "su" || $0.name == "runuser" }), command.resolved.programWord.map({ word in !command.words.contains { $0.range == word.range } }) ?? true {
      return suTarget(command, wrapper: su, at: commandLocation, program: program, variables: variables)
    }
    // Start at the first init wrapper or the program word itself.
    let programRange = command.resolved.programWord?.range
    var startIndex: Int? = nil
    for (index, word) in command.words.enumerated() {
      if let literal = word.literalValue, Knowledge.initKind(of: literal, trusted: configuration.trustedInits) != nil, command.resolved.hasWrapper(DaemonCatalog.basename(literal)) {
        startIndex = index
        break
      }
      if word.range == programRange {
        startIndex = index
        break
      }
    }
    guard let start = startIndex else { return .none }
    func literal(_ text: String, _ range: SourceRange?) -> Argument {
      Argument(word: Launch.Word(text, location: range.map { FileRange(file: program.source, range: $0) }), code: nil, codeSource: nil, isJSONElement: false, argvSource: .other)
    }
    var result: [Argument] = []
    // A word known only at run time: the chain stops there (at its program word, with a note).
    func unknown(_ word: ShellWord) -> Target {
      guard !result.isEmpty else {
        // A file it sources that the image does not show may set it.
        let unread = script.invocations.first { invocation in
          (invocation.command.name == "." || invocation.command.name == "source") && invocation.command.words.count >= 2
            && factory.sourcedFile(invocation.command.words[1]) == nil
        }
        let sourced = unread.map { " (it may be set by \($0.command.words[1].raw), which it sources and the image does not show)" } ?? ""
        return .stop(reason: "it runs '\(word.raw)', whose value is known only at run time\(sourced)", location: FileRange(file: program.source, range: word.range))
      }
      return .follow(result + [literal(word.raw.contains("$") ? word.raw : "$" + word.raw, word.range)], replaces: replaces)
    }
    for word in command.words[start...] {
      if let values = frame.expansion(of: word) {
        // `"$@"` / `"$1"`: the script's own arguments, or a function call's words.
        for value in values {
          if let origin = value.origin, origin < positional.count {
            var copy = positional[origin]
            copy.argvSource = .other
            result.append(copy)
          } else if let text = value.text {
            result.append(literal(text, value.range))
          } else {
            return unknown(word)
          }
        }
      } else if word.isAllArguments, chosen.functionName == nil {
        result += positional.map { var copy = $0; copy.argvSource = .other; return copy }
      } else if let literalValue = word.literalValue {
        result.append(literal(literalValue, word.range))
      } else if let fields = variables.fields(of: word) {
        // `exec $CMD_LINE`: the variable's known value, split into words (quotes in it stay literal).
        result += fields.map { literal($0, word.range) }
      } else if result.isEmpty, let alternatives = variables.programAlternatives(of: word) {
        // `exec $systemd` with `systemd=/lib/systemd/systemd` or `/sbin/init` by branch: the same program either way.
        result.append(literal(alternatives[0], word.range))
      } else if word.isQuoted, let name = word.variableName, let value = variables.value(of: name) {
        // `sh -c "$CODE"`: one word, whose text is code the next shell parses.
        var argument = literal(value.text, word.range)
        if let code = value.code {
          argument.code = code
          argument.codeSource = program.source
        }
        result.append(argument)
      } else {
        return unknown(word)
      }
    }
    return result.isEmpty ? .none : .follow(result, replaces: replaces)
  }

  /// `eval WORDS`: the command the joined words make, when they are known.
  func evalTarget(
    _ command: ShellSimpleCommand, at location: FileRange, script: ShellScript, variables: ShellVariables, frame: ShellKnownArguments,
    positional: [Argument], inFunction: Bool
  ) -> Target {
    let evaluation = ShellEvalText(script: script, variables: variables) { word in
      if let values = frame.expansion(of: word) {
        let texts = values.map { value in value.origin.flatMap { $0 < positional.count ? positional[$0].word.value : nil } ?? value.text }
        return texts.allSatisfy { $0 != nil && !$0!.contains("$") } ? texts.map { $0! } : nil
      }
      if word.isAllArguments, !inFunction, positional.allSatisfy({ !$0.word.value.contains("$") }) { return positional.map(\.word.value) }
      return nil
    }
    switch evaluation.outcome(of: command) {
    case .unknown(let reason):
      return .stop(reason: reason, location: location)
    case .command(let words, let isExec, let unknownFrom):
      // The words have no place of their own: each points at the eval command (no fix edits them).
      var arguments = words.map { Argument(word: Launch.Word($0, location: location), code: nil, codeSource: nil, isJSONElement: false, argvSource: .other) }
      // The rest is known only at run time: the chain stops there (with an init in front, after it).
      if let unknownFrom { arguments.append(Argument(word: Launch.Word(unknownFrom.contains("$") ? unknownFrom : "$" + unknownFrom, location: location), code: nil, codeSource: nil, isJSONElement: false, argvSource: .other)) }
      return .follow(arguments, replaces: isExec)
    }
  }

  /// `su USER -c CODE`, `runuser -u USER -- …`: su stays as the parent of a shell that runs CODE.
  func suTarget(_ command: ShellSimpleCommand, wrapper: ShellCommandWrapper, at location: FileRange, program: ShellProgram, variables: ShellVariables) -> Target {
    // The code word follows `-c` (or a clustered option ending in c).
    guard let flag = command.words.firstIndex(where: { word in
      guard let text = word.literalValue else { return false }
      return text == "-c" || text == "--command" || (text.hasPrefix("-") && !text.hasPrefix("--") && text.hasSuffix("c"))
    }), flag + 1 < command.words.count
    else { return .stop(reason: "\(wrapper.name) runs a command dockadvise does not follow", location: location) }
    let word = command.words[flag + 1]
    var code: MappedText?
    if word.literalValue != nil, let embedded = command.embeddedScript {
      // Literal code is analysed with the script already (its one command is the su command's
      // program): follow that command's words, as su's child.
      let terminals = embedded.terminalCommands
      if terminals.count == 1, let inner = terminals.first, !inner.isBackground, let programWord = inner.command.resolved.programWord,
        let start = inner.command.words.firstIndex(where: { $0.range == programWord.range })
      {
        var words: [Argument] = []
        for innerWord in inner.command.words[start...] {
          guard let literal = innerWord.literalValue else { return .stop(reason: "\(wrapper.name) -c runs '\(innerWord.raw)', known only at run time", location: location) }
          words.append(Argument(word: Launch.Word(literal, location: FileRange(file: program.source, range: innerWord.range)), code: nil, codeSource: nil, isJSONElement: false, argvSource: .other))
        }
        return .follow(words, replaces: false)
      }
      code = embedded.source
    } else if word.isQuoted, let name = word.variableName, let value = variables.value(of: name) {
      code = value.code
    }
    guard let code else {
      return .stop(reason: "\(wrapper.name) -c runs '\(word.raw)', whose value is known only at run time", location: location)
    }
    let shell = Argument(word: Launch.Word("/bin/sh", location: location), code: nil, codeSource: nil, isJSONElement: false, argvSource: .other)
    let dashC = Argument(word: Launch.Word("-c", location: location), code: nil, codeSource: nil, isJSONElement: false, argvSource: .other)
    let text = Argument(
      word: Launch.Word(String(decoding: code.bytes, as: UTF8.self), location: FileRange(file: program.source, range: word.range)), code: code,
      codeSource: program.source, isJSONElement: false, argvSource: .other)
    return .follow([shell, dashC, text], replaces: false)
  }

  /// What a program's positional parameters are, from the argv words it is given (`$`-words only at run time).
  static func known(_ positional: [Argument]) -> ShellKnownArguments {
    ShellKnownArguments.script(positional.map { $0.word.value.contains("$") ? nil : $0.word.value })
  }

  /// A command reference for argv words (exec form or words reached through `exec`).
  func commandReference(_ arguments: [Argument]) -> CommandReference {
    let locations = arguments.map { $0.word.location }
    let first = locations.compactMap { $0 }.first ?? FileRange(file: source, range: .empty(at: 0))
    let last = locations.compactMap { $0 }.last ?? first
    let whole = first.file.path == last.file.path ? FileRange(file: first.file, range: first.range.union(last.range)) : first
    let allLocated = locations.allSatisfy { $0 != nil }
    return CommandReference(
      location: whole, programLocation: locations.first.flatMap { $0 } ?? whole, program: arguments.first?.word.value,
      arguments: arguments.dropFirst().map(\.word.value), text: ShellQuoting.join(arguments.map(\.word.value)),
      isExec: true, execInsertionPoint: nil, argumentLocations: allLocated ? locations.dropFirst().compactMap { $0 } : [],
      wordsAreJSON: arguments.first?.isJSONElement ?? false)
  }

  // MARK: - supervisord

  /// The default configuration a supervisor package installs, when the file installs it that way.
  func packageDefaultConfig() -> (path: String, file: SourceFile)? {
    guard let component = image.components(.supervisor).first else { return nil }
    switch component.path {
    case "/etc/supervisor/supervisord.conf":
      return (component.path!, SourceFile(path: ImageFile.packagePathPrefix + "/etc/supervisor/supervisord.conf", text: Self.debianSupervisordConf))
    case "/etc/supervisord.conf":
      return (component.path!, SourceFile(path: ImageFile.packagePathPrefix + "/etc/supervisord.conf", text: Self.alpineSupervisordConf))
    default:
      return nil
    }
  }

  static let debianSupervisordConf = """
    ; supervisor config file (Debian's default)
    [unix_http_server]
    file=/var/run/supervisor.sock
    chmod=0700

    [supervisord]
    logfile=/var/log/supervisor/supervisord.log
    pidfile=/var/run/supervisord.pid
    childlogdir=/var/log/supervisor

    [rpcinterface:supervisor]
    supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

    [supervisorctl]
    serverurl=unix:///var/run/supervisor.sock

    [include]
    files = /etc/supervisor/conf.d/*.conf

    """

  static let alpineSupervisordConf = """
    ; supervisor config file (Alpine's default)
    [unix_http_server]
    file=/run/supervisord.sock

    [supervisord]
    logfile=/var/log/supervisord.log

    [rpcinterface:supervisor]
    supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

    [supervisorctl]
    serverurl=unix:///run/supervisord.sock

    [include]
    files = /etc/supervisor.d/*.ini

    """

  /// A file of the image as a `SourceFile` for the configuration reader (heredoc content gets a file of its own).
  /// Text written by a heredoc or a build script is named after the file it was written in.
  func sourceFile(_ file: ImageFile) -> SourceFile {
    file.readableSource
  }

  /// Folders and files of supervisord's configuration that a start script may write.
  static let supervisordConfigPlaces = ["/etc/supervisor", "/etc/supervisord.conf", "/etc/supervisord.d", "/etc/supervisor.d"]

  func supervisord(_ arguments: [Argument], position: Position, writtenBy scripts: [ImageFile] = []) -> Launch.SupervisordProcess {
    let files = scripts.isEmpty ? image.files : StartupWrites.files(image, startupScripts: scripts, directories: Self.supervisordConfigPlaces) ?? image.files
    var configPath: String? = nil
    var fromFlag = false
    var nodaemon = false
    var index = 1
    while index < arguments.count {
      let value = arguments[index].word.value
      switch value {
      case "-c", "--configuration":
        if index + 1 < arguments.count {
          configPath = ImageFileSystem.normalize(arguments[index + 1].word.value, workdir: image.workdir)
          fromFlag = true
          index += 1
        }
      case "-n", "--nodaemon":
        nodaemon = true
      default:
        if value.hasPrefix("--configuration=") {
          configPath = ImageFileSystem.normalize(String(value.dropFirst("--configuration=".count)), workdir: image.workdir)
          fromFlag = true
        } else if value.hasPrefix("-") && !value.hasPrefix("--") && value.contains("n") && value.count <= 4 {
          nodaemon = true
        }
      }
      index += 1
    }
    var config: SupervisordConfig? = nil
    // Configuration text that is not a whole file of the context (a heredoc, a build script's
    // `cat > … <<EOF`): findings can name it, fixes cannot edit it.
    var writtenFiles = Set<String>()
    func configSource(_ file: ImageFile) -> SourceFile {
      let source = sourceFile(file)
      if !file.isWholeSourceFile { writtenFiles.insert(source.path) }
      return source
    }
    let read: (SourceFile, String) -> SupervisordConfig = { main, path in
      SupervisordConfig.read(
        main: main, mainPath: path, environment: image.environment,
        file: { path in files.file(at: path).map(configSource) }, list: { files.paths(matching: $0) })
    }
    // A RUN that writes the file with a command whose output is not known (`php conf.php > FILE`) leaves
    // the package default behind: nothing is known of the configuration.
    var writtenBy: ImageFile.Origin? = nil
    if let configPath {
      if let file = files.file(at: configPath) {
        config = read(configSource(file), configPath)
      } else if let origin = files.unknownContentOrigin(at: configPath) {
        writtenBy = origin
      } else if let (path, file) = packageDefaultConfig(), path == configPath {
        config = read(file, path)
      }
    } else {
      let searched = ["supervisord.conf", "etc/supervisord.conf", "/etc/supervisord.conf", "/etc/supervisor/supervisord.conf"]
      for candidate in searched {
        let path = ImageFileSystem.normalize(candidate, workdir: image.workdir)
        if let file = files.file(at: path) {
          configPath = path
          config = read(configSource(file), path)
          break
        }
        if let origin = files.unknownContentOrigin(at: path) {
          configPath = path
          writtenBy = origin
          break
        }
      }
      if config == nil, writtenBy == nil, let (path, file) = packageDefaultConfig() {
        configPath = path
        config = read(file, path)
      }
    }
    let command = commandReference(arguments)
    var writtenAtStart: [ImageFile] = []
    if !scripts.isEmpty {
      for place in Self.supervisordConfigPlaces {
        for file in files.files(under: place) + [files.file(at: place)].compactMap({ $0 }) {
          if case .startupScript = file.origin, !writtenAtStart.contains(where: { $0.path == file.path }) { writtenAtStart.append(file) }
        }
      }
    }
    return Launch.SupervisordProcess(
      command: command, configPath: configPath, configFromFlag: fromFlag, hasNodaemonFlag: nodaemon, config: config,
      isPID1: position.isPID1, writtenFiles: writtenFiles, configContentUnknownFrom: writtenBy, configWrittenAtStart: writtenAtStart, flagInsertionPoint: arguments.first?.word.location,
      isJSONElement: arguments.first?.isJSONElement ?? false)
  }
}
