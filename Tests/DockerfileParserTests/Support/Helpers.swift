@testable import DockerfileParser

/// BuildKit's dump of `text` (one `(…)` line per instruction).
func dump(_ text: String) -> String { Dockerfile.parse(text).buildKitDump() }

/// The text a range covers in `file`.
func text(_ file: Dockerfile, _ range: SourceRange?) -> String? { range.map { file.text($0) } }

extension Dockerfile {
  /// Issue codes in order.
  var issueCodes: [ParseIssue.Code] { issues.map(\.code) }
  /// Error codes of BuildKit's parser layer.
  var parserErrors: [ParseIssue.Code] { issues.filter { $0.layer == .parser && $0.severity == .error }.map(\.code) }
}
