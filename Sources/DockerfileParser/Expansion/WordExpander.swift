/// Expands variables in Dockerfile words and removes their quotes, as BuildKit's `shell.Lex` does for
/// ENV, ARG, LABEL, COPY, WORKDIR, USER, … values: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
/// `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?msg}`, `${VAR?msg}`, `${VAR#pat}`, `${VAR##pat}`, `${VAR%pat}`,
/// `${VAR%%pat}`, `${VAR/pat/repl}`, `${VAR//pat/repl}`, single and double quotes, and the escape
/// character of the Dockerfile.
///
/// ```swift
/// let expander = WordExpander(escapeByte: dockerfile.escapeByte)
/// let env = ["HOME": "/root"]
/// let out = expander.expand(Array(#""$HOME"/app-${TAG:-latest}"#.utf8)) { env[$0] }
/// // out.text == "/root/app-latest", out.unresolvedVariables == ["TAG"]
/// ```
///
/// Nesting of `${…}` inside `${…}` is limited to `maxNesting` levels (an error beyond), so the
/// expander never recurses deeper than that whatever the input.
public struct WordExpander: Sendable {
  /// The escape character: `\` or the backtick chosen with `# escape=`.
  public var escapeByte: UInt8
  /// Keep quote characters in the output (BuildKit `RawQuotes`).
  public var keepsQuotes: Bool = false
  /// Keep escape characters in the output (BuildKit `RawEscapes`).
  public var keepsEscapes: Bool = false
  /// Treat quotes as ordinary characters (BuildKit `SkipProcessQuotes`).
  public var ignoresQuotes: Bool = false
  /// Leave references to unset variables as written instead of expanding them to nothing
  /// (BuildKit `SkipUnsetEnv`).
  public var keepsUnsetVariables: Bool = false

  /// The deepest `${…${…}…}` nesting accepted.
  public static let maxNesting = 100

  public init(escapeByte: UInt8 = 0x5C) {
    self.escapeByte = escapeByte
  }

  /// BuildKit `ProcessWord`: the word with variables expanded and quotes removed.
  public func expand(_ word: [UInt8], lookup: (String) -> String?) -> WordExpansion {
    run(word, lookup: lookup)
  }

  /// BuildKit `ProcessWords`: `text` expanded and split into words at unquoted white space.
  public func split(_ text: [UInt8], lookup: (String) -> String?) -> WordExpansion {
    run(text, lookup: lookup)
  }

  /// Convenience for `String` input.
  public func expand(_ word: String, lookup: (String) -> String?) -> WordExpansion {
    expand(Array(word.utf8), lookup: lookup)
  }

  private func run(_ input: [UInt8], lookup: (String) -> String?) -> WordExpansion {
    withoutActuallyEscaping(lookup) { lookup in
      input.withUnsafeBufferPointer { buffer in
      var lexer = BuildKitWordLexer(buffer: buffer, options: self, lookup: lookup)
      let outcome = lexer.processStopOn(nil, rawEscapes: keepsEscapes)
      switch outcome {
      case .success(let value):
        return WordExpansion(
          result: value.result, words: value.words.map(\.bytes), wordRanges: value.words.map(\.range),
          resolvedVariables: lexer.matched.sorted(), unresolvedVariables: lexer.unmatched.sorted(), error: nil)
      case .failure(let failure):
        let source = GoText.quote(input)
        return WordExpansion(
          result: [], words: [], wordRanges: [], resolvedVariables: [], unresolvedVariables: [],
          error: "failed to process \(source): \(failure.message)")
      }
      }
    }
  }
}

/// An error of the word lexer (BuildKit's message).
struct BuildKitWordError: Error {
  var message: String
}

/// One word produced while splitting, with its input range.
struct BuildKitLexedWord {
  var bytes: [UInt8]
  var range: Range<Int>
}

/// A port of the state machine of BuildKit's `shell/lex.go` (`shellWord`) over UTF-8 bytes.
struct BuildKitWordLexer {
  static let eof: UInt32 = 0xFFFF_FFFF

  let buffer: UnsafeBufferPointer<UInt8>
  let escape: UInt32
  let rawQuotes: Bool
  let skipProcessQuotes: Bool
  let skipUnset: Bool
  let lookup: (String) -> String?
  var rawEscapes: Bool
  var matched: Set<String> = []
  var unmatched: Set<String> = []
  var depth = 0

  /// Offset of the current rune and its decoded value (`eof` at the end).
  var position: Int
  var current: UInt32
  var currentWidth: Int

  init(buffer: UnsafeBufferPointer<UInt8>, options: WordExpander, lookup: @escaping (String) -> String?) {
    self.buffer = buffer
    self.escape = UInt32(options.escapeByte)
    self.rawQuotes = options.keepsQuotes
    self.skipProcessQuotes = options.ignoresQuotes
    self.skipUnset = options.keepsUnsetVariables
    self.lookup = lookup
    self.rawEscapes = options.keepsEscapes
    self.position = 0
    self.current = Self.eof
    self.currentWidth = 0
    decodeCurrent()
    // text/scanner ignores a byte order mark at the very start.
    if current == 0xFEFF {
      position += currentWidth
      decodeCurrent()
    }
  }

  mutating func decodeCurrent() {
    if position >= buffer.count {
      current = Self.eof
      currentWidth = 0
    } else {
      (current, currentWidth) = GoText.decodeRune(buffer, position, buffer.count)
    }
  }

  @inline(__always) func peek() -> UInt32 { current }

  @inline(__always) mutating func next() -> UInt32 {
    let value = current
    if value != Self.eof {
      position += currentWidth
      decodeCurrent()
    }
    return value
  }

  struct Words {
    var buffer: [UInt8] = []
    var words: [BuildKitLexedWord] = []
    var inWord = false
    var start = 0
    var end = 0

    mutating func addChar(_ scalar: UInt32, _ range: Range<Int>) {
      if GoText.isSpace(scalar) {
        if inWord && !buffer.isEmpty {
          words.append(BuildKitLexedWord(bytes: buffer, range: start..<end))
          buffer.removeAll(keepingCapacity: true)
          inWord = false
        }
      } else {
        addRawChar(scalar, range)
      }
    }

    mutating func addRawChar(_ scalar: UInt32, _ range: Range<Int>) {
      if buffer.isEmpty { start = range.lowerBound }
      GoText.appendRune(scalar, to: &buffer)
      end = range.upperBound
      inWord = true
    }

    mutating func addString(_ bytes: [UInt8], _ range: Range<Int>) {
      bytes.withUnsafeBufferPointer { source in
        var offset = 0
        while offset < source.count {
          let (scalar, width) = GoText.decodeRune(source, offset, source.count)
          addChar(scalar, range)
          offset += width
        }
      }
    }

    mutating func addRawString(_ bytes: [UInt8], _ range: Range<Int>) {
      if buffer.isEmpty && !bytes.isEmpty { start = range.lowerBound }
      buffer.append(contentsOf: bytes)
      if !bytes.isEmpty { end = range.upperBound }
      inWord = true
    }

    mutating func finish() -> [BuildKitLexedWord] {
      if !buffer.isEmpty {
        words.append(BuildKitLexedWord(bytes: buffer, range: start..<end))
        buffer.removeAll()
        inWord = false
      }
      return words
    }
  }

  struct Processed {
    var result: [UInt8]
    var words: [BuildKitLexedWord]
  }

  mutating func processStopOn(_ stop: UInt32?, rawEscapes: Bool) -> Result<Processed, BuildKitWordError> {
    var result: [UInt8] = []
    var words = Words()
    let saved = self.rawEscapes
    self.rawEscapes = rawEscapes
    defer { self.rawEscapes = saved }

    while peek() != Self.eof {
      let ch = peek()
      if let stop, ch == stop {
        _ = next()
        return .success(Processed(result: result, words: words.finish()))
      }
      let constructStart = position
      switch ch {
      case 0x24:  // $
        switch processDollar() {
        case .failure(let failure): return .failure(failure)
        case .success(let text):
          result.append(contentsOf: text)
          words.addString(text, constructStart..<position)
        }
      case 0x3C:  // <
        let text = processPossibleHeredoc()
        result.append(contentsOf: text)
        words.addRawString(text, constructStart..<position)
      case 0x27 where !skipProcessQuotes, 0x22 where !skipProcessQuotes:
        let outcome = ch == 0x27 ? processSingleQuote() : processDoubleQuote()
        switch outcome {
        case .failure(let failure): return .failure(failure)
        case .success(let text):
          result.append(contentsOf: text)
          words.addRawString(text, constructStart..<position)
        }
      default:
        var scalar = next()
        if scalar == escape {
          if self.rawEscapes {
            words.addRawChar(scalar, constructStart..<position)
            GoText.appendRune(scalar, to: &result)
          }
          scalar = next()
          if scalar == Self.eof { break }
          words.addRawChar(scalar, constructStart..<position)
        } else {
          words.addChar(scalar, constructStart..<position)
        }
        GoText.appendRune(scalar, to: &result)
      }
    }
    if let stop {
      var name: [UInt8] = []
      GoText.appendRune(stop, to: &name)
      return .failure(BuildKitWordError(
        message: "unexpected end of statement while looking for matching \(String(decoding: name, as: UTF8.self))"))
    }
    return .success(Processed(result: result, words: words.finish()))
  }

  mutating func processSingleQuote() -> Result<[UInt8], BuildKitWordError> {
    var result: [UInt8] = []
    let quote = next()
    if rawQuotes { GoText.appendRune(quote, to: &result) }
    while true {
      let ch = next()
      if ch == Self.eof {
        return .failure(BuildKitWordError(message: "unexpected end of statement while looking for matching single-quote"))
      }
      if ch == 0x27 {
        if rawQuotes { GoText.appendRune(ch, to: &result) }
        return .success(result)
      }
      GoText.appendRune(ch, to: &result)
    }
  }

  mutating func processDoubleQuote() -> Result<[UInt8], BuildKitWordError> {
    var result: [UInt8] = []
    let quote = next()
    if rawQuotes { GoText.appendRune(quote, to: &result) }
    while true {
      switch peek() {
      case Self.eof:
        return .failure(BuildKitWordError(message: "unexpected end of statement while looking for matching double-quote"))
      case 0x22:
        let ch = next()
        if rawQuotes { GoText.appendRune(ch, to: &result) }
        return .success(result)
      case 0x24:
        switch processDollar() {
        case .failure(let failure): return .failure(failure)
        case .success(let value): result.append(contentsOf: value)
        }
      default:
        var ch = next()
        if ch == escape {
          if rawEscapes { GoText.appendRune(ch, to: &result) }
          let following = peek()
          if following == Self.eof { continue }
          if following == 0x22 || following == 0x24 || following == escape { ch = next() }
        }
        GoText.appendRune(ch, to: &result)
      }
    }
  }

  mutating func getEnv(_ name: String) -> String? {
    if let value = lookup(name) {
      matched.insert(name)
      return value
    }
    unmatched.insert(name)
    return nil
  }

  mutating func processDollar() -> Result<[UInt8], BuildKitWordError> {
    _ = next()
    if peek() != 0x7B {
      let name = processName()
      if name.isEmpty { return .success([0x24]) }
      let nameText = String(decoding: name, as: UTF8.self)
      guard let value = getEnv(nameText) else {
        return .success(skipUnset ? [0x24] + name : [])
      }
      return .success(Array(value.utf8))
    }
    _ = next()
    switch peek() {
    case Self.eof: return .failure(BuildKitWordError(message: "syntax error: missing '}'"))
    case 0x7B, 0x7D, 0x3A: return .failure(BuildKitWordError(message: "syntax error: bad substitution"))
    default: break
    }
    let name = processName()
    let nameText = String(decoding: name, as: UTF8.self)
    var ch = next()
    var modifier: [UInt8] = []
    GoText.appendRune(ch == Self.eof ? GoText.runeError : ch, to: &modifier)
    var nullIsUnset = false

    if ch == 0x7D {
      guard let value = getEnv(nameText) else {
        return .success(skipUnset ? Array("${".utf8) + name + [0x7D] : [])
      }
      return .success(Array(value.utf8))
    }
    if ch == 0x2F {
      return processReplacement(name: name, nameText: nameText)
    }
    if ch == 0x3A {
      nullIsUnset = true
      ch = next()
      GoText.appendRune(ch == Self.eof ? GoText.runeError : ch, to: &modifier)
    } else if !(ch == 0x2B || ch == 0x2D || ch == 0x3F || ch == 0x23 || ch == 0x25) {
      return .failure(BuildKitWordError(message: "unsupported modifier (\(String(decoding: modifier, as: UTF8.self))) in substitution"))
    }
    let modifierText = String(decoding: modifier, as: UTF8.self)
    let rawEscapesHere = ch == 0x23 || ch == 0x25
    if nullIsUnset && rawEscapesHere {
      return .failure(BuildKitWordError(message: "unsupported modifier (\(modifierText)) in substitution"))
    }
    guard depth < WordExpander.maxNesting else {
      return .failure(BuildKitWordError(message: "substitution nested too deeply"))
    }
    depth += 1
    let inner = processStopOn(0x7D, rawEscapes: rawEscapesHere)
    depth -= 1
    let word: [UInt8]
    switch inner {
    case .failure(let failure):
      if peek() == Self.eof { return .failure(BuildKitWordError(message: "syntax error: missing '}'")) }
      return .failure(failure)
    case .success(let processed):
      word = processed.result
    }
    let value = getEnv(nameText)
    if skipUnset && value == nil {
      return .success(Array("${".utf8) + name + modifier + word + [0x7D])
    }
    let isSet = value != nil
    let valueBytes = Array((value ?? "").utf8)
    switch ch {
    case 0x2D:
      return .success(!isSet || (nullIsUnset && valueBytes.isEmpty) ? word : valueBytes)
    case 0x2B:
      return .success(!isSet || (nullIsUnset && valueBytes.isEmpty) ? [] : word)
    case 0x3F:
      if !isSet {
        let message = word.isEmpty ? "is not allowed to be unset" : String(decoding: word, as: UTF8.self)
        return .failure(BuildKitWordError(message: "\(nameText): \(message)"))
      }
      if nullIsUnset && valueBytes.isEmpty {
        let message = word.isEmpty ? "is not allowed to be empty" : String(decoding: word, as: UTF8.self)
        return .failure(BuildKitWordError(message: "\(nameText): \(message)"))
      }
      return .success(valueBytes)
    case 0x25, 0x23:
      var pattern = word
      var greedy = false
      if let first = pattern.first, UInt32(first) == ch {
        greedy = true
        pattern.removeFirst()
      }
      return ch == 0x25
        ? BuildKitPattern.trimSuffix(pattern: pattern, value: valueBytes, greedy: greedy)
        : BuildKitPattern.trimPrefix(pattern: pattern, value: valueBytes, greedy: greedy)
    default:
      return .failure(BuildKitWordError(message: "unsupported modifier (\(modifierText)) in substitution"))
    }
  }

  mutating func processReplacement(name: [UInt8], nameText: String) -> Result<[UInt8], BuildKitWordError> {
    let replaceAll = peek() == 0x2F
    if replaceAll { _ = next() }
    guard depth < WordExpander.maxNesting else {
      return .failure(BuildKitWordError(message: "substitution nested too deeply"))
    }
    depth += 1
    defer { depth -= 1 }
    let pattern: [UInt8]
    switch processStopOn(0x2F, rawEscapes: true) {
    case .failure(let failure):
      if peek() == Self.eof { return .failure(BuildKitWordError(message: "syntax error: missing '/' in ${}")) }
      return .failure(failure)
    case .success(let processed): pattern = processed.result
    }
    let replacement: [UInt8]
    switch processStopOn(0x7D, rawEscapes: true) {
    case .failure(let failure):
      if peek() == Self.eof { return .failure(BuildKitWordError(message: "syntax error: missing '}'")) }
      return .failure(failure)
    case .success(let processed): replacement = processed.result
    }
    let value = getEnv(nameText)
    if skipUnset && value == nil {
      return .success(Array("${".utf8) + name + [0x2F] + pattern + [0x2F] + replacement + [0x7D])
    }
    return BuildKitPattern.replace(
      pattern: pattern, value: Array((value ?? "").utf8), replacement: replacement, all: replaceAll)
  }

  mutating func processName() -> [UInt8] {
    var name: [UInt8] = []
    while peek() != Self.eof {
      let ch = peek()
      if name.isEmpty && GoText.isDigit(ch) {
        while peek() != Self.eof && GoText.isDigit(peek()) {
          GoText.appendRune(next(), to: &name)
        }
        return name
      }
      if name.isEmpty && Self.isSpecialParameter(ch) {
        GoText.appendRune(next(), to: &name)
        return name
      }
      if !GoText.isLetter(ch) && !GoText.isDigit(ch) && ch != 0x5F { break }
      GoText.appendRune(next(), to: &name)
    }
    return name
  }

  static func isSpecialParameter(_ ch: UInt32) -> Bool {
    switch ch {
    case 0x40, 0x2A, 0x23, 0x3F, 0x2D, 0x24, 0x21, 0x30: return true
    default: return false
    }
  }

  mutating func processPossibleHeredoc() -> [UInt8] {
    _ = next()
    if peek() != 0x3C { return [0x3C] }
    _ = next()
    var result: [UInt8] = [0x3C, 0x3C]
    while peek() == 0x09 || peek() == 0x0D || peek() == 0x20 {
      result.append(UInt8(next()))
    }
    return result
  }
}
