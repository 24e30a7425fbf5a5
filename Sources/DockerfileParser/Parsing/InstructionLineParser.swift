/// Parses one logical instruction line into its keyword levels (ONBUILD adds a level for its trigger),
/// as BuildKit's `newNodeFromLine` and the dispatch table of `parser.go` do. Levels, words and flags
/// are appended to the file's `InstructionArena.Builder`.
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

  /// Appends the outermost level and, for ONBUILD, the trigger levels; returns their indices.
  mutating func parse(into builder: inout InstructionArena.Builder) -> Range<Int> {
    let bytes = line.bytes
    let first = builder.levels.count
    bytes.withUnsafeBufferPointer { b in
      var current = parseLevel(bytes, b, 0..<b.count, &builder)
      builder.levels.append(current)
      while current.kind == .onbuild && !current.argumentsLogical.isEmpty {
        current = parseLevel(bytes, b, current.argumentsLogical, &builder)
        builder.levels.append(current)
      }
    }
    return first..<builder.levels.count
  }

  private mutating func parseLevel(
    _ bytes: [UInt8], _ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ builder: inout InstructionArena.Builder
  ) -> InstructionLevel {
    let (keyword, rest) = ArgumentParsers.splitKeyword(b, range)
    let kind = InstructionKind.match(b, keyword)
    let flagStart = builder.flags.count
    var arguments = keyword.upperBound..<keyword.upperBound
    if let rest {
      let argumentsStart = ArgumentParsers.extractFlags(b, rest, escape: escape, into: &builder.flags)
      arguments = GoText.trimSpace(b, argumentsStart, rest.upperBound)
      if arguments.isEmpty { arguments = rest.upperBound..<rest.upperBound }
    }
    let wordStart = builder.words.count
    var level = InstructionLevel(
      kind: kind, keywordLogical: keyword, flags: flagStart..<builder.flags.count, argumentsLogical: arguments,
      words: wordStart..<wordStart, isJSON: false, looksLikeJSON: false, commandLogical: nil)

    switch kind {
    case .cmd, .entrypoint, .run, .shell:
      (level.isJSON, level.looksLikeJSON) = maybeJSON(bytes, b, arguments, toList: false, &builder.words)
      level.commandLogical = arguments
    case .add, .copy, .volume:
      (level.isJSON, level.looksLikeJSON) = maybeJSON(bytes, b, arguments, toList: true, &builder.words)
    case .arg:
      ArgumentParsers.parseWords(b, arguments, escape: escape, into: &builder.words)
    case .env, .label:
      nameValue(bytes, b, arguments, kind: kind, &builder)
    case .expose, .from:
      if !arguments.isEmpty { ArgumentParsers.splitWhitespaceWords(b, arguments, into: &builder.words) }
    case .healthcheck:
      var separator = arguments.lowerBound
      while separator < arguments.upperBound && !GoText.isLatin1Space(b[separator]) { separator += 1 }
      var next = separator
      while next < arguments.upperBound && GoText.isLatin1Space(b[next]) { next += 1 }
      if separator > arguments.lowerBound {
        let command = next..<arguments.upperBound
        builder.words.append(ArgumentParsers.RawWord(range: arguments.lowerBound..<separator))
        (level.isJSON, level.looksLikeJSON) = maybeJSON(bytes, b, command, toList: false, &builder.words)
        level.commandLogical = command
      }
    case .maintainer, .stopsignal, .user, .workdir:
      if !arguments.isEmpty { builder.words.append(.init(range: arguments)) }
    case .onbuild:
      break
    case .unknown:
      // BuildKit's parseIgnore leaves one empty value node.
      builder.words.append(.init(range: arguments.lowerBound..<arguments.lowerBound))
    }
    level.words = wordStart..<builder.words.count
    return level
  }

  /// `parseMaybeJSON` (`toList: false`) and `parseMaybeJSONToList` (`toList: true`).
  private mutating func maybeJSON(
    _ bytes: [UInt8], _ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, toList: Bool,
    _ words: inout [ArgumentParsers.RawWord]
  ) -> (isJSON: Bool, looksLikeJSON: Bool) {
    let start = GoText.trimLeftSpace(b, range.lowerBound, range.upperBound)
    let looksLikeJSON = start < range.upperBound && b[start] == 0x5B
    if !toList && range.isEmpty { return (false, false) }
    switch ArgumentParsers.parseJSON(bytes, b, range, into: &words) {
    case .strings:
      return (true, true)
    case .notStringArray(let element):
      issue(
        .jsonNotStringArray,
        "exec form needs a JSON array of strings only; this element is not a string (BuildKit rejects the file)",
        element)
      fallthrough
    case .notJSON:
      if toList {
        if !range.isEmpty { ArgumentParsers.splitWhitespaceWords(b, range, into: &words) }
      } else {
        words.append(.init(range: range))
      }
      return (false, looksLikeJSON)
    }
  }

  /// `parseNameVal` for ENV and LABEL: `name=value …` pairs, or the legacy `name value`.
  private mutating func nameValue(
    _ bytes: [UInt8], _ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, kind: InstructionKind,
    _ builder: inout InstructionArena.Builder
  ) {
    builder.scratch.removeAll(keepingCapacity: true)
    ArgumentParsers.parseWords(b, range, escape: escape, into: &builder.scratch)
    guard let first = builder.scratch.first else { return }
    if first.equalsIndex == nil {
      let parts = ArgumentParsers.splitWhitespace(b, range, limit: 2)
      guard parts.count == 2 else {
        issue(
          .missingKeyValueArgument,
          "\(kind) must have two arguments: expected a value after the name (or name=value)", range)
        return
      }
      builder.words.append(.init(range: parts[0]))
      builder.words.append(.init(range: parts[1]))
      builder.words.append(.init(range: parts[1].upperBound..<parts[1].upperBound))
      return
    }
    for word in builder.scratch {
      guard let equalsIndex = word.equalsIndex, let equalsOffset = word.equalsOffset else {
        issue(
          .missingEquals,
          "can't find = in \(GoText.quote(Array(word.bytes(bytes)))): expected name=value like the \(kind)'s other pairs",
          word.range)
        return
      }
      var key = ArgumentParsers.RawWord(range: word.range.lowerBound..<equalsOffset)
      var value = ArgumentParsers.RawWord(range: (equalsOffset + 1)..<word.range.upperBound)
      if let decoded = word.decoded {
        key.decoded = Array(decoded[..<equalsIndex])
        value.decoded = Array(decoded[(equalsIndex + 1)...])
      }
      builder.words.append(key)
      builder.words.append(value)
      builder.words.append(.init(range: equalsOffset..<(equalsOffset + 1)))
    }
  }
}
