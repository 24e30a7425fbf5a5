import MultiProcAdvisor

/// `--format junit`: JUnit XML for Jenkins and GitLab test reports. One `<testsuite>` per Dockerfile;
/// a clean file is one passing test case, each finding a failing one (its severity as the failure
/// type), an unreadable file an `<error>`. The totals of `<testsuites>` come first in the document,
/// so this reporter keeps the rendered suites and writes everything at the end.
final class JUnitReporter: Reporter {
  private var suites = ""
  private var tests = 0
  private var failures = 0
  private var errors = 0

  init(_ context: ReportContext) {}

  func report(_ file: FileReport) -> [UInt8] {
    let name = XML.escape(file.path)
    if let problem = file.problem {
      tests += 1
      errors += 1
      suites += "  <testsuite name=\"\(name)\" tests=\"1\" failures=\"0\" errors=\"1\">\n"
      suites += "    <testcase name=\"lint\" classname=\"\(name)\">\n"
      suites += "      <error message=\"\(XML.escape(problem.message))\" type=\"input\">\(XML.escape(problem.formatted(path: file.path)))</error>\n"
      suites += "    </testcase>\n  </testsuite>\n"
      return []
    }
    let count = max(1, file.findings.count)
    tests += count
    failures += file.findings.count
    suites += "  <testsuite name=\"\(name)\" tests=\"\(count)\" failures=\"\(file.findings.count)\" errors=\"0\">\n"
    if file.findings.isEmpty {
      suites += "    <testcase name=\"lint\" classname=\"\(name)\"/>\n"
    }
    for finding in file.findings {
      let location = finding.location
      let title = "\(finding.code) \(finding.rule) at \(location.path):\(location.line):\(location.column)"
      var body = "\(location.path):\(location.line):\(location.column): \(finding.severity.rawValue): \(finding.code) \(finding.rule): \(finding.message)"
      for note in finding.notes {
        body += "\nnote: " + (note.location.map { "\($0.path):\($0.line):\($0.column): " } ?? "") + note.message
      }
      if let fix = finding.fix { body += "\nfix\(fix.safety == .safe ? "" : " (unsafe)"): \(fix.title)" }
      suites += "    <testcase name=\"\(XML.escape(title))\" classname=\"\(name)\" file=\"\(XML.escape(location.path))\" line=\"\(location.line)\">\n"
      suites += "      <failure message=\"\(XML.escape(finding.message))\" type=\"\(finding.severity.rawValue)\">\(XML.escape(body))</failure>\n"
      suites += "    </testcase>\n"
    }
    suites += "  </testsuite>\n"
    return []
  }

  func finish(_ summary: ReportSummary) -> [UInt8] {
    let head = XML.declaration + "<testsuites name=\"dockadvise\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
    return Array((head + suites + "</testsuites>\n").utf8)
  }
}
