import DockerfileParser

/// Applies fixes to a fixed point: lint, apply every fix that does not overlap another, re-parse and
/// re-lint the result, until nothing applies (at most `maximumPasses`; reaching the cap is a bug).
public enum Fixer {
  /// Which fixes to apply.
  public struct Options: Sendable {
    /// Apply `unsafe` fixes (strategies) too.
    public var includeUnsafe: Bool
    public var strategy: Strategy
    public var maximumPasses: Int
    /// Only fixes of these rules (codes); nil for all.
    public var rules: Set<String>?
    /// The strategy was asked for by name (`--strategy`), so migrations win over fixes that keep the
    /// current supervisor.
    public var strategyRequested = false

    public init(includeUnsafe: Bool = false, strategy: Strategy = .swiftInit, maximumPasses: Int = 8, rules: Set<String>? = nil) {
      self.includeUnsafe = includeUnsafe
      self.strategy = strategy
      self.maximumPasses = maximumPasses
      self.rules = rules
    }
  }

  /// The files after fixing: everything that changed or was created, by the path findings use.
  public struct Outcome: Sendable {
    /// New content of every file that changed, and of every created file (by display path).
    public var files: [String: [UInt8]] = [:]
    /// Paths (display) of files the fixes created.
    public var created: Set<String> = []
    /// Created files that must be executable.
    public var executable: Set<String> = []
    /// Titles of the fixes applied, in order.
    public var applied: [String] = []
    public var passes = 0
    /// True when the loop stopped at `maximumPasses` with fixes still applying.
    public var hitPassLimit = false
    /// The findings left after the last pass.
    public var remaining: [Finding] = []
    /// Why the strategy could not move the services of the last pass (file:line: why), when it could not.
    public var strategyRefusal: String?
    /// The Dockerfile's final bytes.
    public var dockerfile: [UInt8] = []
    /// The findings each pass started from (the first: the original files').
    public var passFindings: [[Finding]] = []
    /// Every fix applied, with the rule whose finding carried it and the pass (1-based) that applied it.
    public var appliedFixes: [AppliedFix] = []
  }

  /// A fix the loop applied.
  public struct AppliedFix: Sendable, Hashable, CustomStringConvertible {
    public var ruleID: String
    public var title: String
    public var pass: Int
    public var paths: Set<String>
    public var description: String { "\(ruleID) '\(title)'" }
  }

  public static func fix(_ request: Linter.Request, options: Options) -> Outcome {
    var outcome = Outcome()
    var dockerfileBytes = request.dockerfile.bytes
    let dockerfilePath = request.dockerfile.path
    let overlay = OverlayBuildContext(base: request.context)
    var current = request
    current.strategy = options.strategy
    current.strategyRequested = options.strategyRequested
    var seenStates: Set<[UInt8]> = []
    // Passes in which each fix (rule, file, title) was applied: a fix that comes back a third time has
    // not removed its finding twice (an edit that lands where the rule does not read it) and is dropped,
    // so the loop settles instead of growing the file.
    var appliedPasses: [String: Int] = [:]
    func attemptKey(_ finding: Finding, _ fix: Fix) -> String {
      "\(finding.ruleID)\u{0}\(finding.location.file.path)\u{0}\(fix.title)"
    }
    for pass in 1...max(1, options.maximumPasses) {
      current.dockerfile = SourceFile(path: dockerfilePath, bytes: dockerfileBytes)
      current.context = overlay
      let result = Linter.lint(current)
      outcome.remaining = result.findings
      outcome.strategyRefusal = options.includeUnsafe ? result.context.strategyRefusal : nil
      outcome.passes = pass
      outcome.passFindings.append(result.findings)
      let fixable = result.findings.filter { finding in
        guard options.rules?.contains(finding.ruleID) ?? true, let fix = finding.fix, options.includeUnsafe || fix.safety == .safe else { return false }
        return (appliedPasses[attemptKey(finding, fix)] ?? 0) < 2
      }
      for key in Set(fixable.map { attemptKey($0, $0.fix!) }) { appliedPasses[key, default: 0] += 1 }
      var fixes = fixable.compactMap(\.fix)
      guard !fixes.isEmpty else { break }
      // A strategy replaces how the services run: it goes alone, and the fixes of the old layout
      // (now gone) are not applied to files it no longer runs.
      if let strategy = result.context.strategyFix, fixes.contains(strategy) { fixes = [strategy] }
      // Originals: the current bytes of every file an edit touches.
      var originals: [String: [UInt8]] = [dockerfilePath: dockerfileBytes]
      for finding in result.findings {
        // Only files that exist to be edited: the Dockerfile and the build context's files. A file the
        // image builds from pieces (a heredoc with expansions in a build script) is shown under a display
        // name like `Dockerfile (/etc/x.conf)`; a fix aimed at it has no file to change and is skipped.
        for file in [finding.location.file] + finding.notes.compactMap(\.location?.file) where originals[file.path] == nil {
          guard overlay.bytes(forDisplayPath: file.path) == file.bytes else { continue }
          originals[file.path] = file.bytes
        }
      }
      for fix in fixes {
        for path in Set(fix.changes.map(\.path)) where originals[path] == nil {
          if let bytes = overlay.bytes(forDisplayPath: path) { originals[path] = bytes }
        }
      }
      let applied = EditApplier.apply(fixes, to: originals)
      guard !applied.applied.isEmpty else { break }
      var changed = false
      for (path, bytes) in applied.files {
        if path == dockerfilePath {
          if dockerfileBytes != bytes { changed = true }
          dockerfileBytes = bytes
        } else {
          if overlay.bytes(forDisplayPath: path) != bytes { changed = true }
          overlay.write(displayPath: path, bytes: bytes, executable: nil)
        }
        outcome.files[path] = bytes
      }
      for (path, file) in applied.created {
        if overlay.bytes(forDisplayPath: path) != file.contents { changed = true }
        overlay.write(displayPath: path, bytes: file.contents, executable: file.executable)
        outcome.files[path] = file.contents
        outcome.created.insert(path)
        if file.executable { outcome.executable.insert(path) }
      }
      outcome.applied += applied.applied.map(\.title)
      var rules: [Fix: String] = [:]
      for finding in result.findings { if let fix = finding.fix, rules[fix] == nil { rules[fix] = finding.ruleID } }
      outcome.appliedFixes += applied.applied.map { AppliedFix(ruleID: rules[$0] ?? "?", title: $0.title, pass: pass, paths: $0.paths) }
      guard changed else { break }
      // A cycle of fixes undoing each other would never settle: stop on a repeated state.
      let state = dockerfileBytes + overlay.fingerprint
      if !seenStates.insert(state).inserted { break }
      if pass == options.maximumPasses { outcome.hitPassLimit = true }
    }
    outcome.dockerfile = dockerfileBytes
    if dockerfileBytes != request.dockerfile.bytes { outcome.files[dockerfilePath] = dockerfileBytes }
    return outcome
  }
}

/// A build context with some files replaced or added in memory (the fix loop's working copy).
public final class OverlayBuildContext: BuildContext, @unchecked Sendable {
  public let base: any BuildContext
  private var files: [String: (bytes: [UInt8], executable: Bool)] = [:]

  public init(base: any BuildContext) { self.base = base }

  public var displayRoot: String { base.displayRoot }

  /// The context path of a display path (the inverse of `ContextReader.displayPath`).
  public func contextPath(forDisplayPath path: String) -> String? {
    let root = displayRoot
    if root.isEmpty || root == "." { return DockerIgnore.clean(path) }
    let prefix = root.hasSuffix("/") ? root : root + "/"
    return path.hasPrefix(prefix) ? DockerIgnore.clean(String(path.dropFirst(prefix.count))) : nil
  }

  public func bytes(forDisplayPath path: String) -> [UInt8]? {
    guard let contextPath = contextPath(forDisplayPath: path) else { return nil }
    if case .file(let bytes, _) = entry(contextPath) { return bytes }
    return nil
  }

  public func write(displayPath: String, bytes: [UInt8], executable: Bool?) {
    guard let contextPath = contextPath(forDisplayPath: displayPath) else { return }
    var isExecutable = executable ?? false
    if executable == nil, case .file(_, let existing) = entry(contextPath) { isExecutable = existing }
    files[contextPath] = (bytes, isExecutable)
  }

  var fingerprint: [UInt8] {
    files.keys.sorted().flatMap { Array($0.utf8) + [0] + files[$0]!.bytes + [0] }
  }

  public func entry(_ path: String) -> ContextEntry {
    let key = DockerIgnore.clean(path)
    if let file = files[key] { return .file(bytes: file.bytes, executable: file.executable) }
    let base = base.entry(key)
    if case .missing = base, files.keys.contains(where: { $0.hasPrefix(key.isEmpty ? "" : key + "/") }) { return .directory }
    return base
  }

  public func children(_ path: String) -> [String]? {
    let key = DockerIgnore.clean(path)
    var names = Set(base.children(key) ?? [])
    let prefix = key.isEmpty ? "" : key + "/"
    for file in files.keys where file.hasPrefix(prefix) {
      if let name = file.dropFirst(prefix.count).split(separator: "/").first { names.insert(String(name)) }
    }
    if names.isEmpty, base.children(key) == nil { return nil }
    return names.sorted()
  }
}
