/// BuildKit's line parsers (`split_command.go`, `line_parsers.go`) on the bytes of a logical line.
/// Every result keeps the logical offsets it came from; the caller maps them to the file.
enum ArgumentParsers {
  /// A word of BuildKit's value list (or a flag) with the logical range it was read from. Its bytes
  /// are the logical bytes of `content` unless `decoded` is set (JSON escapes, quotes removed from a
  /// flag, invalid UTF-8 replaced), so most words cost no allocation.
  struct RawWord {
    /// The word as written (quotes included for a JSON string).
    var range: Range<Int>
    /// The part whose bytes are the word's bytes when `decoded` is nil.
    var content: Range<Int>
    var decoded: [UInt8]?
    /// Logical offset of the first `=` of the word (for `name=value` words and flags).
    var equalsOffset: Int?
    /// Index of that `=` in the word's bytes.
    var equalsIndex: Int?

    init(range: Range<Int>, content: Range<Int>? = nil, decoded: [UInt8]? = nil, equalsOffset: Int? = nil, equalsIndex: Int? = nil) {
      self.range = range
      self.content = content ?? range
      self.decoded = decoded
      self.equalsOffset = equalsOffset
      self.equalsIndex = equalsIndex
    }

    func bytes(_ line: [UInt8]) -> ArraySlice<UInt8> { decoded.map { $0[...] } ?? line[content] }
  }

  // MARK: splitCommand

  /// `splitCommand`: the keyword range and where the rest begins (nil when nothing follows the keyword).
  static func splitKeyword(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (keyword: Range<Int>, rest: Range<Int>?) {
    let trimmed = GoText.trimSpace(b, range.lowerBound, range.upperBound)
    var end = trimmed.lowerBound
    while end < trimmed.upperBound && !GoText.isRegexWhitespace(b[end]) { end += 1 }
    guard end < trimmed.upperBound else { return (trimmed, nil) }
    var restStart = end
    while restStart < trimmed.upperBound && GoText.isRegexWhitespace(b[restStart]) { restStart += 1 }
    return (trimmed.lowerBound..<end, restStart..<trimmed.upperBound)
  }

  /// `extractBuilderFlags`: the flags (processed like BuildKit: quotes removed, escapes resolved, every
  /// byte written as a rune) and the offset where the remaining arguments start.
  static func extractFlags(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, escape: UInt8, into flags: inout [RawWord]) -> Int {
    func flag(_ word: [UInt8], _ range: Range<Int>, _ equalsOffset: Int?, _ equalsIndex: Int?) -> RawWord {
      let same = word.count == range.count && word.withUnsafeBufferPointer { $0.elementsEqual(b[range]) }
      return RawWord(range: range, decoded: same ? nil : word, equalsOffset: equalsOffset, equalsIndex: equalsIndex)
    }
    enum Phase { case spaces, word, quote }
    var phase = Phase.spaces
    var word: [UInt8] = []
    var quote: UInt8 = 0
    var blankOK = false
    var wordStart = range.lowerBound
    var equalsOffset: Int?
    var equalsIndex: Int?
    let end = range.upperBound
    var position = range.lowerBound

    func write(_ byte: UInt8, at offset: Int) {
      if byte == 0x3D && equalsOffset == nil {
        equalsOffset = offset
        equalsIndex = word.count
      }
      if byte < 0x80 {
        word.append(byte)
      } else {
        word.append(0xC0 | (byte >> 6))
        word.append(0x80 | (byte & 0x3F))
      }
    }
    func isDashDash() -> Bool { word.count == 2 && word[0] == 0x2D && word[1] == 0x2D }

    while position <= end {
      let ch: UInt8 = position < end ? b[position] : 0
      if phase == .spaces {
        if position == end { break }
        if GoText.isLatin1Space(ch) {
          position += 1
          continue
        }
        if ch != 0x2D || position + 1 == end || b[position + 1] != 0x2D {
          return position
        }
        phase = .word
        wordStart = position
      }
      if position == end {
        if !isDashDash() && (blankOK || !word.isEmpty) {
          flags.append(flag(word, wordStart..<end, equalsOffset, equalsIndex))
        }
        break
      }
      if phase == .word {
        if GoText.isLatin1Space(ch) {
          phase = .spaces
          if isDashDash() { return position }
          if blankOK || !word.isEmpty {
            flags.append(flag(word, wordStart..<position, equalsOffset, equalsIndex))
          }
          word.removeAll(keepingCapacity: true)
          equalsOffset = nil
          equalsIndex = nil
          blankOK = false
          position += 1
          continue
        }
        if ch == 0x27 || ch == 0x22 {
          quote = ch
          blankOK = true
          phase = .quote
          position += 1
          continue
        }
        var byte = ch
        if ch == escape {
          if position + 1 == end {
            position += 1
            continue
          }
          position += 1
          byte = b[position]
        }
        write(byte, at: position)
        position += 1
        continue
      }
      // phase == .quote
      if ch == quote {
        phase = .word
        position += 1
        continue
      }
      var byte = ch
      if ch == escape {
        if position + 1 == end {
          phase = .word
          position += 1
          continue
        }
        position += 1
        byte = b[position]
      }
      write(byte, at: position)
      position += 1
    }
    return end
  }

  // MARK: parseWords

  /// `parseWords` (ARG, ENV, LABEL): words split at Unicode white space outside quotes; quotes and
  /// escapes are kept; every invalid UTF-8 byte becomes U+FFFD, and an escape character ending the
  /// text is dropped.
  static func parseWords(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, escape: UInt8, into words: inout [RawWord]) {
    // Phases of BuildKit's loop: 0 looking for a word, 1 in a word, 2 in quotes.
    var phase = 0
    var quote: UInt32 = 0
    var blankOK = false
    var written = false
    var wordStart = range.lowerBound
    var equalsOffset = -1
    var invalid = false
    var droppedEscape = false
    let end = range.upperBound
    let escapeRune = UInt32(escape)
    var position = range.lowerBound

    func flush(_ upTo: Int) {
      if blankOK || written {
        var word = RawWord(range: wordStart..<upTo)
        if equalsOffset >= 0 {
          word.equalsOffset = equalsOffset
          word.equalsIndex = equalsOffset - wordStart
        }
        if invalid || droppedEscape {
          let kept = wordStart..<(droppedEscape ? upTo - 1 : upTo)
          word.decoded = GoText.sanitized(Array(b[kept]))
          if equalsOffset >= 0 {
            word.equalsIndex = GoText.sanitized(Array(b[wordStart..<equalsOffset])).count
          }
        }
        words.append(word)
      }
      written = false
      equalsOffset = -1
      invalid = false
      droppedEscape = false
    }

    while position < end {
      var (ch, width) = GoText.decodeRune(b, position, end)
      if phase == 0 {
        if GoText.isSpace(ch) {
          position += width
          continue
        }
        phase = 1
        wordStart = position
      }
      if phase == 1 {
        if GoText.isSpace(ch) {
          phase = 0
          flush(position)
          blankOK = false
          position += width
          continue
        }
        if ch == 0x27 || ch == 0x22 {
          quote = ch
          blankOK = true
          phase = 2
        }
      } else if ch == quote {
        phase = 1
      }
      if ch == escapeRune && (phase == 1 || quote != 0x27) {
        if position + width == end {
          droppedEscape = true
          if phase == 2 { phase = 1 }
          position += width
          continue
        }
        // The escape and the character after it are both kept.
        written = true
        position += width
        (ch, width) = GoText.decodeRune(b, position, end)
      }
      if ch == 0x3D && equalsOffset < 0 { equalsOffset = position }
      if width == 1 && ch == GoText.runeError { invalid = true }
      written = true
      position += width
    }
    if phase != 0 { flush(end) }
  }

  // MARK: reWhitespace.Split

  /// `reWhitespace.Split(s, -1)` (or `n` pieces at most when `limit` is given).
  static func splitWhitespace(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, limit: Int? = nil) -> [Range<Int>] {
    var pieces: [Range<Int>] = []
    var begin = range.lowerBound
    var lastMatchStart = range.lowerBound
    var position = range.lowerBound
    var sawMatch = false
    while position < range.upperBound {
      guard GoText.isRegexWhitespace(b[position]) else {
        position += 1
        continue
      }
      if let limit, pieces.count == limit - 1 { break }
      var matchEnd = position
      while matchEnd < range.upperBound && GoText.isRegexWhitespace(b[matchEnd]) { matchEnd += 1 }
      lastMatchStart = position
      sawMatch = true
      if matchEnd != range.lowerBound { pieces.append(begin..<position) }
      begin = matchEnd
      position = matchEnd
    }
    if !sawMatch || lastMatchStart != range.upperBound { pieces.append(begin..<range.upperBound) }
    return pieces
  }

  /// `reWhitespace.Split(s, -1)` as words.
  static func splitWhitespaceWords(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into words: inout [RawWord]) {
    var position = range.lowerBound
    var begin = range.lowerBound
    while position < range.upperBound {
      if !GoText.isRegexWhitespace(b[position]) {
        position += 1
        continue
      }
      // A match at the very start still yields an empty first piece, as Go's Split does.
      words.append(RawWord(range: begin..<position))
      while position < range.upperBound && GoText.isRegexWhitespace(b[position]) { position += 1 }
      begin = position
    }
    words.append(RawWord(range: begin..<range.upperBound))
  }

  // MARK: parseJSON

  enum JSONOutcome {
    /// Not exec form: not starting with `[`, invalid JSON, or a number Go cannot decode.
    case notJSON
    /// Valid JSON array with a non-string element (BuildKit rejects the file): the element's range.
    case notStringArray(Range<Int>)
    /// Exec form: the decoded strings (with their logical ranges, quotes included) were appended.
    case strings
  }

  /// `parseJSON`: Go `json.Unmarshal` into `[]any`, then every element must be a string.
  static func parseJSON(_ line: [UInt8], _ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into words: inout [RawWord]) -> JSONOutcome {
    let start = GoText.trimLeftSpace(b, range.lowerBound, range.upperBound)
    guard start < range.upperBound, b[start] == 0x5B else { return .notJSON }
    if simpleStringArray(b, start..<range.upperBound, into: &words) { return .strings }
    switch JSONParser.parse(line, in: start..<range.upperBound) {
    case .failure:
      return .notJSON
    case .success(let root):
      let document = root.document
      let nodes = document.nodes
      guard nodes[0].kind == .array else { return .notJSON }
      for node in nodes where node.kind == .number {
        if let number = Double(String(decoding: document.input[node.start..<node.end], as: UTF8.self)), number.isInfinite {
          return .notJSON
        }
      }
      let first = words.count
      var child = 1
      while child < nodes.count {
        let node = nodes[child]
        guard node.kind == .string else {
          words.removeSubrange(first...)
          return .notStringArray(node.start..<node.end)
        }
        let content = (node.start + 1)..<(node.end - 1)
        let decoded = document.strings[node.payloadStart..<node.payloadStart + node.payloadCount]
        let same = decoded.count == content.count && decoded.elementsEqual(b[content])
        words.append(RawWord(range: node.start..<node.end, content: content, decoded: same ? nil : Array(decoded)))
        child = node.subtreeEnd
      }
      return .strings
    }
  }

  /// The common exec form without escapes or non-ASCII bytes (`["nginx", "-g", "daemon off;"]`),
  /// read without building a JSON document; nil for anything else (the full parser decides then).
  static func simpleStringArray(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into result: inout [RawWord]) -> Bool {
    @inline(__always) func skip(_ position: Int) -> Int {
      var position = position
      while position < range.upperBound {
        let byte = b[position]
        guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { break }
        position += 1
      }
      return position
    }
    var position = skip(range.lowerBound + 1)
    let first = result.count
    func fail() -> Bool {
      result.removeSubrange(first...)
      return false
    }
    guard position < range.upperBound else { return false }
    if b[position] == 0x5D {
      return skip(position + 1) == range.upperBound
    }
    while true {
      guard position < range.upperBound, b[position] == 0x22 else { return fail() }
      let open = position
      position += 1
      while position < range.upperBound {
        let byte = b[position]
        if byte == 0x22 { break }
        guard byte >= 0x20 && byte < 0x80 && byte != 0x5C else { return fail() }
        position += 1
      }
      guard position < range.upperBound else { return fail() }
      result.append(RawWord(range: open..<(position + 1), content: (open + 1)..<position))
      position = skip(position + 1)
      guard position < range.upperBound else { return fail() }
      if b[position] == 0x2C {
        position = skip(position + 1)
        continue
      }
      guard b[position] == 0x5D, skip(position + 1) == range.upperBound else { return fail() }
      return true
    }
  }

  /// True when `range` holds `<<` somewhere.
  static func containsHeredocOperator(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
    var position = range.lowerBound
    while true {
      position = ByteSearch.firstIndex(of: 0x3C, in: b, from: position, to: range.upperBound)
      if position + 1 >= range.upperBound { return false }
      if b[position + 1] == 0x3C { return true }
      position += 1
    }
  }
}
