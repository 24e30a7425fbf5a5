import DockerfileParser

/// The gate a fix passes before anything is written: every changed or created file is read again with
/// its own reader (the Dockerfile parser, the shell parser, the supervisord, s6 and Procfile readers) and
/// the fixed image is linted again. The fix is refused when it leaves a parse issue that was not there,
/// a finding that was not there, or a finding whose fix it applied. Findings are compared by rule and
/// file, counted, never by offset (a fix moves text).
public enum FixVerification {
  /// Why the result cannot be written, and the fixes that caused it.
  public struct Problem: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    /// The fixes held responsible (`DA101 'use exec form'`).
    public var fixes: [String]

    public var description: String {
      "\(path): \(message)" + (fixes.isEmpty ? "" : " (caused by \(fixes.joined(separator: ", ")))")
    }
  }

  /// Checks `outcome`, the result of `Fixer.fix(request, options:)`.
  public static func check(_ request: Linter.Request, options: Fixer.Options, outcome: Fixer.Outcome) -> [Problem] {
    var problems: [Problem] = []
    let dockerfilePath = request.dockerfile.path
    let original = OverlayBuildContext(base: request.context)
    let fixed = OverlayBuildContext(base: request.context)
    for (path, bytes) in outcome.files where path != dockerfilePath {
      fixed.write(displayPath: path, bytes: bytes, executable: outcome.executable.contains(path) ? true : nil)
    }
    func fixes(touching path: String) -> [String] {
      unique(outcome.appliedFixes.filter { $0.paths.contains(path) }.map(\.description))
    }

    // 1. Every changed or created file still reads.
    for path in outcome.files.keys.sorted() {
      let after = outcome.files[path]!
      let before = path == dockerfilePath ? request.dockerfile.bytes : original.bytes(forDisplayPath: path)
      let new = subtract(issues(path, after, isDockerfile: path == dockerfilePath), before.map { issues(path, $0, isDockerfile: path == dockerfilePath) } ?? [])
      for message in new {
        problems.append(Problem(path: path, message: "the fixed file does not read: \(message)", fixes: fixes(touching: path)))
      }
    }

    // 2. The fixed image, linted again, has no finding the original did not have, and none whose fix ran.
    var final = request
    final.strategy = options.strategy
    final.strategyRequested = options.strategyRequested
    final.dockerfile = SourceFile(path: dockerfilePath, bytes: outcome.dockerfile)
    final.context = fixed
    let after = Linter.lint(final).findings.filter { options.rules?.contains($0.ruleID) ?? true }
    let history = (outcome.passFindings.isEmpty ? [Linter.lint(request).findings] : outcome.passFindings).map { findings in
      findings.filter { options.rules?.contains($0.ruleID) ?? true }
    }
    let before = counts(history[0])
    let left = counts(after)
    // A finding that moved with its file (a script the migration copied elsewhere) is not new: findings
    // beyond their (rule, file) count are matched by rule and message with the originals' unmatched ones.
    var unmatchedBefore: [String: Int] = [:]
    for (key, count) in before where count > (left[key] ?? 0) {
      for finding in history[0].filter({ Key($0) == key }).suffix(count - (left[key] ?? 0)) {
        unmatchedBefore[finding.ruleID + "\u{0}" + finding.message, default: 0] += 1
      }
    }
    var appliedByKey: [Key: [Fixer.AppliedFix]] = [:]
    for fix in outcome.appliedFixes {
      for path in fix.paths { appliedByKey[Key(rule: fix.ruleID, path: path), default: []].append(fix) }
    }
    for key in left.keys.sorted() {
      let count = left[key]!
      let had = before[key] ?? 0
      let here = after.filter { Key($0) == key }
      if count > had {
        var extra = 0
        var example = here[0]
        for finding in here.suffix(count - had) {
          let moved = finding.ruleID + "\u{0}" + finding.message
          if let available = unmatchedBefore[moved], available > 0 {
            unmatchedBefore[moved] = available - 1
          } else {
            extra += 1
            example = finding
          }
        }
        guard extra > 0 else { continue }
        // The pass after which the finding first outnumbered the original: its fixes made it.
        let pass = (history + [after]).firstIndex { (counts($0)[key] ?? 0) > had } ?? history.count
        let suspects = outcome.appliedFixes.filter { $0.pass == pass }
        let near = suspects.filter { $0.paths.contains(key.path) }
        problems.append(Problem(
          path: key.path, message: "new finding after the fix: \(key.rule) \(example.message)",
          fixes: unique((near.isEmpty ? suspects : near).map(\.description))))
        continue
      }
      // Fixes applied for this rule in this file should have removed as many findings.
      let fixedCount = min(had, Set((appliedByKey[key] ?? []).filter { $0.ruleID == key.rule }).count)
      // What a rule says is left once its fix ran (`Finding.isResidual`) is not the finding it was for.
      let stillThere = here.filter { !$0.isResidual }.count
      if fixedCount > 0, stillThere > had - fixedCount {
        problems.append(Problem(
          path: key.path, message: "the finding its fix was for is still there: \(key.rule) \(here[0].message)",
          fixes: unique((appliedByKey[key] ?? []).map(\.description))))
      }
    }
    return problems
  }

  /// A finding's identity across edits: its rule and its file.
  struct Key: Hashable, Comparable {
    var rule: String
    var path: String
    init(rule: String, path: String) {
      self.rule = rule
      self.path = path
    }
    init(_ finding: Finding) { self.init(rule: finding.ruleID, path: finding.location.file.path) }
    static func < (a: Key, b: Key) -> Bool { a.path != b.path ? a.path < b.path : a.rule < b.rule }
  }

  static func counts(_ findings: [Finding]) -> [Key: Int] {
    findings.reduce(into: [:]) { $0[Key($1), default: 0] += 1 }
  }

  static func unique(_ items: [String]) -> [String] { items.reduce(into: []) { if !$0.contains($1) { $0.append($1) } } }

  /// `after` without one occurrence of each message of `before`.
  static func subtract(_ after: [String], _ before: [String]) -> [String] {
    var remaining = before
    return after.filter { message in
      if let index = remaining.firstIndex(of: message) {
        remaining.remove(at: index)
        return false
      }
      return true
    }
  }

  /// The problems the reader of a file of this kind reports, as messages (positions move with edits).
  static func issues(_ path: String, _ bytes: [UInt8], isDockerfile: Bool) -> [String] {
    let file = SourceFile(path: path, bytes: bytes)
    if isDockerfile {
      return Dockerfile.parse(file).issues.filter { $0.severity == .error }.map(\.message)
    }
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
    let shebang = ShellShebang.parse(bytes, text: MappedText(bytes: bytes, verbatimFrom: 0))
    if let shebang {
      guard shebang.dialect == .posix || shebang.dialect == .bash else { return [] }
      return ShellScript.parse(file: file).diagnostics.filter { $0.severity == .error }.map(\.message)
    }
    if name.hasSuffix(".sh") || name.hasSuffix(".bash") {
      return ShellScript.parse(file: file).diagnostics.filter { $0.severity == .error }.map(\.message)
    }
    if name == "Procfile" {
      return Procfile.parse(file).issues.map(\.message)
    }
    if path.contains("/s6-rc.d/"), name == "type" {
      let value = String(decoding: bytes, as: UTF8.self).trimmed(in: " \t\r\n")
      return ["longrun", "oneshot", "bundle"].contains(value) ? [] : ["s6-rc service type '\(value)' is not longrun, oneshot or bundle"]
    }
    let looksLikeSupervisord = ["[program:", "[supervisord]", "[eventlistener:", "[include]", "[group:"].contains { text.contains($0) }
    if looksLikeSupervisord {
      // Includes are not followed here: each file is read on its own, before and after alike.
      return SupervisordConfig.read(main: file, mainPath: "/" + name, file: { _ in nil }, list: { _ in [] }).issues.map(\.message)
    }
    return []
  }
}

