import MultiProcAdvisor

/// `--format github`: GitHub Actions workflow commands, which the runner turns into annotations on
/// the pull request:
///
///     ::warning file=Dockerfile,line=8,col=1,endLine=8,endColumn=4,title=DA101 shell-form-pid1::CMD uses …
///
/// Paths are relative to `GITHUB_WORKSPACE` when it is set. Properties escape `%`, CR, LF, `:` and
/// `,`; the message escapes `%`, CR and LF (as the Actions toolkit does). Columns are given only for
/// a single-line range, since annotations take them only then. Notes become extra message lines.
final class GitHubReporter: Reporter {
  private let context: ReportContext

  init(_ context: ReportContext) { self.context = context }

  static func command(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .info, .style: "notice"
    }
  }

  func report(_ file: FileReport) -> [UInt8] {
    var output: [UInt8] = []
    if let problem = file.problem {
      var properties = [("file", context.workspacePath(file.path))]
      if let line = problem.line { properties.append(("line", String(line))) }
      if let column = problem.column { properties.append(("col", String(column))) }
      properties.append(("title", "dockadvise"))
      output.append(Self.line("error", properties, problem.message))
      return output
    }
    for finding in file.findings {
      let location = finding.location
      var properties = [("file", context.workspacePath(location.path)), ("line", String(location.line))]
      if location.endLine == location.line {
        properties += [("col", String(location.column)), ("endLine", String(location.endLine)), ("endColumn", String(location.endColumn))]
      } else {
        properties.append(("endLine", String(location.endLine)))
      }
      properties.append(("title", "\(finding.code) \(finding.rule)"))
      var message = finding.message
      for note in finding.notes {
        message += "\nnote: "
        if let place = note.location { message += "\(context.workspacePath(place.path)):\(place.line):\(place.column): " }
        message += note.message
      }
      if let fix = finding.fix { message += "\nfix\(fix.safety == .safe ? "" : " (unsafe)"): \(fix.title)" }
      output.append(Self.line(Self.command(finding.severity), properties, message))
    }
    return output
  }

  func finish(_ summary: ReportSummary) -> [UInt8] { [] }

  static func line(_ command: String, _ properties: [(String, String)], _ message: String) -> String {
    "::\(command) " + properties.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",") + "::" + escapeData(message) + "\n"
  }

  static func escapeData(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "%": result += "%25"
      case "\r": result += "%0D"
      case "\n": result += "%0A"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  static func escapeProperty(_ text: String) -> String {
    var result = ""
    for scalar in escapeData(text).unicodeScalars {
      switch scalar {
      case ":": result += "%3A"
      case ",": result += "%2C"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
