/// Lexical path arithmetic (no file-system access): how dockadvise turns what the user typed into
/// display paths and absolute paths. Display paths stay relative when the user gave them relative.
enum Paths {
  /// `path` cleaned lexically: no `.` components, no duplicate or trailing slashes, `a/..` collapsed
  /// where possible (leading `..` of a relative path is kept). `""` becomes `.`.
  static func normalize(_ path: String) -> String {
    let isAbsolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
      if component == "." { continue }
      if component == ".." {
        if let last = parts.last, last != ".." {
          parts.removeLast()
        } else if !isAbsolute {
          parts.append(component)
        }
        continue
      }
      parts.append(component)
    }
    let joined = parts.joined(separator: "/")
    if isAbsolute { return "/" + joined }
    return joined.isEmpty ? "." : joined
  }

  /// `path` made absolute against `directory` (itself absolute), then normalised.
  static func absolute(_ path: String, from directory: String) -> String {
    normalize(path.hasPrefix("/") ? path : directory + "/" + path)
  }

  /// `a/b` joined as `base/a/b`, with `.` as the neutral base.
  static func join(_ base: String, _ name: String) -> String {
    if base == "." || base.isEmpty { return name }
    return base.hasSuffix("/") ? base + name : base + "/" + name
  }

  /// The directory part of `path` (`.` for a bare name, `/` for a file in the root).
  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
  }

  /// The last component of `path`.
  static func basename(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  /// `absolute` relative to the directory `base` (both absolute and normalised); nil when it is not
  /// inside `base`. The base itself is `.`.
  static func relative(_ absolute: String, to base: String) -> String? {
    if absolute == base { return "." }
    let prefix = base == "/" ? "/" : base + "/"
    guard absolute.hasPrefix(prefix) else { return nil }
    return String(absolute.dropFirst(prefix.count))
  }

  /// A relative URI reference for a `/`-separated relative path (RFC 3986: unreserved characters and
  /// sub-delimiters kept, everything else percent-encoded); an absolute path becomes a `file://` URI.
  static func uri(_ path: String) -> String {
    let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/".utf8)
    let hex = Array("0123456789ABCDEF".utf8)
    var bytes: [UInt8] = []
    for (index, byte) in path.utf8.enumerated() {
      // A colon in the first segment of a relative reference would read as a scheme.
      if byte == UInt8(ascii: ":") && !path.hasPrefix("/") && !path.utf8.prefix(index).contains(UInt8(ascii: "/")) {
        bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
      } else if allowed.contains(byte) {
        bytes.append(byte)
      } else {
        bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
      }
    }
    let encoded = String(decoding: bytes, as: UTF8.self)
    return path.hasPrefix("/") ? "file://" + encoded : encoded
  }
}
