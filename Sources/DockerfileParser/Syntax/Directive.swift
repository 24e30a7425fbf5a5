/// A parser directive at the top of a Dockerfile: `# syntax=docker/dockerfile:1`, `# escape=\``,
/// `# check=skip=JSONArgsRecommended`.
///
/// BuildKit accepts them only before any instruction, comment that is not a directive, or blank line;
/// keys are case-insensitive and each may appear once.
public struct Directive: Sendable, Hashable {
  /// The key, lowercased (`syntax`, `escape` or `check`).
  public var name: String
  /// The value with surrounding white space removed.
  public var value: String
  /// The whole directive line without its newline.
  public var range: SourceRange
  /// The key as written.
  public var nameRange: SourceRange
  /// The value as written.
  public var valueRange: SourceRange

  public init(name: String, value: String, range: SourceRange, nameRange: SourceRange, valueRange: SourceRange) {
    self.name = name
    self.value = value
    self.range = range
    self.nameRange = nameRange
    self.valueRange = valueRange
  }
}
