/// A half-open range of UTF-8 byte offsets into the original bytes of one file.
public struct SourceRange: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var start: Int
  public var end: Int

  public init(start: Int, end: Int) {
    precondition(start <= end, "SourceRange start \(start) after end \(end)")
    self.start = start
    self.end = end
  }

  public init(_ range: Range<Int>) {
    self.init(start: range.lowerBound, end: range.upperBound)
  }

  /// An empty range at `offset` (an insertion point).
  public static func empty(at offset: Int) -> SourceRange { SourceRange(start: offset, end: offset) }

  public var length: Int { end - start }
  public var isEmpty: Bool { start == end }
  public var range: Range<Int> { start..<end }

  public func contains(_ offset: Int) -> Bool { offset >= start && offset < end }
  public func contains(_ other: SourceRange) -> Bool { other.start >= start && other.end <= end }
  public func overlaps(_ other: SourceRange) -> Bool {
    if isEmpty || other.isEmpty { return other.start > start && other.start < end || start > other.start && start < other.end }
    return start < other.end && other.start < end
  }

  /// The smallest range covering both.
  public func union(_ other: SourceRange) -> SourceRange {
    SourceRange(start: Swift.min(start, other.start), end: Swift.max(end, other.end))
  }

  public static func < (lhs: SourceRange, rhs: SourceRange) -> Bool {
    lhs.start != rhs.start ? lhs.start < rhs.start : lhs.end < rhs.end
  }

  public var description: String { "\(start)..<\(end)" }
}
