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

  /// The outermost level and, for ONBUILD, the trigger levels after it.
  mutating func parse() -> (first: InstructionLevel, triggers: [InstructionLevel]) {
    let bytes = line.bytes
    return bytes.withUnsafeBufferPointer { b in
      let first = parseLevel(bytes, b, 0..<b.count)
      var triggers: [InstructionLevel] = []
      var current = first
      while current.kind == .onbuild && !current.argumentsLogical.isEmpty {
        current = parseLevel(bytes, b, current.argumentsLogical)
        triggers.append(current)
      }
      return (first, triggers)
    }
  }

  private mutating func parseLevel(_ bytes: [UInt8], _ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> InstructionLevel {
    let (keyword, rest) = ArgumentParsers.splitKeyword(b, range)
    let kind = InstructionKind.match(b, keyword)
    var flags: [ArgumentParsers.RawWord] = []
    var arguments = keyword.upperBound..<keyword.upperBound
    if let rest {
      let (rawFlags, argumentsStart) = ArgumentParsers.extractFlags(b, rest, escape: escape)
      arguments = GoText.trimSpace(b, argumentsStart, rest.upperBound)
      if arguments.isEmpty { arguments = rest.upperBound..<rest.upperBound }
      flags = rawFlags
    }
    var level = InstructionLevel(
      kind: kind, keywordLogical: keyword, flags: flags, argumentsLogical: arguments, words: [], isJSON: false,
      looksLikeJSON: false, commandLogical: nil)

    switch kind {
    case .cmd, .entrypoint, .run, .shell:
      (level.words, level.isJSON, level.looksLikeJSON) = maybeJSON(bytes, b, arguments, toList: false)
      level.commandLogical = arguments
    case .add, .copy, .volume:
      (level.words, level.isJSON, level.looksLikeJSON) = maybeJSON(bytes, b, arguments, toList: true)
    case .arg:
      level.words = ArgumentParsers.parseWords(b, arguments, escape: escape)
    case .env, .label:
      level.words = nameValue(bytes, b, arguments, kind: kind)
    case .expose, .from:
      if !arguments.isEmpty {
        level.words = ArgumentParsers.splitWhitespaceWords(b, arguments)
      }
    case .healthcheck:
      var separator = arguments.lowerBound
      while separator < arguments.upperBound && !GoText.isLatin1Space(b[separator]) { separator += 1 }
      var next = separator
      while next < arguments.upperBound && GoText.isLatin1Space(b[next]) { next += 1 }
      if separator > arguments.lowerBound {
        let command = next..<arguments.upperBound
        let (commandWords, isJSON, looksLikeJSON) = maybeJSON(bytes, b, command, toList: false)
        level.words = [ArgumentParsers.RawWord(range: arguments.lowerBound..<separator)] + commandWords
        level.isJSON = isJSON
        level.looksLikeJSON = looksLikeJSON
        level.commandLogical = command
      }
    case .maintainer, .stopsignal, .user, .workdir:
      if !arguments.isEmpty { level.words = [.init(range: arguments)] }
    case .onbuild:
      break
    case .unknown:
      // BuildKit's parseIgnore leaves one empty value node.
      level.words = [.init(range: arguments.lowerBound..<arguments.lowerBound)]
    }
    return level
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
        return (range.isEmpty ? [] : ArgumentParsers.splitWhitespaceWords(b, range), false, looksLikeJSON)
      }
      return ([.init(range: range)], false, looksLikeJSON)
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
      return [.init(range: parts[0]), .init(range: parts[1]), .init(range: parts[1].upperBound..<parts[1].upperBound)]
    }
    var result: [ArgumentParsers.RawWord] = []
    result.reserveCapacity(words.count * 3)
    for word in words {
      guard let equalsIndex = word.equalsIndex, let equalsOffset = word.equalsOffset else {
        issue(
          .missingEquals,
          "can't find = in \(GoText.quote(Array(word.bytes(bytes)))): expected name=value like the \(kind)'s other pairs",
          word.range)
        return result
      }
      var key = ArgumentParsers.RawWord(range: word.range.lowerBound..<equalsOffset)
      var value = ArgumentParsers.RawWord(range: (equalsOffset + 1)..<word.range.upperBound)
      if let decoded = word.decoded {
        key.decoded = Array(decoded[..<equalsIndex])
        value.decoded = Array(decoded[(equalsIndex + 1)...])
      }
      result.append(key)
      result.append(value)
      result.append(.init(range: equalsOffset..<(equalsOffset + 1)))
    }
    return result
  }
}
