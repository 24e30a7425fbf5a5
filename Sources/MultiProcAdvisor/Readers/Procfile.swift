import DockerfileParser

/// A Procfile (foreman/honcho/forego format): `name: command` lines, `#` comments, blank lines.
public struct Procfile: Sendable, Equatable {
  /// One process type.
  public struct Entry: Sendable, Equatable {
    public var name: String
    public var command: String
    /// Byte range of the whole line and of the command in the file.
    public var lineRange: SourceRange
    public var commandRange: SourceRange
  }

  /// A line that is neither blank, a comment, nor `name: command`.
  public struct Issue: Sendable, Equatable {
    public var message: String
    public var range: SourceRange
  }

  public var entries: [Entry] = []
  public var issues: [Issue] = []

  /// Names are letters, digits, `_` and `-` (what foreman accepts: `[A-Za-z0-9_-]+`).
  public static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.allSatisfy { byte in
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D
    }
  }

  public static func parse(_ file: SourceFile) -> Procfile {
    var procfile = Procfile()
    for line in 1...max(1, file.lineCount) {
      let range = file.lineRange(line)
      let bytes = file.bytes[range.start..<range.end]
      let text = String(decoding: bytes, as: UTF8.self)
      let trimmed = text.trimmed(in: " \t")
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
        procfile.issues.append(Issue(message: "expected 'name: command'", range: range))
        continue
      }
      let name = String(decoding: file.bytes[range.start..<colon], as: UTF8.self).trimmed(in: " \t")
      var commandStart = colon + 1
      while commandStart < range.end, file.bytes[commandStart] == 0x20 || file.bytes[commandStart] == 0x09 { commandStart += 1 }
      var commandEnd = range.end
      while commandEnd > commandStart, file.bytes[commandEnd - 1] == 0x20 || file.bytes[commandEnd - 1] == 0x09 { commandEnd -= 1 }
      guard isValidName(name) else {
        procfile.issues.append(Issue(message: "invalid process name '\(name)'", range: range))
        continue
      }
      guard commandEnd > commandStart else {
        procfile.issues.append(Issue(message: "process '\(name)' has no command", range: range))
        continue
      }
      procfile.entries.append(
        Entry(
          name: name, command: String(decoding: file.bytes[commandStart..<commandEnd], as: UTF8.self),
          lineRange: range, commandRange: SourceRange(start: commandStart, end: commandEnd)))
    }
    return procfile
  }
}
