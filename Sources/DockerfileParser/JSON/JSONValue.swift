/// A parsed JSON document: every value keeps its byte range in the input.
///
/// Values are stored flat (in pre-order), so a deeply nested document costs no recursion to build,
/// walk or free. `JSONValue` is a cheap handle to one value of the document.
public struct JSONValue: Sendable {
  /// The kind of a JSON value.
  public enum Kind: UInt8, Sendable, Hashable {
    case object, array, string, number, bool, null
  }

  let document: JSONDocument
  let index: Int

  init(document: JSONDocument, index: Int) {
    self.document = document
    self.index = index
  }

  var node: JSONDocument.Node { document.nodes[index] }

  /// What this value is.
  public var kind: Kind { node.kind }

  /// The value's bytes in the input, quotes and brackets included.
  public var range: SourceRange { SourceRange(start: node.start, end: node.end) }

  /// For a string, the range between its quotes; otherwise `range`.
  public var contentRange: SourceRange {
    node.kind == .string ? SourceRange(start: node.start + 1, end: Swift.max(node.start + 1, node.end - 1)) : range
  }

  /// The decoded bytes of a string (escapes resolved, invalid UTF-8 replaced by U+FFFD as Go does).
  public var stringBytes: [UInt8]? {
    guard node.kind == .string else { return nil }
    return Array(document.strings[node.payloadStart..<node.payloadStart + node.payloadCount])
  }

  /// The decoded value of a string.
  public var string: String? { stringBytes.map { String(decoding: $0, as: UTF8.self) } }

  /// The literal text of a number, exactly as written.
  public var numberText: String? {
    guard node.kind == .number else { return nil }
    return String(decoding: document.input[node.start..<node.end], as: UTF8.self)
  }

  /// A number as a `Double` (infinite when it overflows, as Go's `strconv.ParseFloat` reports a range error).
  public var number: Double? { numberText.flatMap { Double($0) } }

  /// True when the number cannot be represented as a finite `Double` (Go's `json.Unmarshal` into `any`
  /// then fails with a type error).
  public var numberOverflows: Bool { number.map { $0.isInfinite } ?? false }

  /// The value of `true` or `false`.
  public var bool: Bool? { node.kind == .bool ? node.payloadCount != 0 : nil }

  /// True for `null`.
  public var isNull: Bool { node.kind == .null }

  /// The number of elements of an array or members of an object; 0 for other values.
  public var count: Int { node.childCount / (node.kind == .object ? 2 : 1) }

  /// The elements of an array (empty for other values).
  public var elements: [JSONValue] {
    guard node.kind == .array else { return [] }
    return children()
  }

  /// The members of an object in the order written (empty for other values).
  public var members: [JSONMember] {
    guard node.kind == .object else { return [] }
    let all = children()
    var result: [JSONMember] = []
    result.reserveCapacity(all.count / 2)
    var position = 0
    while position + 1 < all.count {
      result.append(JSONMember(key: all[position], value: all[position + 1]))
      position += 2
    }
    return result
  }

  /// The value of the last member named `key` (the one Go's decoder keeps), or nil.
  public subscript(key: String) -> JSONValue? {
    let wanted = Array(key.utf8)
    var found: JSONValue?
    for member in members where member.key.stringBytes == wanted { found = member.value }
    return found
  }

  /// The element at `position` of an array, or nil.
  public subscript(position: Int) -> JSONValue? {
    let all = elements
    return position >= 0 && position < all.count ? all[position] : nil
  }

  /// Every value of the document below and including this one, in document order.
  public var descendants: [JSONValue] {
    (index..<node.subtreeEnd).map { JSONValue(document: document, index: $0) }
  }

  private func children() -> [JSONValue] {
    var result: [JSONValue] = []
    result.reserveCapacity(node.childCount)
    var child = index + 1
    let end = node.subtreeEnd
    while child < end {
      result.append(JSONValue(document: document, index: child))
      child = document.nodes[child].subtreeEnd
    }
    return result
  }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Sendable {
  /// The key (a string value, with its range).
  public var key: JSONValue
  /// The member's value.
  public var value: JSONValue
}

/// Why JSON input was rejected, and where.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Offset of the offending byte in the input (the input's end for a truncated document).
  public var offset: Int
  /// What was wrong, in the words Go's `encoding/json` uses (e.g. "invalid character 'x' after array element").
  public var message: String

  public init(offset: Int, message: String) {
    self.offset = offset
    self.message = message
  }

  public var description: String { "\(message) (at byte \(offset))" }
}

/// The flat storage behind `JSONValue`.
final class JSONDocument: Sendable {
  struct Node: Sendable {
    var kind: JSONValue.Kind
    var start: Int
    var end: Int
    /// Index one past this node's last descendant.
    var subtreeEnd: Int
    /// Direct children (keys and values for objects).
    var childCount: Int
    /// Strings: offset of the decoded bytes in `strings`; bools: unused.
    var payloadStart: Int
    /// Strings: decoded length; bools: 1 for true, 0 for false.
    var payloadCount: Int
  }

  let input: [UInt8]
  let nodes: [Node]
  let strings: [UInt8]

  init(input: [UInt8], nodes: [Node], strings: [UInt8]) {
    self.input = input
    self.nodes = nodes
    self.strings = strings
  }
}
