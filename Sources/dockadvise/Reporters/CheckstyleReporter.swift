import MultiProcAdvisor

/// `--format checkstyle`: Checkstyle XML, read by Jenkins (warnings-ng), reviewdog and many CI tools.
///
///     <checkstyle version="4.3">
///       <file name="Dockerfile">
///         <error line="8" column="1" severity="warning" message="…" source="dockadvise.DA101.shell-form-pid1"/>
///       </file>
///     </checkstyle>
///
/// Every linted file gets a `<file>` element; findings in a script the Dockerfile runs are listed
/// under that script's path. Severities: error, warning, info (style maps to info).
final class CheckstyleReporter: Reporter {
  init(_ context: ReportContext) {}

  static func severity(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .info, .style: "info"
    }
  }

  func begin() -> [UInt8] { Array((XML.declaration + "<checkstyle version=\"4.3\">\n").utf8) }

  func report(_ file: FileReport) -> [UInt8] {
    var groups: [(path: String, lines: [String])] = [(file.path, [])]
    if let problem = file.problem {
      var attributes = ""
      if let line = problem.line { attributes += " line=\"\(line)\"" }
      if let column = problem.column { attributes += " column=\"\(column)\"" }
      groups[0].lines.append(
        "    <error\(attributes) severity=\"error\" message=\"\(XML.escape(problem.message))\" source=\"dockadvise.input\"/>\n")
    }
    for finding in file.findings {
      let location = finding.location
      var message = finding.message
      for note in finding.notes {
        message += "\nnote: " + (note.location.map { "\($0.path):\($0.line):\($0.column): " } ?? "") + note.message
      }
      let line =
        "    <error line=\"\(location.line)\" column=\"\(location.column)\" severity=\"\(Self.severity(finding.severity))\" "
        + "message=\"\(XML.escape(message))\" source=\"dockadvise.\(finding.code).\(finding.rule)\"/>\n"
      if let index = groups.firstIndex(where: { $0.path == location.path }) {
        groups[index].lines.append(line)
      } else {
        groups.append((location.path, [line]))
      }
    }
    var output = ""
    for group in groups {
      if group.lines.isEmpty {
        output += "  <file name=\"\(XML.escape(group.path))\"/>\n"
      } else {
        output += "  <file name=\"\(XML.escape(group.path))\">\n" + group.lines.joined() + "  </file>\n"
      }
    }
    return Array(output.utf8)
  }

  func finish(_ summary: ReportSummary) -> [UInt8] { Array("</checkstyle>\n".utf8) }
}
