import MultiProcAdvisor

/// `--format json`: one document with `findings`, `files` and `summary`, keys in a fixed order.
///
///     {"findings": [{"file", "line", "column", "end_line", "end_column", "code", "rule", "severity",
///                    "message", "notes": [{"message", "file"?, "line"?, …}], "fix"?: {…}}],
///      "files": [{"file", "findings", "error"?}],
///      "summary": {"files", "unreadable", "findings", "error", "warning", "info", "style", "fixable",
///                  "unsafe_fixable", "failing"}}
///
/// Lines and columns are 1-based (columns in Unicode scalars), ends exclusive; a fix's edits also
/// carry byte `offset` and `length` into the file as it was read. A fix's `created_files` carry their
/// `content`, except the dockadvise-init sources, which say `written_by` (`dockadvise emit-init DIR`
/// writes the same bytes) rather than repeat 55 KB for every finding.
final class JSONReporter: Reporter {
  private let writer = JSONWriter()
  private var wroteFinding = false
  private var files: [JSONWriter.Value] = []

  init(_ context: ReportContext) {}

  func begin() -> [UInt8] { Array("{\n  \"findings\": [".utf8) }

  func report(_ file: FileReport) -> [UInt8] {
    var output: [UInt8] = []
    for finding in file.findings {
      output.append(wroteFinding ? ",\n    " : "\n    ")
      wroteFinding = true
      output += writer.write(Self.value(finding), level: 2)
    }
    var entry: [(String, JSONWriter.Value)] = [("file", .string(file.path)), ("findings", .int(file.findings.count))]
    if let problem = file.problem { entry.append(("error", Self.value(problem))) }
    files.append(.object(entry))
    return output
  }

  func finish(_ summary: ReportSummary) -> [UInt8] {
    var output: [UInt8] = []
    output.append(wroteFinding ? "\n  ],\n" : "],\n")
    output.append("  \"files\": ")
    output += writer.write(.array(files), level: 1)
    output.append(",\n  \"summary\": ")
    output += writer.write(Self.value(summary), level: 1)
    output.append("\n}\n")
    return output
  }

  static func value(_ finding: ReportedFinding) -> JSONWriter.Value {
    var members = range(finding.location)
    members += [
      ("code", .string(finding.code)),
      ("rule", .string(finding.rule)),
      ("severity", .string(finding.severity.rawValue)),
      ("message", .string(finding.message)),
      ("notes", .array(finding.notes.map { note in .object([("message", .string(note.message))] + (note.location.map(range) ?? [])) })),
    ]
    if let fix = finding.fix { members.append(("fix", value(fix))) }
    return .object(members)
  }

  static func value(_ fix: ReportedFinding.Fix) -> JSONWriter.Value {
    .object([
      ("title", .string(fix.title)),
      ("safety", .string(fix.safety.rawValue)),
      (
        "edits",
        .array(
          fix.edits.map { edit in
            var members = edit.location.line > 0 ? range(edit.location) : [("file", .string(edit.location.path))]
            members += [
              ("offset", .int(edit.location.offset)), ("length", .int(edit.location.length)), ("replacement", .bytes(edit.replacement)),
            ]
            return .object(members)
          })
      ),
      (
        "created_files",
        .array(
          fix.createdFiles.map { file in
            var members: [(String, JSONWriter.Value)] = [("file", .string(file.path)), ("executable", .bool(file.executable))]
            if file.embeddedInit {
              members.append(("written_by", .string("dockadvise emit-init \(Paths.directory(of: file.path))")))
            } else {
              members.append(("content", .bytes(file.contents)))
            }
            return .object(members)
          })
      ),
    ])
  }

  static func range(_ location: ReportLocation) -> [(String, JSONWriter.Value)] {
    [
      ("file", .string(location.path)), ("line", .int(location.line)), ("column", .int(location.column)),
      ("end_line", .int(location.endLine)), ("end_column", .int(location.endColumn)),
    ]
  }

  static func value(_ problem: InputProblem) -> JSONWriter.Value {
    var members: [(String, JSONWriter.Value)] = [("message", .string(problem.message))]
    if let line = problem.line { members.append(("line", .int(line))) }
    if let column = problem.column { members.append(("column", .int(column))) }
    return .object(members)
  }

  static func value(_ summary: ReportSummary) -> JSONWriter.Value {
    var members: [(String, JSONWriter.Value)] = [
      ("files", .int(summary.files)), ("unreadable", .int(summary.unreadable)), ("findings", .int(summary.findings)),
    ]
    for severity in Severity.allCases.reversed() { members.append((severity.rawValue, .int(summary.bySeverity[severity] ?? 0))) }
    members += [("fixable", .int(summary.fixable)), ("unsafe_fixable", .int(summary.unsafeFixable)), ("failing", .int(summary.failing))]
    return .object(members)
  }
}
