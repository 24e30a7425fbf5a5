/// One element of BuildKit's `value` list for an instruction, with the range it was read from.
///
/// The bytes are BuildKit's string: for exec form the decoded JSON string, for `ENV`/`LABEL`/`ARG` the
/// word with its quotes kept, for other instructions the text as written (continuations removed).
public struct ArgumentWord: Sendable, Hashable {
  public var bytes: [UInt8]
  /// Where the word was read from: the whole JSON string (quotes included) for exec form, the word as
  /// written otherwise. A range spanning a removed line continuation covers it.
  public var range: SourceRange

  public init(bytes: [UInt8], range: SourceRange) {
    self.bytes = bytes
    self.range = range
  }

  /// The bytes decoded as UTF-8 (invalid bytes become U+FFFD).
  public var text: String { String(decoding: bytes, as: UTF8.self) }
}
