import MultiProcAdvisor

/// Renders a lint run in one format. Reporters are fed file by file, in the order the files were
/// given, so a run over thousands of files streams instead of holding every result; each call returns
/// the bytes to append to the report.
protocol Reporter: AnyObject {
  /// The bytes before the first file (headers, the opening of a document).
  func begin() -> [UInt8]
  /// The bytes for one file.
  func report(_ file: FileReport) -> [UInt8]
  /// The bytes after the last file (closing, summary).
  func finish(_ summary: ReportSummary) -> [UInt8]
}

extension Reporter {
  func begin() -> [UInt8] { [] }
}

/// The output formats of `lint --format`.
enum ReportFormat: String, CaseIterable, Sendable {
  case text, json, sarif, github, checkstyle, junit, codeclimate, gnu

  /// A new reporter of this format.
  func makeReporter(_ context: ReportContext) -> any Reporter {
    switch self {
    case .text: TextReporter(context)
    case .json: JSONReporter(context)
    case .sarif: SARIFReporter(context)
    case .github: GitHubReporter(context)
    case .checkstyle: CheckstyleReporter(context)
    case .junit: JUnitReporter(context)
    case .codeclimate: CodeClimateReporter(context)
    case .gnu: GNUReporter(context)
    }
  }

  /// One line for `lint --help`.
  var summary: String {
    switch self {
    case .text: "for people: file:line:col, a code frame, notes and a summary (the default)"
    case .json: "findings, files and summary as one JSON document"
    case .sarif: "SARIF 2.1.0 (GitHub code scanning, IDEs)"
    case .github: "GitHub Actions annotations (::error file=…::…)"
    case .checkstyle: "Checkstyle XML (Jenkins warnings-ng, reviewdog)"
    case .junit: "JUnit XML (Jenkins, GitLab test reports)"
    case .codeclimate: "Code Climate JSON (GitLab code quality)"
    case .gnu: "file:line.col: severity: message (Emacs, Vim, editors)"
    }
  }
}

/// Bytes for reporters: UTF-8 text assembled without Foundation.
extension Array where Element == UInt8 {
  mutating func append(_ text: String) { append(contentsOf: text.utf8) }
}
