/// A problem found while parsing: where it is, how bad it is, and what was expected.
public struct ParseIssue: Sendable, Hashable {
  /// How serious an issue is.
  public enum Severity: String, Sendable, Hashable {
    /// `docker build` rejects the file.
    case error
    /// BuildKit accepts the file but warns.
    case warning
  }

  /// Which part of BuildKit reports the problem.
  public enum Layer: String, Sendable, Hashable {
    /// BuildKit's parser (`parser.Parse`) rejects the file or warns: no AST is produced for an error.
    case parser
    /// The parser accepts the file but BuildKit's instruction layer (`instructions.Parse`) rejects it:
    /// unknown instruction, bad flag, wrong number of arguments.
    case instruction
  }

  /// A stable identifier for each kind of issue.
  public enum Code: String, Sendable, Hashable, CaseIterable {
    case duplicateDirective = "duplicate-directive"
    case invalidEscapeDirective = "invalid-escape-directive"
    case lineTooLong = "line-too-long"
    case noInstructions = "no-instructions"
    case emptyContinuationLine = "empty-continuation-line"
    case missingKeyValueArgument = "missing-key-value-argument"
    case missingEquals = "missing-equals"
    case jsonNotStringArray = "json-not-string-array"
    case unterminatedHeredoc = "unterminated-heredoc"
    case invalidHeredoc = "invalid-heredoc"
    case unknownInstruction = "unknown-instruction"
    case unknownFlag = "unknown-flag"
    case invalidFlag = "invalid-flag"
    case wrongArgumentCount = "wrong-argument-count"
    case invalidArgument = "invalid-argument"
    case noBuildStage = "no-build-stage"
  }

  public var code: Code
  public var severity: Severity
  public var layer: Layer
  /// Short, lower-case, says what was expected.
  public var message: String
  /// The bytes the issue is about (may be empty: an insertion point).
  public var range: SourceRange

  public init(code: Code, severity: Severity, layer: Layer, message: String, range: SourceRange) {
    self.code = code
    self.severity = severity
    self.layer = layer
    self.message = message
    self.range = range
  }

  /// `path:line:column: severity: message`.
  public func formatted(in file: SourceFile) -> String {
    let location = file.location(of: range.start)
    return "\(file.path):\(location.line):\(location.column): \(severity.rawValue): \(message)"
  }
}
