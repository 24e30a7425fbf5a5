/// A recursive-descent parser for POSIX sh and the bash found in Dockerfiles and entrypoint scripts.
///
/// It reads UTF-8 bytes from a `MappedText` and reports every range in the original file. It never
/// traps: on the first syntax error it records a diagnostic (as `bash -n` does) and unwinds, returning
/// what it understood. Nesting deeper than `maximumDepth` is reported instead of recursing further,
/// so the call stack stays bounded; every loop consumes input, so parsing is linear.
struct ShellParser {
  let text: MappedText
  let bytes: [UInt8]
  var position: Int
  var limit: Int
  var depth: Int
  let maximumDepth: Int
  var diagnostics: [ShellDiagnostic] = []
  var bashisms: [ShellBashism] = []
  var failed = false
  var pendingHeredocs: [PendingHeredoc] = []
  var heredocs: [ShellHeredoc?] = []
  var nextIdentifier: Int
  /// Where an arithmetic scan last ran off the end (see `scanArithmeticEnd`).
  var unbalancedScan: (start: Int, limit: Int)?

  /// A `<<WORD` whose body starts after the current line.
  struct PendingHeredoc {
    var index: Int
    var delimiter: [UInt8]
    var isQuoted: Bool
    var stripsTabs: Bool
    var operatorRange: Range<Int>
  }

  /// Which tokens end a compound list.
  struct Terminators {
    var words: Set<String> = []
    var closeParen = false
    var caseItem = false

    static let none = Terminators()
    static let closeParen = Terminators(closeParen: true)
    static func words(_ words: String...) -> Terminators { Terminators(words: Set(words)) }
  }

  static let reservedWords: Set<String> = [
    "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in", "select",
    "then", "until", "while", "[[", "]]", "time", "coproc",
  ]
  /// Reserved words that can never start a command.
  static let closingWords: Set<String> = ["}", "do", "done", "elif", "else", "esac", "fi", "then", "in", "]]"]

  init(text: MappedText, start: Int = 0, end: Int? = nil, depth: Int = 0, maximumDepth: Int, nextIdentifier: Int = 0) {
    self.text = text
    self.bytes = text.bytes
    self.position = start
    self.limit = end ?? text.bytes.count
    self.depth = depth
    self.maximumDepth = maximumDepth
    self.nextIdentifier = nextIdentifier
  }

  // MARK: - Bytes

  @inline(__always) func byteAt(_ index: Int) -> UInt8? { index < limit && index >= 0 ? bytes[index] : nil }
  @inline(__always) var current: UInt8? { position < limit ? bytes[position] : nil }
  @inline(__always) var atEnd: Bool { position >= limit }
  func isAt(_ string: StaticString) -> Bool {
    let count = string.utf8CodeUnitCount
    guard position + count <= limit else { return false }
    return string.withUTF8Buffer { buffer in
      for index in 0..<count where bytes[position + index] != buffer[index] { return false }
      return true
    }
  }

  func range(_ start: Int, _ end: Int) -> SourceRange { text.originalRange(start, Swift.max(start, end)) }
  func string(_ start: Int, _ end: Int) -> String {
    guard start < end else { return "" }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  @inline(__always) static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
  /// Characters that end an unquoted word.
  @inline(__always) static func isMeta(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x20, 0x09, 0x0A, UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "<"),
      UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"):
      return true
    default: return false
    }
  }
  @inline(__always) static func isNameStart(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
  }
  @inline(__always) static func isNameCharacter(_ byte: UInt8) -> Bool {
    isNameStart(byte) || (byte >= 0x30 && byte <= 0x39)
  }
  @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  static func isValidName(_ name: String) -> Bool {
    guard let first = name.utf8.first, isNameStart(first) else { return false }
    return name.utf8.allSatisfy(isNameCharacter)
  }

  // MARK: - Diagnostics

  mutating func fail(_ kind: ShellDiagnostic.Kind, _ message: String, _ start: Int, _ end: Int) {
    guard !failed else { return }
    failed = true
    diagnostics.append(ShellDiagnostic(kind: kind, message: message, range: range(start, end)))
  }

  /// Reports the token at the current position as unexpected.
  mutating func failUnexpected() {
    guard !failed else { return }
    if atEnd {
      fail(.unexpectedEndOfFile, "unexpected end of file", position, position)
      return
    }
    let (description, end) = describeToken(at: position)
    fail(.unexpectedToken, "unexpected \(description)", position, end)
  }

  /// A short description of the token at `start` (`` `fi` ``, `newline`) and where it ends.
  func describeToken(at start: Int) -> (String, Int) {
    guard start < limit else { return ("end of file", start) }
    let first = bytes[start]
    if first == 0x0A { return ("newline", start + 1) }
    if Self.isMeta(first) {
      var end = start + 1
      let operators: [StaticString] = [
        ";;&", ";;", ";&", "&&", "||", "|&", "&>>", "&>", ">>", "<<<", "<<-", "<<", "<>", "<&", ">&", ">|",
      ]
      for candidate in operators {
        let count = candidate.utf8CodeUnitCount
        if start + count <= limit,
          candidate.withUTF8Buffer({ buffer in (0..<count).allSatisfy { bytes[start + $0] == buffer[$0] } })
        {
          end = start + count
          break
        }
      }
      return ("`\(string(start, end))`", end)
    }
    var end = start
    while end < limit, !Self.isMeta(bytes[end]) { end += 1 }
    return ("`\(string(start, end))`", end)
  }

  mutating func record(_ kind: ShellBashism.Kind, _ start: Int, _ end: Int) {
    bashisms.append(ShellBashism(kind: kind, range: range(start, end), text: string(start, end)))
  }

  /// Enters one level of nesting; false (with a diagnostic) when too deep.
  mutating func enter() -> Bool {
    depth += 1
    if depth > maximumDepth {
      fail(.nestingTooDeep, "nesting deeper than \(maximumDepth) levels", position, Swift.min(limit, position + 1))
      return false
    }
    return true
  }
  mutating func leave() { depth -= 1 }

  // MARK: - Blanks, comments, newlines

  /// Skips spaces, tabs, line continuations and a comment (not the newline that ends it).
  mutating func skipBlanks() {
    while position < limit {
      let byte = bytes[position]
      if Self.isBlank(byte) {
        position += 1
      } else if byte == UInt8(ascii: "\\"), position + 1 < limit, bytes[position + 1] == 0x0A {
        position += 2
      } else if byte == UInt8(ascii: "#") {
        while position < limit, bytes[position] != 0x0A { position += 1 }
      } else {
        return
      }
    }
  }

  /// Consumes the newline at the current position, then the bodies of any pending here-documents.
  mutating func consumeNewline() {
    position += 1
    if !pendingHeredocs.isEmpty { readHeredocBodies() }
  }

  /// Skips blanks, comments and newlines.
  mutating func skipLinebreaks() {
    while !failed {
      skipBlanks()
      guard isAt("\n") else { return }
      consumeNewline()
    }
  }

  /// The reserved word at the current position, if the word there is one (without consuming it).
  func peekReservedWord() -> String? {
    var end = position
    while end < limit {
      let byte = bytes[end]
      if Self.isMeta(byte) || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
        || byte == UInt8(ascii: "$") || byte == UInt8(ascii: "`")
      {
        break
      }
      end += 1
      if end - position > 8 { return nil }
    }
    guard end > position else { return nil }
    if end < limit, !Self.isMeta(bytes[end]) { return nil }
    let word = string(position, end)
    return Self.reservedWords.contains(word) ? word : nil
  }

  /// Consumes `word` when it is the reserved word at the current position.
  mutating func consumeReservedWord(_ word: String) -> Bool {
    guard peekReservedWord() == word else { return false }
    position += word.utf8.count
    return true
  }

  /// Requires reserved word `word`, which closes `opener` started at `openerStart`.
  mutating func expectReservedWord(_ word: String, closing opener: String, at openerStart: Int) {
    guard !failed else { return }
    skipLinebreaks()
    if consumeReservedWord(word) { return }
    if atEnd {
      fail(
        .unexpectedEndOfFile, "unexpected end of file: `\(opener)` is not closed (expected `\(word)`)",
        openerStart, openerStart + opener.utf8.count)
    } else {
      failUnexpected()
    }
  }

  // MARK: - Programs and lists

  /// Parses the whole input as a script.
  mutating func parseProgram() -> ShellList {
    let start = position
    var list = parseCompoundList(.none)
    if !failed && !atEnd { failUnexpected() }
    if !pendingHeredocs.isEmpty {
      position = limit
      readHeredocBodies()
    }
    if !heredocs.isEmpty { ShellHeredocFiller(heredocs: heredocs).fill(&list) }
    list.range = range(start, limit)
    return list
  }

  /// Parses and-or lists until a terminator, end of input or an error.
  mutating func parseCompoundList(_ terminators: Terminators) -> ShellList {
    let start = position
    var items: [ShellAndOrList] = []
    guard enter() else { return ShellList(range: range(start, position)) }
    defer { leave() }
    while !failed {
      skipLinebreaks()
      guard !failed, let byte = current else { break }
      if atTerminator(terminators, byte) { break }
      let before = position
      guard var item = parseAndOr() else {
        if !failed { failUnexpected() }
        break
      }
      skipBlanks()
      if isAt("&"), !isAt("&&"), !isAt("&>") {
        item.separator = .ampersand
        item.separatorRange = range(position, position + 1)
        position += 1
      } else if isAt(";"), !isAt(";;"), !isAt(";&") {
        item.separator = .semicolon
        item.separatorRange = range(position, position + 1)
        position += 1
      } else if isAt("\n") {
        item.separator = .newline
        item.separatorRange = range(position, position + 1)
        items.append(item)
        consumeNewline()
        continue
      } else {
        items.append(item)
        if let byte = current, !atTerminator(terminators, byte) { failUnexpected() }
        if position == before, !failed { failUnexpected() }
        break
      }
      items.append(item)
    }
    guard let first = items.first, let last = items.last else { return ShellList(range: range(start, start)) }
    return ShellList(items: items, range: first.range.union(last.separatorRange ?? last.range))
  }

  func atTerminator(_ terminators: Terminators, _ byte: UInt8) -> Bool {
    if byte == UInt8(ascii: ")") { return terminators.closeParen }
    if byte == UInt8(ascii: ";"), isAt(";;") || isAt(";&") { return terminators.caseItem }
    if !terminators.words.isEmpty, let word = peekReservedWord(), terminators.words.contains(word) { return true }
    return false
  }

  /// A compound list that must not be empty (bash rejects `if true; then fi`).
  mutating func parseNonEmptyList(_ terminators: Terminators) -> ShellList {
    let list = parseCompoundList(terminators)
    if list.isEmpty && !failed { failUnexpected() }
    return list
  }

  mutating func parseAndOr() -> ShellAndOrList? {
    let start = position
    guard let first = parsePipeline() else { return nil }
    var pipelines = [first]
    var operators: [ShellAndOrOperator] = []
    var end = position
    while !failed {
      skipBlanks()
      let op: ShellAndOrOperator
      if isAt("&&") { op = .and } else if isAt("||") { op = .or } else { break }
      position += 2
      skipLinebreaks()
      guard let next = parsePipeline() else {
        if !failed { failUnexpected() }
        break
      }
      operators.append(op)
      pipelines.append(next)
      end = position
    }
    return ShellAndOrList(pipelines: pipelines, operators: operators, range: range(start, end))
  }

  mutating func parsePipeline() -> ShellPipeline? {
    skipBlanks()
    let start = position
    var negated = false
    var timed = false
    var prefixed = false
    while !failed, let word = peekReservedWord() {
      if word == "!" {
        position += 1
        negated.toggle()
        prefixed = true
        skipBlanks()
      } else if word == "time" && !timed {
        record(.timeKeyword, position, position + 4)
        position += 4
        timed = true
        prefixed = true
        skipBlanks()
        if isAt("-p"), byteAt(position + 2).map(Self.isMeta) ?? true {
          position += 2
          skipBlanks()
        }
      } else {
        break
      }
    }
    var commands: [ShellCommand] = []
    var operators: [ShellPipeOperator] = []
    guard let first = parseCommand() else {
      // bash accepts a lone `!` or `time` before a separator
      if prefixed && !failed, current.map({ $0 == 0x0A || $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "&") }) ?? true
      {
        return ShellPipeline(commands: [], isNegated: negated, isTimed: timed, range: range(start, position))
      }
      return nil
    }
    commands.append(first)
    var end = position
    while !failed {
      skipBlanks()
      guard isAt("|"), !isAt("||") else { break }
      let op: ShellPipeOperator
      if isAt("|&") {
        record(.pipeStandardError, position, position + 2)
        op = .pipeWithStandardError
        position += 2
      } else {
        op = .pipe
        position += 1
      }
      skipLinebreaks()
      if peekReservedWord() == "!" {
        failUnexpected()
        break
      }
      guard let next = parseCommand() else {
        if !failed { failUnexpected() }
        break
      }
      operators.append(op)
      commands.append(next)
      end = position
    }
    return ShellPipeline(
      commands: commands, operators: operators, isNegated: negated, isTimed: timed,
      range: range(start, Swift.max(start, commands.last.map { _ in end } ?? start)))
  }

  // MARK: - Commands

  mutating func parseCommand() -> ShellCommand? {
    skipBlanks()
    guard !failed, let byte = current else { return nil }
    guard enter() else { return nil }
    defer { leave() }
    let start = position
    switch byte {
    case UInt8(ascii: "("):
      if byteAt(position + 1) == UInt8(ascii: "("), let command = parseArithmeticCommand() {
        return finishCompound(command, start)
      }
      return finishCompound(parseSubshell(), start)
    case UInt8(ascii: ")"), UInt8(ascii: ";"), UInt8(ascii: "|"), 0x0A:
      return nil
    case UInt8(ascii: "&"):
      if !isAt("&>") { return nil }
    default:
      break
    }
    if let word = peekReservedWord() {
      switch word {
      case "{": return finishCompound(parseBraceGroup(), start)
      case "if": return finishCompound(parseIf(), start)
      case "while", "until": return finishCompound(parseLoop(isUntil: word == "until"), start)
      case "for": return finishCompound(parseFor(isSelect: false), start)
      case "select": return finishCompound(parseFor(isSelect: true), start)
      case "case": return finishCompound(parseCase(), start)
      case "[[": return finishCompound(parseConditional(), start)
      case "function": return parseFunctionKeyword()
      case "coproc": return parseCoprocess()
      case "!":
        failUnexpected()
        return nil
      default:
        if Self.closingWords.contains(word) {
          failUnexpected()
          return nil
        }
      }
    }
    return parseSimpleCommand()
  }

  /// Adds the redirections that may follow a compound command.
  mutating func finishCompound(_ kind: ShellCommand.Kind?, _ start: Int) -> ShellCommand? {
    guard let kind else { return nil }
    var end = position
    var redirections: [ShellRedirection] = []
    while !failed {
      skipBlanks()
      guard let head = redirectionHead() else { break }
      if let redirection = parseRedirection(head) { redirections.append(redirection) }
      end = position
    }
    return ShellCommand(kind: kind, redirections: redirections, range: range(start, end))
  }

  mutating func parseSubshell() -> ShellCommand.Kind? {
    let open = position
    position += 1
    let list = parseNonEmptyList(.closeParen)
    guard !failed else { return .subshell(list) }
    if isAt(")") {
      position += 1
    } else {
      fail(.unexpectedEndOfFile, "unexpected end of file: `(` is not closed (expected `)`)", open, open + 1)
    }
    return .subshell(list)
  }

  mutating func parseBraceGroup() -> ShellCommand.Kind? {
    let open = position
    position += 1
    let list = parseNonEmptyList(.words("}"))
    expectReservedWord("}", closing: "{", at: open)
    return .braceGroup(list)
  }

  // MARK: - Simple commands

  mutating func parseSimpleCommand() -> ShellCommand? {
    let start = position
    var assignments: [ShellAssignment] = []
    var words: [ShellWord] = []
    var redirections: [ShellRedirection] = []
    var end = position
    var isDeclaration = false
    while !failed {
      skipBlanks()
      guard let byte = current else { break }
      if byte == 0x0A || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "|") || byte == UInt8(ascii: ")") { break }
      if byte == UInt8(ascii: "&"), !isAt("&>") { break }
      if byte == UInt8(ascii: "(") {
        if words.count == 1 && assignments.isEmpty && redirections.isEmpty {
          return parseFunctionDefinition(name: words[0], start: start)
        }
        failUnexpected()
        break
      }
      if let head = redirectionHead() {
        if let redirection = parseRedirection(head) { redirections.append(redirection) }
        end = position
        continue
      }
      if words.isEmpty, let bracket = subscriptOpening(at: position) {
        // bash reads `name[…]` up to the matching `]`, blanks included, where an assignment may start
        guard let close = subscriptEnd(from: bracket) else {
          fail(.unexpectedEndOfFile, "unexpected end of file: `[` is not closed (expected `]`)", bracket, bracket + 1)
          break
        }
        if let head = assignmentHead(at: position, subscriptEnd: close) {
          assignments.append(parseAssignment(head))
        } else {
          var mode = WordMode.normal
          mode.literalUntil = close + 1
          words.append(parseWord(mode))
        }
        end = position
        continue
      }
      if words.isEmpty, let head = assignmentHead(at: position) {
        assignments.append(parseAssignment(head))
        end = position
        continue
      }
      if isDeclaration, let head = assignmentHead(at: position), head.valueStart < limit,
        bytes[head.valueStart] == UInt8(ascii: "(")
      {
        words.append(parseDeclarationArray(head))
        end = position
        continue
      }
      let before = position
      let word = parseWord(.normal)
      if position == before {
        // cannot happen for a well-formed word start; guarantees progress
        failUnexpected()
        break
      }
      if words.isEmpty, let name = word.literalValue {
        isDeclaration = ["declare", "typeset", "local", "export", "readonly"].contains(name)
      }
      words.append(word)
      end = position
    }
    if assignments.isEmpty && words.isEmpty && redirections.isEmpty { return nil }
    let identifier = nextIdentifier
    nextIdentifier += 1
    let commandRange = range(start, end)
    var simple = ShellSimpleCommand(
      assignments: assignments, words: words, range: commandRange, resolved: ShellResolvedCommand(),
      embedded: [], identifier: identifier)
    resolve(&simple)
    return ShellCommand(kind: .simple(simple), redirections: redirections, range: commandRange)
  }

  /// `name ( ) compound-command`
  mutating func parseFunctionDefinition(name: ShellWord, start: Int) -> ShellCommand? {
    guard let functionName = name.literalValue, !name.isQuoted, !functionName.isEmpty else {
      fail(.invalidName, "`\(name.raw)` is not a valid function name", start, position)
      return nil
    }
    position += 1
    skipBlanks()
    guard isAt(")") else {
      failUnexpected()
      return nil
    }
    position += 1
    return parseFunctionBody(name: functionName, nameRange: name.range, start: start, keyword: false)
  }

  mutating func parseFunctionBody(name: String, nameRange: SourceRange, start: Int, keyword: Bool) -> ShellCommand? {
    skipLinebreaks()
    guard !failed else { return nil }
    let bodyStart = position
    guard let body = parseCommand() else {
      if !failed { failUnexpected() }
      return nil
    }
    if case .simple = body.kind {
      position = bodyStart
      failUnexpected()
      return nil
    }
    let definition = ShellFunctionDefinition(name: name, nameRange: nameRange, body: body, usesFunctionKeyword: keyword)
    return ShellCommand(kind: .functionDefinition(definition), range: range(start, position))
  }

  /// `function name [()] compound-command`
  mutating func parseFunctionKeyword() -> ShellCommand? {
    let start = position
    record(.functionKeyword, position, position + 8)
    position += 8
    skipBlanks()
    guard let byte = current, !Self.isMeta(byte) else {
      failUnexpected()
      return nil
    }
    let name = parseWord(.normal)
    guard let functionName = name.literalValue, !name.isQuoted, !functionName.isEmpty else {
      fail(.invalidName, "`\(name.raw)` is not a valid function name", name.logical.lowerBound, name.logical.upperBound)
      return nil
    }
    skipBlanks()
    if isAt("(") {
      position += 1
      skipBlanks()
      guard isAt(")") else {
        failUnexpected()
        return nil
      }
      position += 1
    }
    return parseFunctionBody(name: functionName, nameRange: name.range, start: start, keyword: true)
  }

  /// `coproc [NAME] command`
  mutating func parseCoprocess() -> ShellCommand? {
    let start = position
    record(.coprocess, position, position + 6)
    position += 6
    skipBlanks()
    guard let byte = current, !Self.isMeta(byte) || byte == UInt8(ascii: "(") else {
      failUnexpected()
      return nil
    }
    var name: String?
    if peekReservedWord() == nil, byte != UInt8(ascii: "(") {
      // `coproc NAME { …; }` names the coprocess only when a compound command follows
      let saved = (position, diagnostics.count, bashisms.count, nextIdentifier)
      let word = parseWord(.normal)
      skipBlanks()
      let followedByCompound: Bool = {
        if isAt("(") { return true }
        guard let next = peekReservedWord() else { return false }
        return ["{", "if", "while", "until", "for", "select", "case", "[["].contains(next)
      }()
      if followedByCompound, let literal = word.literalValue {
        name = literal
      } else {
        (position, _, _, nextIdentifier) = saved
        diagnostics.removeSubrange(saved.1...)
        bashisms.removeSubrange(saved.2...)
        failed = false
      }
    }
    guard let command = parseCommand() else {
      if !failed { failUnexpected() }
      return nil
    }
    return ShellCommand(kind: .coprocess(ShellCoprocess(name: name, command: command)), range: range(start, position))
  }

  // MARK: - Assignments

  /// Where the parts of `NAME[sub]+=` are.
  struct AssignmentHead {
    var start: Int
    var nameEnd: Int
    var subscriptRange: Range<Int>?
    var isAppend: Bool
    var valueStart: Int
  }

  /// Recognises `NAME=`, `NAME+=`, `NAME[sub]=` at `start`.
  func assignmentHead(at start: Int, subscriptEnd known: Int? = nil) -> AssignmentHead? {
    guard start < limit, Self.isNameStart(bytes[start]) else { return nil }
    var index = start + 1
    while index < limit, Self.isNameCharacter(bytes[index]) { index += 1 }
    let nameEnd = index
    var subscriptRange: Range<Int>?
    if index < limit, bytes[index] == UInt8(ascii: "[") {
      var scan = index
      if let known {
        scan = known
      } else {
        var nesting = 0
        while scan < limit {
          let byte = bytes[scan]
          if byte == UInt8(ascii: "[") {
            nesting += 1
          } else if byte == UInt8(ascii: "]") {
            nesting -= 1
            if nesting == 0 { break }
          } else if Self.isMeta(byte) {
            return nil
          }
          scan += 1
        }
      }
      guard scan < limit else { return nil }
      subscriptRange = (index + 1)..<scan
      index = scan + 1
    }
    var isAppend = false
    if index + 1 < limit, bytes[index] == UInt8(ascii: "+"), bytes[index + 1] == UInt8(ascii: "=") {
      isAppend = true
      index += 1
    }
    guard index < limit, bytes[index] == UInt8(ascii: "=") else { return nil }
    return AssignmentHead(
      start: start, nameEnd: nameEnd, subscriptRange: subscriptRange, isAppend: isAppend, valueStart: index + 1)
  }

  /// The `[` after a name at `start` (`a[`), if any.
  func subscriptOpening(at start: Int) -> Int? {
    guard start < limit, Self.isNameStart(bytes[start]) else { return nil }
    var index = start + 1
    while index < limit, Self.isNameCharacter(bytes[index]) { index += 1 }
    return index < limit && bytes[index] == UInt8(ascii: "[") ? index : nil
  }

  /// The `]` matching the `[` at `open`, skipping quotes, escapes and `$( … )`; nil at end of input.
  func subscriptEnd(from open: Int) -> Int? {
    var brackets = 0
    var parentheses = 0
    var index = open
    while index < limit {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\\"):
        index += 1
      case UInt8(ascii: "'"):
        index += 1
        while index < limit, bytes[index] != UInt8(ascii: "'") { index += 1 }
      case UInt8(ascii: "\""):
        index += 1
        while index < limit, bytes[index] != UInt8(ascii: "\"") {
          if bytes[index] == UInt8(ascii: "\\") { index += 1 }
          index += 1
        }
      case UInt8(ascii: "("):
        parentheses += 1
      case UInt8(ascii: ")"):
        parentheses = Swift.max(0, parentheses - 1)
      case UInt8(ascii: "["):
        if parentheses == 0 { brackets += 1 }
      case UInt8(ascii: "]"):
        if parentheses == 0 {
          brackets -= 1
          if brackets == 0 { return index }
        }
      default:
        break
      }
      index += 1
    }
    return nil
  }

  mutating func parseAssignment(_ head: AssignmentHead) -> ShellAssignment {
    let name = string(head.start, head.nameEnd)
    let subscriptText = head.subscriptRange.map { string($0.lowerBound, $0.upperBound) }
    if head.subscriptRange != nil { record(.arraySubscript, head.start, head.valueStart) }
    position = head.valueStart
    if isAt("(") {
      record(.arrayAssignment, head.start, head.valueStart + 1)
      let elements = parseArrayElements()
      return ShellAssignment(
        name: name, arraySubscript: subscriptText, isAppend: head.isAppend, value: nil, arrayElements: elements,
        range: range(head.start, position))
    }
    let value = parseWord(.assignmentValue)
    return ShellAssignment(
      name: name, arraySubscript: subscriptText, isAppend: head.isAppend, value: value,
      range: range(head.start, position))
  }

  /// `(a b c)` after `NAME=`; the current position is at `(`.
  mutating func parseArrayElements() -> [ShellWord] {
    let open = position
    position += 1
    var elements: [ShellWord] = []
    guard enter() else { return elements }
    defer { leave() }
    while !failed {
      skipLinebreaks()
      guard let byte = current else {
        fail(.unexpectedEndOfFile, "unexpected end of file: `(` is not closed (expected `)`)", open, open + 1)
        break
      }
      if byte == UInt8(ascii: ")") {
        position += 1
        break
      }
      if Self.isMeta(byte) {
        failUnexpected()
        break
      }
      let before = position
      elements.append(parseWord(.normal))
      if position == before {
        failUnexpected()
        break
      }
    }
    return elements
  }

  /// `declare -a NAME=(…)`: the array becomes one word `NAME=` + `(…)`.
  mutating func parseDeclarationArray(_ head: AssignmentHead) -> ShellWord {
    let start = head.start
    record(.arrayAssignment, start, head.valueStart + 1)
    var parts = [
      ShellWordPart(
        kind: .literal(string(start, head.valueStart)), range: range(start, head.valueStart),
        logical: start..<head.valueStart)
    ]
    position = head.valueStart
    let arrayStart = position
    let elements = parseArrayElements()
    parts.append(
      ShellWordPart(kind: .array(elements), range: range(arrayStart, position), logical: arrayStart..<position))
    return ShellWord(
      parts: parts, range: range(start, position), raw: string(start, position), logical: start..<position)
  }

  // MARK: - Redirections

  /// Where a redirection's descriptor and operator are.
  struct RedirectionHead {
    var start: Int
    var fileDescriptor: Int?
    var variable: String?
    var operatorStart: Int
  }

  /// Recognises a redirection at the current position: `>`, `2>`, `{fd}<`, `&>`; not `<(`/`>(`.
  func redirectionHead() -> RedirectionHead? {
    guard let first = current else { return nil }
    var index = position
    var fileDescriptor: Int?
    var variable: String?
    if Self.isDigit(first) {
      while index < limit, Self.isDigit(bytes[index]) { index += 1 }
      guard index < limit, bytes[index] == UInt8(ascii: "<") || bytes[index] == UInt8(ascii: ">") else { return nil }
      fileDescriptor = Int(string(position, index)).map { Swift.min($0, Int(Int32.max)) } ?? Int(Int32.max)
    } else if first == UInt8(ascii: "{") {
      index += 1
      guard index < limit, Self.isNameStart(bytes[index]) else { return nil }
      while index < limit, Self.isNameCharacter(bytes[index]) { index += 1 }
      guard index + 1 < limit, bytes[index] == UInt8(ascii: "}"),
        bytes[index + 1] == UInt8(ascii: "<") || bytes[index + 1] == UInt8(ascii: ">")
      else { return nil }
      variable = string(position + 1, index)
      index += 1
    } else if first == UInt8(ascii: "&") {
      guard byteAt(index + 1) == UInt8(ascii: ">") else { return nil }
      return RedirectionHead(start: position, operatorStart: position)
    } else if first != UInt8(ascii: "<") && first != UInt8(ascii: ">") {
      return nil
    }
    if byteAt(index + 1) == UInt8(ascii: "("), fileDescriptor == nil, variable == nil { return nil }
    return RedirectionHead(start: position, fileDescriptor: fileDescriptor, variable: variable, operatorStart: index)
  }

  mutating func parseRedirection(_ head: RedirectionHead) -> ShellRedirection? {
    position = head.operatorStart
    let candidates: [(StaticString, ShellRedirection.Operator)] = [
      ("&>>", .appendOutputAndError), ("&>", .outputAndError), ("<<<", .hereString), ("<<-", .heredocStrippingTabs),
      ("<<", .heredoc), ("<>", .readWrite), ("<&", .duplicateInput), ("<", .input), (">>", .append), (">|", .clobber),
      (">&", .duplicateOutput), (">", .output),
    ]
    var op = ShellRedirection.Operator.output
    for (spelling, candidate) in candidates where isAt(spelling) {
      op = candidate
      position += spelling.utf8CodeUnitCount
      break
    }
    let operatorEnd = position
    if head.variable != nil { record(.fileDescriptorVariable, head.start, operatorEnd) }
    switch op {
    case .hereString: record(.hereString, head.operatorStart, operatorEnd)
    case .outputAndError, .appendOutputAndError: record(.outputAndErrorRedirection, head.operatorStart, operatorEnd)
    default: break
    }
    skipBlanks()
    guard let byte = current, !Self.isMeta(byte) || isAt("<(") || isAt(">(") else {
      failUnexpected()
      return nil
    }
    let target = parseWord(.normal)
    if op == .duplicateOutput, head.fileDescriptor == nil, let value = target.literalValue,
      !value.isEmpty, value != "-", !value.utf8.allSatisfy({ Self.isDigit($0) || $0 == UInt8(ascii: "-") })
    {
      record(.duplicateToFileRedirection, head.start, position)
    }
    var redirection = ShellRedirection(
      fileDescriptor: head.fileDescriptor, fileDescriptorVariable: head.variable, op: op, target: target,
      range: range(head.start, position))
    if op == .heredoc || op == .heredocStrippingTabs {
      let index = heredocs.count
      heredocs.append(nil)
      let (delimiter, quoted) = Self.heredocDelimiter(target.raw)
      pendingHeredocs.append(
        PendingHeredoc(
          index: index, delimiter: delimiter, isQuoted: quoted, stripsTabs: op == .heredocStrippingTabs,
          operatorRange: head.start..<position))
      redirection.heredocIndex = index
    }
    return redirection
  }

  /// The delimiter of `<<word` after quote removal, and whether any quoting was present.
  static func heredocDelimiter(_ raw: String) -> ([UInt8], Bool) {
    var result: [UInt8] = []
    var quoted = false
    var quote: UInt8? = nil
    var iterator = Array(raw.utf8).makeIterator()
    while let byte = iterator.next() {
      if let open = quote {
        if byte == open {
          quote = nil
        } else if open == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
          if let next = iterator.next() { result.append(next) }
        } else {
          result.append(byte)
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "'"), UInt8(ascii: "\""):
        quoted = true
        quote = byte
      case UInt8(ascii: "\\"):
        quoted = true
        if let next = iterator.next() { result.append(next) }
      case UInt8(ascii: "$") where result.isEmpty:
        // `<<$'EOF'` / `<<$"EOF"`
        result.append(byte)
      default:
        result.append(byte)
      }
    }
    return (result, quoted)
  }

  /// Reads the bodies of the here-documents started on the line that just ended.
  mutating func readHeredocBodies() {
    let batch = pendingHeredocs
    pendingHeredocs = []
    for pending in batch {
      let bodyStart = position
      var lineStart = position
      var bodyEnd = limit
      var terminator: Range<Int>?
      while lineStart < limit {
        var lineEnd = lineStart
        while lineEnd < limit, bytes[lineEnd] != 0x0A { lineEnd += 1 }
        var contentStart = lineStart
        if pending.stripsTabs { while contentStart < lineEnd, bytes[contentStart] == 0x09 { contentStart += 1 } }
        if lineEnd - contentStart == pending.delimiter.count,
          bytes[contentStart..<lineEnd].elementsEqual(pending.delimiter)
        {
          bodyEnd = lineStart
          terminator = lineStart..<lineEnd
          break
        }
        lineStart = lineEnd + 1
      }
      if let terminator {
        position = Swift.min(limit, terminator.upperBound + 1)
      } else {
        position = limit
        bodyEnd = limit
        let delimiterText = String(decoding: pending.delimiter, as: UTF8.self)
        diagnostics.append(
          ShellDiagnostic(
            kind: .unterminatedHeredoc, severity: .warning,
            message: "here-document delimited by end of file (wanted `\(delimiterText)`)",
            range: range(pending.operatorRange.lowerBound, pending.operatorRange.upperBound)))
      }
      var bodyText = string(bodyStart, bodyEnd)
      if pending.stripsTabs {
        bodyText = bodyText.split(separator: "\n", omittingEmptySubsequences: false)
          .map { line in String(line.drop(while: { $0 == "\t" })) }
          .joined(separator: "\n")
      }
      var parts: [ShellWordPart]?
      if !pending.isQuoted,
        bytes[bodyStart..<bodyEnd].contains(where: {
          $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: "`") || $0 == UInt8(ascii: "\\")
        })
      {
        parts = parseHeredocParts(bodyStart, bodyEnd)
      }
      heredocs[pending.index] = ShellHeredoc(
        delimiter: String(decoding: pending.delimiter, as: UTF8.self), isQuoted: pending.isQuoted,
        stripsTabs: pending.stripsTabs, bodyText: bodyText, bodyRange: range(bodyStart, bodyEnd),
        terminatorRange: terminator.map { range($0.lowerBound, $0.upperBound) }, parts: parts)
    }
  }

  /// Expansions in an unquoted here-document body, parsed leniently: bash only checks them when it runs.
  mutating func parseHeredocParts(_ start: Int, _ end: Int) -> [ShellWordPart]? {
    var sub = ShellParser(
      text: text, start: start, end: end, depth: depth, maximumDepth: maximumDepth, nextIdentifier: nextIdentifier)
    let parts = sub.parseParts(.heredocBody)
    nextIdentifier = sub.nextIdentifier
    guard !sub.failed else { return nil }
    bashisms += sub.bashisms
    return parts
  }
}
