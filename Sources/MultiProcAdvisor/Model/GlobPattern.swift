/// A path pattern with Go `filepath.Match` semantics per path component (`*`, `?`, `[a-z]`, `[^x]`,
/// `\` escapes), plus `**` as a whole component matching any number of components (as `.dockerignore`
/// patterns and supervisord/COPY globs are written).
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
  public let pattern: String
  private let components: [[UInt8]]
  /// False when the pattern is malformed (an unterminated `[`): it then matches nothing, as Go reports
  /// `ErrBadPattern`.
  public let isValid: Bool

  public init(_ pattern: String) {
    self.pattern = pattern
    let parts = pattern.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
    self.components = parts
    self.isValid = parts.allSatisfy { Self.isWellFormed($0) }
  }

  public var description: String { pattern }

  /// Whether the pattern has any wildcard at all.
  public var hasWildcards: Bool {
    pattern.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
  }

  /// Matches a `/`-separated path (leading and duplicate slashes ignored).
  public func matches(_ path: String) -> Bool {
    guard isValid else { return false }
    let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
    return Self.match(components[...], parts[...])
  }

  /// Matches `path` or any of its parent directories (how `.dockerignore` excludes a directory's contents).
  public func matchesOrParentMatches(_ path: String) -> Bool {
    guard isValid else { return false }
    let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
    guard !parts.isEmpty else { return false }
    for count in 1...parts.count where Self.match(components[...], parts[..<count]) { return true }
    return false
  }

  private static let doubleStar: [UInt8] = Array("**".utf8)

  private static func match(_ pattern: ArraySlice<[UInt8]>, _ path: ArraySlice<[UInt8]>) -> Bool {
    // Iterative over components with one backtrack point per `**` (the last one seen), like `*` in a string.
    var p = pattern.startIndex
    var s = path.startIndex
    var starP: Int? = nil
    var starS = 0
    while s < path.endIndex {
      if p < pattern.endIndex, pattern[p] == doubleStar {
        starP = p
        starS = s
        p += 1
      } else if p < pattern.endIndex, matchComponent(pattern[p], path[s]) {
        p += 1
        s += 1
      } else if let star = starP {
        p = star + 1
        starS += 1
        s = starS
      } else {
        return false
      }
    }
    while p < pattern.endIndex, pattern[p] == doubleStar { p += 1 }
    return p == pattern.endIndex
  }

  /// `filepath.Match` for one component (no `/` inside either side).
  static func matchComponent(_ pattern: [UInt8], _ name: [UInt8]) -> Bool {
    var p = 0
    var n = 0
    var starP = -1
    var starN = 0
    while n < name.count {
      if p < pattern.count {
        switch pattern[p] {
        case UInt8(ascii: "*"):
          starP = p
          starN = n
          p += 1
          continue
        case UInt8(ascii: "?"):
          p += 1
          n += Self.scalarLength(name, n)
          continue
        case UInt8(ascii: "["):
          if let (matched, next) = matchClass(pattern, p, name, n), matched {
            p = next
            n += Self.scalarLength(name, n)
            continue
          }
        case UInt8(ascii: "\\"):
          if p + 1 < pattern.count, pattern[p + 1] == name[n] {
            p += 2
            n += 1
            continue
          }
        default:
          if pattern[p] == name[n] {
            p += 1
            n += 1
            continue
          }
        }
      }
      if starP >= 0 {
        p = starP + 1
        starN += 1
        n = starN
        continue
      }
      return false
    }
    while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
    return p == pattern.count
  }

  /// Matches a `[...]` class at `pattern[start]` against the scalar at `name[n]`; returns the match and
  /// the index after the class, or nil when the class is unterminated.
  private static func matchClass(_ pattern: [UInt8], _ start: Int, _ name: [UInt8], _ n: Int) -> (Bool, Int)? {
    var p = start + 1
    var negated = false
    if p < pattern.count, pattern[p] == UInt8(ascii: "^") {
      negated = true
      p += 1
    }
    let (c, _) = decode(name, n)
    var matched = false
    var first = true
    while p < pattern.count {
      if pattern[p] == UInt8(ascii: "]"), !first { return (matched != negated, p + 1) }
      first = false
      var (lo, loLength) = decode(pattern, p)
      if pattern[p] == UInt8(ascii: "\\"), p + 1 < pattern.count {
        (lo, loLength) = decode(pattern, p + 1)
        loLength += 1
      }
      p += loLength
      var hi = lo
      if p + 1 < pattern.count, pattern[p] == UInt8(ascii: "-"), pattern[p + 1] != UInt8(ascii: "]") {
        var (h, hLength) = decode(pattern, p + 1)
        if pattern[p + 1] == UInt8(ascii: "\\"), p + 2 < pattern.count {
          (h, hLength) = decode(pattern, p + 2)
          hLength += 1
        }
        hi = h
        p += 1 + hLength
      }
      if lo <= c && c <= hi { matched = true }
    }
    return nil
  }

  private static func isWellFormed(_ component: [UInt8]) -> Bool {
    var index = 0
    while index < component.count {
      switch component[index] {
      case UInt8(ascii: "\\"):
        if index + 1 >= component.count { return false }
        index += 2
      case UInt8(ascii: "["):
        guard let (_, next) = matchClass(component, index, [0], 0) else { return false }
        index = next
      default:
        index += 1
      }
    }
    return true
  }

  private static func scalarLength(_ bytes: [UInt8], _ index: Int) -> Int { decode(bytes, index).1 }

  /// Decodes one UTF-8 scalar (an invalid byte decodes as itself, length 1).
  private static func decode(_ bytes: [UInt8], _ index: Int) -> (UInt32, Int) {
    guard index < bytes.count else { return (0, 1) }
    let lead = bytes[index]
    let length: Int
    var value: UInt32
    switch lead {
    case 0x00...0x7F: return (UInt32(lead), 1)
    case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
    case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
    case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
    default: return (UInt32(lead), 1)
    }
    guard index + length <= bytes.count else { return (UInt32(lead), 1) }
    for offset in 1..<length {
      let byte = bytes[index + offset]
      guard byte & 0xC0 == 0x80 else { return (UInt32(lead), 1) }
      value = value << 6 | UInt32(byte & 0x3F)
    }
    return (value, length)
  }
}
