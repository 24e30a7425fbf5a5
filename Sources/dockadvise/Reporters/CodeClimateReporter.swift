import MultiProcAdvisor

/// `--format codeclimate`: the Code Climate issue list GitLab's code quality report reads.
///
///     [{"type": "issue", "check_name": "DA101", "description": "DA101 shell-form-pid1: …",
///       "content": {"body": "…"}, "categories": ["Bug Risk"],
///       "location": {"path": "Dockerfile", "lines": {"begin": 8, "end": 8}},
///       "severity": "major", "fingerprint": "…"}]
///
/// Paths are relative to `CI_PROJECT_DIR` (or `GITHUB_WORKSPACE`) when set; fingerprints do not depend
/// on line numbers, so an issue keeps its identity when lines move.
final class CodeClimateReporter: Reporter {
  private let context: ReportContext
  private let writer = JSONWriter()
  private var wrote = false

  init(_ context: ReportContext) { self.context = context }

  static func severity(_ severity: Severity) -> String {
    switch severity {
    case .error: "critical"
    case .warning: "major"
    case .info: "minor"
    case .style: "info"
    }
  }

  func begin() -> [UInt8] { Array("[".utf8) }

  func report(_ file: FileReport) -> [UInt8] {
    var output: [UInt8] = []
    var fingerprints = Fingerprint.Counter()
    for finding in file.findings {
      let path = context.workspacePath(finding.location.path)
      var body = finding.message
      for note in finding.notes {
        body += "\n\nnote: " + (note.location.map { "\(context.workspacePath($0.path)):\($0.line):\($0.column): " } ?? "") + note.message
      }
      if let fix = finding.fix { body += "\n\nfix\(fix.safety == .safe ? "" : " (unsafe)"): \(fix.title)" }
      let rule = RuleRegistry.rule(finding.code)?.description
      if let rule { body += "\n\n\(rule.helpURI)" }
      let issue: JSONWriter.Value = .object([
        ("type", .string("issue")),
        ("check_name", .string(finding.code)),
        ("description", .string("\(finding.code) \(finding.rule): \(finding.message)")),
        ("content", .object([("body", .string(body))])),
        ("categories", .array([.string("Bug Risk")])),
        (
          "location",
          .object([
            ("path", .string(path)),
            ("lines", .object([("begin", .int(finding.location.line)), ("end", .int(finding.location.endLine))])),
          ])
        ),
        ("severity", .string(Self.severity(finding.severity))),
        ("fingerprint", .string(fingerprints.next(finding, path: path))),
      ])
      output.append(wrote ? ",\n  " : "\n  ")
      wrote = true
      output += writer.write(issue, level: 1)
    }
    return output
  }

  func finish(_ summary: ReportSummary) -> [UInt8] { Array((wrote ? "\n]\n" : "]\n").utf8) }
}
