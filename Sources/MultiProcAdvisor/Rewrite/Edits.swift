import DockerfileParser

/// Small, exact text edits the fixes are made of: words added to or removed from a command (shell words
/// or exec-form JSON elements), lines inserted before an instruction, exec form written out.
public enum Edits {
  /// A JSON string literal for `value`, escaped as Go's encoder and BuildKit accept it.
  public static func jsonString(_ value: String) -> String {
    var result = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }

  /// An exec-form array as BuildKit's documentation writes it: `["a", "b"]`.
  public static func jsonArray(_ argv: [String]) -> String {
    "[" + argv.map(jsonString).joined(separator: ", ") + "]"
  }

  /// The word `value` written for a command of the given kind.
  static func word(_ value: String, json: Bool, isCommandName: Bool = false) -> String {
    json ? jsonString(value) : ShellQuoting.quote(value, isCommandName: isCommandName)
  }

  /// Inserts `words` right after the word at `location`.
  public static func insert(_ words: [String], after location: FileRange, json: Bool) -> TextEdit {
    let text = words.map { (json ? ", " : " ") + word($0, json: json) }.joined()
    return TextEdit.insert(text, at: location.range.end, in: location.file.path)
  }

  /// Inserts `words` right before the word at `location`.
  public static func insert(_ words: [String], before location: FileRange, json: Bool, firstIsCommandName: Bool = false) -> TextEdit {
    let text = words.enumerated().map { word($0.element, json: json, isCommandName: firstIsCommandName && $0.offset == 0) + (json ? ", " : " ") }.joined()
    return TextEdit.insert(text, at: location.range.start, in: location.file.path)
  }

  /// Removes the word at `location` and the separator before it (or after it, for the first word).
  public static func remove(_ location: FileRange, json: Bool) -> TextEdit {
    let bytes = location.file.bytes
    var start = location.range.start
    var end = location.range.end
    var cursor = start
    while cursor > 0, bytes[cursor - 1] == 0x20 || bytes[cursor - 1] == 0x09 || (json && bytes[cursor - 1] == UInt8(ascii: ",")) {
      cursor -= 1
    }
    if json ? (cursor < start && bytes[cursor..<start].contains(UInt8(ascii: ","))) : cursor < start {
      start = cursor
    } else {
      while end < bytes.count, bytes[end] == 0x20 || bytes[end] == 0x09 || (json && bytes[end] == UInt8(ascii: ",")) { end += 1 }
    }
    return TextEdit.remove(SourceRange(start: start, end: end), in: location.file.path)
  }

  /// Replaces the word at `location` by `value`.
  public static func replace(_ location: FileRange, with value: String, json: Bool, isCommandName: Bool = false) -> TextEdit {
    TextEdit.replace(location.range, with: word(value, json: json, isCommandName: isCommandName), in: location.file.path)
  }

  /// One step of turning a command's words into others.
  enum TransformStep {
    case insertBefore(FileRange, [String], commandName: Bool)
    case insertAfter(FileRange, [String])
    case replace(FileRange, String, commandName: Bool)
    case remove(FileRange)
  }

  /// Edits that turn `command`'s literal argv into `target`, word by word (a longest common subsequence
  /// keeps every unchanged word where it is). Nil when a word of the command is not a literal.
  public static func transform(_ command: CommandReference, to target: [String]) -> [TextEdit]? {
    let json = command.wordsAreJSON
    return transformSteps(command, to: target)?.map { step in
      switch step {
      case .insertBefore(let location, let words, let commandName): insert(words, before: location, json: json, firstIsCommandName: commandName)
      case .insertAfter(let location, let words): insert(words, after: location, json: json)
      case .replace(let location, let value, let commandName): replace(location, with: value, json: json, isCommandName: commandName)
      case .remove(let location): remove(location, json: json)
      }
    }
  }

  /// The word steps of `transform`.
  static func transformSteps(_ command: CommandReference, to target: [String]) -> [TransformStep]? {
    guard let program = command.program, command.arguments.allSatisfy({ $0 != nil }) else { return nil }
    let source = [program] + command.arguments.compactMap { $0 }
    let locations = command.wordLocations
    guard locations.count == source.count else { return nil }
    // LCS table.
    let n = source.count
    let m = target.count
    var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
    for i in stride(from: n - 1, through: 0, by: -1) {
      for j in stride(from: m - 1, through: 0, by: -1) {
        table[i][j] = source[i] == target[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
      }
    }
    var steps: [TransformStep] = []
    var i = 0
    var j = 0
    var pendingInsert: [String] = []
    func flush(beforeSourceIndex index: Int) {
      guard !pendingInsert.isEmpty else { return }
      if index == 0 && index < n {
        steps.append(.insertBefore(locations[0], pendingInsert, commandName: true))
      } else {
        steps.append(.insertAfter(locations[min(index, n) - 1], pendingInsert))
      }
      pendingInsert = []
    }
    while i < n || j < m {
      if i < n, j < m, source[i] == target[j] {
        flush(beforeSourceIndex: i)
        i += 1
        j += 1
      } else if j < m, i == n || table[i][j + 1] >= table[i + 1][j] {
        pendingInsert.append(target[j])
        j += 1
      } else {
        if i == 0 && !pendingInsert.isEmpty {
          // Replacing the program word itself.
          steps.append(.replace(locations[0], pendingInsert.removeFirst(), commandName: true))
          flush(beforeSourceIndex: 1)
        } else {
          steps.append(.remove(locations[i]))
        }
        i += 1
      }
    }
    flush(beforeSourceIndex: n)
    return steps
  }

  /// The line-ending style of a file (`\r\n` when its first line ends so).
  public static func newline(of file: SourceFile) -> String {
    if let lf = file.bytes.firstIndex(of: 0x0A), lf > 0, file.bytes[lf - 1] == 0x0D { return "\r\n" }
    return "\n"
  }

  /// Inserts a whole line (`text` without its newline) before the line holding `location`.
  public static func insertLine(_ text: String, before location: FileRange) -> TextEdit {
    let file = location.file
    let lineStart = file.lineStarts[file.lineIndex(of: location.range.start)]
    return TextEdit.insert(text + newline(of: file), at: lineStart, in: file.path)
  }

  /// Inserts a whole line after the line (or lines) of `location`.
  public static func insertLine(_ text: String, after location: FileRange) -> TextEdit {
    let file = location.file
    let lastLine = file.lineIndex(of: max(location.range.start, location.range.end - 1))
    if lastLine + 1 < file.lineStarts.count {
      return TextEdit.insert(text + newline(of: file), at: file.lineStarts[lastLine + 1], in: file.path)
    }
    // The last line has no newline: add one before the new line.
    return TextEdit.insert(newline(of: file) + text + newline(of: file), at: file.bytes.count, in: file.path)
  }

  /// The indentation (spaces and tabs) of the line holding `location`.
  public static func indentation(of location: FileRange) -> String {
    let file = location.file
    var index = file.lineStarts[file.lineIndex(of: location.range.start)]
    var result = ""
    while index < file.bytes.count, file.bytes[index] == 0x20 || file.bytes[index] == 0x09 {
      result.append(Character(Unicode.Scalar(file.bytes[index])))
      index += 1
    }
    return result
  }
}
