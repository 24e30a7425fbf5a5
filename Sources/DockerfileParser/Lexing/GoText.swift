/// Text primitives that behave exactly like the Go standard library functions BuildKit calls
/// (`unicode.IsSpace`, `utf8.DecodeRune`, `strings.TrimSpace`, `strings.ToLower`, `strconv.Quote`).
///
/// BuildKit's parser is Go code working on UTF-8 strings; where its result depends on how Go decodes
/// invalid UTF-8 or which characters Go calls white space, these functions reproduce that behaviour.
enum GoText {
  /// The replacement character U+FFFD, which Go's decoder yields for every invalid byte.
  static let runeError: UInt32 = 0xFFFD
  /// U+FFFD encoded as UTF-8.
  static let runeErrorBytes: [UInt8] = [0xEF, 0xBF, 0xBD]

  /// `utf8.DecodeRune`: the scalar at `position` and its width; an invalid or truncated sequence
  /// decodes as U+FFFD of width 1. `end` bounds the bytes that may be read.
  @inline(__always)
  static func decodeRune(_ bytes: UnsafeBufferPointer<UInt8>, _ position: Int, _ end: Int) -> (UInt32, Int) {
    let b0 = bytes[position]
    if b0 < 0x80 { return (UInt32(b0), 1) }
    return decodeMultibyte(bytes, position, end)
  }

  static func decodeMultibyte(_ bytes: UnsafeBufferPointer<UInt8>, _ position: Int, _ end: Int) -> (UInt32, Int) {
    let b0 = bytes[position]
    let available = end - position
    switch b0 {
    case 0xC2...0xDF:
      guard available >= 2 else { return (runeError, 1) }
      let b1 = bytes[position + 1]
      guard b1 & 0xC0 == 0x80 else { return (runeError, 1) }
      return (UInt32(b0 & 0x1F) << 6 | UInt32(b1 & 0x3F), 2)
    case 0xE0...0xEF:
      guard available >= 3 else { return (runeError, 1) }
      let b1 = bytes[position + 1]
      let b2 = bytes[position + 2]
      let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
      let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
      guard b1 >= low, b1 <= high, b2 & 0xC0 == 0x80 else { return (runeError, 1) }
      return (UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F), 3)
    case 0xF0...0xF4:
      guard available >= 4 else { return (runeError, 1) }
      let b1 = bytes[position + 1]
      let b2 = bytes[position + 2]
      let b3 = bytes[position + 3]
      let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
      let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
      guard b1 >= low, b1 <= high, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80 else { return (runeError, 1) }
      return (UInt32(b0 & 0x07) << 18 | UInt32(b1 & 0x3F) << 12 | UInt32(b2 & 0x3F) << 6 | UInt32(b3 & 0x3F), 4)
    default:
      return (runeError, 1)
    }
  }

  /// Go's rune decoding on an array (convenience for non-hot paths).
  static func decodeRune(_ bytes: [UInt8], _ position: Int, _ end: Int) -> (UInt32, Int) {
    bytes.withUnsafeBufferPointer { decodeRune($0, position, end) }
  }

  /// `utf8.DecodeLastRune` on `bytes[start..<end]`.
  static func decodeLastRune(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (UInt32, Int) {
    let last = bytes[end - 1]
    if last < 0x80 { return (UInt32(last), 1) }
    let limit = Swift.max(start, end - 4)
    var lead = end - 1
    while lead > limit && bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
    let (scalar, width) = decodeRune(bytes, lead, end)
    if lead + width != end { return (runeError, 1) }
    return (scalar, width)
  }

  /// `unicode.IsSpace`.
  @inline(__always)
  static func isSpace(_ scalar: UInt32) -> Bool {
    if scalar < 0x80 {
      return scalar == 0x20 || (scalar >= 0x09 && scalar <= 0x0D)
    }
    switch scalar {
    case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
  }

  /// `unicode.IsSpace(rune(b))` for a single byte, as BuildKit's byte-wise loops call it
  /// (`extractBuilderFlags`, `parseHealthConfig`): bytes 0x85 and 0xA0 count as white space.
  @inline(__always)
  static func isLatin1Space(_ byte: UInt8) -> Bool {
    byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) || byte == 0x85 || byte == 0xA0
  }

  /// The class `[\t\v\f\r ]` of BuildKit's `reWhitespace`.
  @inline(__always)
  static func isRegexWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C || byte == 0x0D
  }

  /// RE2's `\s`: `[\t\n\f\r ]`.
  @inline(__always)
  static func isPerlSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
  }

  /// `bytes.TrimLeftFunc(s, unicode.IsSpace)`: the first offset in `start..<end` that does not begin a
  /// white-space rune.
  static func trimLeftSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
    var position = start
    while position < end {
      let byte = bytes[position]
      if byte < 0x80 {
        guard byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) else { return position }
        position += 1
      } else {
        let (scalar, width) = decodeMultibyte(bytes, position, end)
        guard isSpace(scalar) else { return position }
        position += width
      }
    }
    return position
  }

  /// `bytes.TrimRightFunc(s, unicode.IsSpace)`: the end offset after trimming white space on the right.
  static func trimRightSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
    var position = end
    while position > start {
      let byte = bytes[position - 1]
      if byte < 0x80 {
        guard byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) else { return position }
        position -= 1
      } else {
        let (scalar, width) = decodeLastRune(bytes, start, position)
        guard isSpace(scalar) else { return position }
        position -= width
      }
    }
    return position
  }

  /// `strings.TrimSpace`.
  static func trimSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Range<Int> {
    let lower = trimLeftSpace(bytes, start, end)
    let upper = trimRightSpace(bytes, lower, end)
    return lower..<upper
  }

  /// Appends the UTF-8 encoding of `scalar` (Go's `WriteRune`; invalid scalars become U+FFFD).
  @inline(__always)
  static func appendRune(_ scalar: UInt32, to output: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
      output.append(UInt8(scalar))
    case 0x80..<0x800:
      output.append(UInt8(0xC0 | (scalar >> 6)))
      output.append(UInt8(0x80 | (scalar & 0x3F)))
    case 0xD800...0xDFFF, 0x110000...:
      output.append(contentsOf: runeErrorBytes)
    case 0x800..<0x10000:
      output.append(UInt8(0xE0 | (scalar >> 12)))
      output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      output.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
      output.append(UInt8(0xF0 | (scalar >> 18)))
      output.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
      output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      output.append(UInt8(0x80 | (scalar & 0x3F)))
    }
  }

  /// `unicode.ToLower` for one scalar (simple case mapping).
  static func toLower(_ scalar: UInt32) -> UInt32 {
    if scalar < 0x80 {
      return scalar >= 0x41 && scalar <= 0x5A ? scalar + 0x20 : scalar
    }
    switch scalar {
    case 0x130: return 0x69  // İ → i (Go's simple mapping)
    case 0x212A: return 0x6B  // KELVIN SIGN → k
    case 0x212B: return 0xE5  // ANGSTROM SIGN → å
    default: break
    }
    guard let value = Unicode.Scalar(scalar) else { return scalar }
    let mapping = value.properties.lowercaseMapping.unicodeScalars
    if mapping.count == 1, let first = mapping.first { return first.value }
    return scalar
  }

  /// `strings.ToLower`: ASCII bytes are lowered in place; other text goes through `unicode.ToLower`
  /// rune by rune, and every invalid byte becomes U+FFFD.
  static func toLower(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
    var isASCII = true
    for byte in bytes where byte >= 0x80 {
      isASCII = false
      break
    }
    if isASCII {
      return bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
    }
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    let array = Array(bytes)
    array.withUnsafeBufferPointer { buffer in
      var position = 0
      while position < buffer.count {
        let (scalar, width) = decodeRune(buffer, position, buffer.count)
        appendRune(toLower(scalar), to: &output)
        position += width
      }
    }
    return output
  }

  /// `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
  static func isPrint(_ scalar: UInt32) -> Bool {
    if scalar < 0x80 { return scalar >= 0x20 && scalar < 0x7F }
    guard let value = Unicode.Scalar(scalar) else { return false }
    switch value.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .nonspacingMark, .spacingMark, .enclosingMark,
      .decimalNumber, .letterNumber, .otherNumber,
      .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
      .initialPunctuation, .finalPunctuation, .otherPunctuation,
      .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
      return true
    default:
      return false
    }
  }

  /// `unicode.IsLetter`.
  static func isLetter(_ scalar: UInt32) -> Bool {
    if scalar < 0x80 { return (scalar | 0x20) >= 0x61 && (scalar | 0x20) <= 0x7A }
    guard let value = Unicode.Scalar(scalar) else { return false }
    switch value.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
    default: return false
    }
  }

  /// `unicode.IsDigit`.
  static func isDigit(_ scalar: UInt32) -> Bool {
    if scalar < 0x80 { return scalar >= 0x30 && scalar <= 0x39 }
    guard let value = Unicode.Scalar(scalar) else { return false }
    return value.properties.generalCategory == .decimalNumber
  }

  /// `strconv.Quote`: a double-quoted Go string literal for `bytes`.
  static func quote(_ bytes: [UInt8]) -> String {
    var output: [UInt8] = [0x22]
    output.reserveCapacity(bytes.count + 2)
    let hex: [UInt8] = Array("0123456789abcdef".utf8)
    bytes.withUnsafeBufferPointer { buffer in
      var position = 0
      while position < buffer.count {
        let (scalar, width) = decodeRune(buffer, position, buffer.count)
        defer { position += width }
        if width == 1 && scalar == runeError {
          output.append(contentsOf: [0x5C, 0x78, hex[Int(buffer[position] >> 4)], hex[Int(buffer[position] & 0xF)]])
          continue
        }
        switch scalar {
        case 0x22: output.append(contentsOf: [0x5C, 0x22])
        case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
        case 0x07: output.append(contentsOf: [0x5C, 0x61])
        case 0x08: output.append(contentsOf: [0x5C, 0x62])
        case 0x0C: output.append(contentsOf: [0x5C, 0x66])
        case 0x0A: output.append(contentsOf: [0x5C, 0x6E])
        case 0x0D: output.append(contentsOf: [0x5C, 0x72])
        case 0x09: output.append(contentsOf: [0x5C, 0x74])
        case 0x0B: output.append(contentsOf: [0x5C, 0x76])
        default:
          if isPrint(scalar) {
            output.append(contentsOf: buffer[position..<position + width])
          } else if scalar < 0x20 || scalar == 0x7F {
            output.append(contentsOf: [0x5C, 0x78, hex[Int(scalar >> 4)], hex[Int(scalar & 0xF)]])
          } else if scalar < 0x10000 {
            output.append(contentsOf: [0x5C, 0x75])
            for shift in stride(from: 12, through: 0, by: -4) { output.append(hex[Int((scalar >> UInt32(shift)) & 0xF)]) }
          } else {
            output.append(contentsOf: [0x5C, 0x55])
            for shift in stride(from: 28, through: 0, by: -4) { output.append(hex[Int((scalar >> UInt32(shift)) & 0xF)]) }
          }
        }
      }
    }
    output.append(0x22)
    return String(decoding: output, as: UTF8.self)
  }

  /// Bytes as Go's `[]byte → string → []rune → string` round trip would give: every invalid byte
  /// becomes U+FFFD.
  static func sanitized(_ bytes: [UInt8]) -> [UInt8] {
    var valid = true
    bytes.withUnsafeBufferPointer { buffer in
      var position = 0
      while position < buffer.count {
        if buffer[position] < 0x80 { position += 1; continue }
        let (scalar, width) = decodeMultibyte(buffer, position, buffer.count)
        if scalar == runeError && width == 1 { valid = false; return }
        position += width
      }
    }
    if valid { return bytes }
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count + 8)
    bytes.withUnsafeBufferPointer { buffer in
      var position = 0
      while position < buffer.count {
        let (scalar, width) = decodeRune(buffer, position, buffer.count)
        if scalar == runeError && width == 1 {
          output.append(contentsOf: runeErrorBytes)
        } else {
          output.append(contentsOf: buffer[position..<position + width])
        }
        position += width
      }
    }
    return output
  }
}

/// Byte searches eight bytes at a time.
enum ByteSearch {
  /// The first index in `start..<end` holding `target`, or `end`.
  @inline(__always)
  static func firstIndex(of target: UInt8, in b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
    guard let base = b.baseAddress else { return end }
    var index = start
    let pattern = UInt64(target) &* 0x0101_0101_0101_0101
    while index + 8 <= end {
      let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) ^ pattern
      let found = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
      if found != 0 {
        // The lowest flagged byte is always a real match (borrows only propagate upwards).
        return index + found.trailingZeroBitCount / 8
      }
      index += 8
    }
    while index < end {
      if base[index] == target { return index }
      index += 1
    }
    return end
  }
}
