import DockerfileParser

/// Parses shell code found in the image (inline strings, scripts, supervisord commands) into a
/// `ShellProgram` with its facts.
struct ShellProgramFactory {
  let image: ImageModel
  /// Whether a script that runs at start (the PID 1 chain) writes `daemon off;` into nginx.conf before
  /// the programs this factory makes run.
  var nginxDaemonOffWrittenAtStart = false

  /// The verdict of the daemon catalogue with this image's configuration.
  func daemonVerdict(_ command: CommandReference) -> DaemonCatalog.Verdict? { daemonVerdict(command, nginxDaemonOff: nginxDaemonOffWrittenAtStart) }

  /// The verdict, also knowing whether nginx.conf says `daemon off;` by the time the command runs.
  func daemonVerdict(_ command: CommandReference, nginxDaemonOff: Bool) -> DaemonCatalog.Verdict? {
    // A program word like `$CATALINA_HOME/bin/startup.sh` is judged by its literal last component.
    let hint = command.programText.flatMap { text -> String? in
      guard let slash = text.lastIndex(of: "/"), !text[slash...].contains("$") else { return nil }
      return text
    }
    guard let program = command.program ?? hint else { return nil }
    // The image's own `service` (a script it copies to /usr/sbin/service or /usr/local/bin/service, say
    // one that drives s6) is not SysV's: what `service x start` does is that script's business.
    if DaemonCatalog.basename(program) == "service", ownCommand(program) != nil { return nil }
    let literal = command.arguments.map { $0 ?? "\u{0}" }
    var facts = image.daemonFacts
    if nginxDaemonOff { facts.nginxDaemonOff = true }
    // `nginx -c FILE`: that file's main context decides (unknown when the image does not show it).
    if DaemonCatalog.basename(program) == "nginx", let flag = literal.firstIndex(of: "-c"), flag + 1 < literal.count {
      if let file = image.files.file(at: ImageFileSystem.normalize(literal[flag + 1], workdir: image.workdir)) {
        facts.nginxDaemonOff = NginxMainContext(file.text).daemonOff
        facts.nginxConfigUnknown = false
      } else {
        facts.nginxConfigUnknown = true
      }
    }
    guard let verdict = DaemonCatalog.verdict(program: program, arguments: literal, facts: facts) else { return nil }
    if command.arguments.contains(where: { $0 == nil }) && verdict.isDropIn { return nil }
    return verdict
  }

  /// The file the image itself provides (from the context, a heredoc or a RUN, not a package) that runs
  /// for `program`: the path itself, or the first match on PATH for a bare name.
  func ownCommand(_ program: String) -> ImageFile? {
    let candidates = program.contains("/")
      ? [ImageFileSystem.normalize(program, workdir: image.workdir)]
      : image.path.map { ImageFileSystem.normalize($0 + "/" + program) }
    for candidate in candidates {
      guard let file = image.files.file(at: candidate) else { continue }
      if case .package = file.origin { return nil }
      return file
    }
    return nil
  }

  /// What `/bin/sh` is in this image.
  var systemShell: ShellProgram.Interpreter {
    switch image.family {
    case .debian: .dash
    case .alpine: .ash
    case .redHat: .bash
    case .scratch, .unknown: .sh
    }
  }

  /// The interpreter a program named `program` (a path or basename) is, with `/bin/sh` resolved per image.
  func interpreter(named program: String) -> ShellProgram.Interpreter? {
    guard let kind = Knowledge.shellInterpreter(program) else { return nil }
    return kind == .sh ? systemShell : kind
  }

  struct Input {
    var text: MappedText
    var source: SourceFile
    var interpreter: ShellProgram.Interpreter
    var displayName: String
    var file: ImageFile?
    var instruction: FileRange?
    var provenance: [Finding.Note]
    var role: ShellProgram.Role
    var isShellForm: Bool
    var argvSource: ShellProgram.ArgvSource
    var interpreterLocation: FileRange?
    var interpreterIsShebang: Bool
    var interpreterIsJSONElement: Bool
    /// The arguments it runs with, as far as they are known (the CMD after an ENTRYPOINT script).
    var arguments: ShellKnownArguments = .unknown
  }

  func make(_ input: Input) -> ShellProgram {
    let dialect: ShellDialect = input.interpreter == .bash || input.interpreter == .zsh ? .bash : .posix
    let script: ShellScript
    if input.interpreter == .execline || input.interpreter == .other {
      script = ShellScript.parse(MappedText(), dialect: dialect)
    } else {
      script = ShellScript.parse(input.text, dialect: dialect)
    }
    let issues = script.diagnostics.filter { $0.severity == .error }.map { diagnostic in
      (message: diagnostic.message, location: FileRange(file: input.source, range: diagnostic.range))
    }
    let facts: ShellFacts
    var known: ShellVariables? = nil
    if input.interpreter == .execline || input.interpreter == .other {
      facts = ShellFacts()
    } else {
      // A script that writes `daemon off;` into nginx.conf starts nginx in the foreground afterwards.
      let writesDaemonOff = NginxConfigWrites.writesDaemonOff(script)
      let nginxDaemonOff = writesDaemonOff || nginxDaemonOffWrittenAtStart
      var builder = ShellFactsBuilder(
        script: script, source: input.source, interpreter: input.interpreter, isInline: input.file == nil || input.file?.isWholeSourceFile == false,
        daemonVerdict: { daemonVerdict($0, nginxDaemonOff: nginxDaemonOff) })
      known = variables(of: script, source: input.source)
      builder.variables = known!
      builder.arguments = input.arguments
      let image = self.image
      builder.failsAtOnce = { reference, directory in
        // npm: "Missing script: start"; the package.json is the image's, so this is known.
        guard let packageScript = PackageScript.of(reference, image: image, directory: directory) else { return false }
        return packageScript.package != nil && packageScript.command == nil && !packageScript.isDefaultServer
      }
      var built = builder.build()
      built.writesNginxDaemonOff = writesDaemonOff
      facts = built
    }
    var program = ShellProgram(
      script: script, interpreter: input.interpreter, isShellForm: input.isShellForm, argvSource: input.argvSource,
      displayName: input.displayName, file: input.file, source: input.source, instruction: input.instruction,
      provenance: input.provenance, role: input.role, interpreterLocation: input.interpreterLocation,
      interpreterIsShebang: input.interpreterIsShebang, interpreterIsJSONElement: input.interpreterIsJSONElement,
      issues: issues, facts: facts)
    program.variables = known
    return program
  }

  /// The values a program's variables are known to hold, with the files it sources.
  func variables(of script: ShellScript, source: SourceFile) -> ShellVariables {
    ShellVariables(script: script, source: source, environment: image.environment, sourced: sourcedFiles(of: script)?.map { ShellScript.parse($0.content) })
  }

  /// The image files a program reads with `.`/`source` (on its main path or not), nil when one of them
  /// is not known (a word with expansions, a file not in the image).
  func sourcedFiles(of script: ShellScript) -> [ImageFile]? {
    var files: [ImageFile] = []
    for invocation in script.invocations where invocation.command.name == "." || invocation.command.name == "source" {
      guard invocation.command.words.count >= 2, let file = sourcedFile(invocation.command.words[1]) else { return nil }
      files.append(file)
    }
    return files
  }

  /// The file `. WORD` reads: a path as is (relative to WORKDIR), a bare name in WORKDIR or on PATH.
  func sourcedFile(_ word: ShellWord) -> ImageFile? {
    guard let value = word.literalValue, !value.isEmpty, !word.hasGlob else { return nil }
    if value.contains("/") { return image.files.file(at: ImageFileSystem.normalize(value, workdir: image.workdir)) }
    for directory in [image.workdir] + image.path {
      if let file = image.files.file(at: ImageFileSystem.normalize(directory + "/" + value)) { return file }
    }
    return nil
  }

  /// A script file of the image: the shebang decides the interpreter (unless `forced` by how it is run).
  func script(
    _ file: ImageFile, forced: ShellProgram.Interpreter? = nil, forcedLocation: FileRange? = nil, forcedIsJSON: Bool = false,
    role: ShellProgram.Role, argvSource: ShellProgram.ArgvSource, instruction: FileRange?, provenance: [Finding.Note],
    arguments: ShellKnownArguments = .unknown
  ) -> ShellProgram? {
    var interpreter = forced
    var location = forcedLocation
    var isShebang = false
    if interpreter == nil {
      let shebang = ShellShebang.parse(file.content.bytes, text: file.content)
      if let shebang {
        switch shebang.dialect {
        case .bash: interpreter = .bash
        case .posix: interpreter = self.interpreter(named: shebang.interpreter) ?? systemShell
        case .execline: interpreter = .execline
        default: interpreter = .other
        }
        location = FileRange(file: file.source, range: shebang.range)
        isShebang = true
      } else {
        // No shebang: exec fails with ENOEXEC, but a shell running it falls back to sh.
        interpreter = systemShell
      }
    }
    return make(
      Input(
        text: file.content, source: file.source, interpreter: interpreter ?? systemShell, displayName: file.path, file: file,
        instruction: instruction, provenance: provenance + [file.provenanceNote], role: role, isShellForm: false,
        argvSource: argvSource, interpreterLocation: location, interpreterIsShebang: isShebang,
        interpreterIsJSONElement: forcedIsJSON, arguments: arguments))
  }
}
