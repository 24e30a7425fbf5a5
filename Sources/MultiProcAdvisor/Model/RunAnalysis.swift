import DockerfileParser

/// What a RUN instruction leaves in the image that matters at run time: packages (tini, supervisor,
/// s6-overlay…), files it writes (`cat > f <<EOF`, `echo … > f`, `printf … > f`, `touch`), modes
/// (`chmod +x`), removals and moves (`mv /init /s6-init`). Scripts of the image that the RUN executes
/// are read too (and the scripts they run, a few levels deep), with the stage's ENV and ARG values.
struct RunAnalysis {
  let builder: ImageModelBuilder
  let instruction: Instruction

  var source: SourceFile { builder.source }
  var location: FileRange { builder.location(instruction.range) }

  /// The shell code the RUN executes, with heredoc bodies in place, mapped to the Dockerfile.
  func code() -> MappedText? {
    if instruction.isJSON {
      let words = instruction.valueWords
      guard words.count >= 3, Knowledge.shellInterpreter(words[0].text) != nil, words[1].text == "-c" else { return nil }
      return JSONStringText.mapped(words[2].range, in: source)
    }
    let arguments = instruction.arguments
    let heredocs = instruction.heredocs
    guard !heredocs.isEmpty else { return arguments }
    let trimmed = arguments.text.trimmed(in: " \t")
    if heredocs.count == 1, trimmed.hasPrefix("<<"), !trimmed.dropFirst(2).contains(" ") {
      return heredocs[0].body
    }
    var text = arguments
    for heredoc in heredocs {
      guard let terminator = heredoc.terminatorRange else { continue }
      text.appendDecoded([0x0A], originalStart: heredoc.bodyRange.start, originalLength: 0)
      text.appendVerbatim(source.bytes[heredoc.bodyRange.start..<terminator.end], originalStart: heredoc.bodyRange.start)
    }
    text.appendDecoded([0x0A], originalStart: text.originalOffset(text.count), originalLength: 0)
    return text
  }

  func apply(to state: inout ImageModelBuilder.StageState) {
    guard let code = code() else { return }
    let dialect: ShellDialect = state.shell.first.map { DaemonCatalog.basename($0) == "bash" } == true ? .bash : .posix
    let script = ShellScript.parse(code, dialect: dialect)
    analyse(script, source: source, in: &state, depth: 0)
  }

  /// What the RUN's shell is, for how its `echo` writes files.
  func echoStyle(_ state: ImageModelBuilder.StageState) -> WrittenText.EchoStyle {
    var family = state.baseFamily
    if family == .unknown {
      family = ImageModelBuilder.family(base: nil, packageManagers: state.packageManagers, reachesScratch: false)
    }
    return .of(shell: state.shell.first, family: family)
  }

  /// Reads what `script` (the RUN's code, or a script of the image it runs, whose bytes are `source`)
  /// leaves in the image. Files it writes point into `source`.
  func analyse(_ script: ShellScript, source: SourceFile, in state: inout ImageModelBuilder.StageState, depth: Int) {
    var cwd = state.workdir
    let writer = WrittenText(source: source, echoStyle: echoStyle(state))
    // The values the shell gives `$VAR` here: the script's one literal assignment, else the stage's
    // ENV and ARG (`curl …/v${S6_OVERLAY_VERSION}/s6-overlay-nobin.tar.gz`, `apk add ${RUN_DEPS}`).
    let variables = ShellVariables(script: script, source: source, environment: builder.variables(state))
    for invocation in script.invocations where !invocation.isInCommandSubstitution {
      let command = invocation.command
      let resolved = command.resolved
      guard let program = resolved.program else { continue }
      let literal = Self.knownArguments(resolved, variables)
      let path: (String) -> String = { ImageFileSystem.normalize($0, workdir: cwd) }

      // Files written by redirections.
      for redirection in invocation.redirections where [.output, .append, .clobber, .outputAndError].contains(redirection.op) {
        guard redirection.effectiveFileDescriptor == 1, let target = redirection.target?.literalValue, target.hasPrefix("/") || !target.hasPrefix("&") else { continue }
        if target == "/dev/null" || target.hasPrefix("/dev/") || target.hasPrefix("/proc/") { continue }
        let destination = path(target)
        guard let content = writer.output(of: invocation, in: script) else {
          // `php supervisord.conf.php > /etc/supervisord.conf`: the file is there, its text is not known.
          if redirection.op != .append { state.fileSystem.addOpaque(destination, origin: .run(instruction: location)) }
          continue
        }
        var text = content
        if redirection.op == .append, let existing = state.fileSystem.file(at: destination) {
          // Text from another file cannot point into this one: it stands for the start of what is appended.
          var combined = existing.content
          if existing.source.path != source.path {
            combined = MappedText()
            combined.appendDecoded(existing.content.bytes, originalStart: content.originalOffset(0), originalLength: 0)
          }
          combined.append(from: content, 0..<content.count)
          text = combined
        }
        state.fileSystem.add(ImageFile(path: destination, origin: .run(instruction: location), content: text, source: source, executable: false))
      }

      if NginxConfigWrites.writesDaemonOff(invocation) { state.nginxDaemonOffWritten = true }

      switch program {
      case "cd":
        if invocation.isInMainPath, let target = literal.first { cwd = path(target) }
      case "tee":
        if let content = writer.heredocBody(invocation) {
          for target in literal where !target.hasPrefix("-") {
            state.fileSystem.add(ImageFile(path: path(target), origin: .run(instruction: location), content: content, source: source, executable: false))
          }
        }
      case "chmod":
        let modes = literal.filter { !$0.hasPrefix("-") || $0.hasPrefix("-x") }
        guard let mode = modes.first else { break }
        let executable: Bool? = Int(mode, radix: 8).map { $0 & 0o111 != 0 } ?? (mode.contains("+x") || mode.contains("=rwx") ? true : (mode.contains("-x") ? false : nil))
        if let executable {
          for target in modes.dropFirst() { state.fileSystem.setExecutable(path(target), executable) }
        }
      case "rm":
        for target in literal where !target.hasPrefix("-") && !target.contains("*") { state.fileSystem.remove(path(target)) }
      case "mv":
        let operands = literal.filter { !$0.hasPrefix("-") }
        if operands.count == 2 {
          let from = path(operands[0])
          let to = path(operands[1])
          if from == "/init" { state.renamedS6Init.append(to) }
          state.fileSystem.move(from, to: to, instruction: location)
        }
      case "cp":
        // `cp [-a|-p|-f…] SRC… DST`: plain files only (`-r` of a folder copies what it cannot list).
        let operands = literal.filter { !$0.hasPrefix("-") }
        if operands.count >= 2, let target = operands.last {
          for operand in operands.dropLast() where !operand.contains("*") {
            state.fileSystem.copy(path(operand), to: operands.count > 2 && !target.hasSuffix("/") ? path(target) + "/" : path(target), instruction: location)
          }
        }
      case "touch":
        for target in literal where !target.hasPrefix("-") {
          state.fileSystem.add(ImageFile(path: path(target), origin: .run(instruction: location), content: MappedText(), source: source, executable: false))
        }
      case "mkdir":
        for target in literal where !target.hasPrefix("-") { state.fileSystem.addDirectory(path(target)) }
      default:
        break
      }

      recordPackages(program: program, arguments: literal, into: &state)
      recordDownloads(program: program, arguments: literal, cwd: cwd, into: &state)

      // A script of the image that this RUN executes: read it too, and the scripts it runs (a few levels;
      // a script that runs itself stops at the depth limit).
      if depth < Self.maximumScriptDepth {
        var scriptPath: String? = nil
        if Knowledge.shellInterpreter(program) != nil, !literal.contains("-c"), let first = literal.first(where: { !$0.hasPrefix("-") && !$0.hasPrefix("+") }) {
          // `bash install.sh` looks in the working directory, then (bash) along PATH.
          let candidates = [path(first)] + (first.contains("/") ? [] : ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"].map { $0 + "/" + first })
          scriptPath = candidates.first { state.fileSystem.file(at: $0) != nil }
        } else if let programPath = resolved.programPath, programPath.contains("/") || programPath.hasSuffix(".sh") {
          scriptPath = path(programPath)
        }
        if let scriptPath, let file = state.fileSystem.file(at: scriptPath), file.text.hasPrefix("#!") || scriptPath.hasSuffix(".sh") {
          let nested = ShellScript.parse(file.content, dialect: file.text.hasPrefix("#!/bin/bash") || file.text.contains("env bash") ? .bash : .posix)
          // The script's ranges are in the file its bytes come from (a context file, or the Dockerfile
          // for one a heredoc wrote), not in the RUN's Dockerfile text.
          analyse(nested, source: file.source, in: &state, depth: depth + 1)
        }
      }
    }
  }

  /// How deep build scripts that run build scripts are followed.
  static let maximumScriptDepth = 3

  /// The command's arguments that have a known value: literals, words made of literals and known
  /// variables, and an unquoted `$VAR` split into its fields. Unknown words are left out.
  static func knownArguments(_ resolved: ShellResolvedCommand, _ variables: ShellVariables) -> [String] {
    var known: [String] = []
    for (word, value) in zip(resolved.arguments, resolved.argumentValues) {
      if let value {
        known.append(value)
      } else if !word.isQuoted, let fields = variables.fields(of: word) {
        known += fields
      } else if let value = variables.evaluate(word) {
        known.append(value)
      }
    }
    return known
  }

  /// Packages that bring an init or a supervisor, and the package manager used.
  func recordPackages(program: String, arguments: [String], into state: inout ImageModelBuilder.StageState) {
    var packages: [String] = []
    var manager = program
    switch program {
    case "apt-get", "apt", "aptitude":
      guard let install = arguments.firstIndex(of: "install") else {
        if arguments.contains("update") { state.packageManagers.insert("apt-get") }
        return
      }
      packages = arguments[(install + 1)...].filter { !$0.hasPrefix("-") }
      manager = "apt-get"
    case "apk":
      guard let add = arguments.firstIndex(of: "add") else { return }
      packages = arguments[(add + 1)...].filter { !$0.hasPrefix("-") }
    case "yum", "dnf", "microdnf":
      guard let install = arguments.firstIndex(of: "install") else { return }
      packages = arguments[(install + 1)...].filter { !$0.hasPrefix("-") }
    case "pip", "pip3":
      guard let install = arguments.firstIndex(of: "install") else { return }
      packages = arguments[(install + 1)...].filter { !$0.hasPrefix("-") }
    case "npm", "yarn", "pnpm":
      guard arguments.contains(where: { $0 == "-g" || $0 == "--global" || $0 == "global" }) else { return }
      packages = arguments.filter { !$0.hasPrefix("-") && $0 != "install" && $0 != "i" && $0 != "add" && $0 != "global" }
    default:
      return
    }
    state.packageManagers.insert(manager)
    let installer: ProgramRecord.Install.Manager? =
      switch manager {
      case "apt-get": .apt
      case "apk": .apk
      case "yum", "dnf", "microdnf": .dnf
      case "pip", "pip3": .pip
      case "npm", "yarn", "pnpm": .npm
      default: nil
      }
    for package in packages {
      let name = String(package.split(whereSeparator: { $0 == "=" || $0 == ">" || $0 == "<" || $0 == "~" }).first ?? Substring(package)).lowercased()
      if let installer { state.installedPackages.append(ImageModel.InstalledPackage(name: name, manager: installer, evidence: location)) }
      let kind: ImageModel.Component.Kind?
      var path: String? = nil
      switch name {
      case "tini":
        kind = .tini
        path = manager == "apk" ? "/sbin/tini" : "/usr/bin/tini"
      case "tini-static":
        kind = .tini
        path = "/usr/bin/tini-static"
      case "dumb-init":
        kind = .dumbInit
        path = manager == "pip" || manager == "pip3" ? "/usr/local/bin/dumb-init" : "/usr/bin/dumb-init"
      case "catatonit":
        kind = .catatonit
        path = "/usr/bin/catatonit"
      case "supervisor":
        kind = .supervisor
        switch manager {
        case "apt-get": path = "/etc/supervisor/supervisord.conf"
        case "apk": path = "/etc/supervisord.conf"
        default: path = nil
        }
      case "runit": kind = .runit
      case "s6": kind = .s6
      case "s6-overlay": kind = .s6Overlay
      case "pm2": kind = .pm2
      default: kind = nil
      }
      if let kind { state.components.append(ImageModel.Component(kind: kind, evidence: location, path: path, inFinalImage: true)) }
      for directory in Self.packageDirectories[name] ?? [] where manager == "apt-get" || manager == "apk" || manager == "yum" || manager == "dnf" {
        state.fileSystem.addDirectory(directory)
      }
    }
  }

  /// Whether a tar command line extracts an xz archive: `-x`/`--extract` (or old-style `xJf`) with `-J`,
  /// `--xz`, or an archive named `.tar.xz`/`.txz` (GNU tar picks xz from the name and runs `xz -d`).
  static func tarUnpacksXZ(_ arguments: [String]) -> Bool {
    var extracts = false
    var xz = false
    for (index, argument) in arguments.enumerated() {
      if argument == "--extract" || argument == "--get" {
        extracts = true
      } else if argument == "--xz" || argument == "--lzma" {
        xz = true
      } else if argument.hasPrefix("-"), !argument.hasPrefix("--") {
        let letters = argument.dropFirst()
        if letters.contains("x") { extracts = true }
        if letters.contains("J") { xz = true }
      } else if index == 0, argument.allSatisfy(\.isLetter) {
        // Old-style options without a dash: `tar xJf archive`.
        if argument.contains("x") { extracts = true }
        if argument.contains("J") { xz = true }
      }
      if !argument.hasPrefix("-"), argument.hasSuffix(".tar.xz") || argument.hasSuffix(".txz") { xz = true }
    }
    return extracts && xz
  }

  /// Configuration directories distribution packages create.
  static let packageDirectories: [String: [String]] = [
    "supervisor": ["/etc/supervisor", "/etc/supervisor/conf.d", "/etc/supervisor.d"],
    "nginx": ["/etc/nginx", "/etc/nginx/conf.d", "/etc/nginx/sites-enabled", "/etc/nginx/sites-available", "/etc/nginx/http.d"],
    "apache2": ["/etc/apache2", "/etc/apache2/sites-enabled", "/etc/apache2/sites-available", "/etc/apache2/conf-enabled"],
    "cron": ["/etc/cron.d"], "runit": ["/etc/service", "/etc/sv"],
  ]

  /// `curl`/`wget` of an init or s6-overlay, and `tar` of an s6-overlay archive.
  func recordDownloads(program: String, arguments: [String], cwd: String, into state: inout ImageModelBuilder.StageState) {
    switch program {
    case "curl", "wget":
      for url in arguments where url.contains("://") {
        guard let kind = ImageModelBuilder.component(forArchiveOrURL: url) else { continue }
        var output: String? = nil
        if let flag = arguments.firstIndex(where: { $0 == "-o" || $0 == "-O" || $0 == "--output" || $0 == "--output-document" }), flag + 1 < arguments.count {
          output = ImageFileSystem.normalize(arguments[flag + 1], workdir: cwd)
        }
        if ImageModelBuilder.isArchive(url) && (kind == .s6Overlay || kind == .s6OverlayLegacy) { output = nil }
        if let output { state.fileSystem.addOpaque(output, origin: .run(instruction: location)) }
        state.components.append(ImageModel.Component(kind: kind, evidence: location, path: output, inFinalImage: true, archive: url))
      }
    case "tar":
      let xzInstalled = state.installedPackages.contains { $0.name == "xz-utils" || $0.name == "xz" }
      if state.baseLacksXZ, !xzInstalled, Self.tarUnpacksXZ(arguments), !state.xzUnpackedWithoutXZ.contains(location) {
        state.xzUnpackedWithoutXZ.append(location)
      }
      for argument in arguments where argument.contains("s6-overlay") {
        if let kind = ImageModelBuilder.component(forArchiveOrURL: argument) {
          state.components.append(ImageModel.Component(kind: kind, evidence: location, path: nil, inFinalImage: true, archive: argument))
          state.fileSystem.addOpaque("/init", origin: .run(instruction: location))
        }
      }
    default:
      break
    }
  }
}
