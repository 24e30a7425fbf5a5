/// A 1-based line and column. `column` counts Unicode scalars from the start of the line (an invalid
/// UTF-8 byte counts as one); `byteColumn` counts UTF-8 bytes. Both are 1-based.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var byteColumn: Int

  public init(line: Int, column: Int, byteColumn: Int) {
    self.line = line
    self.column = column
    self.byteColumn = byteColumn
  }

  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    lhs.line != rhs.line ? lhs.line < rhs.line : lhs.column < rhs.column
  }

  public var description: String { "\(line):\(column)" }
}
