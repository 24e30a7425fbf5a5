/// A small deterministic JSON writer: object keys keep the order they were given, numbers are
/// integers or shortest round-trip doubles, and strings are escaped completely (quotes, backslashes,
/// every control character, U+2028/U+2029, and each invalid UTF-8 byte as `\ufffd`).
struct JSONWriter {
  /// A JSON value to write.
  indirect enum Value: Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    /// Text given as UTF-8 bytes (may be invalid: each bad byte is written as U+FFFD).
    case bytes([UInt8])
    case array([Value])
    /// Members in the order given.
    case object([(String, Value)])

    static func string(_ text: String) -> Value { .bytes(Array(text.utf8)) }

    static func == (lhs: Value, rhs: Value) -> Bool {
      switch (lhs, rhs) {
      case (.null, .null): return true
      case (.bool(let a), .bool(let b)): return a == b
      case (.int(let a), .int(let b)): return a == b
      case (.double(let a), .double(let b)): return a == b
      case (.bytes(let a), .bytes(let b)): return a == b
      case (.array(let a), .array(let b)): return a == b
      case (.object(let a), .object(let b)):
        return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
      default: return false
      }
    }
  }

  /// Indentation per level; nil writes everything on one line.
  var indent: String? = "  "

  /// The text of `value` followed by a newline.
  func write(_ value: Value) -> [UInt8] {
    var output: [UInt8] = []
    append(value, to: &output, level: 0)
    output.append(0x0A)
    return output
  }

  /// The text of `value` without a final newline, indented as if it stood at depth `level` (for
  /// reporters that stream the elements of a large array one by one).
  func write(_ value: Value, level: Int) -> [UInt8] {
    var output: [UInt8] = []
    append(value, to: &output, level: level)
    return output
  }

  /// The text of `value` as a `String`.
  func string(_ value: Value) -> String { String(decoding: write(value), as: UTF8.self) }

  private func newline(_ output: inout [UInt8], _ level: Int) {
    guard let indent else { return }
    output.append(0x0A)
    for _ in 0..<level { output.append(contentsOf: indent.utf8) }
  }

  private func append(_ value: Value, to output: inout [UInt8], level: Int) {
    switch value {
    case .null: output.append(contentsOf: "null".utf8)
    case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
    case .int(let number): output.append(contentsOf: String(number).utf8)
    case .double(let number):
      if number.isFinite {
        if number == number.rounded(), abs(number) < 1e15 {
          output.append(contentsOf: String(Int(number)).utf8)
        } else {
          output.append(contentsOf: "\(number)".utf8)
        }
      } else {
        output.append(contentsOf: "null".utf8)
      }
    case .bytes(let bytes): Self.appendString(bytes, to: &output)
    case .array(let elements):
      if elements.isEmpty {
        output.append(contentsOf: "[]".utf8)
        return
      }
      output.append(0x5B)
      for (index, element) in elements.enumerated() {
        if index > 0 { output.append(contentsOf: indent == nil ? ", ".utf8 : ",".utf8) }
        newline(&output, level + 1)
        append(element, to: &output, level: level + 1)
      }
      newline(&output, level)
      output.append(0x5D)
    case .object(let members):
      if members.isEmpty {
        output.append(contentsOf: "{}".utf8)
        return
      }
      output.append(0x7B)
      for (index, member) in members.enumerated() {
        if index > 0 { output.append(contentsOf: indent == nil ? ", ".utf8 : ",".utf8) }
        newline(&output, level + 1)
        Self.appendString(Array(member.0.utf8), to: &output)
        output.append(contentsOf: ": ".utf8)
        append(member.1, to: &output, level: level + 1)
      }
      newline(&output, level)
      output.append(0x7D)
    }
  }

  /// Appends `bytes` as a JSON string literal.
  static func appendString(_ bytes: [UInt8], to output: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    output.append(0x22)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case 0x22: output.append(contentsOf: [0x5C, 0x22]); index += 1
      case 0x5C: output.append(contentsOf: [0x5C, 0x5C]); index += 1
      case 0x08: output.append(contentsOf: [0x5C, 0x62]); index += 1
      case 0x0C: output.append(contentsOf: [0x5C, 0x66]); index += 1
      case 0x0A: output.append(contentsOf: [0x5C, 0x6E]); index += 1
      case 0x0D: output.append(contentsOf: [0x5C, 0x72]); index += 1
      case 0x09: output.append(contentsOf: [0x5C, 0x74]); index += 1
      case 0x00..<0x20:
        output.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        index += 1
      case 0x20..<0x80:
        output.append(byte)
        index += 1
      default:
        let length = validSequenceLength(bytes, index)
        if length == 0 {
          output.append(contentsOf: "\\ufffd".utf8)
          index += 1
        } else if length == 3 && byte == 0xE2 && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9) {
          output.append(contentsOf: (bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
          index += 3
        } else {
          output.append(contentsOf: bytes[index..<index + length])
          index += length
        }
      }
    }
    output.append(0x22)
  }

  /// The length of the valid UTF-8 sequence at `index`, or 0 when the byte there does not start one.
  static func validSequenceLength(_ bytes: [UInt8], _ index: Int) -> Int {
    let b0 = bytes[index]
    func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
      index + offset < bytes.count && bytes[index + offset] >= low && bytes[index + offset] <= high
    }
    switch b0 {
    case 0xC2...0xDF: return continuation(1) ? 2 : 0
    case 0xE0: return continuation(1, 0xA0) && continuation(2) ? 3 : 0
    case 0xED: return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
    case 0xE1...0xEF: return continuation(1) && continuation(2) ? 3 : 0
    case 0xF0: return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
    case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
    case 0xF4: return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
    default: return 0
    }
  }
}
