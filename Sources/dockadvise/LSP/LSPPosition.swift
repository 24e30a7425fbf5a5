import DockerfileParser

/// LSP positions (0-based line, UTF-16 code units in the line) ↔ byte offsets of one file's UTF-8 text.
struct LSPLineIndex {
  let bytes: [UInt8]
  let lineStarts: [Int]

  init(_ file: SourceFile) {
    bytes = file.bytes
    lineStarts = file.lineStarts
  }

  init(bytes: [UInt8]) { self.init(SourceFile(path: "", bytes: bytes)) }

  func position(of offset: Int) -> (line: Int, character: Int) {
    let clamped = max(0, min(offset, bytes.count))
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
    }
    var units = 0
    var index = lineStarts[low]
    while index < clamped {
      let byte = bytes[index]
      if byte & 0xC0 != 0x80 { units += byte >= 0xF0 ? 2 : 1 }
      index += 1
    }
    return (low, units)
  }

  /// The byte offset of a position; characters past the line's end clamp to it, lines past the end to
  /// the end of the text.
  func offset(line: Int, character: Int) -> Int {
    guard line >= 0 else { return 0 }
    guard line < lineStarts.count else { return bytes.count }
    var index = lineStarts[line]
    var end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : bytes.count
    if end > index, end < bytes.count, bytes[end] == 0x0A, bytes[end - 1] == 0x0D { end -= 1 }
    var units = 0
    while index < end, units < character {
      let byte = bytes[index]
      units += byte >= 0xF0 ? 2 : 1
      index += 1
      while index < end, bytes[index] & 0xC0 == 0x80 { index += 1 }
    }
    return index
  }

  func range(_ range: SourceRange) -> JSONWriter.Value {
    let start = position(of: range.start)
    let end = range.isEmpty ? start : position(of: range.end)
    return .object([("start", Self.value(start)), ("end", Self.value(end))])
  }

  static func value(_ position: (line: Int, character: Int)) -> JSONWriter.Value {
    .object([("line", .int(position.line)), ("character", .int(position.character))])
  }

  /// A position from LSP JSON.
  static func parse(_ value: JSONValue?) -> (line: Int, character: Int)? {
    guard let value, let line = value["line"]?.number, let character = value["character"]?.number else { return nil }
    return (Int(max(0, min(line, 1e9))), Int(max(0, min(character, 1e9))))
  }
}
