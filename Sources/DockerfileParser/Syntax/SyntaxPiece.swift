/// One piece of the lossless syntax sequence: a kind and the half-open byte range it covers.
///
/// The pieces of a `Dockerfile` cover the file exactly once, in order; concatenating their bytes gives
/// the input back. Trivia (white space, newlines, comments, line continuations, comment and empty lines
/// inside a continuation, the BOM) carry no meaning for BuildKit; the other pieces are the tokens of
/// directives and instructions.
public struct SyntaxPiece: Sendable, Hashable, CustomStringConvertible {
  /// What a piece is.
  public enum Kind: UInt8, Sendable, Hashable, CaseIterable {
    /// The UTF-8 byte order mark at the start of the file.
    case byteOrderMark
    /// A parser directive line (`# syntax=…`, `# escape=…`, `# check=…`) without its newline.
    case directive
    /// A comment line (from `#` to the end of the line, without the newline).
    case comment
    /// Spaces, tabs and other white space within a line (including a white-space-only line's content).
    case whitespace
    /// A line terminator: `\n`, `\r\n`, or any `\r`s BuildKit trims before the end of the line.
    case newline
    /// An instruction keyword as written (`RUN`, `from`, …).
    case keyword
    /// One `--name=value` flag as written.
    case flag
    /// Argument text of an instruction on one physical line (between flags or keyword and the end of
    /// the line or its line continuation).
    case arguments
    /// The escape character that continues a line, plus the spaces and tabs after it.
    case lineContinuation
    /// A comment line inside a continued instruction (BuildKit skips it).
    case continuationComment
    /// The white space of an empty line inside a continued instruction (BuildKit skips it and warns).
    case emptyContinuationLine
    /// The lines of a heredoc body, newlines included.
    case heredocBody
    /// The line that ends a heredoc, without its newline.
    case heredocTerminator
  }

  public var kind: Kind
  public var range: SourceRange

  public init(kind: Kind, range: SourceRange) {
    self.kind = kind
    self.range = range
  }

  /// True for pieces BuildKit ignores.
  public var isTrivia: Bool {
    switch kind {
    case .byteOrderMark, .comment, .whitespace, .newline, .lineContinuation, .continuationComment,
      .emptyContinuationLine:
      return true
    case .directive, .keyword, .flag, .arguments, .heredocBody, .heredocTerminator:
      return false
    }
  }

  public var description: String { "\(kind)@\(range)" }
}
