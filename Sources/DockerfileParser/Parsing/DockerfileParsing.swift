/// The line-level pass of the parser: BuildKit's `parser.Parse` loop (BOM, directives, comments,
/// continuations, heredoc bodies) recording every byte as a piece, then the instruction-level parse
/// of each logical line.
struct DockerfileParsing {
  /// BuildKit reads lines with a `bufio.Scanner` of at most 64 KiB per line.
  static let maxLineLength = 65_535

  let source: SourceFile
  var pieces: [SyntaxPiece] = []
  var issues: [ParseIssue] = []
  var directives: [Directive] = []
  var instructions: [Instruction] = []
  var escape: UInt8 = 0x5C
  var directivesDone = false
  var seenDirectives: Set<String> = []
  var lineNumber = 0
  var hasBOM = false
  /// Scratch buffers reused for every instruction.
  var raw: [RawPiece] = []
  var labels: [(range: Range<Int>, kind: SyntaxPiece.Kind)] = []
  var line = MappedText()
  /// Everything the instructions store, in a few shared arrays.
  var arena = InstructionArena.Builder()

  init(source: SourceFile) {
    self.source = source
    pieces.reserveCapacity(source.bytes.count / 8 + 4)
  }

  /// A piece of an instruction before classification: text fragments of the logical line are split
  /// into keyword, flag, argument and white-space pieces once the line is parsed.
  enum RawPiece {
    case fragment(start: Int, end: Int, logicalStart: Int)
    case piece(SyntaxPiece.Kind, Int, Int)
  }

  mutating func run() -> Dockerfile {
    let bytes = source.bytes
    arena.logicalBytes.reserveCapacity(bytes.count)
    arena.records.reserveCapacity(bytes.count / 64 + 1)
    bytes.withUnsafeBufferPointer { b in scan(b) }
    let storage = InstructionArena(arena)
    instructions = storage.records.indices.map { Instruction(arena: storage, index: $0) }
    if instructions.isEmpty {
      issues.append(ParseIssue(
        code: .noInstructions, severity: .error, layer: .parser,
        message: "file with no instructions: expected at least one instruction such as FROM",
        range: .empty(at: bytes.count)))
    }
    var checker = InstructionChecker(instructions: instructions)
    checker.run()
    issues.append(contentsOf: checker.issues)
    issues.sort { $0.range.start < $1.range.start }
    return Dockerfile(
      source: source, directives: directives, escapeByte: escape, instructions: instructions,
      stages: checker.stages, globalArgumentIndices: checker.globalArgumentIndices, issues: issues,
      pieces: pieces, hasByteOrderMark: hasBOM)
  }

  @inline(__always)
  mutating func add(_ kind: SyntaxPiece.Kind, _ start: Int, _ end: Int) {
    if end > start { pieces.append(SyntaxPiece(kind: kind, range: SourceRange(start: start, end: end))) }
  }

  /// Reads the physical line at `start`: the end of its content (trailing `\r`s removed, as BuildKit's
  /// `trimNewline`) and the start of the next line.
  @inline(__always)
  mutating func readLine(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> (contentEnd: Int, end: Int) {
    let count = b.count
    let index = ByteSearch.firstIndex(of: 0x0A, in: b, from: start, to: count)
    let end = index < count ? index + 1 : count
    var contentEnd = index
    while contentEnd > start && b[contentEnd - 1] == 0x0D { contentEnd -= 1 }
    lineNumber += 1
    if index - start > Self.maxLineLength {
      issues.append(ParseIssue(
        code: .lineTooLong, severity: .error, layer: .parser,
        message: "dockerfile line greater than max allowed size of \(Self.maxLineLength): expected a shorter line",
        range: SourceRange(start: start, end: index)))
    }
    return (contentEnd, end)
  }

  /// BuildKit's `trimContinuationCharacter` on `start..<end`: where the text ends and whether the line
  /// continues (the escape character, unless itself escaped, followed only by spaces and tabs).
  @inline(__always)
  func trimContinuation(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (textEnd: Int, continues: Bool) {
    var index = end
    while index > start && (b[index - 1] == 0x20 || b[index - 1] == 0x09) { index -= 1 }
    if index > start && b[index - 1] == escape && (index - 1 == start || b[index - 2] != escape) {
      return (index - 1, true)
    }
    return (end, false)
  }

  mutating func scan(_ b: UnsafeBufferPointer<UInt8>) {
    let count = b.count
    var position = 0
    while position < count {
      let lineStart = position
      let (contentEnd, lineEnd) = readLine(b, position)
      var start = lineStart
      if lineStart == 0 && count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
        add(.byteOrderMark, 0, 3)
        hasBOM = true
        start = 3
      }
      let text = GoText.trimLeftSpace(b, start, Swift.max(start, contentEnd))
      if !directivesDone {
        if let match = ParserDirectives.match(b, text, contentEnd) {
          if recordDirective(match, b, line: text..<contentEnd) {
            add(.whitespace, start, text)
            add(.directive, text, contentEnd)
            add(.newline, contentEnd, lineEnd)
            position = lineEnd
            continue
          }
        } else {
          directivesDone = true
        }
      }
      if text < contentEnd && b[text] == 0x23 {
        add(.whitespace, start, text)
        add(.comment, text, contentEnd)
        add(.newline, contentEnd, lineEnd)
        position = lineEnd
        continue
      }
      let (textEnd, continues) = trimContinuation(b, text, Swift.max(text, contentEnd))
      if !continues && textEnd == text {
        add(.whitespace, start, Swift.max(start, contentEnd))
        add(.newline, Swift.max(start, contentEnd), lineEnd)
        position = lineEnd
        continue
      }
      add(.whitespace, start, text)
      position = parseInstruction(
        b, firstLine: lineNumber, textStart: text, textEnd: textEnd, continues: continues, contentEnd: contentEnd,
        lineEnd: lineEnd)
    }
  }

  /// Records a directive; false when it is rejected (then the line is kept as a comment).
  mutating func recordDirective(_ match: ParserDirectives.Match, _ b: UnsafeBufferPointer<UInt8>, line: Range<Int>) -> Bool {
    let value = String(decoding: UnsafeBufferPointer(rebasing: b[match.valueRange]), as: UTF8.self)
    let range = SourceRange(line)
    if seenDirectives.contains(match.name) {
      issues.append(ParseIssue(
        code: .duplicateDirective, severity: .error, layer: .parser,
        message: "only one \(match.name) parser directive can be used: expected this directive once", range: range))
      return false
    }
    seenDirectives.insert(match.name)
    if match.name == "escape" {
      guard value == "`" || value == "\\" else {
        issues.append(ParseIssue(
          code: .invalidEscapeDirective, severity: .error, layer: .parser,
          message: "invalid escape token '\(value)': expected ` or \\", range: SourceRange(match.valueRange)))
        return false
      }
      escape = value == "`" ? 0x60 : 0x5C
    }
    directives.append(Directive(
      name: match.name, value: value, range: range, nameRange: SourceRange(match.nameRange),
      valueRange: SourceRange(match.valueRange)))
    return true
  }

  /// Parses one instruction starting on the current line; returns the offset after it.
  mutating func parseInstruction(
    _ b: UnsafeBufferPointer<UInt8>, firstLine: Int, textStart: Int, textEnd: Int, continues: Bool, contentEnd: Int,
    lineEnd: Int
  ) -> Int {
    let count = b.count
    let issueCount = issues.count
    raw.removeAll(keepingCapacity: true)
    line.removeAll(keepingCapacity: true)
    raw.append(.fragment(start: textStart, end: textEnd, logicalStart: 0))
    var logicalCount = textEnd - textStart
    var fragmentCount = 1
    if continues { raw.append(.piece(.lineContinuation, textEnd, contentEnd)) }
    var rangeEnd = contentEnd
    var pendingNewline = contentEnd..<lineEnd
    var position = lineEnd
    var continuing = continues
    var firstEmptyLine: SourceRange?

    while continuing && position < count {
      raw.append(.piece(.newline, pendingNewline.lowerBound, pendingNewline.upperBound))
      let lineStart = position
      let (lineContentEnd, nextLine) = readLine(b, position)
      let text = GoText.trimLeftSpace(b, lineStart, lineContentEnd)
      if text < lineContentEnd && b[text] == 0x23 {
        raw.append(.piece(.whitespace, lineStart, text))
        raw.append(.piece(.continuationComment, text, lineContentEnd))
      } else if text == lineContentEnd {
        raw.append(.piece(.emptyContinuationLine, lineStart, lineContentEnd))
        if firstEmptyLine == nil { firstEmptyLine = SourceRange(start: lineStart, end: lineContentEnd) }
      } else {
        let (fragmentEnd, more) = trimContinuation(b, lineStart, lineContentEnd)
        raw.append(.fragment(start: lineStart, end: fragmentEnd, logicalStart: logicalCount))
        logicalCount += fragmentEnd - lineStart
        fragmentCount += 1
        if more { raw.append(.piece(.lineContinuation, fragmentEnd, lineContentEnd)) }
        continuing = more
      }
      rangeEnd = lineContentEnd
      pendingNewline = lineContentEnd..<nextLine
      position = nextLine
    }

    // The logical line: the fragments joined, allocated once.
    line.reserveCapacity(bytes: logicalCount, segments: fragmentCount)
    for item in raw {
      if case .fragment(let start, let end, _) = item {
        line.appendVerbatim(UnsafeBufferPointer(rebasing: b[start..<end]), originalStart: start)
      }
    }
    var lineParser = InstructionLineParser(line: line, escape: escape, emptyOffset: textStart)
    let levelIndices = lineParser.parse(into: &arena)
    let firstLevel = arena.levels[levelIndices.lowerBound]
    let triggerCount = levelIndices.count - 1
    if !lineParser.issues.isEmpty { issues.append(contentsOf: lineParser.issues) }
    if let firstEmptyLine {
      issues.append(ParseIssue(
        code: .emptyContinuationLine, severity: .warning, layer: .parser,
        message: "empty continuation line: remove it or end the instruction before it (it will become an error)",
        range: firstEmptyLine))
    }

    // Heredocs (RUN, COPY, ADD, or an ONBUILD of one; never in exec form).
    var heredocs: [Heredoc] = []
    let target = firstLevel.kind == .onbuild && triggerCount > 0 ? arena.levels[levelIndices.lowerBound + 1] : firstLevel
    let canContainHeredoc = (target.kind == .run || target.kind == .copy || target.kind == .add) && !target.isJSON
    if canContainHeredoc && line.bytes.withUnsafeBufferPointer({ ArgumentParsers.containsHeredocOperator($0, 0..<$0.count) }) {
      switch HeredocMarkers.find(in: line.bytes) {
      case .failure(let message, let range):
        issues.append(ParseIssue(
          code: .invalidHeredoc, severity: .error, layer: .parser,
          message: "\(message): expected a valid heredoc delimiter", range: line.originalRange(range)))
      case .markers(let markers):
        for marker in markers {
          raw.append(.piece(.newline, pendingNewline.lowerBound, pendingNewline.upperBound))
          pendingNewline = position..<position
          let bodyStart = position
          var terminator: SourceRange?
          var bodyEnd = count
          while position < count {
            let lineStart = position
            let (lineContentEnd, nextLine) = readLine(b, position)
            var candidate = lineStart
            if marker.chomp {
              while candidate < lineContentEnd && b[candidate] == 0x09 { candidate += 1 }
            }
            if lineContentEnd - candidate == marker.name.count && equal(b, candidate, marker.name) {
              terminator = SourceRange(start: lineStart, end: lineContentEnd)
              bodyEnd = lineStart
              pendingNewline = lineContentEnd..<nextLine
              position = nextLine
              break
            }
            position = nextLine
          }
          raw.append(.piece(.heredocBody, bodyStart, bodyEnd))
          var body = MappedText()
          body.appendVerbatim(UnsafeBufferPointer(rebasing: b[bodyStart..<bodyEnd]), originalStart: bodyStart)
          let markerRange = line.originalRange(marker.wordRange)
          heredocs.append(Heredoc(
            name: String(decoding: marker.name, as: UTF8.self), fileDescriptor: marker.fileDescriptor,
            stripsLeadingTabs: marker.chomp, expands: marker.expand, markerRange: markerRange,
            nameRange: line.originalRange(marker.nameRange), bodyRange: SourceRange(start: bodyStart, end: bodyEnd),
            terminatorRange: terminator, body: body))
          if let terminator {
            raw.append(.piece(.heredocTerminator, terminator.start, terminator.end))
            rangeEnd = terminator.end
          } else {
            rangeEnd = count
            let name = GoText.quote(marker.name)
            issues.append(ParseIssue(
              code: .unterminatedHeredoc, severity: .error, layer: .parser,
              message: "unterminated heredoc: expected a line \(name) before the end of the file", range: markerRange))
            break
          }
        }
      }
    }

    // Emit the pieces: fragments split by what the line parser found in them.
    labels.removeAll(keepingCapacity: true)
    for index in levelIndices {
      let level = arena.levels[index]
      if !level.keywordLogical.isEmpty { labels.append((level.keywordLogical, .keyword)) }
      for flag in arena.flags[level.flags] where !flag.range.isEmpty { labels.append((flag.range, .flag)) }
      if index == levelIndices.upperBound - 1 && !level.argumentsLogical.isEmpty {
        labels.append((level.argumentsLogical, .arguments))
      }
    }
    let firstPiece = pieces.count
    var cursor = 0
    for item in raw {
      switch item {
      case .piece(let kind, let start, let end):
        add(kind, start, end)
      case .fragment(let start, let end, let logicalStart):
        let logicalEnd = logicalStart + (end - start)
        var x = logicalStart
        while x < logicalEnd {
          while cursor < labels.count && labels[cursor].range.upperBound <= x { cursor += 1 }
          let kind: SyntaxPiece.Kind
          let y: Int
          if cursor < labels.count && labels[cursor].range.lowerBound <= x {
            kind = labels[cursor].kind
            y = Swift.min(logicalEnd, labels[cursor].range.upperBound)
          } else {
            kind = .whitespace
            y = Swift.min(logicalEnd, cursor < labels.count ? labels[cursor].range.lowerBound : logicalEnd)
          }
          add(kind, start + (x - logicalStart), start + (y - logicalStart))
          x = y
        }
      }
    }
    let lastPiece = pieces.count
    add(.newline, pendingNewline.lowerBound, pendingNewline.upperBound)

    let bytesStart = arena.logicalBytes.count
    arena.logicalBytes.append(contentsOf: line.bytes)
    let segmentsStart = arena.segments.count
    arena.segments.append(contentsOf: line.segments)
    arena.records.append(InstructionRecord(
      bytes: bytesStart..<arena.logicalBytes.count, segments: segmentsStart..<arena.segments.count, levels: levelIndices,
      range: SourceRange(start: textStart, end: Swift.max(textStart, rangeEnd)), startLine: firstLine, endLine: lineNumber,
      heredocs: heredocs, pieceIndices: firstPiece..<lastPiece, escape: escape,
      hasParserError: issues[issueCount...].contains { $0.severity == .error }))
    return position
  }

  @inline(__always)
  func equal(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ expected: [UInt8]) -> Bool {
    for index in 0..<expected.count where b[start + index] != expected[index] { return false }
    return true
  }
}
