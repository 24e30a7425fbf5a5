import MultiProcAdvisor

/// ANSI styling for people at a terminal; a no-op when colour is off.
struct Terminal: Sendable {
  /// A text style.
  enum Style: String {
    case bold = "1"
    case dim = "2"
    case red = "1;31"
    case yellow = "1;33"
    case blue = "1;34"
    case magenta = "1;35"
    case cyan = "1;36"
    case green = "1;32"
  }

  var color: Bool

  func paint(_ text: String, _ style: Style) -> String {
    color && !text.isEmpty ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
  }

  /// The style of a severity's label.
  static func style(of severity: Severity) -> Style {
    switch severity {
    case .error: .red
    case .warning: .yellow
    case .info: .cyan
    case .style: .magenta
    }
  }

  /// When to colour: `--color auto|always|never`, `--no-color`, `NO_COLOR` (any non-empty value,
  /// no-color.org) and whether standard output is a terminal.
  static func colorEnabled(mode: String?, noColorFlag: Bool, environment: [String: String], isTerminal: Bool) -> Bool {
    if noColorFlag || mode == "never" { return false }
    if mode == "always" { return true }
    if let value = environment["NO_COLOR"], !value.isEmpty { return false }
    if environment["TERM"] == "dumb" { return false }
    return isTerminal
  }

  /// `text` safe to print: control characters (other than tab) that could move the cursor or change
  /// the terminal's state are shown as U+FFFD.
  static func sanitized(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || ($0.value >= 0x7F && $0.value < 0xA0) }) else {
      return text
    }
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if (scalar.value < 0x20 && scalar != "\t") || (scalar.value >= 0x7F && scalar.value < 0xA0) {
        result.append("\u{FFFD}")
      } else {
        result.append(scalar)
      }
    }
    return String(result)
  }
}
