/// A problem found while parsing shell code, located in the original file.
public struct ShellDiagnostic: Sendable, Equatable, CustomStringConvertible {
  /// How bad it is.
  public enum Severity: String, Sendable, Equatable {
    /// `bash -n` rejects the code (exit status 2).
    case error
    /// `bash -n` accepts the code but warns (an unterminated here-document).
    case warning
  }

  /// What went wrong, for tests and tools that group diagnostics.
  public enum Kind: String, Sendable, Equatable {
    case unexpectedToken
    case unexpectedEndOfFile
    case unterminatedQuote
    case unterminatedExpansion
    case unterminatedHeredoc
    case invalidName
    case nestingTooDeep
  }

  public var kind: Kind
  public var severity: Severity
  /// Short, lower-case, no trailing period.
  public var message: String
  public var range: SourceRange

  public init(kind: Kind, severity: Severity = .error, message: String, range: SourceRange) {
    self.kind = kind
    self.severity = severity
    self.message = message
    self.range = range
  }

  /// The 1-based line and column of the start of the range.
  public func location(in file: SourceFile) -> SourceLocation { file.location(of: range.start) }

  public var description: String { "\(range): \(severity.rawValue): \(message)" }
}
