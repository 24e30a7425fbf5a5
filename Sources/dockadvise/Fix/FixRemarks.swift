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
      } else {
        line += " (no automatic fix)"
      }
      return line
    }
  }
}
