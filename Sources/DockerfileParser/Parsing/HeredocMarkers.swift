/// Finds the heredoc markers of an instruction line as BuildKit's `heredocsFromLine` and
/// `ParseHeredoc` do: the line is split into shell words (quotes and escapes kept, `\` as the escape
/// whatever the Dockerfile's escape character), and each word matching `^(\d*)<<(-?)\s*([^<]*)$` with
/// a non-empty single-word delimiter is a heredoc.
enum HeredocMarkers {
  struct Marker {
    var name: [UInt8]
    var fileDescriptor: UInt64
    var chomp: Bool
    var expand: Bool
    var wordRange: Range<Int>
    var nameRange: Range<Int>
  }

  enum Outcome {
    case markers([Marker])
    /// BuildKit fails the whole parse with this message.
    case failure(String, Range<Int>)
  }

  static func find(in line: [UInt8]) -> Outcome {
    var lineLexer = WordExpander(escapeByte: 0x5C)
    lineLexer.keepsQuotes = true
    lineLexer.keepsEscapes = true
    lineLexer.keepsUnsetVariables = true
    let split = lineLexer.split(line) { _ in nil }
    // BuildKit ignores an error here (no words, so no heredocs).
    var markers: [Marker] = []
    for (index, word) in split.words.enumerated() {
      guard let match = matchMarker(word) else { continue }
      let rest = Array(word[match.restStart...])
      if rest.isEmpty { continue }
      var nameLexer = WordExpander(escapeByte: 0x5C)
      nameLexer.keepsUnsetVariables = true
      let plain = nameLexer.split(rest) { _ in nil }
      let wordRange = split.wordRanges[index]
      if let error = plain.error { return .failure(error, wordRange) }
      guard plain.words.count == 1 else { continue }
      nameLexer.keepsQuotes = true
      let raw = nameLexer.split(rest) { _ in nil }
      if let error = raw.error { return .failure(error, wordRange) }
      guard raw.words.count == plain.words.count else {
        return .failure(
          "internal lexing of heredoc produced inconsistent results: \(String(decoding: rest, as: UTF8.self))", wordRange)
      }
      let expand = quoteCount(plain.words[0]) == quoteCount(raw.words[0])
      var nameRange = wordRange
      if wordRange.upperBound <= line.count, Array(line[wordRange]) == word {
        nameRange = (wordRange.lowerBound + match.restStart)..<wordRange.upperBound
      }
      markers.append(Marker(
        name: plain.words[0], fileDescriptor: match.fileDescriptor, chomp: match.chomp, expand: expand,
        wordRange: wordRange, nameRange: nameRange))
    }
    return .markers(markers)
  }

  struct MarkerMatch {
    var fileDescriptor: UInt64
    var chomp: Bool
    var restStart: Int
  }

  /// `^(\d*)<<(-?)\s*([^<]*)$`.
  static func matchMarker(_ word: [UInt8]) -> MarkerMatch? {
    var index = 0
    while index < word.count && word[index] >= 0x30 && word[index] <= 0x39 { index += 1 }
    let digits = word[0..<index]
    guard index + 1 < word.count, word[index] == 0x3C, word[index + 1] == 0x3C else { return nil }
    index += 2
    var chomp = false
    if index < word.count && word[index] == 0x2D {
      chomp = true
      index += 1
    }
    while index < word.count && GoText.isPerlSpace(word[index]) { index += 1 }
    for byte in word[index...] where byte == 0x3C { return nil }
    // strconv.ParseUint(digits, 10, 0) with its error ignored: 0 when empty, the maximum on overflow.
    var fd: UInt64 = 0
    for digit in digits {
      let (product, overflow1) = fd.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = product.addingReportingOverflow(UInt64(digit - 0x30))
      if overflow1 || overflow2 {
        fd = UInt64.max
        break
      }
      fd = sum
    }
    return MarkerMatch(fileDescriptor: fd, chomp: chomp, restStart: index)
  }

  static func quoteCount(_ bytes: [UInt8]) -> Int {
    var count = 0
    for byte in bytes where byte == 0x27 || byte == 0x22 { count += 1 }
    return count
  }
}
