import MultiProcAdvisor

/// `--format gnu`: one line per finding in the GNU coding standards' form, which Emacs' compilation
/// mode, Vim's quickfix and most editors parse:
///
///     Dockerfile:8.1: warning: DA101 shell-form-pid1: CMD uses shell form: …
///
/// GNU tools know error, warning, info and note; `style` is written as `note`.
final class GNUReporter: Reporter {
  init(_ context: ReportContext) {}

  static func label(_ severity: Severity) -> String { severity == .style ? "note" : severity.rawValue }

  func report(_ file: FileReport) -> [UInt8] {
    // A file that could not be read is reported on standard error by the command, not here.
    var output = ""
    for finding in file.findings {
      let location = finding.location
      output += "\(location.path):\(location.line).\(location.column): \(Self.label(finding.severity)): "
      output += "\(finding.code) \(finding.rule): \(Terminal.sanitized(finding.message))\n"
    }
    return Array(output.utf8)
  }

  func finish(_ summary: ReportSummary) -> [UInt8] { [] }
}
