/// Substring tests on UTF-8 bytes. `String.contains(_:)` with a string argument goes through
/// grapheme-aware `firstRange(of:)`, which showed up at 7% of lint time on large RUN instructions;
/// the texts searched here are ASCII needles in UTF-8 haystacks, where a byte search gives the same answer.
enum ByteSearch {
  /// Whether `needle` occurs in `haystack`.
  static func contains(_ haystack: String, _ needle: String) -> Bool {
    var haystack = haystack
    var needle = needle
    return haystack.withUTF8 { text in needle.withUTF8 { pattern in contains(text, pattern) } }
  }

  static func contains(_ text: UnsafeBufferPointer<UInt8>, _ pattern: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = pattern.first else { return true }
    guard text.count >= pattern.count else { return false }
    var index = 0
    let last = text.count - pattern.count
    while index <= last {
      if text[index] == first {
        var matched = 1
        while matched < pattern.count && text[index + matched] == pattern[matched] { matched += 1 }
        if matched == pattern.count { return true }
      }
      index += 1
    }
    return false
  }
}
