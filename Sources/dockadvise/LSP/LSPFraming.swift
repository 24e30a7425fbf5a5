/// The base protocol's framing: `Content-Length: N\r\n` (other headers ignored) `\r\n` then N bytes of
/// JSON. Bytes arrive in arbitrary chunks; `next()` hands out whole bodies, or a framing problem.
struct LSPFramer {
  /// Bodies larger than this are refused (the buffer is dropped) rather than awaited forever.
  static let maximumBody = 256 << 20
  /// A header block longer than this without its blank line is garbage.
  static let maximumHeader = 8 << 10

  enum Frame: Equatable {
    case body([UInt8])
    /// The headers could not be read; the bytes up to the blank line (or all of them) were dropped.
    case problem(String)
  }

  private var buffer: [UInt8] = []
  private var start = 0

  mutating func append(_ bytes: some Sequence<UInt8>) {
    if start > 0 && start == buffer.count {
      buffer.removeAll(keepingCapacity: true)
      start = 0
    }
    buffer.append(contentsOf: bytes)
  }

  /// Bytes received and not yet handed out.
  var pending: Int { buffer.count - start }

  /// The next complete frame, or nil when more bytes are needed.
  mutating func next() -> Frame? {
    guard let end = headerEnd() else {
      if buffer.count - start > Self.maximumHeader {
        start = buffer.count
        return .problem("no blank line after \(Self.maximumHeader) bytes of headers")
      }
      return nil
    }
    let header = String(decoding: buffer[start..<end.headers], as: UTF8.self)
    var length: Int?
    for line in header.split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {  // "\r\n" is one Character
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].trimmingSpaces.lowercased()
      if name == "content-length" { length = Int(line[line.index(after: colon)...].trimmingSpaces) }
    }
    guard let length, length >= 0 else {
      start = end.body
      return .problem("a message without a valid Content-Length header")
    }
    if length > Self.maximumBody {
      start = buffer.count
      return .problem("a message of \(length) bytes (the limit is \(Self.maximumBody >> 20) MiB)")
    }
    guard buffer.count - end.body >= length else { return nil }
    let body = Array(buffer[end.body..<(end.body + length)])
    start = end.body + length
    if start > 1 << 20 {
      buffer.removeSubrange(0..<start)
      start = 0
    }
    return .body(body)
  }

  /// Where the header block ends (`\r\n\r\n`; a bare `\n\n` is accepted too).
  private func headerEnd() -> (headers: Int, body: Int)? {
    var index = start
    let count = buffer.count
    while index < count {
      if buffer[index] == 0x0A {
        if index + 1 < count, buffer[index + 1] == 0x0A { return (index, index + 2) }
        if index + 2 < count, buffer[index + 1] == 0x0D, buffer[index + 2] == 0x0A { return (index, index + 3) }
      }
      index += 1
    }
    return nil
  }

  /// One message framed for the wire.
  static func frame(_ body: [UInt8]) -> [UInt8] {
    Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
  }
}

extension Substring {
  fileprivate var trimmingSpaces: String {
    String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
  }
}
