import DockerfileParser
import Foundation
import MultiProcAdvisor

/// `dockadvise fix [--diff | --check | --write] [--unsafe] [--strategy S] [--init-binary PATH] [--context DIR]
/// [--target STAGE] [--force] PATH...`: applies the rules' fixes to a fixed point and shows, checks or
/// writes the result.
enum FixCommand {
  static let command = CLI.Command(
    name: "fix", summary: "rewrite a Dockerfile (and the files it runs) so PID 1 behaves",
    usage: """
      usage: dockadvise fix [--diff | --check | --write] [OPTIONS] PATH...

      Applies every fix dockadvise knows, re-checking after each round until nothing changes. PATH is a
      Dockerfile, a directory holding one (Dockerfile or Containerfile), or '-' for standard input (with
      --diff or --check). Safe fixes keep what the image runs (exec form, `exec`, foreground flags,
      STOPSIGNAL…); --unsafe or --strategy also restructure how several services run.

      modes:
        --diff               print a unified diff (git format) of every change and new file; write nothing (default)
        --check              print nothing; exit 1 when something would change (for CI and pre-commit)
        --write              write the changes: atomically, keeping file modes, never through a symlink
                             that leads out of the build context; nothing is written if any file cannot be

      options:
        --unsafe             also apply fixes that restructure the services (the strategy below)
        --strategy S         swift-init (default): dockadvise-init runs a Procfile; s6: s6-overlay v3;
                             wrapper: a `wait -n` bash script behind tini. Implies --unsafe
        --init-binary PATH   a prebuilt dockadvise-init inside the build context, copied into the image
                             instead of building it in a `FROM swift` stage (make one with
                             `dockadvise emit-init DIR && DIR/build.sh OUT`)
        --context DIR        the build context (default: each Dockerfile's directory)
        --target STAGE       fix the image of this stage rather than the last one
        --rules CODES        only the fixes of these rules (DA101,DA107 or their names, comma-separated)
        -f, --force          let --write replace files that exist and were not written by dockadvise
                             (an existing dockadvise/Procfile, for example)

      Findings that no fix removes are listed on standard error after the diff.
      Before anything is shown or written, every changed or created file is read again and the image
      linted again: when a fix leaves a file that does not parse, a finding that was not there, or the
      finding it was for, nothing is written and the fix is named.
      Exit status: 0 done (with --check: nothing would change), 1 with --check when something would
      change, 2 on a usage error, an unreadable input, when the fixes fail that check, or when writing
      is refused.

      """, run: run)

  enum Mode: String {
    case diff, check, write
  }

  /// What the command line asked for.
  struct Options: Equatable {
    var mode = Mode.diff
    var unsafe = false
    var strategy: Strategy? = nil
    var initBinary: String? = nil
    var context: String? = nil
    var target: String? = nil
    var force = false
    /// `--rules DA101,DA102`: only these rules' fixes.
    var rules: Set<String>? = nil
    var paths: [String] = []
  }

  static let flags = [
    "--diff", "--check", "--write", "--unsafe", "--strategy", "--init-binary", "--context", "--target", "--force", "--rules",
  ]

  /// Reads the arguments; a message for the user when they make no sense.
  static func parse(_ arguments: [String]) -> Result<Options, UsageError> {
    var options = Options()
    var modes: [Mode] = []
    var index = 0
    func value(_ flag: String, _ inline: String?) -> Result<String, UsageError> {
      if let inline { return inline.isEmpty ? .failure(UsageError("\(flag) needs a value")) : .success(inline) }
      guard index < arguments.count, !arguments[index].isEmpty else { return .failure(UsageError("\(flag) needs a value")) }
      index += 1
      return .success(arguments[index - 1])
    }
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if argument == "--" {
        options.paths += arguments[index...]
        break
      }
      guard argument.hasPrefix("-"), argument != "-" else {
        options.paths.append(argument)
        continue
      }
      var flag = argument
      var inline: String? = nil
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        flag = String(argument[..<equals])
        inline = String(argument[argument.index(after: equals)...])
      }
      switch flag {
      case "--diff", "--check", "--write", "--unsafe", "--force", "-f":
        if inline != nil { return .failure(UsageError("\(flag) takes no value")) }
        switch flag {
        case "--diff": modes.append(.diff)
        case "--check": modes.append(.check)
        case "--write": modes.append(.write)
        case "--unsafe": options.unsafe = true
        default: options.force = true
        }
      case "--strategy":
        switch value(flag, inline) {
        case .failure(let error): return .failure(error)
        case .success(let name):
          guard let strategy = Strategy(rawValue: name) else {
            let names = Strategy.allCases.map(\.rawValue)
            let suggestion = Suggestion.closest(to: name, among: names).map { " (did you mean '\($0)'?)" } ?? ""
            return .failure(UsageError("unknown strategy '\(name)'\(suggestion); expected \(names.joined(separator: ", "))"))
          }
          options.strategy = strategy
        }
      case "--init-binary", "--context", "--target":
        switch value(flag, inline) {
        case .failure(let error): return .failure(error)
        case .success(let text):
          if flag == "--init-binary" { options.initBinary = text } else if flag == "--context" { options.context = text } else { options.target = text }
        }
      case "--rules":
        switch value(flag, inline) {
        case .failure(let error): return .failure(error)
        case .success(let text):
          switch ruleCodes(text) {
          case .failure(let error): return .failure(error)
          case .success(let codes): options.rules = (options.rules ?? []).union(codes)
          }
        }
      default:
        let suggestion = Suggestion.closest(to: flag, among: flags).map { " (did you mean '\($0)'?)" } ?? ""
        return .failure(UsageError("unknown option '\(flag)'\(suggestion)"))
      }
    }
    if Set(modes).count > 1 { return .failure(UsageError("choose one of --diff, --check and --write")) }
    options.mode = modes.first ?? .diff
    guard !options.paths.isEmpty else { return .failure(UsageError("expected a Dockerfile (or a directory, or '-')")) }
    if options.paths.contains("-") {
      if options.mode == .write { return .failure(UsageError("--write cannot write standard input; use --diff or --check")) }
      if options.paths.count > 1 { return .failure(UsageError("'-' (standard input) cannot be combined with other paths")) }
    }
    return .success(options)
  }

  /// The codes of `DA101,shell-form-pid1,…`.
  static func ruleCodes(_ text: String) -> Result<Set<String>, UsageError> {
    var ids: [String] = []
    var names: [String] = []
    for rule in RuleRegistry.all {
      ids.append(rule.description.id)
      names.append(rule.description.name)
    }
    var codes = Set<String>()
    for word in text.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
      if let index = ids.firstIndex(where: { $0.lowercased() == word.lowercased() }) ?? names.firstIndex(of: word) {
        codes.insert(ids[index])
      } else {
        let suggestion = Suggestion.closest(to: word, among: ids + names).map { " (did you mean '\($0)'?)" } ?? ""
        return .failure(UsageError("unknown rule '\(word)'\(suggestion)"))
      }
    }
    return .success(codes)
  }

  /// A usage mistake, reported with exit status 2.
  struct UsageError: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
  }

  /// One Dockerfile to fix: where it is, its build context, and how both are shown.
  struct Input {
    var source: SourceFile
    /// The Dockerfile's absolute path (nil for standard input).
    var absolutePath: String?
    var contextRoot: String
    var contextDisplay: String
  }

  static func run(_ arguments: [String], _ environment: [String: String], _ io: CommandIO) -> ExitCode {
    let options: Options
    switch parse(arguments) {
    case .failure(let error):
      io.stderr.write("dockadvise: fix: \(error.message)\n")
      io.stderr.write("run 'dockadvise fix --help' for the options\n")
      return .failure
    case .success(let parsed):
      options = parsed
    }
    let strategy = options.strategy ?? .swiftInit
    let includeUnsafe = options.unsafe || options.strategy != nil

    var targets: [FixWriter.Target] = []
    var changes: [UnifiedDiff.Change] = []
    var remarks: [String] = []
    var replaced: [String] = []
    for path in options.paths {
      let input: Input
      switch load(path, options: options, io: io) {
      case .failure(let error):
        io.stderr.write("dockadvise: fix: \(error.message)\n")
        return .failure
      case .success(let loaded):
        input = loaded
      }
      let context = DiskBuildContext(root: input.contextRoot, displayRoot: input.contextDisplay)
      var request = Linter.Request(
        dockerfile: input.source, context: context, target: options.target, strategy: strategy)
      if let binary = options.initBinary {
        switch initBinaryPath(binary, input: input, context: context, io: io) {
        case .failure(let error):
          io.stderr.write("dockadvise: fix: \(error.message)\n")
          return .failure
        case .success(let relative):
          request.initBinary = relative
        }
      }
      let parsed = Dockerfile.parse(input.source)
      if parsed.hasErrors {
        for issue in parsed.issues where issue.severity == .error { io.stderr.write(issue.formatted(in: input.source) + "\n") }
        io.stderr.write("dockadvise: fix: \(input.source.path) does not parse as BuildKit reads it; nothing was fixed\n")
        return .failure
      }
      if let target = options.target, parsed.stage(named: target) == nil {
        io.stderr.write("dockadvise: fix: \(input.source.path): no stage named '\(target)'\n")
        return .failure
      }
      var fixOptions = Fixer.Options(includeUnsafe: includeUnsafe, strategy: strategy, rules: options.rules)
      fixOptions.strategyRequested = options.strategy != nil
      let outcome = Fixer.fix(request, options: fixOptions)
      if outcome.hitPassLimit {
        io.stderr.write("dockadvise: fix: internal error: the fixes for \(input.source.path) did not settle after \(outcome.passes) passes; nothing was written\n")
        return .failure
      }
      // The gate: the result must read, and lint no worse, before anything is shown or written.
      if !outcome.files.isEmpty {
        let problems = FixVerification.check(request, options: fixOptions, outcome: outcome)
        if !problems.isEmpty {
          for problem in problems { io.stderr.write("dockadvise: fix: \(problem)\n") }
          io.stderr.write("dockadvise: fix: the fixes for \(input.source.path) would make it worse (above); nothing was written\n")
          return .failure
        }
      }
      // Every file the fixes touched, the Dockerfile first.
      func rank(_ path: String) -> Int { path == input.source.path ? 0 : outcome.created.contains(path) ? 2 : 1 }
      let paths = outcome.files.keys.sorted { rank($0) != rank($1) ? rank($0) < rank($1) : $0 < $1 }
      for displayPath in paths {
        let bytes = outcome.files[displayPath]!
        let created = outcome.created.contains(displayPath)
        let realPath: String
        switch self.realPath(displayPath, input: input) {
        case .failure(let problem):
          io.stderr.write("dockadvise: fix: \(problem)\n")
          return .failure
        case .success(let resolved):
          realPath = resolved
        }
        var old: [UInt8]?
        if displayPath == input.source.path {
          old = input.source.bytes
        } else {
          do { old = try FixWriter.read(realPath) } catch {
            io.stderr.write("dockadvise: fix: \(error)\n")
            return .failure
          }
        }
        if created, let existing = old, existing != bytes { replaced.append(displayPath) }
        changes.append(UnifiedDiff.Change(path: displayPath, old: old, new: bytes, executable: outcome.executable.contains(displayPath)))
        targets.append(
          FixWriter.Target(displayPath: displayPath, path: realPath, bytes: bytes, created: created, executable: outcome.executable.contains(displayPath)))
      }
      // Findings without a fix of their own that the --unsafe restructuring removes (DA101 on
      // `CMD a & b` goes with DA201's strategy) say so, rather than "no automatic fix".
      var goneWithUnsafe: Set<String> = []
      if !includeUnsafe, outcome.remaining.contains(where: { $0.fix == nil }) {
        var unsafeOptions = fixOptions
        unsafeOptions.includeUnsafe = true
        let unsafeOutcome = Fixer.fix(request, options: unsafeOptions)
        if !unsafeOutcome.hitPassLimit {
          let left = Set(unsafeOutcome.remaining.map(identity))
          goneWithUnsafe = Set(outcome.remaining.filter { $0.fix == nil }.map(identity)).subtracting(left)
        }
      }
      remarks += unfixed(outcome, includeUnsafe: includeUnsafe, rules: options.rules, goneWithUnsafe: goneWithUnsafe)
      // A fix skipped because a user's file cannot be edited safely is named even when the other fixes
      // made its finding go away (one finish script that stops the container is enough for DA402).
      let left = Set(outcome.remaining.map(identity))
      for finding in outcome.passFindings.first ?? [] where finding.fix == nil && !left.contains(identity(finding)) {
        guard let skipped = finding.notes.first(where: { $0.message.hasPrefix(S6Facts.skippedNotePrefix) }) else { continue }
        remarks.append("dockadvise: fix: \(finding.ruleID) \(skipped.message) (the other fixes were applied)")
      }
      if let refusal = outcome.strategyRefusal, outcome.remaining.contains(where: { $0.fix == nil && $0.severity == .error }) {
        remarks.append("dockadvise: fix: the \(fixOptions.strategy.rawValue) strategy leaves the services where they are: \(refusal)")
      }
    }

    let changed = changes.contains { $0.old != $0.new }
    switch options.mode {
    case .diff:
      io.stdout.write(UnifiedDiff.render(changes))
    case .check:
      break
    case .write:
      do {
        let plan = try FixWriter.plan(targets, force: options.force)
        try FixWriter.commit(plan)
        if !plan.isEmpty { io.stderr.write("dockadvise: fix: wrote \(summary(plan.map(\.displayPath)))\n") }
      } catch {
        io.stderr.write("dockadvise: fix: \(error)\n")
        return .failure
      }
    }
    if options.mode != .write {
      for path in replaced {
        io.stderr.write("dockadvise: fix: \(path) exists and would be replaced\(options.force ? "" : " (--write refuses unless dockadvise wrote it, or with --force)")\n")
      }
    }
    if !remarks.isEmpty { io.stderr.write(remarks.joined(separator: "\n") + "\n") }
    if options.mode == .check && changed { return .findings }
    return .success
  }

  /// Paths for the "wrote" line, the init sources counted rather than listed.
  static func summary(_ paths: [String]) -> String {
    var items: [String] = []
    var folders: [String: Int] = [:]
    for path in paths {
      if let range = path.range(of: EmbeddedInit.contextDirectory + "/"), range.lowerBound == path.startIndex || path[path.index(before: range.lowerBound)] == "/" {
        let folder = String(path[..<range.upperBound])
        if folders[folder] == nil { items.append(folder) }
        folders[folder, default: 0] += 1
      } else {
        items.append(path)
      }
    }
    return items.map { item in folders[item].map { "\(item) (\($0) files)" } ?? item }.joined(separator: ", ")
  }

  /// The findings left after fixing, one line each, saying why they were not fixed.
  /// A finding's identity across passes of the fixer (its position may move with other edits).
  static func identity(_ finding: Finding) -> String {
    "\(finding.ruleID)\u{0}\(finding.location.file.path)\u{0}\(finding.message)"
  }

  static func unfixed(_ outcome: Fixer.Outcome, includeUnsafe: Bool, rules: Set<String>?, goneWithUnsafe: Set<String> = []) -> [String] {
    outcome.remaining.map { finding in
      var line = "\(finding.location.file.path):\(finding.location.start): \(finding.severity.rawValue): \(finding.ruleID) \(finding.ruleName): \(finding.message)"
      if let fix = finding.fix, let rules, !rules.contains(finding.ruleID) {
        line += " (its fix is not among --rules: \(fix.title))"
      } else if let fix = finding.fix {
        line += fix.safety == .unsafe && !includeUnsafe ? " (fix with --unsafe: \(fix.title))" : " (its fix could not be applied: \(fix.title))"
      } else if goneWithUnsafe.contains(identity(finding)) {
        line += " (removed by the fixes --unsafe applies)"
      } else if let skipped = finding.notes.first(where: { $0.message.hasPrefix(S6Facts.skippedNotePrefix) }) {
        line += " (\(skipped.message))"
      } else {
        line += " (no automatic fix)"
      }
      return line
    }
  }

  /// Reads one PATH and settles its build context.
  static func load(_ path: String, options: Options, io: CommandIO) -> Result<Input, UsageError> {
    let contextDisplay: String
    var contextRoot: String
    var dockerfilePath = path
    if path != "-" {
      let absolute = FixWriter.absolute(path, in: io.currentDirectory)
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
        // A symlink loop or a dangling symlink: say which, as the read does.
        var info = stat()
        if lstat(absolute, &info) == 0, case .failure(let error) = FileInput.read(path, io: io) {
          return .failure(UsageError("\(path): \(error.message)"))
        }
        return .failure(UsageError("\(path): no such file or directory"))
      }
      if isDirectory.boolValue {
        guard let name = ["Dockerfile", "Containerfile"].first(where: { FileManager.default.fileExists(atPath: absolute + "/" + $0) }) else {
          return .failure(UsageError("\(path): no Dockerfile or Containerfile in this directory"))
        }
        dockerfilePath = path.hasSuffix("/") ? path + name : path + "/" + name
        while dockerfilePath.hasPrefix("./") { dockerfilePath.removeFirst(2) }
      }
    }
    if let context = options.context {
      contextDisplay = context.count > 1 && context.hasSuffix("/") ? String(context.dropLast()) : context
    } else if path == "-" {
      contextDisplay = "."
    } else if let slash = dockerfilePath.lastIndex(of: "/") {
      contextDisplay = slash == dockerfilePath.startIndex ? "/" : String(dockerfilePath[..<slash])
    } else {
      contextDisplay = "."
    }
    contextRoot = FixWriter.absolute(contextDisplay, in: io.currentDirectory)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: contextRoot, isDirectory: &isDirectory), isDirectory.boolValue else {
      return .failure(UsageError("build context '\(contextDisplay)' is not a directory"))
    }
    if contextRoot.count > 1 && contextRoot.hasSuffix("/") { contextRoot.removeLast() }
    switch FileInput.read(dockerfilePath, io: io) {
    case .failure(let error):
      return .failure(UsageError("\(dockerfilePath): \(error.message)"))
    case .success(let source):
      let absolute = path == "-" ? nil : FixWriter.absolute(dockerfilePath, in: io.currentDirectory)
      return .success(Input(source: source, absolutePath: absolute, contextRoot: contextRoot, contextDisplay: contextDisplay))
    }
  }

  /// `--init-binary PATH` as a path relative to the build context; it must be a file inside it.
  static func initBinaryPath(_ path: String, input: Input, context: DiskBuildContext, io: CommandIO) -> Result<String, UsageError> {
    let absolute = FixWriter.absolute(path, in: io.currentDirectory)
    let root = input.contextRoot == "/" ? "" : input.contextRoot
    guard absolute.hasPrefix(root + "/") else {
      return .failure(UsageError("--init-binary '\(path)' is outside the build context '\(input.contextDisplay)'; copy the binary into it"))
    }
    let relative = String(absolute.dropFirst(root.count + 1))
    switch context.entry(relative) {
    case .file: break
    case .missing: return .failure(UsageError("--init-binary '\(path)': no such file (build one with 'dockadvise emit-init DIR && DIR/build.sh \(path)')"))
    case .outsideContext: return .failure(UsageError("--init-binary '\(path)' leads outside the build context through a symlink"))
    case .directory: return .failure(UsageError("--init-binary '\(path)' is a directory"))
    case .unreadable(let reason): return .failure(UsageError("--init-binary '\(path)': \(reason)"))
    }
    let ignore = ["Dockerfile.dockerignore", ".dockerignore"].lazy.compactMap { name -> DockerIgnore? in
      if case .file(let bytes, _) = context.entry(name) { return DockerIgnore(text: String(decoding: bytes, as: UTF8.self)) }
      return nil
    }.first
    if let ignore, ignore.excludes(relative) {
      return .failure(UsageError("--init-binary '\(path)' is excluded by .dockerignore, so the build could not copy it"))
    }
    return .success(relative)
  }

  /// Where a display path of the fixer's outcome is on disk.
  static func realPath(_ displayPath: String, input: Input) -> Result<String, FixWriter.Problem> {
    let root = input.contextRoot
    if displayPath == input.source.path {
      guard let absolute = input.absolutePath else { return .success("<stdin>") }
      let prefix = root == "/" ? "/" : root + "/"
      if absolute.hasPrefix(prefix) { return FixWriter.resolve(String(absolute.dropFirst(prefix.count)), in: root == "/" ? "" : root) }
      // A Dockerfile outside the context (`-f`): the file the user named, through its symlinks.
      return .success(URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path)
    }
    let display = input.contextDisplay
    var relative: String
    if display.isEmpty || display == "." {
      relative = displayPath
    } else {
      let prefix = display.hasSuffix("/") ? display : display + "/"
      guard displayPath.hasPrefix(prefix) else { return .failure(.outsideContext(displayPath)) }
      relative = String(displayPath.dropFirst(prefix.count))
    }
    while relative.hasPrefix("./") { relative.removeFirst(2) }
    return FixWriter.resolve(relative, in: root == "/" ? "" : root)
  }
}
