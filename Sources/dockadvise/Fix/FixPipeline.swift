import DockerfileParser
import MultiProcAdvisor

/// One Dockerfile through `fix`: read it and its context, run the fixer to its fixed point, pass the
/// verification gate, and collect what would change on disk. Nothing is written here.
struct FixPipeline {
  /// What fixing one Dockerfile gives.
  struct Output {
    var targets: [FixWriter.Target] = []
    var changes: [UnifiedDiff.Change] = []
    /// Created files that already exist with other contents.
    var replaced: [String] = []
    /// The findings left, one line each.
    var remarks: [String] = []
  }

  /// Why a Dockerfile cannot be fixed: the lines to print on standard error (without the command prefix
  /// when `raw`).
  struct Failure: Error {
    var lines: [(text: String, raw: Bool)]
    init(_ message: String) { lines = [(message, false)] }
    init(lines: [(text: String, raw: Bool)]) { self.lines = lines }
  }

  var options: FixOptions
  var io: CommandIO

  func run(_ path: String) -> Result<Output, Failure> {
    var output = Output()
    let strategy = options.effectiveStrategy
    let includeUnsafe = options.includeUnsafe
    let input: FixInput
    switch FixInput.load(path, options: options, io: io) {
    case .failure(let problem):
      return .failure(Failure(problem.description))
    case .success(let loaded):
      input = loaded
    }
    let context = DiskBuildContext(root: input.contextRoot, displayRoot: input.contextDisplay)
    var request = Linter.Request(
      dockerfile: input.source, context: context, target: options.target, strategy: strategy)
    switch FixInput.initSource(options, input: input, context: context, io: io) {
    case .failure(let problem):
      return .failure(Failure(problem.description))
    case .success(let source):
      request.initSource = source
    }
    let parsed = Dockerfile.parse(input.source)
    if parsed.hasErrors {
      let issues = parsed.issues.filter { $0.severity == .error }.map { (text: $0.formatted(in: input.source), raw: true) }
      return .failure(Failure(lines: issues + [("\(input.source.path) does not parse as BuildKit reads it; nothing was fixed", false)]))
    }
    if let target = options.target, parsed.stage(named: target) == nil {
      return .failure(Failure("\(input.source.path): no stage named '\(target)'"))
    }
    var fixOptions = Fixer.Options(includeUnsafe: includeUnsafe, strategy: strategy, rules: options.rules)
    fixOptions.strategyRequested = options.strategy != nil
    let outcome = Fixer.fix(request, options: fixOptions)
    if outcome.hitPassLimit {
      return .failure(Failure("internal error: the fixes for \(input.source.path) did not settle after \(outcome.passes) passes; nothing was written"))
    }
    // The gate: the result must read, and lint no worse, before anything is shown or written.
    if !outcome.files.isEmpty {
      let problems = FixVerification.check(request, options: fixOptions, outcome: outcome)
      if !problems.isEmpty {
        let lines = problems.map { (text: "\($0)", raw: false) }
        return .failure(Failure(lines: lines + [("the fixes for \(input.source.path) would make it worse (above); nothing was written", false)]))
      }
    }
    // Every file the fixes touched, the Dockerfile first.
    func rank(_ path: String) -> Int { path == input.source.path ? 0 : outcome.created.contains(path) ? 2 : 1 }
    let paths = outcome.files.keys.sorted { rank($0) != rank($1) ? rank($0) < rank($1) : $0 < $1 }
    for displayPath in paths {
      let bytes = outcome.files[displayPath]!
      let created = outcome.created.contains(displayPath)
      let realPath: String
      switch FixInput.realPath(displayPath, input: input) {
      case .failure(let problem):
        return .failure(Failure("\(problem)"))
      case .success(let resolved):
        realPath = resolved
      }
      var old: [UInt8]?
      if displayPath == input.source.path {
        old = input.source.bytes
      } else {
        do { old = try FixWriter.read(realPath) } catch {
          return .failure(Failure("\(error)"))
        }
      }
      if created, let existing = old, existing != bytes { output.replaced.append(displayPath) }
      output.changes.append(UnifiedDiff.Change(path: displayPath, old: old, new: bytes, executable: outcome.executable.contains(displayPath)))
      output.targets.append(
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
        let left = Set(unsafeOutcome.remaining.map(FixRemarks.identity))
        goneWithUnsafe = Set(outcome.remaining.filter { $0.fix == nil }.map(FixRemarks.identity)).subtracting(left)
      }
    }
    output.remarks = FixRemarks.unfixed(outcome, includeUnsafe: includeUnsafe, rules: options.rules, goneWithUnsafe: goneWithUnsafe)
      + FixRemarks.skipped(outcome, strategy: fixOptions.strategy)
    return .success(output)
  }
}
