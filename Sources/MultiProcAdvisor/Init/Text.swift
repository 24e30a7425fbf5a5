import CSys

// Byte-string helpers. The init avoids `String` (its Unicode machinery costs size in Embedded Swift):
// names, commands and messages are `[UInt8]`, literals are `StaticString`.

/// Bytes of text: names, commands, file contents.
typealias Bytes = [UInt8]

/// A message or output line under construction.
struct Text {
  var bytes: Bytes = []

  init() {}
  @inline(never)
  init(_ literal: StaticString) { add(literal) }

  @inline(never)
  mutating func add(_ literal: StaticString) {
    literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  @inline(never)
  mutating func add(_ more: Bytes) { bytes.append(contentsOf: more) }

  @inline(never)
  mutating func add(_ more: ArraySlice<UInt8>) { bytes.append(contentsOf: more) }

  @inline(never)
  mutating func add(byte: UInt8) { bytes.append(byte) }

  @inline(never)
  mutating func add(_ number: Int) {
    if number < 0 {
      bytes.append(UInt8(ascii: "-"))
      add(0 - number)
      return
    }
    var digits: Bytes = []
    var rest = number
    repeat {
      digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
      rest /= 10
    } while rest > 0
    bytes.append(contentsOf: digits.reversed())
  }

  @inline(never)
  mutating func add(_ number: Int32) { add(Int(number)) }

  /// Adds a duration in milliseconds as seconds: `5 s`, `0.25 s`.
  @inline(never)
  mutating func add(milliseconds: Int64) {
    add(Int(milliseconds / 1000))
    var fraction = Int(milliseconds % 1000)
    if fraction != 0 {
      add(byte: UInt8(ascii: "."))
      var width = 3
      while fraction % 10 == 0 {
        fraction /= 10
        width -= 1
      }
      var digits = Text()
      digits.add(fraction)
      for _ in digits.bytes.count..<width { add(byte: UInt8(ascii: "0")) }
      add(digits.bytes)
    }
    add(" s")
  }

  /// Adds the text of a NUL-terminated C string.
  @inline(never)
  mutating func add(cString: UnsafePointer<CChar>?) {
    guard var pointer = cString else { return }
    while pointer.pointee != 0 {
      bytes.append(UInt8(bitPattern: pointer.pointee))
      pointer += 1
    }
  }

  /// Adds `strerror(code)`.
  @inline(never)
  mutating func add(errno code: Int32) { add(cString: strerror(code)) }
}

/// Writes all of `bytes` to `fd`, retrying after `EINTR`, short writes and `EAGAIN`; gives up on other errors.
@inline(never)
func writeAll(_ fd: Int32, _ bytes: Bytes) {
  bytes.withUnsafeBufferPointer { buffer in
    guard var pointer = buffer.baseAddress else { return }
    var left = buffer.count
    var stalls = 0
    while left > 0 {
      let written = write(fd, pointer, left)
      if written > 0 {
        pointer += written
        left -= written
        continue
      }
      let code = da_errno()
      if written < 0 && code == EINTR { continue }
      if written < 0 && code == EAGAIN && stalls < 50 {
        stalls += 1
        var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = poll(&entry, 1, 100)
        continue
      }
      return
    }
  }
}

/// `StaticString` equality without `String`.
@inline(never)
func equals(_ bytes: Bytes, _ literal: StaticString) -> Bool {
  literal.withUTF8Buffer { buffer in
    guard buffer.count == bytes.count else { return false }
    for index in 0..<buffer.count where buffer[index] != bytes[index] { return false }
    return true
  }
}

/// Whether `bytes` starts with `literal`.
@inline(never)
func hasPrefix(_ bytes: Bytes, _ literal: StaticString) -> Bool {
  literal.withUTF8Buffer { buffer in
    guard buffer.count <= bytes.count else { return false }
    for index in 0..<buffer.count where buffer[index] != bytes[index] { return false }
    return true
  }
}

func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

/// `bytes` without leading and trailing spaces and tabs.
@inline(never)
func trimmed(_ bytes: ArraySlice<UInt8>) -> Bytes {
  var start = bytes.startIndex
  var end = bytes.endIndex
  while start < end && isSpace(bytes[start]) { start += 1 }
  while end > start && isSpace(bytes[end - 1]) { end -= 1 }
  return Bytes(bytes[start..<end])
}

/// Splits on runs of spaces and tabs. With `quotes`, '…' and "…" keep spaces inside a word and are removed.
@inline(never)
func words(_ bytes: Bytes, quotes: Bool = false) -> [Bytes] {
  var result: [Bytes] = []
  var current: Bytes = []
  var quote: UInt8 = 0
  var quoted = false
  for byte in bytes {
    if quotes && quote == 0 && (byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"")) {
      quote = byte
      quoted = true
    } else if quote != 0 && byte == quote {
      quote = 0
    } else if quote == 0 && isSpace(byte) {
      if !current.isEmpty || quoted { result.append(current) }
      current = []
      quoted = false
    } else {
      current.append(byte)
    }
  }
  if !current.isEmpty || quoted { result.append(current) }
  return result
}

/// Splits at every `separator`.
@inline(never)
func fields(_ bytes: ArraySlice<UInt8>, _ separator: UInt8) -> [Bytes] {
  var result: [Bytes] = []
  var current: Bytes = []
  for byte in bytes {
    if byte == separator {
      result.append(current)
      current = []
    } else {
      current.append(byte)
    }
  }
  result.append(current)
  return result
}

/// The whole file at `path` (at most 1 MiB), or the errno that stopped the read.
func readFile(_ path: Bytes) -> (bytes: Bytes, failure: Int32) {
  let pathC = makeCString(path)
  defer { pathC.deallocate() }
  let fd = da_open_read(pathC)
  var failure: Int32 = fd < 0 ? da_errno() : 0
  var bytes: Bytes = []
  var chunk = Bytes(repeating: 0, count: 8192)
  while failure == 0 {
    let count = chunk.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress, $0.count) }
    if count == 0 { break }
    if count < 0 {
      if da_errno() != EINTR { failure = da_errno() }
      continue
    }
    bytes += chunk[0..<count]
    if bytes.count > 1 << 20 { failure = EFBIG }
  }
  if fd >= 0 { close(fd) }
  return (bytes, failure)
}

/// Parses a non-negative decimal integer; nil when empty, not a number or too large.
@inline(never)
func parseNumber(_ bytes: Bytes) -> Int? {
  guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
  var value = 0
  for byte in bytes {
    guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
    value = value * 10 + Int(byte - UInt8(ascii: "0"))
  }
  return value
}

/// Parses a duration into milliseconds: `5` or `5s` (seconds), `1.5s`, `250ms`, `2m`.
func parseDuration(_ bytes: Bytes) -> Int64? {
  var index = 0
  var whole: Int64 = 0
  var digits = 0
  while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
    whole = whole * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
    digits += 1
    index += 1
    if digits > 9 { return nil }
  }
  var fraction: Int64 = 0  // in thousandths
  var scale: Int64 = 100
  if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
    index += 1
    while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
      fraction += Int64(bytes[index] - UInt8(ascii: "0")) * scale
      scale /= 10
      digits += 1
      index += 1
    }
  }
  guard digits > 0 else { return nil }
  let unit = Bytes(bytes[index...])
  if unit.isEmpty || equals(unit, "s") { return whole * 1000 + fraction }
  if equals(unit, "ms") { return whole + fraction / 1000 }
  if equals(unit, "m") { return whole * 60_000 + fraction * 60 }
  return nil
}

/// A heap copy of `bytes` with a terminating NUL, for C; never freed in the child, freed by the caller otherwise.
@inline(never)
func makeCString(_ bytes: Bytes) -> UnsafeMutablePointer<CChar> {
  let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
  for index in 0..<bytes.count { pointer[index] = CChar(bitPattern: bytes[index]) }
  pointer[bytes.count] = 0
  return pointer
}

/// The last path component of `path`.
func baseName(_ path: Bytes) -> Bytes {
  guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return path }
  return Bytes(path[(slash + 1)...])
}

/// Writes `dockadvise-init: A B C` and a newline to stderr, as one write.
@inline(never)
func complain(_ first: StaticString, _ middle: Bytes = [], _ last: StaticString = "") {
  var text = Text("dockadvise-init: ")
  text.add(first)
  text.add(middle)
  text.add(last)
  text.add(byte: 10)
  writeAll(2, text.bytes)
}

/// The position of `word` in a list of words separated by single spaces, or nil.
@inline(never)
func position(of word: Bytes, in list: StaticString) -> Int? {
  list.withUTF8Buffer { buffer in
    var position = 0
    var start = 0
    while start < buffer.count {
      var end = start
      while end < buffer.count && buffer[end] != 32 { end += 1 }
      if end - start == word.count {
        var index = 0
        while index < word.count && buffer[start + index] == word[index] { index += 1 }
        if index == word.count { return position }
      }
      position += 1
      start = end + 1
    }
    return nil
  }
}

/// The word at `position` in a list of words separated by single spaces.
@inline(never)
func word(at position: Int, in list: StaticString) -> Bytes {
  list.withUTF8Buffer { buffer in
    var current = 0
    var result: Bytes = []
    for byte in buffer {
      if byte == 32 {
        current += 1
      } else if current == position {
        result.append(byte)
      }
    }
    return result
  }
}
