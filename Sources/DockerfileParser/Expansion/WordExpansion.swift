/// The outcome of expanding one Dockerfile word (or splitting a text into words) with `WordExpander`.
public struct WordExpansion: Sendable, Hashable {
  /// The expanded text (`ProcessWord`'s result): quotes removed, escapes resolved, variables replaced.
  public var result: [UInt8]
  /// The text split into words after expansion (`ProcessWords`): quoted white space does not split.
  public var words: [[UInt8]]
  /// For every word, the input range it came from (a word produced by a variable expansion gets the
  /// range of the whole `$…` construct).
  public var wordRanges: [Range<Int>]
  /// Variables that were looked up and found, sorted.
  public var resolvedVariables: [String]
  /// Variables that were looked up and not found, sorted.
  public var unresolvedVariables: [String]
  /// BuildKit's error text when the word cannot be processed (unterminated quote, bad substitution,
  /// `${VAR?message}` on an unset variable, …); the other fields are then empty.
  public var error: String?

  /// `result` decoded as UTF-8.
  public var text: String { String(decoding: result, as: UTF8.self) }
  /// `words` decoded as UTF-8.
  public var wordTexts: [String] { words.map { String(decoding: $0, as: UTF8.self) } }
}
