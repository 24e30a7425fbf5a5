/// Reads what a malformed exec-form array was meant to say (single quotes, a trailing comma, lone
/// backslashes) so DA103 can rewrite it as valid JSON. Returns nil when the intent is not clear.
public enum LenientJSONArray {
  public static func parse(_ bytes: [UInt8]) -> [String]? {
    var index = 0
    func skipSpace() { while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 } }
    skipSpace()
    guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
    index += 1
    var result: [String] = []
    while true {
      skipSpace()
      guard index < bytes.count else { return nil }
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        break
      }
      let quote = bytes[index]
      guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
      index += 1
      var value: [UInt8] = []
      var closed = false
      while index < bytes.count {
        let byte = bytes[index]
        if byte == quote {
          closed = true
          index += 1
          break
        }
        if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
          let next = bytes[index + 1]
          switch next {
          case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"), UInt8(ascii: "/"):
            value.append(next)
            index += 2
            continue
          case UInt8(ascii: "n"): value.append(0x0A); index += 2; continue
          case UInt8(ascii: "t"): value.append(0x09); index += 2; continue
          default:
            // A lone backslash (a Windows path): keep it as written.
            value.append(byte)
            index += 1
            continue
          }
        }
        value.append(byte)
        index += 1
      }
      guard closed else { return nil }
      result.append(String(decoding: value, as: UTF8.self))
      skipSpace()
      guard index < bytes.count else { return nil }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        break
      }
      return nil
    }
    skipSpace()
    return index == bytes.count && !result.isEmpty ? result : nil
  }

  /// A short description of what makes the text invalid JSON, for the message.
  public static func problem(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    if text.contains("'") && !text.contains("\"") { return "JSON strings need double quotes" }
    if text.replacing(" ", with: "").replacing("\t", with: "").contains(",]") { return "a trailing comma is not allowed" }
    if !text.trimmed(in: " \t\r\n").hasSuffix("]") { return "the closing ] is missing" }
    if text.contains("\\") { return "a backslash must be escaped as \\\\" }
    return "it does not parse as a JSON array of strings"
  }
}
