import MultiProcAdvisor

/// What `fix` says on standard error besides the diff: the files it wrote and the findings it left.
enum FixRemarks {
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

  /// A finding's identity across passes of the fixer (its position may move with other edits).
  static func identity(_ finding: Finding) -> String {
    "\(finding.ruleID)\u{0}\(finding.location.file.path)\u{0}\(finding.message)"
  }

  /// Fixes skipped because a user's file cannot be edited safely, named even when the other fixes made
  /// their finding go away (one finish script that stops the container is enough for DA402); and why
  /// the strategy left the services where they are, when an error is left that it would have fixed.
  static func skipped(_ outcome: Fixer.Outcome, strategy: Strategy) -> [String] {
    var lines: [String] = []
    let left = Set(outcome.remaining.map(identity))
    for finding in outcome.passFindings.first ?? [] where finding.fix == nil && !left.contains(identity(finding)) {
      guard let skipped = finding.notes.first(where: { $0.message.hasPrefix(S6Facts.skippedNotePrefix) }) else { continue }
      lines.append("dockadvise: fix: \(finding.ruleID) \(skipped.message) (the other fixes were applied)")
    }
    if let refusal = outcome.strategyRefusal, outcome.remaining.contains(where: { $0.fix == nil && $0.severity == .error }) {
      lines.append("dockadvise: fix: the \(strategy.rawValue) strategy leaves the services where they are: \(refusal)")
    }
    return lines
  }

  /// The findings left after fixing, one line each, saying why they were not fixed.
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
}
