/// Recognises parser directives the way BuildKit's `DirectiveParser.ParseLine` does: a line that
/// starts with `#`, then `key = value` matching `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`, where the key
/// (case-insensitive) is `syntax`, `escape` or `check`.
enum ParserDirectives {
  /// The directive keys BuildKit knows.
  static let validNames: Set<String> = ["syntax", "escape", "check"]

  struct Match {
    var name: String
    var nameRange: Range<Int>
    var valueRange: Range<Int>
  }

  /// The directive on the line content `start..<end` (leading white space already skipped), or nil
  /// when the line is not one (which ends the directive section).
  static func match(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Match? {
    guard start < end, b[start] == 0x23 else { return nil }
    let keyStart = GoText.trimLeftSpace(b, start + 1, end)
    var position = keyStart
    guard position < end, isLetter(b[position]) else { return nil }
    while position < end && (isLetter(b[position]) || (b[position] >= 0x30 && b[position] <= 0x39)) { position += 1 }
    let keyEnd = position
    while position < end && GoText.isPerlSpace(b[position]) { position += 1 }
    guard position < end, b[position] == 0x3D else { return nil }
    let afterEquals = position + 1
    guard afterEquals < end else { return nil }
    var valueStart = afterEquals
    while valueStart < end && GoText.isPerlSpace(b[valueStart]) { valueStart += 1 }
    let valueRange: Range<Int>
    if valueStart == end {
      // Only white space after `=`: the lazy `(.+?)` takes the last character.
      valueRange = (end - 1)..<end
    } else {
      var valueEnd = end
      while valueEnd > valueStart && GoText.isPerlSpace(b[valueEnd - 1]) { valueEnd -= 1 }
      valueRange = valueStart..<valueEnd
    }
    let name = String(decoding: GoText.toLower(Array(b[keyStart..<keyEnd])[...]), as: UTF8.self)
    guard validNames.contains(name) else { return nil }
    return Match(name: name, nameRange: keyStart..<keyEnd, valueRange: valueRange)
  }

  @inline(__always)
  static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
}
