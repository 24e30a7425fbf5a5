/// The rules of a `.dockerignore` file: which context paths never reach the build.
///
/// Semantics follow Docker: lines starting with `#` are comments, blank lines are skipped, surrounding
/// whitespace is trimmed, a leading `/` is dropped, `!` re-includes, the last matching pattern wins, and
/// a pattern that matches a directory excludes everything under it.
public struct DockerIgnore: Sendable {
  private struct Entry: Sendable {
    var pattern: GlobPattern
    var exclusion: Bool
  }

  private let entries: [Entry]

  public init(text: String) {
    var entries: [Entry] = []
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      var line = rawLine.trimmed(in: " \t\r")
      if line.hasPrefix("#") || line.isEmpty { continue }
      var exclusion = false
      if line.hasPrefix("!") {
        exclusion = true
        line = String(line.dropFirst()).trimmed(in: " \t")
      }
      let cleaned = Self.clean(line)
      if cleaned.isEmpty || cleaned == "." { continue }
      entries.append(Entry(pattern: GlobPattern(cleaned), exclusion: exclusion))
    }
    self.entries = entries
  }

  public static let empty = DockerIgnore(text: "")

  public var isEmpty: Bool { entries.isEmpty }

  /// Whether `path` (relative to the context root) is left out of the build context.
  public func excludes(_ path: String) -> Bool {
    let cleaned = Self.clean(path)
    var excluded = false
    for entry in entries where entry.pattern.matchesOrParentMatches(cleaned) {
      excluded = !entry.exclusion
    }
    return excluded
  }

  /// `filepath.Clean` without the leading slash: resolves `.` and `..`, collapses slashes.
  public static func clean(_ path: String) -> String {
    if isClean(path) { return path }
    // An absolute path that is otherwise clean (`/etc/s6-overlay/s6-rc.d`): drop the leading slashes.
    if path.utf8.first == UInt8(ascii: "/"), let first = path.utf8.firstIndex(where: { $0 != UInt8(ascii: "/") }) {
      let rest = String(path[first...])
      if isClean(rest) { return rest }
    }
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == ".." {
        if !parts.isEmpty { parts.removeLast() }
        continue
      }
      parts.append(part)
    }
    return parts.joined(separator: "/")
  }
}

extension DockerIgnore {
  /// Whether `clean` would return `path` unchanged: no empty, `.` or `..` component and no leading or
  /// trailing slash (the common case, checked without allocating).
  static func isClean(_ path: String) -> Bool {
    var componentLength = 0
    var dots = 0
    for byte in path.utf8 {
      if byte == UInt8(ascii: "/") {
        if componentLength == 0 || componentLength == dots && dots <= 2 { return false }
        componentLength = 0
        dots = 0
        continue
      }
      componentLength += 1
      if byte == UInt8(ascii: ".") { dots += 1 }
    }
    return componentLength > 0 && !(componentLength == dots && dots <= 2)
  }
}

extension StringProtocol {
  /// The string without leading and trailing characters from `set`.
  func trimmed(in set: String) -> String {
    let text = Substring(self)
    // ASCII sets (all callers): trim bytes, which are never part of a multi-byte scalar.
    if set.utf8.allSatisfy({ $0 < 0x80 }) {
      let bytes = text.utf8
      var start = bytes.startIndex
      var end = bytes.endIndex
      while start < end, set.utf8.contains(bytes[start]) { start = bytes.index(after: start) }
      while end > start {
        let before = bytes.index(before: end)
        guard set.utf8.contains(bytes[before]) else { break }
        end = before
      }
      return String(text[start..<end])
    }
    let scalars = Set(set.unicodeScalars)
    var view = Substring(self).unicodeScalars[...]
    while let first = view.first, scalars.contains(first) { view = view.dropFirst() }
    while let last = view.last, scalars.contains(last) { view = view.dropLast() }
    return String(String.UnicodeScalarView(view))
  }
}
