/// One `--name[=value]` flag of an instruction (`COPY --from=build`, `RUN --mount=type=cache,…`).
public struct Flag: Sendable, Hashable {
  /// The flag as BuildKit's `extractBuilderFlags` returns it (`--from=build`): quotes removed, escapes
  /// resolved, and, like BuildKit, every non-ASCII byte widened as if it were Latin-1.
  public var bytes: [UInt8]
  /// The name without the leading `--` (`from`), as BuildKit matches it (case-sensitively).
  public var name: String
  /// The text after the first `=`, or nil for a bare `--link`.
  public var value: String?
  /// The flag as written, from the first `-` to its end.
  public var range: SourceRange
  /// The name as written, without the leading `--`.
  public var nameRange: SourceRange
  /// The value as written after `=` (quotes included), or nil.
  public var valueRange: SourceRange?

  public init(bytes: [UInt8], name: String, value: String?, range: SourceRange, nameRange: SourceRange, valueRange: SourceRange?) {
    self.bytes = bytes
    self.name = name
    self.value = value
    self.range = range
    self.nameRange = nameRange
    self.valueRange = valueRange
  }

  /// The flag text as BuildKit reports it (`--from=build`).
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  /// BuildKit's reading of a boolean flag: nil if the value is not a boolean, true for a bare flag.
  public var boolValue: Bool? {
    guard let value else { return true }
    switch value.lowercased() {
    case "true": return true
    case "false": return false
    default: return nil
    }
  }
}

extension Array where Element == Flag {
  /// The first flag called `name` (without `--`), or nil.
  public func first(named name: String) -> Flag? { first { $0.name == name } }
  /// Every flag called `name`, in order (`--mount` and `--exclude` may repeat).
  public func all(named name: String) -> [Flag] { filter { $0.name == name } }
}
