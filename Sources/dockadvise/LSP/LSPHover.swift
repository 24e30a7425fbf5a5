import DockerfileParser
import MultiProcAdvisor

/// Hover on a diagnostic's range: the rule's page (`dockadvise explain --format markdown`).
enum LSPHover {
  static func hover(_ findings: [(finding: Finding, location: FileRange)]) -> JSONWriter.Value {
    var seen: Set<String> = []
    var sections: [String] = []
    var range: SourceRange?
    var file: SourceFile?
    for (finding, location) in findings where seen.insert(finding.ruleID).inserted {
      guard let rule = RuleRegistry.rule(finding.ruleID) else { continue }
      sections.append("**\(finding.ruleID)** \(finding.message)\n\n" + page(rule.description))
      if range == nil {
        range = location.range
        file = location.file
      }
    }
    guard let range, let file else { return .null }
    return .object([
      ("contents", .object([("kind", .string("markdown")), ("value", .string(sections.joined(separator: "\n\n---\n\n")))])),
      ("range", LSPLineIndex(file).range(range)),
    ])
  }

  /// The rule's page without the generated-file comment.
  static func page(_ rule: RuleDescription) -> String {
    RuleDocumentation.markdown(rule).split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("<!--") }.joined(separator: "\n")
  }

  /// Whether an LSP position (as a byte offset) falls on a finding's range: inside it, at its end, or on
  /// the line of an empty range.
  static func covers(_ location: FileRange, offset: Int) -> Bool {
    let range = location.range
    if range.isEmpty {
      return location.file.lineIndex(of: range.start) == location.file.lineIndex(of: offset)
    }
    return range.start <= offset && offset <= range.end
  }
}
