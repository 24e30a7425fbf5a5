/// Quoting of arguments for generated POSIX sh and bash code.
public enum ShellQuoting {
  /// Bytes that never need quoting in a word (and are not special anywhere in a command line).
  private static func isPlain(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: ","),
      UInt8(ascii: "+"), UInt8(ascii: "@"), UInt8(ascii: "%"):
      return true
    default:
      return false
    }
  }

  /// `argument` as one shell word that evaluates to exactly its bytes: unchanged when it is plain,
  /// otherwise in single quotes with each `'` written as `'\''`. Newlines are kept literally inside the
  /// quotes (valid in scripts; see `isSingleLine` for one-line formats).
  /// `=` is plain except in a command's first word, where `a=b` would be an assignment; pass
  /// `isCommandName: true` for that word.
  public static func quote(_ argument: String, isCommandName: Bool = false) -> String {
    let bytes = Array(argument.utf8)
    // A leading "~" would be special; it is not in the plain set, so plain words stay as written.
    if !bytes.isEmpty && bytes.allSatisfy({ isPlain($0) || (!isCommandName && $0 == UInt8(ascii: "=")) }) { return argument }
    var result = "'"
    for character in argument.unicodeScalars {
      if character == "'" { result += "'\\''" } else { result.unicodeScalars.append(character) }
    }
    return result + "'"
  }

  /// The words of `argv`, each quoted, joined by spaces.
  public static func join(_ argv: [String]) -> String {
    argv.enumerated().map { quote($0.element, isCommandName: $0.offset == 0) }.joined(separator: " ")
  }

  /// Whether every argument can be written on a single line (none contains a newline or carriage return).
  public static func isSingleLine(_ argv: [String]) -> Bool {
    !argv.contains { $0.utf8.contains(0x0A) || $0.utf8.contains(0x0D) }
  }
}
