/// A strict JSON parser with Go `encoding/json` semantics (RFC 8259 syntax, white space limited to
/// space, tab, CR and LF, at most `maxDepth` nested arrays and objects, invalid UTF-8 in strings
/// replaced by U+FFFD, lone surrogate escapes replaced by U+FFFD).
///
/// It never recurses: the nesting is tracked on an explicit stack.
public enum JSONParser {
  static let trueLiteral = Array("true".utf8)
  static let falseLiteral = Array("false".utf8)
  static let nullLiteral = Array("null".utf8)

  /// Go's `encoding/json` nesting limit.
  public static let defaultMaxDepth = 10_000

  /// Parses `bytes[range]` (all of `bytes` by default) as one JSON value followed only by white space.
  /// Ranges in the result are offsets into `bytes`.
  public static func parse(_ bytes: [UInt8], in range: Range<Int>? = nil, maxDepth: Int = defaultMaxDepth)
    -> Result<JSONValue, JSONParseError>
  {
    let bounds = range ?? 0..<bytes.count
    var state = State(input: bytes, end: bounds.upperBound, maxDepth: maxDepth)
    let outcome = bytes.withUnsafeBufferPointer { buffer in
      state.run(buffer, from: bounds.lowerBound)
    }
    if let error = outcome { return .failure(error) }
    let document = JSONDocument(input: bytes, nodes: state.nodes, strings: state.strings)
    return .success(JSONValue(document: document, index: 0))
  }

  /// Parses the text of `string`.
  public static func parse(_ string: String, maxDepth: Int = defaultMaxDepth) -> Result<JSONValue, JSONParseError> {
    parse(Array(string.utf8), maxDepth: maxDepth)
  }

  /// Decodes the JSON string literal whose content (between the quotes) is `bytes[content]`, appending
  /// the decoded bytes to `output`; `emit` receives every piece: verbatim runs as
  /// `(decodedCount, sourceStart, sourceCount)` with equal counts, escapes and replaced bytes with
  /// their own counts. The content must already be known to be valid.
  static func decodeString(
    _ buffer: UnsafeBufferPointer<UInt8>, _ content: Range<Int>, into output: inout [UInt8],
    emit: (_ decoded: Int, _ sourceStart: Int, _ sourceCount: Int) -> Void
  ) {
    var position = content.lowerBound
    let end = content.upperBound
    var runStart = position
    func flushRun(_ upTo: Int) {
      if upTo > runStart {
        output.append(contentsOf: buffer[runStart..<upTo])
        emit(upTo - runStart, runStart, upTo - runStart)
      }
    }
    while position < end {
      let byte = buffer[position]
      if byte == 0x5C {
        flushRun(position)
        let escapeStart = position
        let code = position + 1 < end ? buffer[position + 1] : 0
        let before = output.count
        switch code {
        case 0x22, 0x5C, 0x2F: output.append(code); position += 2
        case 0x62: output.append(0x08); position += 2
        case 0x66: output.append(0x0C); position += 2
        case 0x6E: output.append(0x0A); position += 2
        case 0x72: output.append(0x0D); position += 2
        case 0x74: output.append(0x09); position += 2
        case 0x75:
          var scalar = hex4(buffer, position + 2, end) ?? 0xFFFD
          position += 6
          if scalar >= 0xD800 && scalar <= 0xDFFF {
            if scalar <= 0xDBFF, position + 1 < end, buffer[position] == 0x5C, buffer[position + 1] == 0x75,
              let low = hex4(buffer, position + 2, end), low >= 0xDC00, low <= 0xDFFF
            {
              scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
              position += 6
            } else {
              scalar = 0xFFFD
            }
          }
          GoText.appendRune(scalar, to: &output)
        default:
          position += 2
        }
        position = Swift.min(position, end)
        emit(output.count - before, escapeStart, position - escapeStart)
        runStart = position
      } else if byte >= 0x80 {
        let (scalar, width) = GoText.decodeMultibyte(buffer, position, end)
        if scalar == GoText.runeError && width == 1 {
          flushRun(position)
          output.append(contentsOf: GoText.runeErrorBytes)
          emit(3, position, 1)
          position += 1
          runStart = position
        } else {
          position += width
        }
      } else {
        position += 1
      }
    }
    flushRun(end)
  }

  static func hex4(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt32? {
    guard start + 4 <= end else { return nil }
    var value: UInt32 = 0
    for offset in 0..<4 {
      guard let digit = hexValue(buffer[start + offset]) else { return nil }
      value = value << 4 | digit
    }
    return value
  }

  @inline(__always)
  static func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case 0x30...0x39: return UInt32(byte - 0x30)
    case 0x41...0x46: return UInt32(byte - 0x41 + 10)
    case 0x61...0x66: return UInt32(byte - 0x61 + 10)
    default: return nil
    }
  }

  /// Go's `quoteChar` for error messages.
  static func quoteChar(_ byte: UInt8) -> String {
    switch byte {
    case 0x27: return "'\\''"
    case 0x22: return "'\"'"
    default:
      let quoted = GoText.quote([byte])
      return "'" + quoted.dropFirst().dropLast() + "'"
    }
  }

  private struct Frame {
    var node: Int
    var isObject: Bool
    /// Object: expecting a key next (after `{` or `,`).
    var expectingKey: Bool
  }

  private struct State {
    let input: [UInt8]
    let end: Int
    let maxDepth: Int
    var nodes: [JSONDocument.Node] = []
    var strings: [UInt8] = []
    var stack: [Frame] = []

    init(input: [UInt8], end: Int, maxDepth: Int) {
      self.input = input
      self.end = end
      self.maxDepth = maxDepth
    }

    @inline(__always)
    func skipSpace(_ buffer: UnsafeBufferPointer<UInt8>, _ position: Int) -> Int {
      var position = position
      while position < end {
        let byte = buffer[position]
        guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { break }
        position += 1
      }
      return position
    }

    func error(_ position: Int, _ context: String, _ buffer: UnsafeBufferPointer<UInt8>) -> JSONParseError {
      if position >= end { return JSONParseError(offset: end, message: "unexpected end of JSON input") }
      return JSONParseError(offset: position, message: "invalid character \(JSONParser.quoteChar(buffer[position])) \(context)")
    }

    mutating func addNode(_ kind: JSONValue.Kind, _ start: Int, _ end: Int, payloadStart: Int = 0, payloadCount: Int = 0) {
      if let top = stack.last { nodes[top.node].childCount += 1 }
      nodes.append(JSONDocument.Node(
        kind: kind, start: start, end: end, subtreeEnd: nodes.count + 1, childCount: 0,
        payloadStart: payloadStart, payloadCount: payloadCount))
    }

    /// Parses everything; returns the first error.
    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> JSONParseError? {
      var position = skipSpace(buffer, start)
      // Parse one value, then loop over container punctuation.
      while true {
        // Expecting a value (or, in an object frame that expects a key, a key string).
        position = skipSpace(buffer, position)
        guard position < end else { return error(position, "", buffer) }
        let byte = buffer[position]
        let wantsKey = stack.last.map { $0.isObject && $0.expectingKey } ?? false
        if wantsKey {
          guard byte == 0x22 else { return error(position, "looking for beginning of object key string", buffer) }
        }
        switch byte {
        case 0x7B, 0x5B:  // { [
          if stack.count + 1 > maxDepth {
            return JSONParseError(offset: position, message: "exceeded max depth")
          }
          addNode(byte == 0x7B ? .object : .array, position, position)
          stack.append(Frame(node: nodes.count - 1, isObject: byte == 0x7B, expectingKey: byte == 0x7B))
          position = skipSpace(buffer, position + 1)
          let closer: UInt8 = byte == 0x7B ? 0x7D : 0x5D
          if position < end && buffer[position] == closer {
            position += 1
            closeTop(position)
          } else {
            continue
          }
        case 0x22:
          switch scanString(buffer, position) {
          case .failure(let failure): return failure
          case .success(let after): position = after
          }
        case 0x2D, 0x30...0x39:
          switch scanNumber(buffer, position) {
          case .failure(let failure): return failure
          case .success(let after):
            addNode(.number, position, after)
            position = after
          }
        case 0x74, 0x66, 0x6E:  // t f n
          let literal = byte == 0x74 ? JSONParser.trueLiteral : byte == 0x66 ? JSONParser.falseLiteral : JSONParser.nullLiteral
          var offset = 1
          while offset < literal.count {
            guard position + offset < end else { return error(end, "", buffer) }
            guard buffer[position + offset] == literal[offset] else {
              let name = String(decoding: literal, as: UTF8.self)
              return error(position + offset, "in literal \(name) (expecting '\(Character(Unicode.Scalar(literal[offset])))')", buffer)
            }
            offset += 1
          }
          addNode(byte == 0x6E ? .null : .bool, position, position + literal.count, payloadCount: byte == 0x74 ? 1 : 0)
          position += literal.count
        default:
          return error(position, "looking for beginning of value", buffer)
        }
        // After a complete value: punctuation of the enclosing containers.
        while true {
          guard let top = stack.last else {
            position = skipSpace(buffer, position)
            if position < end { return error(position, "after top-level value", buffer) }
            return nil
          }
          position = skipSpace(buffer, position)
          guard position < end else { return error(position, "", buffer) }
          let next = buffer[position]
          if top.isObject {
            if top.expectingKey {
              // A key was just read: expect ':'.
              guard next == 0x3A else { return error(position, "after object key", buffer) }
              stack[stack.count - 1].expectingKey = false
              position += 1
              break
            }
            if next == 0x2C {
              stack[stack.count - 1].expectingKey = true
              position += 1
              break
            }
            guard next == 0x7D else { return error(position, "after object key:value pair", buffer) }
            position += 1
            closeTop(position)
          } else {
            if next == 0x2C {
              position += 1
              break
            }
            guard next == 0x5D else { return error(position, "after array element", buffer) }
            position += 1
            closeTop(position)
          }
        }
      }
    }

    mutating func closeTop(_ position: Int) {
      guard let top = stack.popLast() else { return }
      nodes[top.node].end = position
      nodes[top.node].subtreeEnd = nodes.count
    }

    mutating func scanString(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int) -> Result<Int, JSONParseError> {
      var position = start + 1
      var simple = true
      while true {
        guard position < end else { return .failure(error(end, "", buffer)) }
        let byte = buffer[position]
        if byte == 0x22 { break }
        if byte < 0x20 { return .failure(error(position, "in string literal", buffer)) }
        if byte == 0x5C {
          simple = false
          guard position + 1 < end else { return .failure(error(end, "", buffer)) }
          let code = buffer[position + 1]
          switch code {
          case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
            position += 2
          case 0x75:
            for offset in 2..<6 {
              guard position + offset < end else { return .failure(error(end, "", buffer)) }
              guard JSONParser.hexValue(buffer[position + offset]) != nil else {
                return .failure(error(position + offset, "in \\u hexadecimal character escape", buffer))
              }
            }
            position += 6
          default:
            return .failure(error(position + 1, "in string escape code", buffer))
          }
          continue
        }
        if byte >= 0x80 { simple = false }
        position += 1
      }
      let payloadStart = strings.count
      if simple {
        strings.append(contentsOf: buffer[(start + 1)..<position])
      } else {
        JSONParser.decodeString(buffer, (start + 1)..<position, into: &strings) { _, _, _ in }
      }
      addNode(.string, start, position + 1, payloadStart: payloadStart, payloadCount: strings.count - payloadStart)
      return .success(position + 1)
    }

    func scanNumber(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int) -> Result<Int, JSONParseError> {
      var position = start
      func isDigit(_ at: Int) -> Bool { at < end && buffer[at] >= 0x30 && buffer[at] <= 0x39 }
      if buffer[position] == 0x2D {
        position += 1
        guard position < end else { return .failure(error(end, "", buffer)) }
        guard isDigit(position) else { return .failure(error(position, "in numeric literal", buffer)) }
      }
      if buffer[position] == 0x30 {
        position += 1
      } else {
        while isDigit(position) { position += 1 }
      }
      if position < end && buffer[position] == 0x2E {
        position += 1
        guard position < end else { return .failure(error(end, "", buffer)) }
        guard isDigit(position) else { return .failure(error(position, "after decimal point in numeric literal", buffer)) }
        while isDigit(position) { position += 1 }
      }
      if position < end && (buffer[position] == 0x65 || buffer[position] == 0x45) {
        position += 1
        if position < end && (buffer[position] == 0x2B || buffer[position] == 0x2D) { position += 1 }
        guard position < end else { return .failure(error(end, "", buffer)) }
        guard isDigit(position) else { return .failure(error(position, "in exponent of numeric literal", buffer)) }
        while isDigit(position) { position += 1 }
      }
      return .success(position)
    }
  }
}
