import DockerfileParser

/// Runs every rule over one Dockerfile and filters the findings through the configuration and the
/// suppression comments.
public enum Linter {
  /// What to lint.
  public struct Request: Sendable {
    public var dockerfile: SourceFile
    public var context: any BuildContext
    public var target: String?
    public var configuration: Configuration
    public var buildArguments: [String: String]
    /// The strategy whose fix the multi-service rules offer.
    public var strategy: Strategy
    /// `--init-source`: how dockadvise-init gets into the image the swift-init strategy writes.
    public var initSource: InitSource = .build
    /// The user asked for a strategy by name (`--strategy`): rules whose own fix keeps the current
    /// supervisor (DA301's exit listener) offer the migration instead.
    public var strategyRequested = false

    public init(
      dockerfile: SourceFile, context: any BuildContext, target: String? = nil, configuration: Configuration = Configuration(),
      buildArguments: [String: String] = [:], strategy: Strategy = .swiftInit
    ) {
      self.dockerfile = dockerfile
      self.context = context
      self.target = target
      self.configuration = configuration
      self.buildArguments = buildArguments
      self.strategy = strategy
    }
  }

  /// The outcome for one Dockerfile.
  public struct Result: Sendable {
    public var dockerfile: Dockerfile
    public var findings: [Finding]
    /// The model the rules saw (nil only when the file has no stage at all).
    public var context: LintContext
  }

  /// Reads `.dockerignore`: `<Dockerfile name>.dockerignore` beside the Dockerfile wins over the
  /// context root's `.dockerignore`, as in BuildKit.
  static func dockerIgnore(for request: Request) -> DockerIgnore {
    let name = DaemonCatalog.basename(request.dockerfile.path)
    let candidates = [name + ".dockerignore", ".dockerignore"]
    for candidate in candidates {
      if case .file(let bytes, _) = request.context.entry(candidate) {
        return DockerIgnore(text: String(decoding: bytes, as: UTF8.self))
      }
    }
    return .empty
  }

  public static func analyse(_ request: Request) -> LintContext {
    let dockerfile = Dockerfile.parse(request.dockerfile)
    let reader = ContextReader(context: request.context, ignore: dockerIgnore(for: request))
    let image = ImageModelBuilder(dockerfile: dockerfile, reader: reader, target: request.target, buildArguments: request.buildArguments).build()
    let launch = LaunchBuilder(dockerfile: dockerfile, image: image, configuration: request.configuration).build()
    var s6 = S6Layout.read(image.files)
    // Services a cont-init.d script creates when the container starts.
    if let runtime = StartupWrites.files(image, startupScripts: s6.contInit) { s6 = S6Layout.read(runtime) }
    let runit = RunitLayout.read(image.files)
    let services = ServiceAnalysis(image: image, launch: launch, s6: s6, runit: runit).programs()
    return LintContext(
      dockerfile: dockerfile, configuration: request.configuration, image: image, launch: launch, s6: s6, runit: runit,
      servicePrograms: services,
      fixRequest: LintContext.FixRequest(strategy: request.strategy, initSource: request.initSource, strategyRequested: request.strategyRequested))
  }

  public static func lint(_ request: Request) -> Result {
    let context = analyse(request)
    return Result(dockerfile: context.dockerfile, findings: findings(in: context), context: context)
  }

  /// Runs the rules and applies configuration and suppressions.
  public static func findings(in context: LintContext) -> [Finding] {
    var findings: [Finding] = []
    for rule in RuleRegistry.all {
      let description = rule.description
      if context.configuration.isIgnored(id: description.id, name: description.name) { continue }
      let severity = context.configuration.severity(of: description)
      for var finding in rule.init().check(context) {
        finding.severity = severity
        findings.append(finding)
      }
    }
    return Suppressions.filter(pointedIntoWrittenFiles(findings, context: context), context: context).sorted(by: Finding.reportOrder)
  }

  /// Findings (and notes) in text a build script or a heredoc writes (`install.sh (/etc/supervisor/conf.d/a.conf)`)
  /// point where that text is written, so editors, SARIF and GitHub annotations open a real file.
  static func pointedIntoWrittenFiles(_ findings: [Finding], context: LintContext) -> [Finding] {
    var files: [String: ImageFile?] = [:]
    func written(_ location: FileRange) -> FileRange? {
      let name = location.file.path
      if files[name] == nil {
        // Written by a RUN or a build script (in the image), or by the entrypoint before it execs supervisord.
        let path = ImageFile.pathOfReadableSource(name)
        let startWritten = context.launch.supervisord?.configWrittenAtStart ?? []
        files[name] = path.flatMap { path in context.image.files.file(at: path) ?? startWritten.first { $0.path == path } }.flatMap {
          $0.readableSource.path == name && !$0.isWholeSourceFile ? $0 : nil
        }
      }
      guard let file = files[name] ?? nil else { return nil }
      return file.sourceLocation(location.range)
    }
    return findings.map { finding in
      var finding = finding
      if let location = written(finding.location) { finding.location = location }
      finding.notes = finding.notes.map { note in
        var note = note
        if let location = note.location, let mapped = written(location) { note.location = mapped }
        return note
      }
      return finding
    }
  }
}

extension Suppressions {
  /// Drops findings silenced by a pragma in their own file or above the Dockerfile instruction they stem from.
  static func filter(_ findings: [Finding], context: LintContext) -> [Finding] {
    var byFile: [String: Suppressions] = [:]
    func suppressions(for file: SourceFile) -> Suppressions {
      if let cached = byFile[file.path] { return cached }
      let statements: [(Int, Int)]
      if file.path == context.dockerfile.source.path {
        statements = context.dockerfile.instructions.map { ($0.startLine, $0.endLine) }
      } else {
        statements = context.shellPrograms.filter { $0.source.path == file.path }.flatMap { program in
          program.facts.commands.map { ($0.location.start.line, $0.location.end.line) }
        }
      }
      let result = Suppressions(file: file, statements: statements)
      byFile[file.path] = result
      return result
    }
    return findings.filter { finding in
      let own = suppressions(for: finding.location.file)
      if own.suppresses(id: finding.ruleID, name: finding.ruleName, line: finding.location.start.line) { return false }
      if let instruction = finding.instruction,
        suppressions(for: instruction.file).suppresses(id: finding.ruleID, name: finding.ruleName, line: instruction.start.line)
      {
        return false
      }
      // Global pragmas of the Dockerfile apply to findings in every file of the image.
      let dockerfileSuppressions = suppressions(for: context.dockerfile.source)
      if finding.location.file.path != context.dockerfile.source.path,
        dockerfileSuppressions.suppressesGlobally(id: finding.ruleID, name: finding.ruleName)
      {
        return false
      }
      return true
    }
  }
}
