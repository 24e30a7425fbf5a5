import MultiProcAdvisor

/// The report for people, in the manner of swiftc and rustc:
///
///     Dockerfile:8:1: warning: DA101 shell-form-pid1: CMD uses shell form: …
///       |
///     8 | CMD php-fpm8.2 -F & nginx -g 'daemon off;'
///       | ^^^
///       = note: Dockerfile:2:1: the base image is Debian, so /bin/sh is dash
///       = fix: use exec form
///
/// and one summary line at the end. Colour only when `ReportContext.color` says so.
final class TextReporter: Reporter {
  let terminal: Terminal
  /// Longest line shown in a code frame before it is cut.
  static let maximumLineWidth = 200

  init(_ context: ReportContext) {
    terminal = Terminal(color: context.color)
  }

  func report(_ file: FileReport) -> [UInt8] {
    // A file that could not be read is reported on standard error by the command, not here.
    var output: [UInt8] = []
    for finding in file.findings {
      render(finding, into: &output)
    }
    return output
  }

  func finish(_ summary: ReportSummary) -> [UInt8] {
    Array((terminal.paint(Self.summaryLine(summary), .bold) + "\n").utf8)
  }

  /// `path:line:col: ` in bold, then the severity label.
  private func headline(_ path: String, _ line: Int, _ column: Int, severityLabel: String) -> String {
    let place = "\(path):\(line):\(column)"
    return terminal.paint(Terminal.sanitized(place) + ":", .bold) + " " + severityLabel + ": "
  }

  private func render(_ finding: ReportedFinding, into output: inout [UInt8]) {
    let location = finding.location
    let label = terminal.paint(finding.severity.rawValue, Terminal.style(of: finding.severity))
    output.append(headline(location.path, location.line, location.column, severityLabel: label))
    output.append(terminal.paint("\(finding.code) \(finding.rule)", .bold) + ": " + Terminal.sanitized(finding.message) + "\n")
    let width = String(finding.frame.last?.number ?? location.line).count
    let blank = String(repeating: " ", count: width)
    let bar = terminal.paint("|", .blue)
    output.append(blank + " " + bar + "\n")
    var previous: Int?
    for line in finding.frame {
      if let previous, line.number > previous + 1 { output.append(terminal.paint(String(repeating: ".", count: width), .blue) + "\n") }
      previous = line.number
      let (text, underline) = Self.frameText(line)
      let number = String(line.number)
      output.append(terminal.paint(String(repeating: " ", count: width - number.count) + number + " |", .blue))
      output.append(text.isEmpty ? "\n" : " " + text + "\n")
      output.append(blank + " " + bar + " " + terminal.paint(underline, Terminal.style(of: finding.severity)) + "\n")
    }
    for note in finding.notes {
      var text = Terminal.sanitized(note.message)
      if let place = note.location { text = Terminal.sanitized("\(place.path):\(place.line):\(place.column)") + ": " + text }
      output.append(blank + " " + terminal.paint("=", .blue) + " " + terminal.paint("note", .bold) + ": " + text + "\n")
    }
    if let fix = finding.fix {
      let kind = fix.safety == .safe ? "fix" : "fix (unsafe)"
      output.append(blank + " " + terminal.paint("=", .blue) + " " + terminal.paint(kind, .green) + ": " + Terminal.sanitized(fix.title) + "\n")
    }
    output.append("\n")
  }

  /// The shown text of a frame line and the underline beneath it (tabs mirrored so the carets align).
  static func frameText(_ line: FrameLine) -> (String, String) {
    var scalars = Array(Terminal.sanitized(line.text).unicodeScalars)
    var marked = line.marked
    // Continuation lines of a multi-line range are marked from their first non-blank character.
    if marked.lowerBound == 1, let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }), first + 1 < marked.upperBound {
      marked = (first + 1)..<marked.upperBound
    }
    let limit = max(maximumLineWidth, marked.lowerBound + 40)
    var cut = false
    if scalars.count > limit {
      scalars = Array(scalars.prefix(limit))
      cut = true
    }
    var underline = ""
    for index in 0..<max(0, min(marked.lowerBound - 1, scalars.count)) {
      underline.unicodeScalars.append(scalars[index] == "\t" ? "\t" : " ")
    }
    let carets = max(1, min(marked.upperBound, scalars.count + 1) - marked.lowerBound)
    underline += String(repeating: "^", count: carets)
    var text = String(String.UnicodeScalarView(scalars))
    if cut { text += "…" }
    return (text, underline)
  }

  /// `Linted 2 files: 3 findings (1 error, 2 warnings); 1 fixable with 'dockadvise fix'`.
  static func summaryLine(_ summary: ReportSummary) -> String {
    var line = "Linted \(count(summary.files, "file"))"
    if summary.unreadable > 0 { line += " (\(summary.unreadable) could not be read)" }
    guard summary.findings > 0 else { return line + ": no findings" }
    let parts = Severity.allCases.reversed().compactMap { severity -> String? in
      guard let number = summary.bySeverity[severity], number > 0 else { return nil }
      return severity == .error || severity == .warning ? count(number, severity.rawValue) : "\(number) \(severity.rawValue)"
    }
    line += ": \(count(summary.findings, "finding")) (\(parts.joined(separator: ", ")))"
    if summary.fixable > 0 || summary.unsafeFixable > 0 {
      var fixes: [String] = []
      if summary.fixable > 0 { fixes.append("\(summary.fixable) fixable with 'dockadvise fix'") }
      if summary.unsafeFixable > 0 { fixes.append("\(summary.unsafeFixable) with 'dockadvise fix --unsafe'") }
      line += "; " + fixes.joined(separator: ", ")
    }
    return line
  }

  static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}
