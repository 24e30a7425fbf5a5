import DockerfileParser

/// Renders a `ServicePlan` as one strategy: the files to create and the Dockerfile edits that make the
/// new layout PID 1 (replacing the final stage's ENTRYPOINT and CMD).
struct StrategyRenderer {
  let context: LintContext
  let plan: ServicePlan
  let strategy: Strategy

  var dockerfile: Dockerfile { context.dockerfile }
  var source: SourceFile { dockerfile.source }
  var newline: String { Edits.newline(of: source) }

  /// Where generated files go in the build context, and where they land in the image.
  static let contextDirectory = "dockadvise"
  static let imageDirectory = "/etc/dockadvise"

  /// A context path as the user sees it (next to the Dockerfile's context).
  func contextPath(_ path: String) -> String? { context.image.files.reader?.displayPath(path) }

  func fix() -> Fix? {
    switch strategy {
    case .swiftInit: StrategyRenderer(context: context, plan: plan.waitsAsDependencies(), strategy: strategy).swiftInit()
    case .wrapper: wrapper()
    case .s6: s6()
    }
  }

  // MARK: Dockerfile edits shared by every strategy

  /// The final stage's own ENTRYPOINT and CMD instructions (inherited ones are overridden by the new ones).
  func finalStageCommands(keepingCMD: Bool) -> [FileRange] {
    [context.image.entrypoint, keepingCMD ? nil : context.image.cmd].compactMap { $0 }.filter { $0.stage == context.image.finalStage }
      .map(\.instruction).sorted { $0.range.start < $1.range.start }
  }

  /// The whole lines of an instruction, its line terminator included.
  func lines(of instruction: FileRange) -> SourceRange {
    let start = source.lineStarts[source.lineIndex(of: instruction.range.start)]
    let lastLine = source.lineIndex(of: max(instruction.range.start, instruction.range.end - 1))
    let end = lastLine + 1 < source.lineStarts.count ? source.lineStarts[lastLine + 1] : source.bytes.count
    return SourceRange(start: start, end: end)
  }

  /// Replaces the final stage's ENTRYPOINT (and CMD, unless `keepingCMD`) with `block` (lines without
  /// their newlines). When the stage has neither, the block goes at the end of the stage. Setting
  /// ENTRYPOINT clears an inherited CMD, so none is written unless kept.
  func replaceCommands(with block: [String], keepingCMD: Bool = false) -> [TextEdit] {
    let text = block.map { $0 + newline }.joined()
    let commands = finalStageCommands(keepingCMD: keepingCMD)
    guard let first = commands.first else {
      let stageEnd = endOfFinalStage()
      let prefix = stageEnd > 0 && source.bytes[stageEnd - 1] != 0x0A ? newline : ""
      return [.insert(prefix + text, at: stageEnd, in: source.path)]
    }
    var edits = [TextEdit.replace(lines(of: first), with: text, in: source.path)]
    for other in commands.dropFirst() { edits.append(.remove(lines(of: other), in: source.path)) }
    return edits
  }

  /// The offset just after the last line of the final stage.
  func endOfFinalStage() -> Int {
    guard context.image.finalStage < dockerfile.stages.count else { return source.bytes.count }
    let stage = dockerfile.stages[context.image.finalStage]
    guard let last = stage.instructionIndices.last else { return source.bytes.count }
    return lines(of: FileRange(file: source, range: dockerfile.instructions[last].range)).end
  }

  /// `RUN` lines that install packages with the image's package manager (as root when USER is not).
  func install(_ packages: [String]) -> [String]? {
    let line: String
    switch context.image.family {
    case .debian: line = "RUN apt-get update && apt-get install -y --no-install-recommends \(packages.joined(separator: " ")) && rm -rf /var/lib/apt/lists/*"
    case .alpine: line = "RUN apk add --no-cache \(packages.joined(separator: " "))"
    case .redHat: line = "RUN (dnf install -y \(packages.joined(separator: " ")) || yum install -y \(packages.joined(separator: " "))) && rm -rf /var/cache/dnf /var/cache/yum"
    case .scratch, .unknown: return nil
    }
    if let user = context.image.user, user != "root", user != "0" { return ["USER root", line, "USER \(user)"] }
    return [line]
  }

  /// Packages the services need beyond the image's own: `setpriv` for `user=` (util-linux on Debian
  /// and Red Hat bases is always there; Alpine packages it apart).
  var servicePackages: [String] {
    plan.services.contains { $0.user != nil } && context.image.family == .alpine ? ["setpriv"] : []
  }

  /// A generated file in the context's `dockadvise/` folder.
  func generated(_ name: String, _ text: String, executable: Bool = false) -> Fix.CreatedFile? {
    contextPath(Self.contextDirectory + "/" + name).map { Fix.CreatedFile(path: $0, contents: Array(text.utf8), executable: executable) }
  }

  /// The setup part of the original (everything before the services that does work), as a script.
  func setupScript(interpreter: String? = nil) -> String? {
    let steps = plan.setup
    guard !steps.isEmpty else { return nil }
    var text = "#!\(interpreter ?? plan.interpreter)\n# Generated by dockadvise: what \(plan.origin) did before starting its services.\n"
    text += setupLines(steps).joined(separator: "\n") + "\n"
    // The original carried on whatever these commands returned.
    if !steps.contains(where: \.isFatal) { text += "exit 0\n" }
    return text
  }

  /// Steps as script lines: under `set -e` when a failure stopped the original, failures ignored otherwise.
  func setupLines(_ steps: [ServicePlan.Step]) -> [String] {
    let anyFatal = steps.contains(where: \.isFatal)
    var lines = anyFatal ? ["set -e"] : []
    for step in steps {
      lines.append(anyFatal && !step.isFatal && !step.isState ? "{ \(step.text)\n} || true" : step.text)
    }
    return lines
  }

  /// The state (variables, `cd`…) the services need, as a file each of them sources first.
  func preludeScript() -> String? {
    let steps = plan.prelude
    guard !steps.isEmpty else { return nil }
    return "# Generated by dockadvise: the state \(plan.origin) set up for its services; each service sources it.\n"
      + steps.map(\.text).joined(separator: "\n") + "\n"
  }

  /// When the context's `.dockerignore` leaves `dockadvise/` out, the line that lets it in again
  /// (appended, so it wins over earlier patterns), or nil when nothing is excluded.
  func dockerignoreEdit() -> TextEdit? {
    guard let reader = context.image.files.reader, reader.ignore.excludes(Self.contextDirectory + "/Procfile")
      || reader.ignore.excludes(Self.contextDirectory + "/run-services.sh") || reader.ignore.excludes(EmbeddedInit.contextDirectory + "/build.sh")
    else { return nil }
    let name = DaemonCatalog.basename(dockerfile.source.path) + ".dockerignore"
    for candidate in [name, ".dockerignore"] {
      guard case .file(let bytes, _) = reader.context.entry(candidate) else { continue }
      let file = SourceFile(path: reader.displayPath(candidate), bytes: bytes)
      let newline = Edits.newline(of: file)
      let prefix = bytes.isEmpty || bytes.last == 0x0A ? "" : newline
      let text = prefix + "# dockadvise: the files its fix generates must reach the build" + newline + "!\(Self.contextDirectory)" + newline
      return .insert(text, at: bytes.count, in: file.path)
    }
    return nil
  }

  static let preludeImagePath = imageDirectory + "/env.sh"
  static let setupImagePath = imageDirectory + "/setup.sh"

  // MARK: swift-init

  /// The Procfile: one line per service, options on `# dockadvise-init:` comment lines.
  func procfile() -> String? {
    var lines = [
      "# Generated by dockadvise from \(plan.origin).",
      "# dockadvise-init runs every service; when one ends it stops the others and exits with its status.",
    ]
    let hasSetup = !plan.setup.isEmpty
    let prelude = plan.prelude.isEmpty ? nil : Self.preludeImagePath
    if hasSetup { lines.append("# dockadvise-init: setup oneshot") }
    var services: [ServicePlan.Service] = []
    for var service in plan.services {
      var options: [String] = []
      if let signal = service.stopSignal { options.append("stop-signal=\(signal)") }
      if !service.after.isEmpty { options.append("after=" + service.after.joined(separator: ",")) }
      if let test = service.readyTest {
        guard let word = Self.initOptionWord("ready=" + Self.readyProbe(test)) else { return nil }
        // The original waited without a limit: a first start that initializes a database may take minutes.
        options += [word, "ready-timeout=10m"]
      }
      // The directory, user and environment become options the init applies before the exec, when
      // nothing runs before the command in its shell that they would have to follow (a prelude, a test).
      if prelude == nil && service.condition == nil {
        if service.user == nil, let (user, command, simple) = Self.identityWrapper(service.command) {
          service.user = user
          service.command = command
          service.isSimple = simple
        }
        if let directory = service.directory, let word = Self.initOptionWord("workdir=" + directory) {
          options.append(word)
          service.directory = nil
        }
        if let user = service.user, let word = Self.initOptionWord("user=" + user) {
          options.append(word)
          service.user = nil
        }
        let environment = service.environment.map { Self.initOptionWord("env=\($0.0)=\($0.1)") }
        if !environment.isEmpty, !environment.contains(nil) {
          options += environment.compactMap { $0 }
          service.environment = []
        }
      }
      if !options.isEmpty { lines.append("# dockadvise-init: \(service.name) " + options.joined(separator: " ")) }
      services.append(service)
    }
    if hasSetup { lines.append("setup: \(Self.setupImagePath)") }
    for service in services {
      guard var line = Self.procfileLine(service, prelude: prelude) else { return nil }
      // dockadvise-init runs a line with /bin/sh: a test written for bash gets bash.
      if service.condition != nil, plan.interpreter == "/bin/bash" {
        line = "\(service.name): exec /bin/bash -c \(ShellQuoting.quote(String(line.dropFirst(service.name.count + 2))))"
      }
      lines.append(line)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `gosu USER CMD…`, `su-exec USER CMD…` or `su USER -c 'CMD'`: the user and the command without the
  /// wrapper (and whether it is one simple command), for `user=`. Nil for anything else, or for words with
  /// expansions, globs or operators, which splitting and joining again could change.
  static func identityWrapper(_ command: String) -> (user: String, command: String, simple: Bool)? {
    guard !command.contains(where: { "$`*?[]~<>;&|()\\\n#".contains($0) }), let words = Shlex.split(command), words.count >= 3,
      words[1] != "root", words[1] != "0", !words[1].hasPrefix("-")
    else { return nil }
    if words[0] == "gosu" || words[0] == "su-exec" {
      return (words[1], ShellQuoting.join(Array(words[2...])), true)
    }
    if words[0] == "su", words.count == 4, words[2] == "-c", ShellQuoting.isSingleLine([words[3]]) {
      return (words[1], words[3], false)
    }
    return nil
  }

  /// The `ready=` probe for a wait loop's test: `tcp:PORT` for `nc -z localhost PORT`, else `exec:TEST`.
  static func readyProbe(_ test: String) -> String {
    let words = test.split(separator: " ").map(String.init)
    if words.count == 4, words[0] == "nc", words[1] == "-z", ["127.0.0.1", "localhost"].contains(words[2]),
      let port = Int(words[3]), port > 0, port < 65536
    {
      return "tcp:\(port)"
    }
    return "exec:" + test
  }

  /// An option word for a `# dockadvise-init:` line: as it is, or in single or double quotes when it has
  /// spaces (the init removes them; it knows no escapes). Nil when no quoting can hold it.
  static func initOptionWord(_ word: String) -> String? {
    let bytes = Array(word.utf8)
    if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return nil }
    if !bytes.contains(where: { $0 == 0x20 || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "\"") }) { return word }
    if !bytes.contains(UInt8(ascii: "'")) { return "'\(word)'" }
    if !bytes.contains(UInt8(ascii: "\"")) { return "\"\(word)\"" }
    return nil
  }

  /// A service as a Procfile line (`name: command`), run by dockadvise-init as `/bin/sh -c "exec COMMAND"`
  /// (or without the `exec` when the command starts with `cd`, `.` or `exec`). Nil when the command needs
  /// a newline, which a Procfile cannot hold.
  static func procfileLine(_ service: ServicePlan.Service, prelude: String?) -> String? {
    let command = service.isPlain && prelude == nil ? service.command : service.shellLine(exec: true, prelude: prelude)
    // Bytes, not Characters: "\r\n" is one Character and matches neither "\n" nor "\r".
    guard ShellQuoting.isSingleLine([command]) else { return nil }
    return "\(service.name): \(command)"
  }

  func swiftInit() -> Fix? {
    guard plan.unwatched.isEmpty, plan.sharedShellState == nil, let procfile = procfile(), let procfileFile = generated("Procfile", procfile),
      let initDirectory = contextPath(EmbeddedInit.contextDirectory)
    else { return nil }
    var created = [procfileFile]
    var edits: [TextEdit] = []
    var block: [String] = []
    if !servicePackages.isEmpty {
      guard let install = install(servicePackages) else { return nil }
      block += install
    }
    switch context.initSource {
    case .binary(let binary):
      // A path with blanks or quotes needs COPY's JSON form.
      let plain = binary.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "'" && $0 != "\\" && $0 != "$" }
      block.append("COPY --chmod=755 " + (plain ? "\(binary) /usr/local/bin/dockadvise-init" : Edits.jsonArray([binary, "/usr/local/bin/dockadvise-init"])))
    case .release(let release):
      if dockerfile.stage(named: Self.initStage) == nil {
        edits.append(insertBeforeFinalStage(Self.initReleaseStages(release)))
      }
      block.append("COPY --from=\(Self.initStage) /dockadvise-init /usr/local/bin/dockadvise-init")
    case .build:
      created += EmbeddedInit.files.map { Fix.CreatedFile(path: initDirectory + "/" + $0.path, contents: $0.bytes, executable: $0.executable) }
      created.append(Fix.CreatedFile(path: initDirectory + "/" + EmbeddedInit.manifestName, contents: Array(EmbeddedInit.manifest.utf8)))
      // The build stage goes right before the final stage (earlier stages keep their numbers), once.
      if dockerfile.stage(named: Self.initStage) == nil {
        edits.append(insertBeforeFinalStage(Self.initBuildStage))
      }
      block.append("COPY --from=\(Self.initStage) /dockadvise-init /usr/local/bin/dockadvise-init")
    }
    block.append("COPY \(Self.contextDirectory)/Procfile \(Self.imageDirectory)/Procfile")
    if let setup = setupScript(), let file = generated("setup.sh", setup, executable: true) {
      created.append(file)
      block.append("COPY --chmod=755 \(Self.contextDirectory)/setup.sh \(Self.setupImagePath)")
    }
    if let prelude = preludeScript(), let file = generated("env.sh", prelude) {
      created.append(file)
      block.append("COPY \(Self.contextDirectory)/env.sh \(Self.preludeImagePath)")
    }
    block.append("ENTRYPOINT [\"/usr/local/bin/dockadvise-init\", \"--procfile\", \"\(Self.imageDirectory)/Procfile\"]")
    edits += replaceCommands(with: block)
    if let ignore = dockerignoreEdit() { edits.append(ignore) }
    return Fix(title: "run the services under dockadvise-init (Procfile)", safety: .unsafe, edits: edits, createdFiles: created)
  }

  /// The swift image the init build stage uses (the version the init is developed and tested with).
  static let swiftImage = "swift:6.3"

  /// The stage the final stage copies dockadvise-init from.
  static let initStage = "dockadvise-init"

  /// `--init-source build`: the init compiled from the sources in the context. musl-tools makes
  /// build.sh link the static musl init (about 60 KiB) instead of glibc's (about 720 KiB).
  static let initBuildStage = [
    "FROM \(swiftImage) AS \(initStage)",
    "RUN apt-get update && apt-get install -y --no-install-recommends musl-tools && rm -rf /var/lib/apt/lists/*",
    "COPY \(EmbeddedInit.contextDirectory)/ /src/",
    "RUN DOCKADVISE_INIT_LIBC=musl /src/build.sh /dockadvise-init",
  ]

  /// `--init-source release`: the published init, one stage per architecture (BuildKit builds only the
  /// one TARGETARCH names), each fetched with its checksum, the way s6-overlay's tarballs are added.
  static func initReleaseStages(_ release: InitRelease) -> [String] {
    var stages: [String] = []
    for (targetArch, arch) in InitRelease.architectures {
      guard let checksum = release.checksums[arch] else { continue }
      stages += [
        "FROM scratch AS \(initStage)-\(targetArch)",
        "ADD --checksum=sha256:\(checksum) --chmod=755 \(release.url(arch: arch)) /dockadvise-init",
      ]
    }
    let fallback = InitRelease.architectures[0].targetArch
    return stages + ["FROM \(initStage)-${TARGETARCH:-\(fallback)} AS \(initStage)"]
  }

  /// Lines (and a blank line) inserted right before the final stage's FROM.
  func insertBeforeFinalStage(_ lines: [String]) -> TextEdit {
    let stage = dockerfile.stages[context.image.finalStage]
    let from = FileRange(file: source, range: dockerfile.instructions[stage.fromIndex].range)
    return .insert((lines + [""]).map { $0 + newline }.joined(), at: self.lines(of: from).start, in: source.path)
  }

  // MARK: wrapper

  func wrapperScript() -> String {
    var lines = [
      "#!/bin/bash",
      "# Generated by dockadvise from \(plan.origin) (strategy: wrapper).",
      "# Starts every service; when one exits, stops the others and exits with its status.",
      "# TERM/INT stop them all (status 0 when they all stop cleanly).",
    ]
    let keepsArguments = plan.services.contains(where: \.isArguments)
    if !keepsArguments {
      lines += ["# Arguments (docker run IMAGE COMMAND...) run instead of the services.", "if [ \"$#\" -gt 0 ]; then exec \"$@\"; fi"]
    }
    if !plan.steps.isEmpty {
      lines += setupLines(plan.steps)
      if plan.steps.contains(where: \.isFatal) { lines.append("set +e") }
    }
    // The steps ran in this shell, so a `cd` of the original is already in effect.
    let changesDirectory = plan.steps.contains(where: \.isLiteralDirectoryChange)
    lines += [
      "# Job control: each service runs in its own process group, so its stop signal reaches all of its processes.",
      "set -m",
      "pids=()",
      "signals=()",
      "stop() {",
      "  for i in \"${!pids[@]}\"; do kill -s \"${1:-${signals[$i]}}\" -- \"-${pids[$i]}\" 2>/dev/null; done",
      "}",
      "stopping=",
      "trap 'stopping=1; stop' TERM INT",
    ]
    for service in plan.services {
      let signal = service.stopSignal ?? "TERM"
      if service.isArguments {
        lines.append("if [ \"$#\" -gt 0 ]; then")
        lines.append("  \"$@\" </dev/null &")
        lines.append("  pids+=($!) signals+=(\(signal))")
        lines.append("fi")
      } else {
        var service = service
        if changesDirectory { service.directory = nil }
        // A service the original started under a test: the test stays here, where the original ran it.
        let condition = service.condition
        service.condition = nil
        let indent = condition == nil ? "" : "  "
        if let condition { lines.append("if \(condition); then") }
        lines.append(indent + (service.isPlain ? "\(service.command) </dev/null &" : "(\(service.shellLine(exec: true))) </dev/null &"))
        lines.append(indent + "pids+=($!) signals+=(\(signal))")
        if condition != nil { lines.append("fi") }
      }
    }
    for job in plan.unwatched { lines.append("\(job) </dev/null &") }
    lines += [
      plan.unwatched.isEmpty ? "wait -n" : "wait -n \"${pids[@]}\"",
      "status=$?",
      "stop",
      "# Whatever still runs after the grace period is killed.",
      "(sleep \(Self.wrapperGraceSeconds) && stop KILL) </dev/null &",
      "killer=$!",
      "clean=0",
      "for i in \"${!pids[@]}\"; do",
      "  # A second signal interrupts wait: wait again until the service has ended.",
      "  while wait \"${pids[$i]}\"; code=$?; [ \"$code\" -gt 128 ] && kill -0 \"${pids[$i]}\" 2>/dev/null; do :; done",
      "  case \"$code\" in 0 | 130 | 143 | $((128 + $(kill -l \"${signals[$i]}\")))) ;; *) [ \"$clean\" = 0 ] && clean=$code ;; esac",
      "done",
      "kill -s KILL -- \"-$killer\" 2>/dev/null",
      "if [ -n \"$stopping\" ]; then exit \"$clean\"; fi",
      "exit \"$status\"",
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// How long the wrapper lets services stop before it kills them (below Docker's 10 s).
  static let wrapperGraceSeconds = 5

  func wrapper() -> Fix? {
    guard let script = generated("run-services.sh", wrapperScript(), executable: true) else { return nil }
    var packages: [String] = []
    let tini: String
    if let installed = context.image.components(.tini).first?.path {
      tini = installed
    } else {
      packages.append("tini")
      tini = context.image.family == .alpine ? "/sbin/tini" : "/usr/bin/tini"
    }
    if context.image.family == .alpine { packages.append("bash") }
    packages += servicePackages
    var block: [String] = []
    if !packages.isEmpty {
      guard let install = install(packages) else { return nil }
      block += install
    }
    block.append("COPY --chmod=755 \(Self.contextDirectory)/run-services.sh /usr/local/bin/dockadvise-run-services")
    block.append("ENTRYPOINT [\"\(tini)\", \"-g\", \"--\", \"/usr/local/bin/dockadvise-run-services\"]")
    let keepsCMD = plan.services.contains(where: \.isArguments)
    return Fix(
      title: "run the services from a wait -n wrapper behind tini", safety: .unsafe,
      edits: replaceCommands(with: block, keepingCMD: keepsCMD) + [dockerignoreEdit()].compactMap { $0 }, createdFiles: [script])
  }

  // MARK: s6

  static let s6Version = "3.2.0.2"

  /// A longrun's `run` script: the container's environment (`with-contenv`), stderr with stdout, the
  /// state the original set up, then the service itself in place of the shell.
  func s6RunScript(_ service: ServicePlan.Service) -> String {
    let shell = service.condition != nil && plan.interpreter == "/bin/bash" ? "bash" : "sh"
    var text = "#!/command/with-contenv \(shell)\n# Generated by dockadvise from \(plan.origin).\nexec 2>&1\n"
    for step in plan.prelude { text += step.text + "\n" }
    guard let condition = service.condition else { return text + service.shellLine(exec: true) + "\n" }
    var unconditional = service
    unconditional.condition = nil
    text += "if \(condition); then\n  \(unconditional.shellLine(exec: true))\nfi\n"
    text += "# \(plan.origin) started \(service.name) only when that test held: it idles instead, so that its absence does not stop the container.\n"
    return text + "exec \(ServicePlan.idleCommand)\n"
  }

  func s6() -> Fix? {
    guard plan.unwatched.isEmpty, plan.sharedShellState == nil, let root = contextPath(Self.contextDirectory + "/s6-rc.d") else { return nil }
    var created: [Fix.CreatedFile] = []
    let setup = setupScript()
    if let setup {
      guard let file = generated("setup.sh", setup, executable: true) else { return nil }
      created.append(file)
      created.append(Fix.CreatedFile(path: root + "/setup/type", contents: Array("oneshot\n".utf8)))
      created.append(Fix.CreatedFile(path: root + "/setup/up", contents: Array("/command/with-contenv \(Self.setupImagePath)\n".utf8)))
      created.append(Fix.CreatedFile(path: root + "/setup/dependencies.d/base", contents: []))
      created.append(Fix.CreatedFile(path: root + "/user/contents.d/setup", contents: []))
    }
    // The container's arguments stay CMD: s6-overlay runs CMD as the main program and exits with it.
    for service in plan.services where !service.isArguments {
      let directory = root + "/" + service.name
      created.append(Fix.CreatedFile(path: directory + "/type", contents: Array("longrun\n".utf8)))
      created.append(Fix.CreatedFile(path: directory + "/run", contents: Array(s6RunScript(service).utf8), executable: true))
      created.append(Fix.CreatedFile(path: directory + "/finish", contents: Array(S6Facts.finishScript.utf8), executable: true))
      created.append(Fix.CreatedFile(path: directory + "/timeout-down", contents: Array("\(Self.s6TimeoutDownMilliseconds)\n".utf8)))
      if let signal = service.stopSignal {
        created.append(Fix.CreatedFile(path: directory + "/down-signal", contents: Array("SIG\(signal)\n".utf8)))
      }
      created.append(Fix.CreatedFile(path: directory + "/dependencies.d/base", contents: []))
      if setup != nil { created.append(Fix.CreatedFile(path: directory + "/dependencies.d/setup", contents: [])) }
      created.append(Fix.CreatedFile(path: root + "/user/contents.d/" + service.name, contents: []))
    }
    var block: [String] = []
    var packages = servicePackages
    if !context.image.has(.s6Overlay) {
      packages.append(context.image.family == .alpine ? "xz" : "xz-utils")
    }
    if !packages.isEmpty {
      guard let install = install(packages) else { return nil }
      block += install
    }
    var edits: [TextEdit] = []
    if !context.image.has(.s6Overlay) {
      let url = Self.s6ReleaseURL
      // The arch tarball comes from a stage per architecture, chosen by BuildKit's TARGETARCH: only
      // the stage the build needs is built, so only noarch and the target's tarball are fetched.
      if dockerfile.stage(named: Self.s6ArchStage) == nil {
        let stage = dockerfile.stages[context.image.finalStage]
        let from = FileRange(file: source, range: dockerfile.instructions[stage.fromIndex].range)
        var stages: [String] = []
        for (platform, arch) in Self.s6Architectures {
          stages += [
            "FROM scratch AS \(Self.s6ArchStage)-\(platform)",
            "ARG S6_OVERLAY_VERSION=\(Self.s6Version)",
            "ADD \(url)/s6-overlay-\(arch).tar.xz /s6-overlay-arch.tar.xz",
          ]
        }
        stages += ["FROM \(Self.s6ArchStage)-${TARGETARCH:-amd64} AS \(Self.s6ArchStage)", ""]
        edits.append(.insert(stages.map { $0 + newline }.joined(), at: lines(of: from).start, in: source.path))
      }
      block += [
        "ARG S6_OVERLAY_VERSION=\(Self.s6Version)",
        "ADD \(url)/s6-overlay-noarch.tar.xz /tmp/",
        "COPY --from=\(Self.s6ArchStage) /s6-overlay-arch.tar.xz /tmp/",
        "RUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz && tar -C / -Jxpf /tmp/s6-overlay-arch.tar.xz && rm -f /tmp/s6-overlay-*.tar.xz",
      ]
    }
    block.append("COPY \(Self.contextDirectory)/s6-rc.d/ /etc/s6-overlay/s6-rc.d/")
    if setup != nil { block.append("COPY --chmod=755 \(Self.contextDirectory)/setup.sh \(Self.setupImagePath)") }
    block.append("ENV S6_BEHAVIOUR_IF_STAGE2_FAILS=2 S6_KILL_GRACETIME=100 S6_SERVICES_GRACETIME=5000 S6_CMD_WAIT_FOR_SERVICES_MAXTIME=0")
    block.append("ENTRYPOINT [\"/init\"]")
    let keepsCMD = plan.services.contains(where: \.isArguments)
    return Fix(
      title: "run the services under s6-overlay v3", safety: .unsafe,
      edits: edits + replaceCommands(with: block, keepingCMD: keepsCMD) + [dockerignoreEdit()].compactMap { $0 }, createdFiles: created)
  }

  static let s6ReleaseURL = "https://github.com/just-containers/s6-overlay/releases/download/v${S6_OVERLAY_VERSION}"
  /// The stage that holds the s6-overlay tarball of the target architecture.
  static let s6ArchStage = "s6-overlay-arch"
  /// Docker's TARGETARCH and the name s6-overlay's release gives that architecture.
  static let s6Architectures = [("amd64", "x86_64"), ("arm64", "aarch64")]
  /// How long s6-rc waits for a longrun to go down before it moves on (a server that ignores TERM
  /// would otherwise hold the container's stop forever; s6-rc has no default limit).
  static let s6TimeoutDownMilliseconds = 3000

  // MARK: tini in front (DA206)

  /// Installs tini and puts it in front of the exec-form ENTRYPOINT (or CMD).
  static func tiniFix(_ context: LintContext) -> Fix? {
    guard !context.image.has(.tini) else { return nil }
    let renderer = StrategyRenderer(context: context, plan: ServicePlan(origin: ""), strategy: .wrapper)
    guard let install = renderer.install(["tini"]) else { return nil }
    let path = context.image.family == .alpine ? "/sbin/tini" : "/usr/bin/tini"
    if let entrypoint = context.image.entrypoint {
      guard entrypoint.stage == context.image.finalStage, let first = entrypoint.words?.first?.location else { return nil }
      return Fix(
        title: "install tini and run it as PID 1", safety: .unsafe,
        edits: install.map { Edits.insertLine($0, before: entrypoint.keyword) } + [Edits.insert([path, "-g", "--"], before: first, json: true)])
    }
    guard let cmd = context.image.cmd, cmd.stage == context.image.finalStage else { return nil }
    return Fix(
      title: "install tini and run it as PID 1", safety: .unsafe,
      edits: (install + ["ENTRYPOINT [\"\(path)\", \"-g\", \"--\"]"]).map { Edits.insertLine($0, before: cmd.keyword) })
  }
}
