/// Words and expansions.
extension ShellParser {
  /// Where a word ends and which characters are special in it.
  struct WordMode {
    /// Spaces, tabs and newlines end the word.
    var stopAtBlank = true
    /// `; & | < > ( )` end the word.
    var stopAtMeta = true
    /// An unquoted `}` ends the word (the argument of `${x:-…}`).
    var stopAtBrace = false
    /// One more byte that ends the word (`/` in `${x/a/b}`, `:` in `${x:1:2}`).
    var stopByte: UInt8? = nil
    /// Single and double quotes quote; when false (here-document bodies) they are plain text and only
    /// `\$`, `` \` ``, `\\` and `\newline` are escapes.
    var quotes = true
    /// A leading `~` is a tilde prefix.
    var tilde = true
    /// An assignment value: `~` after `:` is a tilde prefix too.
    var assignment = false
    /// The right side of `=~` in `[[ ]]`: parentheses nest and `|` is part of the word.
    var regex = false
    /// `@(…)`, `!(…)`… are patterns (inside `[[ ]]`).
    var extendedGlob = false
    /// `<(…)` and `>(…)` are process substitutions.
    var processSubstitution = true
    /// Before this offset, blanks and operators are part of the word (the subscript of `a[1 + 2]`).
    var literalUntil = 0

    static let normal = WordMode()
    static let assignmentValue = WordMode(assignment: true)
    static let parameterArgument = WordMode(
      stopAtBlank: false, stopAtMeta: false, stopAtBrace: true, processSubstitution: false)
    static let arithmetic = WordMode(stopAtBlank: false, stopAtMeta: false, tilde: false, processSubstitution: false)
    static let heredocBody = WordMode(
      stopAtBlank: false, stopAtMeta: false, quotes: false, tilde: false, processSubstitution: false)
    static let conditional = WordMode(extendedGlob: true)
    static let regex = WordMode(tilde: false, regex: true)
  }

  mutating func parseWord(_ mode: WordMode) -> ShellWord {
    let start = position
    let parts = parseParts(mode)
    return ShellWord(
      parts: parts, range: range(start, position), raw: string(start, position), logical: start..<position)
  }

  @inline(__always) func appendLiteral(_ parts: inout [ShellWordPart], _ start: Int, _ end: Int) {
    guard start >= 0, end > start else { return }
    parts.append(ShellWordPart(kind: .literal(string(start, end)), range: range(start, end), logical: start..<end))
  }

  @inline(__always) func scalarLength(at index: Int) -> Int {
    SourceFile.scalarLength(bytes, at: index, limit: limit)
  }

  /// The parts of one word, from the current position to the end the mode defines.
  mutating func parseParts(_ mode: WordMode) -> [ShellWordPart] {
    var parts: [ShellWordPart] = []
    let wordStart = position
    var literalStart = -1
    var parenDepth = 0
    guard enter() else { return parts }
    defer { leave() }
    scan: while position < limit && !failed {
      let byte = bytes[position]
      switch byte {
      case UInt8(ascii: "\\"):
        guard position + 1 < limit else {
          if literalStart < 0 { literalStart = position }
          position += 1
          continue
        }
        let next = bytes[position + 1]
        if next == 0x0A {
          appendLiteral(&parts, literalStart, position)
          literalStart = -1
          position += 2
          continue
        }
        if !mode.quotes, next != UInt8(ascii: "$"), next != UInt8(ascii: "`"), next != UInt8(ascii: "\\") {
          if literalStart < 0 { literalStart = position }
          position += 1
          continue
        }
        appendLiteral(&parts, literalStart, position)
        literalStart = -1
        let length = scalarLength(at: position + 1)
        parts.append(
          ShellWordPart(
            kind: .escaped(string(position + 1, position + 1 + length)), range: range(position, position + 1 + length),
            logical: position..<(position + 1 + length)))
        position += 1 + length
      case UInt8(ascii: "'") where mode.quotes:
        appendLiteral(&parts, literalStart, position)
        literalStart = -1
        parseSingleQuoted(&parts)
      case UInt8(ascii: "\"") where mode.quotes:
        appendLiteral(&parts, literalStart, position)
        literalStart = -1
        parseDoubleQuoted(&parts)
      case UInt8(ascii: "`"):
        appendLiteral(&parts, literalStart, position)
        literalStart = -1
        parseBackquote(&parts, inDoubleQuotes: false)
      case UInt8(ascii: "$"):
        appendLiteral(&parts, literalStart, position)
        literalStart = -1
        if let part = parseDollar(inDoubleQuotes: false) {
          parts.append(part)
        } else {
          literalStart = position
          position += 1
        }
      case 0x20, 0x09, 0x0A:
        if mode.stopAtBlank && !(mode.regex && parenDepth > 0) && position >= mode.literalUntil { break scan }
        if literalStart < 0 { literalStart = position }
        position += 1
      case UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "<"), UInt8(ascii: ">"),
        UInt8(ascii: "("), UInt8(ascii: ")"):
        if mode.regex {
          let next = byteAt(position + 1)
          var literal = false
          if byte == UInt8(ascii: "(") {
            parenDepth += 1
            literal = true
          } else if byte == UInt8(ascii: ")") {
            if parenDepth > 0 {
              parenDepth -= 1
              literal = true
            }
          } else if parenDepth > 0 {
            literal = true
          } else if byte == UInt8(ascii: "|") {
            literal = next != UInt8(ascii: "|")
          }
          if !literal { break scan }
          if literalStart < 0 { literalStart = position }
          position += 1
          continue
        }
        if mode.extendedGlob, byte == UInt8(ascii: "("), literalStart >= 0, position > literalStart,
          Self.isExtendedGlobPrefix(bytes[position - 1]), let close = matchingParenthesis(from: position)
        {
          let globStart = position - 1
          appendLiteral(&parts, literalStart, globStart)
          literalStart = -1
          parts.append(
            ShellWordPart(
              kind: .extendedGlob(string(globStart, close + 1)), range: range(globStart, close + 1),
              logical: globStart..<(close + 1)))
          record(.extendedGlob, globStart, close + 1)
          position = close + 1
          continue
        }
        if mode.processSubstitution, byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">"),
          byteAt(position + 1) == UInt8(ascii: "(")
        {
          appendLiteral(&parts, literalStart, position)
          literalStart = -1
          parseProcessSubstitution(&parts)
          continue
        }
        if mode.stopAtMeta && position >= mode.literalUntil { break scan }
        if literalStart < 0 { literalStart = position }
        position += 1
      case UInt8(ascii: "}") where mode.stopAtBrace:
        break scan
      case UInt8(ascii: "~") where mode.tilde:
        let atStart = position == wordStart
        let afterColon =
          mode.assignment && literalStart >= 0 && position > literalStart && bytes[position - 1] == UInt8(ascii: ":")
        if atStart || afterColon, let end = tildePrefixEnd(mode) {
          appendLiteral(&parts, literalStart, position)
          literalStart = -1
          parts.append(
            ShellWordPart(kind: .tilde(string(position, end)), range: range(position, end), logical: position..<end))
          position = end
          continue
        }
        if literalStart < 0 { literalStart = position }
        position += 1
      default:
        if let stop = mode.stopByte, byte == stop { break scan }
        if literalStart < 0 { literalStart = position }
        position += 1
      }
    }
    appendLiteral(&parts, literalStart, position)
    return parts
  }

  static func isExtendedGlobPrefix(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "@") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "*")
      || byte == UInt8(ascii: "?")
  }

  /// The end of `~name` at the current position when it is a tilde prefix.
  func tildePrefixEnd(_ mode: WordMode) -> Int? {
    var end = position + 1
    while end < limit {
      let byte = bytes[end]
      guard
        Self.isNameCharacter(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
          || byte == UInt8(ascii: "+")
      else { break }
      end += 1
    }
    guard end < limit else { return end }
    let next = bytes[end]
    if next == UInt8(ascii: "/") || (mode.assignment && next == UInt8(ascii: ":")) { return end }
    if mode.stopAtBlank && (Self.isBlank(next) || next == 0x0A) { return end }
    if mode.stopAtMeta && Self.isMeta(next) { return end }
    if mode.stopAtBrace && next == UInt8(ascii: "}") { return end }
    return nil
  }

  /// The index of the `)` matching the `(` at `open`, counting nesting only (for extended globs).
  func matchingParenthesis(from open: Int) -> Int? {
    var nesting = 0
    var index = open
    while index < limit {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\\") {
        index += 2
        continue
      }
      if byte == UInt8(ascii: "(") { nesting += 1 }
      if byte == UInt8(ascii: ")") {
        nesting -= 1
        if nesting == 0 { return index }
      }
      if byte == 0x0A { return nil }
      index += 1
    }
    return nil
  }

  // MARK: - Quotes

  mutating func parseSingleQuoted(_ parts: inout [ShellWordPart]) {
    let start = position
    var index = position + 1
    while index < limit, bytes[index] != UInt8(ascii: "'") { index += 1 }
    guard index < limit else {
      fail(.unterminatedQuote, "unexpected end of file: unterminated single quote", start, start + 1)
      position = limit
      return
    }
    parts.append(
      ShellWordPart(
        kind: .singleQuoted(string(start + 1, index)), range: range(start, index + 1), logical: start..<(index + 1)))
    position = index + 1
  }

  /// `"…"`; the current position is at the opening quote.
  mutating func parseDoubleQuoted(_ parts: inout [ShellWordPart]) {
    let start = position
    position += 1
    let inner = parseDoubleQuotedContents(openedAt: start)
    guard !failed else { return }
    parts.append(ShellWordPart(kind: .doubleQuoted(inner), range: range(start, position), logical: start..<position))
  }

  /// The parts up to and including the closing `"`.
  mutating func parseDoubleQuotedContents(openedAt start: Int) -> [ShellWordPart] {
    var inner: [ShellWordPart] = []
    var literalStart = -1
    guard enter() else { return inner }
    defer { leave() }
    while position < limit && !failed {
      let byte = bytes[position]
      switch byte {
      case UInt8(ascii: "\""):
        appendLiteral(&inner, literalStart, position)
        position += 1
        return inner
      case UInt8(ascii: "\\"):
        let next = byteAt(position + 1)
        if next == 0x0A {
          appendLiteral(&inner, literalStart, position)
          literalStart = -1
          position += 2
        } else if let next,
          next == UInt8(ascii: "$") || next == UInt8(ascii: "`") || next == UInt8(ascii: "\"")
            || next == UInt8(ascii: "\\")
        {
          appendLiteral(&inner, literalStart, position)
          literalStart = -1
          inner.append(
            ShellWordPart(
              kind: .escaped(String(UnicodeScalar(next))), range: range(position, position + 2),
              logical: position..<(position + 2)))
          position += 2
        } else {
          if literalStart < 0 { literalStart = position }
          position += 1
        }
      case UInt8(ascii: "$"):
        appendLiteral(&inner, literalStart, position)
        literalStart = -1
        if let part = parseDollar(inDoubleQuotes: true) {
          inner.append(part)
        } else {
          literalStart = position
          position += 1
        }
      case UInt8(ascii: "`"):
        appendLiteral(&inner, literalStart, position)
        literalStart = -1
        parseBackquote(&inner, inDoubleQuotes: true)
      default:
        if literalStart < 0 { literalStart = position }
        position += 1
      }
    }
    fail(.unterminatedQuote, "unexpected end of file: unterminated double quote", start, start + 1)
    return inner
  }

  // MARK: - Dollar expansions

  mutating func parseDollar(inDoubleQuotes: Bool) -> ShellWordPart? {
    let start = position
    guard let next = byteAt(position + 1) else { return nil }
    switch next {
    case UInt8(ascii: "{"):
      return parseBracedParameter()
    case UInt8(ascii: "("):
      if byteAt(position + 2) == UInt8(ascii: "("), let close = scanArithmeticEnd(from: position + 3) {
        return parseArithmeticExpansion(start: start, contentStart: position + 3, close: close, closeLength: 2)
      }
      return parseCommandSubstitution()
    case UInt8(ascii: "["):
      return parseLegacyArithmetic()
    case UInt8(ascii: "'"):
      return inDoubleQuotes ? nil : parseANSICQuoted()
    case UInt8(ascii: "\""):
      guard !inDoubleQuotes else { return nil }
      position += 1
      let quoteStart = position
      position += 1
      let inner = parseDoubleQuotedContents(openedAt: quoteStart)
      record(.localeQuote, start, start + 2)
      return ShellWordPart(kind: .localeQuoted(inner), range: range(start, position), logical: start..<position)
    default:
      var end = position + 1
      if Self.isNameStart(next) {
        while end < limit, Self.isNameCharacter(bytes[end]) { end += 1 }
      } else if Self.isDigit(next) || Self.isSpecialParameter(next) {
        end += 1
      } else {
        return nil
      }
      position = end
      let name = string(start + 1, end)
      noteBashVariable(name, start, end)
      let parameter = ShellParameterExpansion(
        name: name, isBraced: false, range: range(start, end), raw: string(start, end))
      return ShellWordPart(kind: .parameter(parameter), range: range(start, end), logical: start..<end)
    }
  }

  static func isSpecialParameter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "@"), UInt8(ascii: "*"), UInt8(ascii: "#"), UInt8(ascii: "?"), UInt8(ascii: "-"),
      UInt8(ascii: "$"), UInt8(ascii: "!"):
      return true
    default: return false
    }
  }

  static let bashVariables: Set<String> = [
    "BASH_SOURCE", "BASH_REMATCH", "BASH_VERSION", "BASH_VERSINFO", "BASHPID", "BASH_LINENO", "RANDOM", "PIPESTATUS",
    "EUID", "UID", "FUNCNAME", "SECONDS", "HOSTNAME", "OSTYPE", "HOSTTYPE", "SRANDOM", "EPOCHSECONDS",
    "EPOCHREALTIME", "LINENO_BASH", "GROUPS", "DIRSTACK", "COPROC", "MAPFILE", "READLINE_LINE", "SHELLOPTS",
    "BASHOPTS",
  ]

  mutating func noteBashVariable(_ name: String, _ start: Int, _ end: Int) {
    if Self.bashVariables.contains(name) { record(.bashVariable, start, end) }
  }

  /// `${…}`; the current position is at `$`.
  mutating func parseBracedParameter() -> ShellWordPart {
    let start = position
    position += 2
    var isLength = false
    var isIndirect = false
    var name = ""
    var subscriptText: String?
    var operation: ShellParameterExpansion.Operation?
    var arguments: [ShellWord] = []
    if enter() {
      defer { leave() }
      if isAt("#"), let next = byteAt(position + 1), next != UInt8(ascii: "}") {
        if Self.isNameStart(next) || Self.isDigit(next) || Self.isSpecialParameter(next) {
          isLength = true
          position += 1
        }
      } else if isAt("!"), let next = byteAt(position + 1), next != UInt8(ascii: "}") {
        isIndirect = true
        position += 1
      }
      let nameStart = position
      if let first = current {
        if Self.isNameStart(first) {
          position += 1
          while let byte = current, Self.isNameCharacter(byte) { position += 1 }
        } else if Self.isDigit(first) {
          while let byte = current, Self.isDigit(byte) { position += 1 }
        } else if Self.isSpecialParameter(first) {
          position += 1
        }
      }
      name = string(nameStart, position)
      noteBashVariable(name, nameStart, position)
      if isAt("["), let close = closingBracket(from: position) {
        subscriptText = string(position + 1, close)
        record(.arraySubscript, start, close + 1)
        position = close + 1
      }
      if isIndirect && (isAt("*}") || isAt("@}")) {
        operation = .namesWithPrefix
        position += 1
      } else if !isAt("}") && !atEnd {
        let candidates: [(StaticString, ShellParameterExpansion.Operation)] = [
          (":-", .useDefault), (":=", .assignDefault), (":?", .errorIfNullOrUnset), (":+", .useAlternative),
          (":", .substring), ("-", .useDefaultIfUnset), ("=", .assignDefaultIfUnset), ("?", .errorIfUnset),
          ("+", .useAlternativeIfSet), ("##", .removeLargestPrefix), ("#", .removeSmallestPrefix),
          ("%%", .removeLargestSuffix), ("%", .removeSmallestSuffix), ("//", .replaceAll), ("/#", .replacePrefix),
          ("/%", .replaceSuffix), ("/", .replaceFirst), ("^^", .upperAll), ("^", .upperFirst), (",,", .lowerAll),
          (",", .lowerFirst), ("@", .transform),
        ]
        for (spelling, candidate) in candidates where isAt(spelling) {
          operation = candidate
          position += spelling.utf8CodeUnitCount
          break
        }
        switch operation {
        case .substring:
          arguments.append(parseArgumentWord(stop: UInt8(ascii: ":")))
          if isAt(":") {
            position += 1
            arguments.append(parseArgumentWord(stop: nil))
          }
        case .replaceFirst, .replaceAll, .replacePrefix, .replaceSuffix:
          arguments.append(parseArgumentWord(stop: UInt8(ascii: "/")))
          if isAt("/") {
            position += 1
            arguments.append(parseArgumentWord(stop: nil))
          }
        default:
          // unknown operators are accepted here; bash reports "bad substitution" only when it runs
          arguments.append(parseArgumentWord(stop: nil))
        }
      }
    }
    if isAt("}") {
      position += 1
    } else if !failed {
      fail(.unterminatedExpansion, "unexpected end of file: `${` is not closed (expected `}`)", start, start + 2)
    }
    if isIndirect || (operation?.isBashOnly ?? false) { record(.bashParameterOperation, start, position) }
    let parameter = ShellParameterExpansion(
      name: name, arraySubscript: subscriptText, isBraced: true, isLength: isLength, isIndirect: isIndirect,
      operation: operation, arguments: arguments, range: range(start, position), raw: string(start, position))
    return ShellWordPart(kind: .parameter(parameter), range: range(start, position), logical: start..<position)
  }

  mutating func parseArgumentWord(stop: UInt8?) -> ShellWord {
    var mode = WordMode.parameterArgument
    mode.stopByte = stop
    return parseWord(mode)
  }

  /// The `]` closing the subscript `[` at `open`, if it comes before the end of the expansion.
  func closingBracket(from open: Int) -> Int? {
    var nesting = 0
    var index = open
    while index < limit {
      let byte = bytes[index]
      if byte == UInt8(ascii: "[") {
        nesting += 1
      } else if byte == UInt8(ascii: "]") {
        nesting -= 1
        if nesting == 0 { return index }
      } else if byte == UInt8(ascii: "}") || byte == 0x0A {
        return nil
      } else if byte == UInt8(ascii: "\\") {
        index += 1
      }
      index += 1
    }
    return nil
  }

  /// `$(…)`; the current position is at `$`.
  mutating func parseCommandSubstitution() -> ShellWordPart {
    let start = position
    position += 2
    let body = parseCompoundList(.closeParen)
    if !failed {
      if isAt(")") {
        position += 1
      } else {
        fail(.unexpectedEndOfFile, "unexpected end of file: `$(` is not closed (expected `)`)", start, start + 2)
      }
    }
    let substitution = ShellCommandSubstitution(body: body, isBackquoted: false, range: range(start, position))
    return ShellWordPart(
      kind: .commandSubstitution(substitution), range: range(start, position), logical: start..<position)
  }

  /// `<(…)` / `>(…)`; the current position is at `<` or `>`.
  mutating func parseProcessSubstitution(_ parts: inout [ShellWordPart]) {
    let start = position
    let isInput = bytes[position] == UInt8(ascii: "<")
    record(.processSubstitution, start, start + 2)
    position += 2
    let body = parseCompoundList(.closeParen)
    guard !failed else { return }
    if isAt(")") {
      position += 1
    } else {
      fail(
        .unexpectedEndOfFile, "unexpected end of file: `\(isInput ? "<(" : ">(")` is not closed (expected `)`)", start,
        start + 2)
      return
    }
    let substitution = ShellProcessSubstitution(isInput: isInput, body: body, range: range(start, position))
    parts.append(
      ShellWordPart(kind: .processSubstitution(substitution), range: range(start, position), logical: start..<position))
  }

  /// Finds the `)` that starts the `))` closing an arithmetic expression whose text starts at `start`;
  /// nil when the parentheses do not close that way (then `$((`/`((` is a nested subshell).
  mutating func scanArithmeticEnd(from start: Int) -> Int? {
    // A scan that ran off the end means unbalanced parentheses from there on (a syntax error is coming);
    // later scans inside that region would run off the end too, so skip them and stay linear.
    if let failed = unbalancedScan, failed.limit == limit, start > failed.start { return nil }
    let result = scanArithmeticEndUncached(from: start)
    if case .unbalanced = result { unbalancedScan = (start, limit) }
    if case .closed(let index) = result { return index }
    return nil
  }

  /// How a scan for the `))` of `$((`/`((` ended.
  enum ArithmeticScan {
    case closed(Int)
    case notArithmetic
    case unbalanced
  }

  func scanArithmeticEndUncached(from start: Int) -> ArithmeticScan {
    var index = start
    var stack: [UInt8] = []
    while index < limit {
      let byte = bytes[index]
      let top = stack.last
      if top == UInt8(ascii: "\"") {
        switch byte {
        case UInt8(ascii: "\\"):
          index += 2
          continue
        case UInt8(ascii: "\""):
          stack.removeLast()
        case UInt8(ascii: "$"):
          if byteAt(index + 1) == UInt8(ascii: "(") {
            stack.append(UInt8(ascii: "("))
            index += 2
            continue
          }
          if byteAt(index + 1) == UInt8(ascii: "{") {
            stack.append(UInt8(ascii: "{"))
            index += 2
            continue
          }
        case UInt8(ascii: "`"):
          guard let end = backquoteEnd(from: index) else { return .unbalanced }
          index = end + 1
          continue
        default:
          break
        }
        index += 1
        continue
      }
      switch byte {
      case UInt8(ascii: "\\"):
        index += 2
        continue
      case UInt8(ascii: "'"):
        var end = index + 1
        while end < limit, bytes[end] != UInt8(ascii: "'") { end += 1 }
        guard end < limit else { return .unbalanced }
        index = end + 1
        continue
      case UInt8(ascii: "\""):
        stack.append(byte)
      case UInt8(ascii: "`"):
        guard let end = backquoteEnd(from: index) else { return .unbalanced }
        index = end + 1
        continue
      case UInt8(ascii: "("):
        stack.append(byte)
      case UInt8(ascii: ")"):
        if top == UInt8(ascii: "(") {
          stack.removeLast()
        } else if stack.isEmpty {
          return byteAt(index + 1) == UInt8(ascii: ")") ? .closed(index) : .notArithmetic
        }
      case UInt8(ascii: "$"):
        if byteAt(index + 1) == UInt8(ascii: "{") {
          stack.append(UInt8(ascii: "{"))
          index += 2
          continue
        }
      case UInt8(ascii: "}"):
        if top == UInt8(ascii: "{") { stack.removeLast() }
      default:
        break
      }
      index += 1
    }
    return .unbalanced
  }

  /// The closing backquote of the one at `open`.
  func backquoteEnd(from open: Int) -> Int? {
    var index = open + 1
    while index < limit {
      if bytes[index] == UInt8(ascii: "\\") {
        index += 2
        continue
      }
      if bytes[index] == UInt8(ascii: "`") { return index }
      index += 1
    }
    return nil
  }

  /// `$((…))`, `$[…]`: parses the expression text between `contentStart` and `close`.
  mutating func parseArithmeticExpansion(start: Int, contentStart: Int, close: Int, closeLength: Int) -> ShellWordPart {
    let expression = parseArithmeticText(contentStart, close)
    position = close + closeLength
    return ShellWordPart(kind: .arithmetic(expression), range: range(start, position), logical: start..<position)
  }

  mutating func parseArithmeticText(_ contentStart: Int, _ close: Int) -> ShellArithmeticExpression {
    let savedLimit = limit
    limit = close
    position = contentStart
    let parts = parseParts(.arithmetic)
    limit = savedLimit
    position = close
    return ShellArithmeticExpression(text: string(contentStart, close), parts: parts, range: range(contentStart, close))
  }

  /// `$[…]` (old bash arithmetic).
  mutating func parseLegacyArithmetic() -> ShellWordPart {
    let start = position
    var nesting = 0
    var index = position + 1
    while index < limit {
      let byte = bytes[index]
      if byte == UInt8(ascii: "[") { nesting += 1 }
      if byte == UInt8(ascii: "]") {
        nesting -= 1
        if nesting == 0 { break }
      }
      index += 1
    }
    guard index < limit else {
      fail(.unexpectedEndOfFile, "unexpected end of file: `$[` is not closed (expected `]`)", start, start + 2)
      position = limit
      return ShellWordPart(kind: .literal("$["), range: range(start, start + 2), logical: start..<(start + 2))
    }
    record(.legacyArithmetic, start, index + 1)
    return parseArithmeticExpansion(start: start, contentStart: start + 2, close: index, closeLength: 1)
  }

  /// `$'…'`: decodes the bash escapes.
  mutating func parseANSICQuoted() -> ShellWordPart {
    let start = position
    var index = position + 2
    var value: [UInt8] = []
    while index < limit {
      let byte = bytes[index]
      if byte == UInt8(ascii: "'") { break }
      guard byte == UInt8(ascii: "\\"), index + 1 < limit else {
        value.append(byte)
        index += 1
        continue
      }
      let escape = bytes[index + 1]
      index += 2
      switch escape {
      case UInt8(ascii: "n"): value.append(0x0A)
      case UInt8(ascii: "t"): value.append(0x09)
      case UInt8(ascii: "r"): value.append(0x0D)
      case UInt8(ascii: "a"): value.append(0x07)
      case UInt8(ascii: "b"): value.append(0x08)
      case UInt8(ascii: "e"), UInt8(ascii: "E"): value.append(0x1B)
      case UInt8(ascii: "f"): value.append(0x0C)
      case UInt8(ascii: "v"): value.append(0x0B)
      case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "?"): value.append(escape)
      case UInt8(ascii: "c"):
        if index < limit {
          value.append(bytes[index] & 0x1F)
          index += 1
        }
      case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
        let maximum = escape == UInt8(ascii: "x") ? 2 : escape == UInt8(ascii: "u") ? 4 : 8
        var scalar: UInt32 = 0
        var count = 0
        while count < maximum, index < limit, let digit = Self.hexValue(bytes[index]) {
          scalar = scalar * 16 + UInt32(digit)
          index += 1
          count += 1
        }
        if count == 0 {
          value.append(UInt8(ascii: "\\"))
          value.append(escape)
        } else if escape == UInt8(ascii: "x") {
          value.append(UInt8(truncatingIfNeeded: scalar))
        } else if let unicode = Unicode.Scalar(scalar) {
          value.append(contentsOf: Array(String(Character(unicode)).utf8))
        }
      case UInt8(ascii: "0")...UInt8(ascii: "7"):
        var scalar = UInt32(escape - 0x30)
        var count = 1
        while count < 3, index < limit, bytes[index] >= 0x30, bytes[index] <= 0x37 {
          scalar = scalar * 8 + UInt32(bytes[index] - 0x30)
          index += 1
          count += 1
        }
        value.append(UInt8(truncatingIfNeeded: scalar))
      default:
        value.append(UInt8(ascii: "\\"))
        value.append(escape)
      }
    }
    guard index < limit else {
      fail(.unterminatedQuote, "unexpected end of file: unterminated `$'` quote", start, start + 2)
      position = limit
      return ShellWordPart(kind: .literal("$'"), range: range(start, start + 2), logical: start..<(start + 2))
    }
    position = index + 1
    record(.ansiCQuote, start, start + 2)
    return ShellWordPart(
      kind: .ansiCQuoted(String(decoding: value, as: UTF8.self)), range: range(start, position),
      logical: start..<position)
  }

  static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x41...0x46: return byte - 0x41 + 10
    case 0x61...0x66: return byte - 0x61 + 10
    default: return nil
    }
  }

  /// `` `…` ``: removes the backquote escapes, then parses the result. bash checks backquoted code only
  /// when it runs, so problems inside are kept as `deferredDiagnostics`, not reported.
  mutating func parseBackquote(_ parts: inout [ShellWordPart], inDoubleQuotes: Bool) {
    let start = position
    var index = position + 1
    var content = MappedText()
    var pieceStart = index
    while index < limit {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\\"), index + 1 < limit {
        let next = bytes[index + 1]
        if next == UInt8(ascii: "`") || next == UInt8(ascii: "\\") || next == UInt8(ascii: "$")
          || (inDoubleQuotes && next == UInt8(ascii: "\""))
        {
          content.append(from: text, pieceStart..<index)
          pieceStart = index + 1
        }
        index += 2
        continue
      }
      if byte == UInt8(ascii: "`") { break }
      index += 1
    }
    guard index < limit else {
      fail(.unterminatedQuote, "unexpected end of file: unterminated backquote", start, start + 1)
      position = limit
      return
    }
    content.append(from: text, pieceStart..<index)
    position = index + 1
    guard depth + 1 <= maximumDepth else {
      fail(.nestingTooDeep, "nesting deeper than \(maximumDepth) levels", start, start + 1)
      return
    }
    var sub = ShellParser(text: content, depth: depth + 1, maximumDepth: maximumDepth, nextIdentifier: nextIdentifier)
    let body = sub.parseProgram()
    nextIdentifier = sub.nextIdentifier
    bashisms += sub.bashisms
    if let tooDeep = sub.diagnostics.first(where: { $0.kind == .nestingTooDeep }), !failed {
      failed = true
      diagnostics.append(tooDeep)
    }
    let substitution = ShellCommandSubstitution(
      body: body, isBackquoted: true, range: range(start, position), deferredDiagnostics: sub.diagnostics)
    parts.append(
      ShellWordPart(kind: .commandSubstitution(substitution), range: range(start, position), logical: start..<position))
  }
}
