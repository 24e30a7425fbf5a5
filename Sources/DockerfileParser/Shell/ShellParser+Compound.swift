/// Compound commands.
extension ShellParser {
  /// `if list; then list; [elif list; then list;]… [else list;] fi`
  mutating func parseIf() -> ShellCommand.Kind? {
    let start = position
    position += 2
    var branches: [ShellConditionalBranch] = []
    var elseBody: ShellList?
    var keyword = "if"
    var keywordStart = start
    while !failed {
      let condition = parseNonEmptyList(.words("then"))
      expectReservedWord("then", closing: keyword, at: keywordStart)
      guard !failed else {
        branches.append(ShellConditionalBranch(condition: condition, body: ShellList(range: range(position, position))))
        break
      }
      let body = parseNonEmptyList(.words("elif", "else", "fi"))
      branches.append(ShellConditionalBranch(condition: condition, body: body))
      guard !failed else { break }
      if peekReservedWord() == "elif" {
        keyword = "elif"
        keywordStart = position
        position += 4
        continue
      }
      if consumeReservedWord("else") {
        elseBody = parseNonEmptyList(.words("fi"))
      }
      break
    }
    expectReservedWord("fi", closing: "if", at: start)
    return .ifClause(ShellIfClause(branches: branches, elseBody: elseBody))
  }

  /// `while list; do list; done` / `until …`
  mutating func parseLoop(isUntil: Bool) -> ShellCommand.Kind? {
    let start = position
    let keyword = isUntil ? "until" : "while"
    position += keyword.utf8.count
    let condition = parseNonEmptyList(.words("do"))
    expectReservedWord("do", closing: keyword, at: start)
    var body = ShellList(range: range(position, position))
    if !failed {
      body = parseNonEmptyList(.words("done"))
      expectReservedWord("done", closing: keyword, at: start)
    }
    return .loop(ShellLoop(isUntil: isUntil, condition: condition, body: body))
  }

  /// The `do … done` (or bash's `{ … }`) body of `for`/`select`.
  mutating func parseLoopBody(keyword: String, start: Int) -> ShellList {
    skipLinebreaks()
    if consumeReservedWord("do") {
      let body = parseNonEmptyList(.words("done"))
      expectReservedWord("done", closing: keyword, at: start)
      return body
    }
    if peekReservedWord() == "{" {
      let open = position
      position += 1
      let body = parseNonEmptyList(.words("}"))
      expectReservedWord("}", closing: "{", at: open)
      return body
    }
    if atEnd {
      fail(
        .unexpectedEndOfFile, "unexpected end of file: `\(keyword)` is not closed (expected `do`)", start,
        start + keyword.utf8.count)
    } else {
      failUnexpected()
    }
    return ShellList(range: range(position, position))
  }

  /// `for name [in words]; do …; done`, `select …`, `for ((…;…;…)) …`
  mutating func parseFor(isSelect: Bool) -> ShellCommand.Kind? {
    let start = position
    let keyword = isSelect ? "select" : "for"
    if isSelect { record(.selectLoop, start, start + 6) }
    position += keyword.utf8.count
    skipBlanks()
    if !isSelect, isAt("((") {
      return parseArithmeticFor(start: start)
    }
    guard let first = current, !Self.isMeta(first) else {
      failUnexpected()
      return nil
    }
    let nameWord = parseWord(.normal)
    let variable = nameWord.literalValue ?? nameWord.raw
    var words: [ShellWord]?
    skipBlanks()
    if isAt(";") {
      position += 1
    } else {
      skipLinebreaks()
      if consumeReservedWord("in") {
        var list: [ShellWord] = []
        while !failed {
          skipBlanks()
          guard let byte = current else { break }
          if byte == 0x0A || byte == UInt8(ascii: ";") { break }
          if Self.isMeta(byte) {
            failUnexpected()
            break
          }
          list.append(parseWord(.normal))
        }
        words = list
        skipBlanks()
        if isAt(";") {
          position += 1
        } else if isAt("\n") {
          consumeNewline()
        } else if !failed {
          failUnexpected()
        }
      }
    }
    guard !failed else {
      return .forLoop(
        ShellForLoop(
          variable: variable, words: words, body: ShellList(range: range(position, position)), isSelect: isSelect))
    }
    let body = parseLoopBody(keyword: keyword, start: start)
    return .forLoop(ShellForLoop(variable: variable, words: words, body: body, isSelect: isSelect))
  }

  /// `for ((init; condition; update)) …`; the current position is at `((`.
  mutating func parseArithmeticFor(start: Int) -> ShellCommand.Kind? {
    let open = position
    guard let close = scanArithmeticEnd(from: position + 2) else {
      fail(.unexpectedEndOfFile, "unexpected end of file: `((` is not closed (expected `))`)", open, open + 2)
      return nil
    }
    record(.arithmeticForLoop, start, close + 2)
    // split at the top-level semicolons
    var separators: [Int] = []
    var nesting = 0
    var index = open + 2
    while index < close {
      let byte = bytes[index]
      if byte == UInt8(ascii: "(") { nesting += 1 }
      if byte == UInt8(ascii: ")") { nesting -= 1 }
      if byte == UInt8(ascii: ";"), nesting == 0 { separators.append(index) }
      index += 1
    }
    guard separators.count == 2 else {
      position = open
      fail(.unexpectedToken, "`for ((…))` needs three expressions separated by `;`", open, close + 2)
      return nil
    }
    let initializer = parseArithmeticText(open + 2, separators[0])
    let condition = parseArithmeticText(separators[0] + 1, separators[1])
    let update = parseArithmeticText(separators[1] + 1, close)
    position = close + 2
    skipBlanks()
    if isAt(";") { position += 1 }
    guard !failed else { return nil }
    let body = parseLoopBody(keyword: "for", start: start)
    return .arithmeticForLoop(
      ShellArithmeticForLoop(initializer: initializer, condition: condition, update: update, body: body))
  }

  /// `case word in [(]pattern[|pattern]…) list ;; … esac`
  mutating func parseCase() -> ShellCommand.Kind? {
    let start = position
    position += 4
    skipBlanks()
    guard let first = current, !Self.isMeta(first) else {
      failUnexpected()
      return nil
    }
    let subject = parseWord(.normal)
    skipLinebreaks()
    guard consumeReservedWord("in") else {
      if atEnd {
        fail(.unexpectedEndOfFile, "unexpected end of file: `case` is not closed (expected `in`)", start, start + 4)
      } else {
        failUnexpected()
      }
      return .caseClause(ShellCaseClause(subject: subject, items: []))
    }
    var items: [ShellCaseItem] = []
    while !failed {
      skipLinebreaks()
      guard !failed else { break }
      if atEnd {
        fail(.unexpectedEndOfFile, "unexpected end of file: `case` is not closed (expected `esac`)", start, start + 4)
        break
      }
      if consumeReservedWord("esac") { break }
      let itemStart = position
      if isAt("(") {
        position += 1
      }
      var patterns: [ShellWord] = []
      while !failed {
        skipBlanks()
        guard let byte = current, !Self.isMeta(byte) else {
          failUnexpected()
          break
        }
        patterns.append(parseWord(.normal))
        skipBlanks()
        if isAt("|"), !isAt("||") {
          position += 1
          continue
        }
        if isAt(")") {
          position += 1
          break
        }
        failUnexpected()
      }
      guard !failed else { break }
      var terminators = Terminators.words("esac")
      terminators.caseItem = true
      let body = parseCompoundList(terminators)
      guard !failed else {
        items.append(ShellCaseItem(patterns: patterns, body: body, terminator: nil, range: range(itemStart, position)))
        break
      }
      var terminator: ShellCaseTerminator?
      if isAt(";;&") {
        terminator = .testNext
        record(.caseFallThrough, position, position + 3)
        position += 3
      } else if isAt(";;") {
        terminator = .break
        position += 2
      } else if isAt(";&") {
        terminator = .fallThrough
        record(.caseFallThrough, position, position + 2)
        position += 2
      }
      items.append(
        ShellCaseItem(patterns: patterns, body: body, terminator: terminator, range: range(itemStart, position)))
      if terminator == nil {
        expectReservedWord("esac", closing: "case", at: start)
        break
      }
    }
    return .caseClause(ShellCaseClause(subject: subject, items: items))
  }

  /// `[[ … ]]`
  mutating func parseConditional() -> ShellCommand.Kind? {
    let start = position
    record(.doubleBracketTest, start, start + 2)
    position += 2
    var words: [ShellWord] = []
    var regexNext = false
    guard enter() else { return nil }
    defer { leave() }
    while !failed {
      skipBlanks()
      if isAt("\n") {
        consumeNewline()
        continue
      }
      guard let byte = current else {
        fail(.unexpectedEndOfFile, "unexpected end of file: `[[` is not closed (expected `]]`)", start, start + 2)
        break
      }
      if isAt("]]"), byteAt(position + 2).map(Self.isMeta) ?? true {
        let close = position
        position += 2
        validateConditional(words, close: close)
        return .conditional(ShellConditionalExpression(words: words))
      }
      let tokenStart = position
      var length = 0
      if isAt("&&") || isAt("||") {
        length = 2
      } else if byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "<")
        || byte == UInt8(ascii: ">")
      {
        length = 1
      } else if byte == UInt8(ascii: ";") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "|") {
        failUnexpected()
        break
      }
      if length > 0
        && !(regexNext && (byte == UInt8(ascii: "(") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")))
      {
        position += length
        let token = string(tokenStart, position)
        words.append(
          ShellWord(
            parts: [
              ShellWordPart(kind: .literal(token), range: range(tokenStart, position), logical: tokenStart..<position)
            ],
            range: range(tokenStart, position), raw: token, logical: tokenStart..<position))
        regexNext = false
        continue
      }
      let word = parseWord(regexNext ? .regex : .conditional)
      if position == tokenStart {
        failUnexpected()
        break
      }
      words.append(word)
      regexNext = word.raw == "=~"
    }
    return .conditional(ShellConditionalExpression(words: words))
  }

  /// `(( … ))`; nil when the parentheses do not close with `))` (then it is a nested subshell).
  mutating func parseArithmeticCommand() -> ShellCommand.Kind? {
    let start = position
    guard let close = scanArithmeticEnd(from: position + 2) else { return nil }
    record(.arithmeticCommand, start, close + 2)
    let expression = parseArithmeticText(start + 2, close)
    position = close + 2
    return .arithmetic(expression)
  }

  static let conditionalUnaryOperators: Set<String> = [
    "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-t", "-u", "-w", "-x", "-G", "-L", "-N",
    "-O", "-S", "-z", "-n", "-o", "-v", "-R",
  ]
  static let conditionalBinaryOperators: Set<String> = [
    "=", "==", "!=", "<", ">", "=~", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef",
  ]

  /// Checks `[[ … ]]` the way bash's parser does (it prints these errors even when `bash -n` exits 0).
  mutating func validateConditional(_ words: [ShellWord], close: Int) {
    var checker = ConditionalChecker(words: words, maximumDepth: maximumDepth - depth)
    guard let (index, message) = checker.check() else { return }
    if index < words.count {
      let word = words[index]
      fail(.unexpectedToken, message, word.logical.lowerBound, word.logical.upperBound)
    } else {
      fail(.unexpectedToken, message, close, close + 2)
    }
  }
}

/// bash's grammar for `[[ … ]]` over the words the parser collected (`]]` is the end).
struct ConditionalChecker {
  let words: [ShellWord]
  let maximumDepth: Int
  var index = 0
  var depth = 0

  init(words: [ShellWord], maximumDepth: Int) {
    self.words = words
    self.maximumDepth = maximumDepth
  }

  /// The token at `at` as an operator (unquoted raw text), or `]]` past the end.
  func token(_ at: Int) -> String { at < words.count ? words[at].raw : "]]" }
  func describe(_ at: Int) -> String { at < words.count ? "`\(words[at].raw)`" : "`]]`" }
  func isOperatorToken(_ text: String) -> Bool { ["&&", "||", "(", ")", "]]"].contains(text) }

  /// Nil when valid; else the offending word's index and a message.
  mutating func check() -> (Int, String)? {
    if let error = expression() { return error }
    if index < words.count { return (index, "syntax error in conditional expression: unexpected \(describe(index))") }
    return nil
  }

  mutating func expression() -> (Int, String)? {
    depth += 1
    defer { depth -= 1 }
    if depth > maximumDepth { return (index, "nesting too deep in conditional expression") }
    while true {
      if let error = term() { return error }
      let next = token(index)
      guard next == "&&" || next == "||" else { return nil }
      index += 1
    }
  }

  mutating func term() -> (Int, String)? {
    var text = token(index)
    // bash lets a term be empty right before `]]` (`[[ ]]`, `[[ a && ]]`, `[[ ! ]]`)
    if index >= words.count { return nil }
    while text == "!" {
      index += 1
      text = token(index)
      if index >= words.count { return nil }
    }
    if text == "(" {
      index += 1
      if let error = expression() { return error }
      guard token(index) == ")" else {
        return (index, "unexpected \(describe(index)) in conditional expression, expected `)`")
      }
      index += 1
      return nil
    }
    if isOperatorToken(text) || text == "<" || text == ">" {
      return (index, "unexpected \(describe(index)) in conditional command")
    }
    if ShellParser.conditionalUnaryOperators.contains(text) {
      let operand = token(index + 1)
      if index + 1 < words.count && !isOperatorToken(operand) {
        index += 2
        return nil
      } else {
        return (index + 1, "unexpected argument \(describe(index + 1)) to conditional unary operator")
      }
    }
    // word [binary-operator word]
    index += 1
    let next = token(index)
    if index >= words.count || isOperatorToken(next) { return nil }
    guard ShellParser.conditionalBinaryOperators.contains(next) else {
      return (index, "conditional binary operator expected")
    }
    let right = token(index + 1)
    if index + 1 >= words.count || isOperatorToken(right) {
      return (index + 1, "unexpected argument \(describe(index + 1)) to conditional binary operator")
    }
    index += 2
    return nil
  }
}
