/// The shell wildcard patterns of `${VAR#pat}`, `${VAR%pat}` and `${VAR/pat/repl}`, matched the way
/// BuildKit does (it converts them to Go regular expressions: `*` is `.*` or `.*?`, `?` is `.`, and
/// `.` never matches a newline). Matching is iterative with a visited-state set, so it takes at most
/// pattern × text steps per search and never recurses.
enum BuildKitPattern {
  enum Item: Equatable {
    case literal(UInt32)
    case any
    case star
  }

  /// BuildKit's `convertBuildKitPatternToRegex` (without the final compile).
  static func compile(_ pattern: [UInt8]) -> Result<[Item], BuildKitWordError> {
    let scalars = decode(pattern).map(\.scalar)
    var items: [Item] = []
    var index = scalars.first == 0xFEFF ? 1 : 0
    while index < scalars.count {
      let token = scalars[index]
      index += 1
      switch token {
      case 0x2A: items.append(.star)
      case 0x3F: items.append(.any)
      case 0x5C:
        if index < scalars.count && (scalars[index] == 0x7D || scalars[index] == 0x2F) { continue }
        let escaped = index < scalars.count ? scalars[index] : GoText.runeError
        index += 1
        guard escaped == 0x2A || escaped == 0x3F || escaped == 0x5C else {
          var text: [UInt8] = []
          GoText.appendRune(escaped, to: &text)
          return .failure(BuildKitWordError(message: "invalid escape '\\\(String(decoding: text, as: UTF8.self))'"))
        }
        items.append(.literal(escaped))
      default:
        items.append(.literal(token))
      }
    }
    return .success(items)
  }

  struct Decoded {
    var scalar: UInt32
    var offset: Int
  }

  /// Go's `for _, r := range s` decoding, with the byte offset of each rune.
  static func decode(_ bytes: [UInt8]) -> [Decoded] {
    var result: [Decoded] = []
    result.reserveCapacity(bytes.count)
    bytes.withUnsafeBufferPointer { buffer in
      var position = 0
      while position < buffer.count {
        let (scalar, width) = GoText.decodeRune(buffer, position, buffer.count)
        result.append(Decoded(scalar: scalar, offset: position))
        position += width
      }
    }
    return result
  }

  static func encode(_ scalars: [UInt32]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(scalars.count)
    for scalar in scalars { GoText.appendRune(scalar, to: &output) }
    return output
  }

  /// The end of the preferred (leftmost-first) match of `items` starting exactly at `start`, or nil.
  /// `visited` holds states already explored without success; it stays valid across start positions.
  static func matchEnd(_ items: [Item], _ text: [UInt32], from start: Int, greedy: Bool, visited: inout Set<Int>) -> Int? {
    let width = text.count + 1
    var stack: [(item: Int, position: Int)] = [(0, start)]
    while let (item, position) = stack.popLast() {
      if item == items.count { return position }
      let key = item * width + position
      if visited.contains(key) { continue }
      visited.insert(key)
      switch items[item] {
      case .literal(let scalar):
        if position < text.count && text[position] == scalar { stack.append((item + 1, position + 1)) }
      case .any:
        if position < text.count && text[position] != 0x0A { stack.append((item + 1, position + 1)) }
      case .star:
        let canConsume = position < text.count && text[position] != 0x0A
        // Push the lower-priority choice first so the preferred one is explored first.
        if greedy {
          stack.append((item + 1, position))
          if canConsume { stack.append((item, position + 1)) }
        } else {
          if canConsume { stack.append((item, position + 1)) }
          stack.append((item + 1, position))
        }
      }
    }
    return nil
  }

  static func trimPrefix(pattern: [UInt8], value: [UInt8], greedy: Bool) -> Result<[UInt8], BuildKitWordError> {
    let items: [Item]
    switch compile(pattern) {
    case .failure(let failure):
      return .failure(BuildKitWordError(message: "invalid pattern (\(String(decoding: pattern, as: UTF8.self))) in substitution: \(failure.message)"))
    case .success(let compiled): items = compiled
    }
    let decoded = decode(value)
    var visited = Set<Int>()
    guard let end = matchEnd(items, decoded.map(\.scalar), from: 0, greedy: greedy, visited: &visited) else {
      return .success(value)
    }
    let byteEnd = end < decoded.count ? decoded[end].offset : value.count
    return .success(Array(value[byteEnd...]))
  }

  /// BuildKit's `reversePattern`: reverses runes but keeps `\x` escapes in order.
  static func reversePattern(_ pattern: [UInt8]) -> [UInt8] {
    let runes = decode(pattern).map(\.scalar)
    var out = [UInt32](repeating: 0, count: runes.count)
    let last = runes.count - 1
    var index = 0
    while index <= last {
      let token = runes[index]
      let outIndex = last - index
      if token == 0x5C && index != last {
        out[outIndex - 1] = token
        out[outIndex] = runes[index + 1]
        index += 2
      } else {
        out[outIndex] = token
        index += 1
      }
    }
    return encode(out)
  }

  static func trimSuffix(pattern: [UInt8], value: [UInt8], greedy: Bool) -> Result<[UInt8], BuildKitWordError> {
    let reversedPattern = reversePattern(pattern)
    let reversedValue = encode(decode(value).map(\.scalar).reversed())
    switch trimPrefix(pattern: reversedPattern, value: reversedValue, greedy: greedy) {
    case .failure(let failure): return .failure(failure)
    case .success(let trimmed): return .success(encode(decode(trimmed).map(\.scalar).reversed()))
    }
  }

  /// `${VAR/pattern/replacement}` and `${VAR//pattern/replacement}` (greedy, unanchored).
  static func replace(pattern: [UInt8], value: [UInt8], replacement: [UInt8], all: Bool) -> Result<[UInt8], BuildKitWordError> {
    let items: [Item]
    switch compile(pattern) {
    case .failure(let failure):
      return .failure(BuildKitWordError(message: "invalid pattern (\(String(decoding: pattern, as: UTF8.self))) in substitution: \(failure.message)"))
    case .success(let compiled): items = compiled
    }
    let decoded = decode(value)
    let scalars = decoded.map(\.scalar)
    func byteOffset(_ index: Int) -> Int { index < decoded.count ? decoded[index].offset : value.count }
    var visited = Set<Int>()
    func find(from: Int) -> (Int, Int)? {
      var start = from
      while start <= scalars.count {
        if let end = matchEnd(items, scalars, from: start, greedy: true, visited: &visited) {
          visited.removeAll(keepingCapacity: true)
          return (start, end)
        }
        start += 1
      }
      return nil
    }
    if !all {
      guard let (start, end) = find(from: 0) else { return .success(value) }
      return .success(Array(value[..<byteOffset(start)]) + replacement + Array(value[byteOffset(end)...]))
    }
    // Go's Regexp.ReplaceAllString, with `$` expansion of the template.
    var output: [UInt8] = []
    var lastMatchEnd = 0
    var searchPosition = 0
    while searchPosition <= scalars.count {
      guard let (start, end) = find(from: searchPosition) else { break }
      output.append(contentsOf: value[byteOffset(lastMatchEnd)..<byteOffset(start)])
      if end > lastMatchEnd || start == 0 {
        output.append(contentsOf: expandTemplate(replacement, match: Array(value[byteOffset(start)..<byteOffset(end)])))
      }
      lastMatchEnd = end
      searchPosition = searchPosition + 1 > end ? searchPosition + 1 : end
    }
    output.append(contentsOf: value[byteOffset(lastMatchEnd)...])
    return .success(output)
  }

  /// Go's `Regexp.Expand` for a pattern without capture groups: `$$` is `$`, `$0`/`${0}` the match,
  /// other names nothing, a malformed reference a literal `$`.
  static func expandTemplate(_ template: [UInt8], match: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    var index = 0
    func isNameByte(_ byte: UInt8) -> Bool {
      (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F
    }
    while index < template.count {
      let byte = template[index]
      guard byte == 0x24 else {
        output.append(byte)
        index += 1
        continue
      }
      let after = index + 1
      if after < template.count && template[after] == 0x24 {
        output.append(0x24)
        index += 2
        continue
      }
      var nameStart = after
      var braced = false
      if after < template.count && template[after] == 0x7B {
        braced = true
        nameStart = after + 1
      }
      var nameEnd = nameStart
      while nameEnd < template.count && isNameByte(template[nameEnd]) { nameEnd += 1 }
      if nameEnd == nameStart || (braced && (nameEnd >= template.count || template[nameEnd] != 0x7D)) {
        output.append(0x24)
        index += 1
        continue
      }
      let name = template[nameStart..<nameEnd]
      var isNumber = true
      for digit in name where !(digit >= 0x30 && digit <= 0x39) { isNumber = false }
      if isNumber, let number = Int(String(decoding: name, as: UTF8.self)), number == 0 {
        output.append(contentsOf: match)
      }
      index = braced ? nameEnd + 1 : nameEnd
    }
    return output
  }
}
