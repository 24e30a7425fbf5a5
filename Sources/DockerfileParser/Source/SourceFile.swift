/// The original bytes of one file plus a table of line starts; the only place that turns byte offsets
/// into lines and columns.
///
/// Lines end at `\n`; a `\r` before it belongs to the line's terminator. A lone `\r` is not a line break
/// (BuildKit's scanner splits on `\n` only).
public struct SourceFile: Sendable {
  /// The path used in diagnostics (as the user gave it, or a display name such as `<stdin>`).
  public let path: String
  public let bytes: [UInt8]
  /// Offsets at which each line starts; `lineStarts[0] == 0`.
  public let lineStarts: [Int]

  public init(path: String, bytes: [UInt8]) {
    self.path = path
    self.bytes = bytes
    self.lineStarts = Self.lineStarts(of: bytes)
  }

  public init(path: String, text: String) {
    self.init(path: path, bytes: Array(text.utf8))
  }

  /// Number of lines; a final line without a newline counts, an empty tail after a final newline does not.
  public var lineCount: Int {
    if let last = lineStarts.last, last == bytes.count, lineStarts.count > 1 { return lineStarts.count - 1 }
    return lineStarts.count
  }

  /// 0-based index of the line containing `offset` (offsets at or past the end map to the last line).
  public func lineIndex(of offset: Int) -> Int {
    let target = Swift.max(0, Swift.min(offset, bytes.count))
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= target { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// The 1-based location of a byte offset.
  public func location(of offset: Int) -> SourceLocation {
    let clamped = Swift.max(0, Swift.min(offset, bytes.count))
    let index = lineIndex(of: clamped)
    let lineStart = lineStarts[index]
    var scalars = 0
    var position = lineStart
    while position < clamped {
      position += Self.scalarLength(bytes, at: position, limit: clamped)
      scalars += 1
    }
    return SourceLocation(line: index + 1, column: scalars + 1, byteColumn: clamped - lineStart + 1)
  }

  /// The byte range of 1-based line `line`, without its terminator (`\n` or `\r\n`).
  public func lineRange(_ line: Int) -> SourceRange {
    let index = Swift.max(0, Swift.min(line - 1, lineStarts.count - 1))
    let start = lineStarts[index]
    var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
    if end > start, bytes[end - 1] == 0x0D, end < bytes.count, bytes[end] == 0x0A { end -= 1 }
    return SourceRange(start: start, end: Swift.max(start, end))
  }

  /// The text of 1-based line `line`, without its terminator; invalid UTF-8 is repaired for display.
  public func lineText(_ line: Int) -> String {
    text(of: lineRange(line))
  }

  /// The bytes of `range` decoded for display (invalid UTF-8 becomes U+FFFD).
  public func text(of range: SourceRange) -> String {
    let start = Swift.max(0, Swift.min(range.start, bytes.count))
    let end = Swift.max(start, Swift.min(range.end, bytes.count))
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// Offset of a 1-based line and byte column, clamped into the file.
  public func offset(line: Int, byteColumn: Int) -> Int {
    let index = Swift.max(0, Swift.min(line - 1, lineStarts.count - 1))
    return Swift.min(bytes.count, lineStarts[index] + Swift.max(0, byteColumn - 1))
  }

  /// Offsets at which lines start: 0 and every offset after a `\n`. Scans eight bytes at a time.
  static func lineStarts(of bytes: [UInt8]) -> [Int] {
    var starts: [Int] = []
    starts.reserveCapacity(bytes.count / 16 + 2)
    starts.append(0)
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      let count = buffer.count
      var index = 0
      while index + 8 <= count {
        var mask = newlineMask(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
        while mask != 0 {
          starts.append(index + mask.trailingZeroBitCount / 8 + 1)
          mask &= mask &- 1
        }
        index += 8
      }
      while index < count {
        if base[index] == 0x0A { starts.append(index + 1) }
        index += 1
      }
    }
    return starts
  }

  /// The high bit of every byte of `word` that is `\n` (exact, no false positives).
  @inline(__always)
  static func newlineMask(_ word: UInt64) -> UInt64 {
    let x = word ^ 0x0A0A_0A0A_0A0A_0A0A
    let low = (x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F
    return ~(low | x | 0x7F7F_7F7F_7F7F_7F7F)
  }

  /// The length in bytes of the UTF-8 scalar starting at `position` (1 for an invalid or truncated one).
  static func scalarLength(_ bytes: [UInt8], at position: Int, limit: Int) -> Int {
    let lead = bytes[position]
    let length: Int
    switch lead {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return 1
    }
    if position + length > limit { return 1 }
    for next in 1..<length where bytes[position + next] & 0xC0 != 0x80 { return 1 }
    return length
  }
}

extension SourceFile: CustomStringConvertible, CustomDebugStringConvertible {
  public var description: String { path }
  public var debugDescription: String { "SourceFile(\(path), \(bytes.count) bytes)" }
}
