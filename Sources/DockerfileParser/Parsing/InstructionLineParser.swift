/// Parses one logical instruction line into its keyword levels (ONBUILD adds a level for its trigger),
/// as BuildKit's `newNodeFromLine` and the dispatch table of `parser.go` do.
struct InstructionLineParser {
  let line: MappedText
  let escape: UInt8
  /// Where an empty logical line maps to (the start of the instruction).
  let emptyOffset: Int
  var issues: [ParseIssue] = []

  init(line: MappedText, escape: UInt8, emptyOffset: Int) {
    self.line = line
    self.escape = escape
    self.emptyOffset = emptyOffset
  }

  func original(_ range: Range<Int>) -> SourceRange {
    if line.segments.isEmpty { return .empty(at: emptyOffset) }
    return line.originalRange(range)
  }

  mutating func issue(_ code: ParseIssue.Code, _ message: String, _ range: Range<Int>, layer: ParseIssue.Layer = .parser) {
    issues.append(ParseIssue(code: code, severity: .error, layer: layer, message: message, range: original(range)))
  }

  /// The levels, outermost first. Never empty.
  mutating func parse() -> [InstructionLevel] {
    let bytes = line.bytes
    return bytes.withUnsafeBufferPointer { b in
      var levels: [InstructionLevel] = []
      var range = 0..<b.count
      while true {
        let level = parseLevel(bytes, b, range)
        levels.append(level)
        if level.kind == .onbuild && !level.argumentsLogical.isEmpty {
          range = level.argumentsLogical
          continue
        }
        return levels
      }
    }
  }

  private mutating func parseLevel(_ bytes: [UInt8], _ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> InstructionLevel {
    let (keyword, rest) = ArgumentParsers.splitKeyword(b, range)
    let keywordBytes = Array(bytes[keyword])
    let kind = InstructionKind.fromLowercased(GoText.toLower(bytes[keyword]), written: keywordBytes)
    var flags: [Flag] = []
    var flagLogical: [Range<Int>] = []
    var arguments = keyword.upperBound..<keyword.upperBound
    if let rest {
      let (rawFlags, argumentsStart) = ArgumentParsers.extractFlags(b, rest, escape: escape)
      arguments = GoText.trimSpace(b, argumentsStart, rest.upperBound)
      if arguments.isEmpty { arguments = rest.upperBound..<rest.upperBound }
      for raw in rawFlags {
        flags.append(makeFlag(raw))
        flagLogical.append(raw.range)
      }
    }
    var level = InstructionLevel(
      kind: kind, keywordBytes: keywordBytes, keywordRange: original(keyword), keywordLogical: keyword,
      flags: flags, flagLogical: flagLogical, argumentsLogical: arguments, argumentsRange: original(arguments),
      words: [], wordLogicalRanges: [], isJSON: false, looksLikeJSON: false, commandLogical: nil)
    if arguments.isEmpty { level.argumentsRange = .empty(at: level.argumentsRange.start) }

    var words: [ArgumentParsers.RawWord] = []
    switch kind {
    case .cmd, .entrypoint, .run, .shell:
      (words, level.isJSON, level.looksLikeJSON) = maybeJSON(bytes, b, arguments, toList: false)
      level.commandLogical = arguments
    case .add, .copy, .volume:
      (words, level.isJSON, level.looksLikeJSON) = maybeJSON(bytes, b, arguments, toList: true)
    case .arg:
      words = ArgumentParsers.parseWords(b, arguments, escape: escape)
    case .env, .label:
      words = nameValue(bytes, b, arguments, kind: kind)
    case .expose, .from:
      if !arguments.isEmpty {
        words = ArgumentParsers.splitWhitespace(b, arguments).map { .init(bytes: Array(bytes[$0]), range: $0) }
      }
    case .healthcheck:
      var separator = arguments.lowerBound
      while separator < arguments.upperBound && !GoText.isLatin1Space(b[separator]) { separator += 1 }
      var next = separator
      while next < arguments.upperBound && GoText.isLatin1Space(b[next]) { next += 1 }
      if separator > arguments.lowerBound {
        let type = arguments.lowerBound..<separator
        let command = next..<arguments.upperBound
        let (commandWords, isJSON, looksLikeJSON) = maybeJSON(bytes, b, command, toList: false)
        words = [.init(bytes: Array(bytes[type]), range: type)] + commandWords
        level.isJSON = isJSON
        level.looksLikeJSON = looksLikeJSON
        level.commandLogical = command
      }
    case .maintainer, .stopsignal, .user, .workdir:
      if !arguments.isEmpty { words = [.init(bytes: Array(bytes[arguments]), range: arguments)] }
    case .onbuild:
      break
    case .unknown:
      // BuildKit's parseIgnore leaves one empty value node.
      words = [.init(bytes: [], range: arguments.lowerBound..<arguments.lowerBound)]
    }
    level.words = words.map { ArgumentWord(bytes: $0.bytes, range: original($0.range)) }
    level.wordLogicalRanges = words.map(\.range)
    return level
  }

  private func makeFlag(_ raw: ArgumentParsers.RawWord) -> Flag {
    let bytes = raw.bytes
    let nameEnd = raw.equalsIndex ?? bytes.count
    let name = String(decoding: bytes[Swift.min(2, nameEnd)..<nameEnd], as: UTF8.self)
    let value = raw.equalsIndex.map { String(decoding: bytes[($0 + 1)...], as: UTF8.self) }
    let nameLogical = Swift.min(raw.range.lowerBound + 2, raw.range.upperBound)..<(raw.equalsOffset ?? raw.range.upperBound)
    let valueRange = raw.equalsOffset.map { original(($0 + 1)..<Swift.max($0 + 1, raw.range.upperBound)) }
    return Flag(
      bytes: bytes, name: name, value: value, range: original(raw.range),
      nameRange: original(nameLogical.lowerBound..<Swift.max(nameLogical.lowerBound, nameLogical.upperBound)),
      valueRange: valueRange.map { $0.isEmpty ? .empty(at: $0.start) : $0 })
  }

  /// `parseMaybeJSON` (`toList: false`) and `parseMaybeJSONToList` (`toList: true`).
  private mutating func maybeJSON(_ bytes: [UInt8], _ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, toList: Bool)
    -> (words: [ArgumentParsers.RawWord], isJSON: Bool, looksLikeJSON: Bool)
  {
    let start = GoText.trimLeftSpace(b, range.lowerBound, range.upperBound)
    let looksLikeJSON = start < range.upperBound && b[start] == 0x5B
    if !toList && range.isEmpty { return ([], false, false) }
    switch ArgumentParsers.parseJSON(bytes, b, range) {
    case .strings(let strings):
      return (strings, true, true)
    case .notStringArray(let element):
      issue(
        .jsonNotStringArray,
        "exec form needs a JSON array of strings only; this element is not a string (BuildKit rejects the file)",
        element)
      fallthrough
    case .notJSON:
      if toList {
        let pieces = range.isEmpty ? [] : ArgumentParsers.splitWhitespace(b, range)
        return (pieces.map { .init(bytes: Array(bytes[$0]), range: $0) }, false, looksLikeJSON)
      }
      return ([.init(bytes: Array(bytes[range]), range: range)], false, looksLikeJSON)
    }
  }

  /// `parseNameVal` for ENV and LABEL: `name=value …` pairs, or the legacy `name value`.
  private mutating func nameValue(_ bytes: [UInt8], _ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, kind: InstructionKind)
    -> [ArgumentParsers.RawWord]
  {
    let words = ArgumentParsers.parseWords(b, range, escape: escape)
    guard let first = words.first else { return [] }
    if first.equalsIndex == nil {
      let parts = ArgumentParsers.splitWhitespace(b, range, limit: 2)
      guard parts.count == 2 else {
        issue(
          .missingKeyValueArgument,
          "\(kind) must have two arguments: expected a value after the name (or name=value)", range)
        return []
      }
      return [
        .init(bytes: Array(bytes[parts[0]]), range: parts[0]),
        .init(bytes: Array(bytes[parts[1]]), range: parts[1]),
        .init(bytes: [], range: parts[1].upperBound..<parts[1].upperBound),
      ]
    }
    var result: [ArgumentParsers.RawWord] = []
    for word in words {
      guard let equalsIndex = word.equalsIndex, let equalsOffset = word.equalsOffset else {
        issue(
          .missingEquals,
          "can't find = in \(GoText.quote(word.bytes)): expected name=value like the \(kind)'s other pairs", word.range)
        return result
      }
      result.append(.init(bytes: Array(word.bytes[..<equalsIndex]), range: word.range.lowerBound..<equalsOffset))
      result.append(.init(bytes: Array(word.bytes[(equalsIndex + 1)...]), range: (equalsOffset + 1)..<word.range.upperBound))
      result.append(.init(bytes: [0x3D], range: equalsOffset..<(equalsOffset + 1)))
    }
    return result
  }
}
