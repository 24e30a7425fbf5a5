import DockerfileParser
import MultiProcAdvisor

/// Findings as LSP `Diagnostic`s, grouped by the file they are published on.
enum LSPDiagnostics {
  /// Severity: error 1, warning 2, information 3, hint 4.
  static func severity(_ severity: Severity) -> Int {
    switch severity {
    case .error: 1
    case .warning: 2
    case .info: 3
    case .style: 4
    }
  }

  /// The diagnostic of one finding, shown at `location`.
  static func diagnostic(_ finding: Finding, at location: FileRange) -> JSONWriter.Value {
    var members: [(String, JSONWriter.Value)] = [
      ("range", LSPLineIndex(location.file).range(location.range)),
      ("severity", .int(severity(finding.severity))),
      ("code", .string(finding.ruleID)),
    ]
    if let rule = RuleRegistry.rule(finding.ruleID) {
      members.append(("codeDescription", .object([("href", .string(rule.description.helpURI))])))
    }
    members.append(("source", .string("dockadvise")))
    var message = finding.message
    if let fix = finding.fix { message += fix.safety == .unsafe ? " (unsafe fix available)" : " (fix available)" }
    members.append(("message", .string(message)))
    let related: [JSONWriter.Value] = finding.notes.map { note in
      let place = note.location ?? location
      let shown = place.file.path.hasPrefix("/") && !place.file.path.contains(" (") ? place : location
      return .object([
        ("location", .object([("uri", .string(LSPURI.uri(shown.file.path))), ("range", LSPLineIndex(shown.file).range(shown.range))])),
        ("message", .string(note.message)),
      ])
    }
    if !related.isEmpty { members.append(("relatedInformation", .array(related))) }
    members.append(("data", .object([("rule", .string(finding.ruleName))])))
    return .object(members)
  }

  /// A diagnostic at the top of a file for a problem that kept it from being linted.
  static func problem(_ message: String, severity: Int = 1) -> JSONWriter.Value {
    .object([
      ("range", .object([("start", LSPLineIndex.value((0, 0))), ("end", LSPLineIndex.value((0, 0)))])),
      ("severity", .int(severity)), ("source", .string("dockadvise")), ("message", .string(message)),
    ])
  }

  static func publish(uri: String, version: Int?, diagnostics: [JSONWriter.Value]) -> [UInt8] {
    var params: [(String, JSONWriter.Value)] = [("uri", .string(uri))]
    if let version { params.append(("version", .int(version))) }
    params.append(("diagnostics", .array(diagnostics)))
    return JSONRPC.notification("textDocument/publishDiagnostics", .object(params))
  }
}
