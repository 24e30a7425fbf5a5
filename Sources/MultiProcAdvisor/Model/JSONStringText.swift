import DockerfileParser

/// The decoded content of a JSON string literal in a file, mapped back byte for byte: plain runs map
/// one to one, each escape (`\"`, `\n`, `\u00e9`) maps to its whole escape sequence.
enum JSONStringText {
  /// `range` covers the literal with its quotes.
  static func mapped(_ range: SourceRange, in file: SourceFile) -> MappedText {
    var text = MappedText()
    let bytes = file.bytes
    guard range.length >= 2 else { return text }
    var index = range.start + 1
    let end = range.end - 1
    var runStart = index
    func flush(_ upTo: Int) {
      if upTo > runStart { text.appendVerbatim(bytes[runStart..<upTo], originalStart: runStart) }
    }
    while index < end {
      guard bytes[index] == UInt8(ascii: "\\"), index + 1 < end else {
        index += 1
        continue
      }
      flush(index)
      let escape = bytes[index + 1]
      var decoded: [UInt8] = []
      var length = 2
      switch escape {
      case UInt8(ascii: "n"): decoded = [0x0A]
      case UInt8(ascii: "t"): decoded = [0x09]
      case UInt8(ascii: "r"): decoded = [0x0D]
      case UInt8(ascii: "b"): decoded = [0x08]
      case UInt8(ascii: "f"): decoded = [0x0C]
      case UInt8(ascii: "u"):
        if index + 6 <= end, let value = UInt32(String(decoding: bytes[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16) {
          length = 6
          var scalarValue = value
          // A surrogate pair.
          if (0xD800...0xDBFF).contains(value), index + 12 <= end, bytes[index + 6] == UInt8(ascii: "\\"), bytes[index + 7] == UInt8(ascii: "u"),
            let low = UInt32(String(decoding: bytes[(index + 8)..<(index + 12)], as: UTF8.self), radix: 16), (0xDC00...0xDFFF).contains(low)
          {
            scalarValue = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            length = 12
          }
          decoded = Array(String(Unicode.Scalar(scalarValue).map(Character.init) ?? "\u{FFFD}").utf8)
        } else {
          decoded = [escape]
        }
      default: decoded = [escape]
      }
      text.appendDecoded(decoded, originalStart: index, originalLength: length)
      index += length
      runStart = index
    }
    flush(end)
    return text
  }
}
