/// How a RUN, CMD, ENTRYPOINT, SHELL or HEALTHCHECK CMD gives its command.
public enum CommandForm: Sendable {
  /// Exec form: a valid JSON array of strings (`CMD ["nginx", "-g", "daemon off;"]`), run without a
  /// shell.
  case exec([ExecArgument])
  /// Shell form: the text is run by the stage's shell (`/bin/sh -c`). `looksLikeJSON` is true when the
  /// text starts with `[` but is not a valid JSON array of strings, so BuildKit silently fell back to
  /// shell form.
  case shell(MappedText, looksLikeJSON: Bool)

  /// The exec arguments, or nil for shell form.
  public var execArguments: [ExecArgument]? {
    if case .exec(let arguments) = self { return arguments }
    return nil
  }

  /// The shell text, or nil for exec form.
  public var shellText: MappedText? {
    if case .shell(let text, _) = self { return text }
    return nil
  }

  /// True for exec form.
  public var isExec: Bool { execArguments != nil }
}

/// One element of an exec-form JSON array.
public struct ExecArgument: Sendable {
  /// The decoded string.
  public var value: String { text.text }
  /// The decoded bytes (BuildKit's value: JSON escapes resolved, invalid UTF-8 replaced by U+FFFD).
  public var bytes: [UInt8] { text.bytes }
  /// The JSON string as written, quotes included.
  public var range: SourceRange
  /// The JSON string as written, without its quotes.
  public var contentRange: SourceRange
  /// The decoded content mapped to the file: verbatim runs map byte for byte, each escape maps to the
  /// whole escape sequence.
  public var text: MappedText

  public init(range: SourceRange, contentRange: SourceRange, text: MappedText) {
    self.range = range
    self.contentRange = contentRange
    self.text = text
  }
}

extension Instruction {
  /// The command of a RUN, CMD, ENTRYPOINT or SHELL, or of a HEALTHCHECK CMD; nil for other
  /// instructions and when there is no command text.
  public var commandForm: CommandForm? {
    let level = self.level
    guard let commandLogical = level.commandLogical else { return nil }
    if level.kind == .healthcheck {
      guard !level.words.isEmpty, String(decoding: valueBytes(0), as: UTF8.self).uppercased() == "CMD" else { return nil }
    }
    if level.isJSON {
      let line = logicalLine
      let ranges = rawWords.map(\.range)
      let elements = level.kind == .healthcheck ? Array(ranges.dropFirst()) : ranges
      return .exec(elements.map { Self.execArgument(line, $0) })
    }
    guard !commandLogical.isEmpty else { return nil }
    return .shell(logicalLine.slice(commandLogical), looksLikeJSON: level.looksLikeJSON)
  }

  /// Decodes the JSON string at logical range `range` of `line` into a mapped text.
  static func execArgument(_ line: MappedText, _ range: Range<Int>) -> ExecArgument {
    let content = (range.lowerBound + 1)..<Swift.max(range.lowerBound + 1, range.upperBound - 1)
    var pieces: [(decoded: Int, start: Int, count: Int)] = []
    var decoded: [UInt8] = []
    line.bytes.withUnsafeBufferPointer { buffer in
      JSONParser.decodeString(buffer, content, into: &decoded) { pieces.append(($0, $1, $2)) }
    }
    var text = MappedText()
    var offset = 0
    for piece in pieces {
      let bytes = decoded[offset..<offset + piece.decoded]
      if piece.decoded == piece.count && line.bytes[piece.start..<piece.start + piece.count].elementsEqual(bytes) {
        text.appendMapped(from: line, piece.start..<piece.start + piece.count)
      } else {
        let original = line.originalRange(piece.start, piece.start + piece.count)
        text.appendDecoded(bytes, originalStart: original.start, originalLength: original.length)
      }
      offset += piece.decoded
    }
    return ExecArgument(range: line.originalRange(range), contentRange: line.originalRange(content), text: text)
  }
}
