/// What a script's positional parameters are known to hold when it runs (the container's CMD, or a
/// function call's words): used to decide `if [ $# -gt 0 ]`, `[ "$1" = 'redis-server' ]` and
/// `case "$1" in` the way the shell will, and to say what `"$@"` stands for inside a function.
public struct ShellKnownArguments: Sendable, Equatable {
  /// One positional parameter.
  public struct Value: Sendable, Equatable {
    /// Its text; nil when only known at run time.
    public var text: String?
    /// Which of the script's own arguments it is (0 for `$1`), when it is one of them.
    public var origin: Int?
    /// Where the script writes it (a literal word of a function call), when it does.
    public var range: SourceRange?

    public init(text: String?, origin: Int? = nil, range: SourceRange? = nil) {
      self.text = text
      self.origin = origin
      self.range = range
    }
  }

  /// The parameters `$1`, `$2`…; nil when not even their number is known.
  public var values: [Value]?

  public init(values: [Value]?) { self.values = values }

  /// Nothing is known (the default for code whose arguments cannot be seen).
  public static let unknown = ShellKnownArguments(values: nil)

  /// The script's own arguments, each its own origin.
  public static func script(_ texts: [String?]) -> ShellKnownArguments {
    ShellKnownArguments(values: texts.enumerated().map { Value(text: $0.element, origin: $0.offset) })
  }

  /// What a word that is all or one of the positional parameters (`"$@"`, `"$1"`) stands for; nil when
  /// the word is something else or its value is not known.
  public func expansion(of word: ShellWord) -> [Value]? {
    guard let values else { return nil }
    if word.isAllArguments { return Self.isPlainParameter(word) ? values : nil }
    if let index = Self.positionalIndex(word) { return index < values.count ? [values[index]] : [] }
    return nil
  }

  // MARK: - Function calls

  /// The arguments a function sees when called with `words` (`f "$@"`, `f start "$1"`).
  func calling(_ words: ArraySlice<ShellWord>) -> ShellKnownArguments {
    var result: [Value] = []
    for word in words {
      if word.isAllArguments {
        guard let values, Self.isPlainParameter(word) else { return .unknown }
        result += values
      } else if let literal = word.literalValue, !word.hasGlob, !word.hasBraceExpansion, !word.hasTilde {
        result.append(Value(text: literal, range: word.range))
      } else if let index = Self.positionalIndex(word) {
        guard let values else { return .unknown }
        result.append(index < values.count ? values[index] : Value(text: ""))
      } else if word.isQuoted, let text = evaluate(word) {
        result.append(Value(text: text, range: word.range))
      } else {
        // An unquoted expansion may split into any number of words.
        return .unknown
      }
    }
    return ShellKnownArguments(values: result)
  }

  // MARK: - `set --` and `shift`

  /// The parameters after `command` runs, when it changes them: `set -- a "$@"`, `set a b`, `shift`,
  /// `shift 2`. Nil when the command leaves them alone (`set -e`, `set -o pipefail`, anything else).
  public func changed(by command: ShellSimpleCommand) -> ShellKnownArguments? {
    let words = Array(command.words.dropFirst())
    switch command.name {
    case "shift":
      guard let values else { return nil }
      var count = 1
      if let first = words.first {
        guard let text = first.literalValue, let number = Int(text), number >= 0 else { return .unknown }
        count = number
      }
      // `shift N` with fewer parameters fails and changes nothing.
      return count <= values.count ? ShellKnownArguments(values: Array(values.dropFirst(count))) : self
    case "set":
      var index = 0
      while index < words.count {
        guard let text = words[index].literalValue else { return .unknown }
        if text == "--" || text == "-" { return calling(words[(index + 1)...]) }
        guard text.hasPrefix("-") || text.hasPrefix("+") else { return calling(words[index...]) }
        index += text == "-o" || text == "+o" ? 2 : 1
      }
      return nil
    default:
      return nil
    }
  }

  /// Whether `command` is a `shift` or a `set` that replaces the positional parameters.
  public static func changesParameters(_ command: ShellSimpleCommand) -> Bool {
    guard command.name == "shift" || command.name == "set" else { return false }
    return ShellKnownArguments(values: []).changed(by: command) != nil || command.name == "shift"
  }

  /// `"$@"`, `$@`, `"${@}"` without a slice.
  static func isPlainParameter(_ word: ShellWord) -> Bool {
    var inner = word.parts
    if inner.count == 1, case .doubleQuoted(let quoted) = inner[0].kind { inner = quoted }
    guard inner.count == 1, case .parameter(let parameter) = inner[0].kind else { return false }
    return parameter.name == "@" && parameter.operation == nil && parameter.arraySubscript == nil
  }

  /// `"$1"`, `${2}`: the index (0-based) of the one positional parameter the word is.
  static func positionalIndex(_ word: ShellWord) -> Int? {
    var inner = word.parts
    if inner.count == 1, case .doubleQuoted(let quoted) = inner[0].kind { inner = quoted }
    guard inner.count == 1, case .parameter(let parameter) = inner[0].kind, parameter.operation == nil, !parameter.isLength,
      !parameter.isIndirect, let number = Int(parameter.name), number >= 1
    else { return nil }
    // An unquoted `$1` splits, but a CMD word without spaces stays one word; a quoted one always does.
    return number - 1
  }

  // MARK: - Words

  /// The text a word expands to, when it depends only on literals and the known parameters.
  func evaluate(_ word: ShellWord) -> String? { evaluate(word.parts) }

  func evaluate(_ parts: [ShellWordPart]) -> String? {
    var result = ""
    for part in parts {
      switch part.kind {
      case .literal(let text), .escaped(let text), .singleQuoted(let text), .ansiCQuoted(let text):
        result += text
      case .doubleQuoted(let inner), .localeQuoted(let inner):
        guard let text = evaluate(inner) else { return nil }
        result += text
      case .parameter(let parameter):
        guard let text = evaluate(parameter) else { return nil }
        result += text
      default:
        return nil
      }
    }
    return result
  }

  func parameterValue(_ name: String) -> String? {
    guard let values else { return nil }
    if name == "#" { return String(values.count) }
    if name == "@" || name == "*" {
      let texts = values.compactMap(\.text)
      return texts.count == values.count ? texts.joined(separator: " ") : nil
    }
    guard let number = Int(name), number >= 1 else { return nil }
    return number <= values.count ? values[number - 1].text : ""
  }

  func evaluate(_ parameter: ShellParameterExpansion) -> String? {
    guard !parameter.isIndirect, parameter.arraySubscript == nil else { return nil }
    let name = parameter.name
    guard name == "#" || name == "@" || name == "*" || Int(name) != nil else { return nil }
    guard let value = parameterValue(name) else { return nil }
    if parameter.isLength { return parameter.operation == nil ? String(value.count) : nil }
    guard let operation = parameter.operation else { return value }
    let operands = parameter.arguments.map { evaluate($0) }
    switch operation {
    case .useDefault, .useDefaultIfUnset:
      // Only `:-` can be told apart without knowing whether an empty parameter is set.
      if !value.isEmpty { return value }
      guard operation == .useDefault, let fallback = operands.first else { return nil }
      return fallback ?? nil
    case .useAlternative:
      if value.isEmpty { return "" }
      guard let alternative = operands.first else { return nil }
      return alternative ?? nil
    case .substring:
      guard let offsetText = operands.first ?? nil, let offset = Int(offsetText.trimmingSpaces), offset >= 0 else { return nil }
      let characters = Array(value)
      guard offset <= characters.count else { return "" }
      var end = characters.count
      if operands.count > 1 {
        guard let lengthText = operands[1], let length = Int(lengthText.trimmingSpaces), length >= 0 else { return nil }
        end = min(characters.count, offset + length)
      }
      return String(characters[offset..<end])
    case .removeSmallestPrefix, .removeLargestPrefix:
      guard let pattern = operands.first ?? nil, !ShellPatternMatch.hasGlob(pattern) else { return nil }
      return value.hasPrefix(pattern) ? String(value.dropFirst(pattern.count)) : value
    case .removeSmallestSuffix, .removeLargestSuffix:
      guard let pattern = operands.first ?? nil, !ShellPatternMatch.hasGlob(pattern) else { return nil }
      return value.hasSuffix(pattern) ? String(value.dropLast(pattern.count)) : value
    default:
      return nil
    }
  }

  // MARK: - Conditions

  /// Whether an `if`/`elif` condition holds, when the known parameters decide it: `[ $# -gt 0 ]`,
  /// `[ -z "$1" ]`, `[ "$1" = 'redis-server' ]`, `[ "${1#-}" != "$1" ]`, `test`, `[[ … ]]`, `!`, `&&`, `||`.
  func decide(_ condition: ShellList) -> Bool? {
    guard condition.items.count == 1, let item = condition.items.first, !item.isBackground else { return nil }
    var result = decide(item.pipelines[0])
    for (index, op) in item.operators.enumerated() where index + 1 < item.pipelines.count {
      let next = decide(item.pipelines[index + 1])
      switch op {
      case .and:
        if result == false { continue }
        result = result == true ? next : (next == false ? false : nil)
      case .or:
        if result == true { continue }
        result = result == false ? next : (next == true ? true : nil)
      }
    }
    return result
  }

  func decide(_ pipeline: ShellPipeline) -> Bool? {
    guard pipeline.commands.count == 1 else { return nil }
    var result: Bool?
    switch pipeline.commands[0].kind {
    case .simple(let simple):
      guard simple.assignments.isEmpty, let name = simple.name else { return nil }
      var words = Array(simple.words.dropFirst())
      switch name {
      case "[":
        guard words.last?.literalValue == "]" else { return nil }
        words.removeLast()
        result = test(words, extended: false)
      case "test": result = test(words, extended: false)
      case "true", ":": result = true
      case "false": result = false
      default: return nil
      }
    case .conditional(let expression):
      var words = expression.words
      if words.first?.literalValue == "[[" { words.removeFirst() }
      if words.last?.literalValue == "]]" { words.removeLast() }
      result = test(words, extended: true)
    case .braceGroup(let list):
      result = decide(list)
    default:
      return nil
    }
    return pipeline.isNegated ? result.map(!) : result
  }

  /// `test` with 0–4 operands (POSIX's rules by argument count); `extended` for `[[`, whose `==`/`!=`
  /// right side is a pattern and whose operands do not split.
  func test(_ words: [ShellWord], extended: Bool) -> Bool? {
    // An unquoted expansion in `[` may split or vanish: only quoted ones, `$#`, and literals are safe.
    for word in words where !extended && word.literalValue == nil && !word.isQuoted {
      guard Self.isCount(word) else { return nil }
    }
    if words.contains(where: { ["-a", "-o", "&&", "||", "(", ")"].contains($0.literalValue ?? "") }) { return nil }
    switch words.count {
    case 0:
      return false
    case 1:
      return evaluate(words[0]).map { !$0.isEmpty }
    case 2:
      let op = words[0].literalValue
      if op == "!" { return test([words[1]], extended: extended).map(!) }
      guard let value = evaluate(words[1]) else { return nil }
      switch op {
      case "-z": return value.isEmpty
      case "-n": return !value.isEmpty
      default: return nil
      }
    case 3:
      if words[0].literalValue == "!" { return test(Array(words[1...]), extended: extended).map(!) }
      guard let op = words[1].literalValue, let left = evaluate(words[0]) else { return nil }
      switch op {
      case "=", "==", "!=":
        let matches: Bool
        if extended, !words[2].isQuoted, let pattern = words[2].literalValue, ShellPatternMatch.hasGlob(pattern) {
          matches = ShellPatternMatch.matches(left, pattern: pattern)
        } else {
          guard let right = evaluate(words[2]) else { return nil }
          matches = left == right
        }
        return op == "!=" ? !matches : matches
      case "-eq", "-ne", "-gt", "-ge", "-lt", "-le":
        guard let right = evaluate(words[2]), let a = Int(left.trimmingSpaces), let b = Int(right.trimmingSpaces) else { return nil }
        switch op {
        case "-eq": return a == b
        case "-ne": return a != b
        case "-gt": return a > b
        case "-ge": return a >= b
        case "-lt": return a < b
        default: return a <= b
        }
      default:
        return nil
      }
    case 4:
      guard words[0].literalValue == "!" else { return nil }
      return test(Array(words[1...]), extended: extended).map(!)
    default:
      return nil
    }
  }

  /// `$#` or `${#}` (never splits).
  static func isCount(_ word: ShellWord) -> Bool {
    guard word.parts.count == 1, case .parameter(let parameter) = word.parts[0].kind else { return false }
    return parameter.name == "#" && parameter.operation == nil && !parameter.isLength
  }

  /// The item of `case WORD in` that runs: its index, `.some(nil)` when none matches, nil when the
  /// known parameters do not decide it.
  func decide(_ clause: ShellCaseClause) -> Int?? {
    guard let subject = evaluate(clause.subject) else { return nil }
    for (index, item) in clause.items.enumerated() {
      for pattern in item.patterns {
        let matches: Bool
        if !pattern.isQuoted, let text = pattern.literalValue {
          matches = ShellPatternMatch.matches(subject, pattern: text)
        } else if let text = evaluate(pattern) {
          matches = subject == text
        } else {
          return nil
        }
        if matches {
          if let terminator = item.terminator, terminator != .break { return nil }
          return .some(index)
        }
      }
    }
    return .some(nil)
  }
}

/// Shell pattern matching (`case`, `[[ x == pat ]]`): `*`, `?`, `[…]`, backslash escapes.
enum ShellPatternMatch {
  static func hasGlob(_ pattern: String) -> Bool { pattern.contains { $0 == "*" || $0 == "?" || $0 == "[" || $0 == "\\" } }

  static func matches(_ text: String, pattern: String) -> Bool {
    let t = Array(text)
    let p = Array(pattern)
    var memo: [Int: Bool] = [:]
    func match(_ i: Int, _ j: Int) -> Bool {
      let key = i * (p.count + 1) + j
      if let known = memo[key] { return known }
      var result: Bool
      if j == p.count {
        result = i == t.count
      } else {
        switch p[j] {
        case "*":
          result = match(i, j + 1) || (i < t.count && match(i + 1, j))
        case "?":
          result = i < t.count && match(i + 1, j + 1)
        case "[":
          if let (set, negated, next) = bracket(p, j), i < t.count {
            result = set(t[i]) != negated && match(i + 1, next)
          } else if i < t.count, t[i] == "[" {
            result = match(i + 1, j + 1)
          } else {
            result = false
          }
        case "\\" where j + 1 < p.count:
          result = i < t.count && t[i] == p[j + 1] && match(i + 1, j + 2)
        default:
          result = i < t.count && t[i] == p[j] && match(i + 1, j + 1)
        }
      }
      memo[key] = result
      return result
    }
    return match(0, 0)
  }

  /// `[abc]`, `[!a-z]`, `[^0-9]`: a membership test, whether it is negated, and the index after `]`.
  static func bracket(_ p: [Character], _ start: Int) -> ((Character) -> Bool, Bool, Int)? {
    var index = start + 1
    var negated = false
    if index < p.count, p[index] == "!" || p[index] == "^" {
      negated = true
      index += 1
    }
    var ranges: [(Character, Character)] = []
    var first = true
    while index < p.count, p[index] != "]" || first {
      first = false
      let low = p[index]
      if index + 2 < p.count, p[index + 1] == "-", p[index + 2] != "]" {
        ranges.append((low, p[index + 2]))
        index += 3
      } else {
        ranges.append((low, low))
        index += 1
      }
    }
    guard index < p.count else { return nil }
    return ({ character in ranges.contains { $0.0 <= character && character <= $0.1 } }, negated, index + 1)
  }
}

extension String {
  fileprivate var trimmingSpaces: String {
    var text = Substring(self)
    while text.first == " " || text.first == "\t" { text.removeFirst() }
    while text.last == " " || text.last == "\t" { text.removeLast() }
    return String(text)
  }
}
