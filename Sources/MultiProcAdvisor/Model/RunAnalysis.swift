import DockerfileParser

/// What a RUN instruction leaves in the image that matters at run time: packages (tini, supervisor,
/// s6-overlay…), files it writes (`cat > f <<EOF`, `echo … > f`, `printf … > f`, `touch`), modes
/// (`chmod +x`), removals and moves (`mv /init /s6-init`). Scripts from the context that the RUN
/// executes are read one level deep.
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
    analyse(script, in: &state, depth: 0)
  }

  func analyse(_ script: ShellScript, in state: inout ImageModelBuilder.StageState, depth: Int) {
    var cwd = state.workdir
    for invocation in script.invocations where !invocation.isInCommandSubstitution {
      let command = invocation.command
      let resolved = command.resolved
      guard let program = resolved.program else { continue }
      let arguments = resolved.argumentValues
      let literal = arguments.compactMap { $0 }
      let path: (String) -> String = { ImageFileSystem.normalize($0, workdir: cwd) }

      // Files written by redirections.
      for redirection in invocation.redirections where [.output, .append, .clobber, .outputAndError].contains(redirection.op) {
        guard redirection.effectiveFileDescriptor == 1, let target = redirection.target?.literalValue, target.hasPrefix("/") || !target.hasPrefix("&") else { continue }
        if target == "/dev/null" || target.hasPrefix("/dev/") || target.hasPrefix("/proc/") { continue }
        guard let content = writtenContent(invocation, script: script) else { continue }
        let destination = path(target)
        var text = content
        if redirection.op == .append, let existing = state.fileSystem.file(at: destination) {
          var combined = existing.content
          combined.append(from: content, 0..<content.count)
          text = combined
        }
        state.fileSystem.add(ImageFile(path: destination, origin: .run(instruction: location), content: text, source: source, executable: false))
      }

      switch program {
      case "cd":
        if invocation.isInMainPath, let target = literal.first { cwd = path(target) }
      case "tee":
        if let content = heredocContent(invocation) {
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

      // A script of the image that this RUN executes: read it too (one level).
      if depth == 0 {
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
          RunAnalysis(builder: builder, instruction: instruction).analyse(nested, in: &state, depth: depth + 1)
        }
      }
    }
  }

  /// The body of the heredoc feeding a command's standard input.
  func heredocContent(_ invocation: ShellInvocation) -> MappedText? {
    for redirection in invocation.redirections + invocation.enclosingRedirections {
      if let heredoc = redirection.heredoc {
        let range = heredoc.bodyRange
        guard range.end <= source.bytes.count else { return nil }
        return MappedText(bytes: Array(source.bytes[range.start..<range.end]), verbatimFrom: range.start)
      }
    }
    return nil
  }

  /// What `cat <<EOF`, `echo …` or `printf …` writes to standard output.
  func writtenContent(_ invocation: ShellInvocation, script: ShellScript) -> MappedText? {
    let command = invocation.command
    let resolved = command.resolved
    switch resolved.program {
    case "cat":
      return resolved.arguments.isEmpty ? heredocContent(invocation) : nil
    case "echo":
      var words = resolved.arguments
      var newline = true
      while let first = words.first?.literalValue, first.hasPrefix("-"), first.count > 1, first.dropFirst().allSatisfy({ "neE".contains($0) }) {
        if first.contains("n") { newline = false }
        words.removeFirst()
      }
      var text = MappedText()
      for (index, word) in words.enumerated() {
        guard let value = word.literalValue else { return nil }
        if index > 0 { text.appendDecoded([0x20], originalStart: word.range.start, originalLength: 0) }
        text.appendDecoded(Self.unescape(Array(value.utf8), percent: false).0, originalStart: word.range.start, originalLength: word.range.length)
      }
      if newline { text.appendDecoded([0x0A], originalStart: words.last?.range.end ?? command.range.end, originalLength: 0) }
      return text
    case "printf":
      guard let format = resolved.arguments.first, let formatValue = format.literalValue else { return nil }
      var values = resolved.arguments.dropFirst().compactMap(\.literalValue)
      var text = MappedText()
      let (bytes, placeholders) = Self.unescape(Array(formatValue.utf8), percent: true)
      var output: [UInt8] = []
      var index = 0
      var placeholder = 0
      while index < bytes.count {
        if placeholder < placeholders.count, placeholders[placeholder] == index {
          output += Array((values.isEmpty ? "" : values.removeFirst()).utf8)
          placeholder += 1
          index += 2
          continue
        }
        output.append(bytes[index])
        index += 1
      }
      text.appendDecoded(output, originalStart: format.range.start, originalLength: format.range.length)
      return text
    default:
      return nil
    }
  }

  /// Resolves `\n`, `\t`, `\\`, octal escapes and `%%`; returns the bytes and the offsets of `%s` placeholders.
  static func unescape(_ bytes: [UInt8], percent: Bool) -> ([UInt8], [Int]) {
    var result: [UInt8] = []
    var placeholders: [Int] = []
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
        let next = bytes[index + 1]
        switch next {
        case UInt8(ascii: "n"): result.append(0x0A)
        case UInt8(ascii: "t"): result.append(0x09)
        case UInt8(ascii: "r"): result.append(0x0D)
        case UInt8(ascii: "\\"): result.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
          var value = 0
          var length = 0
          while length < 3, index + 1 + length < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[index + 1 + length]) {
            value = value * 8 + Int(bytes[index + 1 + length] - UInt8(ascii: "0"))
            length += 1
          }
          result.append(UInt8(value & 0xFF))
          index += 1 + length
          continue
        default:
          result.append(byte)
          result.append(next)
        }
        index += 2
        continue
      }
      if percent, byte == UInt8(ascii: "%"), index + 1 < bytes.count {
        if bytes[index + 1] == UInt8(ascii: "%") {
          result.append(byte)
          index += 2
          continue
        }
        if bytes[index + 1] == UInt8(ascii: "s") || bytes[index + 1] == UInt8(ascii: "b") {
          placeholders.append(result.count)
          result.append(byte)
          result.append(bytes[index + 1])
          index += 2
          continue
        }
      }
      result.append(byte)
      index += 1
    }
    return (result, placeholders)
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
