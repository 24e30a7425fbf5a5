import MultiProcAdvisor

/// A hand-written command-line scanner shared by the commands: `--name value`, `--name=value`, short
/// aliases (`-f value`), flags without a value, `--` to end options and `-` as an operand (stdin).
/// Options keep their order, so a command can pair `--output` with the `--format` before it.
struct Arguments {
  /// One option a command accepts.
  struct Option: Sendable {
    /// The long name, with its dashes (`--format`): what `Occurrence.name` reports.
    var name: String
    /// Other spellings (`-f`).
    var aliases: [String]
    /// The placeholder in messages (`FORMAT`); nil for a flag without a value.
    var value: String?

    init(_ name: String, _ aliases: String..., value: String? = nil) {
      self.name = name
      self.aliases = aliases
      self.value = value
    }

    /// A flag that takes no value.
    static func flag(_ name: String, _ aliases: String...) -> Option {
      var option = Option(name)
      option.aliases = aliases
      return option
    }
  }

  /// One option as given: its long name and its value (nil for a flag).
  struct Occurrence: Equatable, Sendable {
    var name: String
    var value: String?
  }

  /// Why the arguments cannot be used; `description` is the message to print after the command's name.
  struct Problem: Error, Equatable, CustomStringConvertible {
    var description: String
  }

  var occurrences: [Occurrence] = []
  var operands: [String] = []

  /// Scans `arguments` against the options a command accepts.
  static func scan(_ arguments: [String], options: [Option]) -> Result<Arguments, Problem> {
    var byName: [String: Option] = [:]
    for option in options {
      byName[option.name] = option
      for alias in option.aliases { byName[alias] = option }
    }
    var result = Arguments()
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if argument == "--" {
        result.operands.append(contentsOf: arguments[index...])
        break
      }
      guard argument.hasPrefix("-"), argument != "-" else {
        result.operands.append(argument)
        continue
      }
      var name = argument
      var inlineValue: String?
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        inlineValue = String(argument[argument.index(after: equals)...])
      }
      guard let option = byName[name] else {
        let suggestion = suggest(name, among: options.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
        return .failure(Problem(description: "unknown option '\(name)'\(suggestion)"))
      }
      if let placeholder = option.value {
        if let inlineValue {
          result.occurrences.append(Occurrence(name: option.name, value: inlineValue))
        } else if index < arguments.count {
          result.occurrences.append(Occurrence(name: option.name, value: arguments[index]))
          index += 1
        } else {
          return .failure(Problem(description: "\(name) needs a value (\(name) \(placeholder))"))
        }
      } else {
        if inlineValue != nil { return .failure(Problem(description: "\(option.name) takes no value")) }
        result.occurrences.append(Occurrence(name: option.name, value: nil))
      }
    }
    return .success(result)
  }

  /// Whether the flag was given.
  func has(_ name: String) -> Bool { occurrences.contains { $0.name == name } }

  /// Every value given for `name`, in order.
  func values(_ name: String) -> [String] { occurrences.filter { $0.name == name }.compactMap(\.value) }

  /// The last value given for `name` (later options win).
  func last(_ name: String) -> String? { values(name).last }

  /// The value among `choices`, or a problem with a suggestion.
  static func choice(_ value: String, for option: String, among choices: [String]) -> Result<String, Problem> {
    if choices.contains(value) { return .success(value) }
    let suggestion = suggest(value, among: choices).map { " (did you mean '\($0)'?)" } ?? ""
    return .failure(Problem(description: "unknown value '\(value)' for \(option)\(suggestion); expected \(Self.list(choices))"))
  }

  /// The closest candidate by edit distance, or the only one that `word` abbreviates (`warn`).
  static func suggest(_ word: String, among candidates: [String]) -> String? {
    if let close = Suggestion.closest(to: word, among: candidates) { return close }
    let lowered = word.lowercased()
    let prefixed = candidates.filter { lowered.count >= 2 && $0.lowercased().hasPrefix(lowered) }
    return prefixed.count == 1 ? prefixed[0] : nil
  }

  /// `a, b or c`.
  static func list(_ words: [String]) -> String {
    guard words.count > 1 else { return words.first ?? "" }
    return words.dropLast().joined(separator: ", ") + " or " + words.last!
  }
}
