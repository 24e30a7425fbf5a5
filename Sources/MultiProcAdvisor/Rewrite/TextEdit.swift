import DockerfileParser

/// A replacement of a byte range in the original bytes of one file. An empty range inserts.
public struct TextEdit: Sendable, Hashable, CustomDebugStringConvertible {
  /// The file the edit applies to, as the finding's `SourceFile.path` names it.
  public var path: String
  public var range: SourceRange
  public var replacement: [UInt8]

  public init(path: String, range: SourceRange, replacement: [UInt8]) {
    self.path = path
    self.range = range
    self.replacement = replacement
  }

  public init(path: String, range: SourceRange, replacement: String) {
    self.init(path: path, range: range, replacement: Array(replacement.utf8))
  }

  public static func insert(_ text: String, at offset: Int, in path: String) -> TextEdit {
    TextEdit(path: path, range: .empty(at: offset), replacement: text)
  }

  public static func replace(_ range: SourceRange, with text: String, in path: String) -> TextEdit {
    TextEdit(path: path, range: range, replacement: text)
  }

  public static func remove(_ range: SourceRange, in path: String) -> TextEdit {
    TextEdit(path: path, range: range, replacement: [])
  }

  public var debugDescription: String {
    "\(path):\(range.start)-\(range.end) \"\(String(decoding: replacement, as: UTF8.self))\""
  }
}
