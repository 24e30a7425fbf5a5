/// One shell word with its quoting kept: `"$HOME"/bin`, `'daemon off;'`, `${x:-d}`, `$(id -u)`.
///
/// `parts` are in source order; `raw` is the word's text as written in the shell code (after the
/// Dockerfile's escape-char continuations were removed). `range` is in the original file.
public struct ShellWord: Sendable, Equatable {
  public var parts: [ShellWordPart]
  public var range: SourceRange
  /// The text as written (quotes, `$`, backslashes included).
  public var raw: String
  /// Logical offsets in the buffer the word was parsed from (internal: buffers differ inside backquotes).
  var logical: Range<Int>

  public init(parts: [ShellWordPart], range: SourceRange, raw: String, logical: Range<Int> = 0..<0) {
    self.parts = parts
    self.range = range
    self.raw = raw
    self.logical = logical
  }

  /// The word's value after quote removal when it is known without running anything: no parameter,
  /// command or arithmetic expansion and no tilde. Glob characters and brace expansions are kept as
  /// written (check `hasGlob` / `hasBraceExpansion`).
  public var literalValue: String? {
    var result = ""
    return ShellWordPart.appendLiteral(parts, to: &result) ? result : nil
  }

  /// True when some part is quoted (`'…'`, `"…"`, `$'…'`, `$"…"` or a backslash escape).
  public var isQuoted: Bool {
    parts.contains { part in
      switch part.kind {
      case .singleQuoted, .doubleQuoted, .ansiCQuoted, .localeQuoted, .escaped: return true
      default: return false
      }
    }
  }

  /// True when the word contains an expansion whose value is only known at run time.
  public var hasExpansion: Bool { literalValue == nil }

  /// True when an unquoted `*`, `?` or `[…]` makes the word a pathname pattern.
  public var hasGlob: Bool {
    for part in parts {
      switch part.kind {
      case .literal(let text):
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() {
          if byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") { return true }
          if byte == UInt8(ascii: "["), bytes[(index + 1)...].contains(UInt8(ascii: "]")) { return true }
        }
      case .extendedGlob: return true
      default: continue
      }
    }
    return false
  }

  /// True when an unquoted `{a,b}` or `{1..3}` brace expansion appears (bash; dash leaves it as is).
  public var hasBraceExpansion: Bool {
    guard
      parts.contains(where: {
        if case .literal(let text) = $0.kind { text.utf8.contains(UInt8(ascii: "{")) } else { false }
      })
    else { return false }
    var unquoted: [UInt8] = []
    for part in parts {
      if case .literal(let text) = part.kind { unquoted.append(contentsOf: text.utf8) } else { unquoted.append(0) }
    }
    return ShellWord.containsBraceExpansion(unquoted)
  }

  static func containsBraceExpansion(_ bytes: [UInt8]) -> Bool {
    var stack: [(start: Int, hasComma: Bool)] = []
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "{") {
        stack.append((index, false))
      } else if byte == UInt8(ascii: ","), !stack.isEmpty {
        stack[stack.count - 1].hasComma = true
      } else if byte == UInt8(ascii: "}"), let open = stack.popLast() {
        if open.hasComma { return true }
        let inner = bytes[(open.start + 1)..<index]
        if let dots = Self.find(inner, [UInt8(ascii: "."), UInt8(ascii: ".")]), dots > inner.startIndex,
          dots + 2 < inner.endIndex, !inner.contains(0)
        {
          return true
        }
      } else if byte == 0 {
        // an expansion or quoted part inside braces still allows expansion in bash; keep it simple
      }
      index += 1
    }
    return false
  }

  private static func find(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    var index = haystack.startIndex
    while index + needle.count <= haystack.endIndex {
      if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
      index += 1
    }
    return nil
  }

  /// True when the word starts with an unquoted tilde prefix (`~`, `~/x`, `~user`).
  public var hasTilde: Bool {
    parts.contains { if case .tilde = $0.kind { return true } else { return false } }
  }

  /// Every parameter expansion in the word, including those inside double quotes and inside other
  /// expansions' arguments (not those inside command substitutions, which belong to their own commands).
  public var parameterExpansions: [ShellParameterExpansion] {
    var result: [ShellParameterExpansion] = []
    ShellWordPart.collectParameters(parts, into: &result)
    return result
  }

  /// The command substitutions (`$(…)`, backquotes) directly in this word, outermost only.
  public var commandSubstitutions: [ShellCommandSubstitution] {
    var result: [ShellCommandSubstitution] = []
    ShellWordPart.collectSubstitutions(parts, into: &result)
    return result
  }

  /// True when the word is exactly one expansion of all positional parameters: `"$@"`, `$@`, `"${@}"`,
  /// `$*`, `"$*"`, or a slice such as `"${@:2}"`.
  public var isAllArguments: Bool {
    var inner = parts
    if inner.count == 1, case .doubleQuoted(let quoted) = inner[0].kind { inner = quoted }
    guard inner.count == 1, case .parameter(let parameter) = inner[0].kind else { return false }
    return parameter.isAllArguments && !parameter.isLength && !parameter.isIndirect
  }

  /// True when the word is exactly `$!` or `${!}` (quoted or not).
  public var isLastBackgroundPID: Bool {
    var inner = parts
    if inner.count == 1, case .doubleQuoted(let quoted) = inner[0].kind { inner = quoted }
    guard inner.count == 1, case .parameter(let parameter) = inner[0].kind else { return false }
    return parameter.name == "!" && parameter.operation == nil && !parameter.isLength
  }

  /// The name when the word is a single plain variable reference (`$pid`, `"${pid}"`), else nil.
  public var variableName: String? {
    var inner = parts
    if inner.count == 1, case .doubleQuoted(let quoted) = inner[0].kind { inner = quoted }
    guard inner.count == 1, case .parameter(let parameter) = inner[0].kind, parameter.operation == nil,
      !parameter.isLength, !parameter.isIndirect
    else { return nil }
    return parameter.name
  }
}

/// A piece of a word.
public struct ShellWordPart: Sendable, Equatable {
  /// What the piece is.
  public indirect enum Kind: Sendable, Equatable {
    /// Unquoted text (may contain glob characters).
    case literal(String)
    /// A backslash-escaped character outside quotes (`\"` → `"`), or inside double quotes (`\$`).
    case escaped(String)
    /// `'…'`: the text between the quotes.
    case singleQuoted(String)
    /// `$'…'` (bash): the decoded value.
    case ansiCQuoted(String)
    /// `"…"`: the parts inside.
    case doubleQuoted([ShellWordPart])
    /// `$"…"` (bash): the parts inside.
    case localeQuoted([ShellWordPart])
    /// `$x`, `${x…}`, `$@`, `$1`…
    case parameter(ShellParameterExpansion)
    /// `$(…)` or `` `…` ``.
    case commandSubstitution(ShellCommandSubstitution)
    /// `$((…))` or `$[…]`.
    case arithmetic(ShellArithmeticExpression)
    /// `<(…)` or `>(…)` (bash).
    case processSubstitution(ShellProcessSubstitution)
    /// `~` or `~user` at the start of a word or after `=`/`:` in an assignment.
    case tilde(String)
    /// `@(…)`, `!(…)`, `+(…)`, `*(…)`, `?(…)` inside `[[ ]]` (bash extglob).
    case extendedGlob(String)
    /// `(a b c)` in `declare -a x=(a b c)` / `local x=(…)`.
    case array([ShellWord])
  }

  public var kind: Kind
  public var range: SourceRange
  var logical: Range<Int>

  public init(kind: Kind, range: SourceRange, logical: Range<Int> = 0..<0) {
    self.kind = kind
    self.range = range
    self.logical = logical
  }

  static func appendLiteral(_ parts: [ShellWordPart], to result: inout String) -> Bool {
    for part in parts {
      switch part.kind {
      case .literal(let text), .escaped(let text), .singleQuoted(let text), .ansiCQuoted(let text),
        .extendedGlob(let text):
        result += text
      case .doubleQuoted(let inner), .localeQuoted(let inner):
        if !appendLiteral(inner, to: &result) { return false }
      case .parameter, .commandSubstitution, .arithmetic, .processSubstitution, .tilde, .array:
        return false
      }
    }
    return true
  }

  static func collectParameters(_ parts: [ShellWordPart], into result: inout [ShellParameterExpansion]) {
    for part in parts {
      switch part.kind {
      case .doubleQuoted(let inner), .localeQuoted(let inner): collectParameters(inner, into: &result)
      case .parameter(let parameter):
        result.append(parameter)
        for word in parameter.arguments { collectParameters(word.parts, into: &result) }
      case .arithmetic(let expression): collectParameters(expression.parts, into: &result)
      case .array(let words): for word in words { collectParameters(word.parts, into: &result) }
      default: continue
      }
    }
  }

  static func collectSubstitutions(_ parts: [ShellWordPart], into result: inout [ShellCommandSubstitution]) {
    for part in parts {
      switch part.kind {
      case .doubleQuoted(let inner), .localeQuoted(let inner): collectSubstitutions(inner, into: &result)
      case .commandSubstitution(let substitution): result.append(substitution)
      case .parameter(let parameter):
        for word in parameter.arguments { collectSubstitutions(word.parts, into: &result) }
      case .arithmetic(let expression): collectSubstitutions(expression.parts, into: &result)
      case .array(let words): for word in words { collectSubstitutions(word.parts, into: &result) }
      default: continue
      }
    }
  }
}

/// A parameter expansion: `$x`, `${x}`, `${x:-default}`, `${#x}`, `${!x}`, `${a[@]}`, `$@`, `$!`…
public struct ShellParameterExpansion: Sendable, Equatable {
  /// The operator inside `${…}` after the name.
  public enum Operation: String, Sendable, Equatable, CaseIterable {
    case useDefault = ":-"
    case useDefaultIfUnset = "-"
    case assignDefault = ":="
    case assignDefaultIfUnset = "="
    case errorIfNullOrUnset = ":?"
    case errorIfUnset = "?"
    case useAlternative = ":+"
    case useAlternativeIfSet = "+"
    case removeSmallestPrefix = "#"
    case removeLargestPrefix = "##"
    case removeSmallestSuffix = "%"
    case removeLargestSuffix = "%%"
    case replaceFirst = "/"
    case replaceAll = "//"
    case replacePrefix = "/#"
    case replaceSuffix = "/%"
    case upperFirst = "^"
    case upperAll = "^^"
    case lowerFirst = ","
    case lowerAll = ",,"
    case substring = ":"
    case transform = "@"
    /// `${!prefix*}` / `${!prefix@}`: names starting with a prefix.
    case namesWithPrefix = "*"

    /// True for operators POSIX sh (dash) does not know.
    public var isBashOnly: Bool {
      switch self {
      case .replaceFirst, .replaceAll, .replacePrefix, .replaceSuffix, .upperFirst, .upperAll, .lowerFirst,
        .lowerAll, .substring, .transform, .namesWithPrefix:
        return true
      default: return false
      }
    }
  }

  /// `x`, `1`, `@`, `*`, `#`, `?`, `-`, `$`, `!`, `0`; empty for a malformed `${}`.
  public var name: String
  /// The raw subscript of `${a[…]}` (`@`, `*`, `0`, `$i`).
  public var arraySubscript: String?
  /// True for `${…}`.
  public var isBraced: Bool
  /// `${#x}`.
  public var isLength: Bool
  /// `${!x}` (indirection) or `${!a[@]}` (keys).
  public var isIndirect: Bool
  public var operation: Operation?
  /// The words after the operator: one for most operators, two for `${x/pattern/replacement}` and
  /// `${x:offset:length}`.
  public var arguments: [ShellWord]
  public var range: SourceRange
  /// The text as written.
  public var raw: String

  public init(
    name: String, arraySubscript: String? = nil, isBraced: Bool, isLength: Bool = false, isIndirect: Bool = false,
    operation: Operation? = nil, arguments: [ShellWord] = [], range: SourceRange, raw: String
  ) {
    self.name = name
    self.arraySubscript = arraySubscript
    self.isBraced = isBraced
    self.isLength = isLength
    self.isIndirect = isIndirect
    self.operation = operation
    self.arguments = arguments
    self.range = range
    self.raw = raw
  }

  /// True for `$@`, `$*` and `${@…}`, `${*…}`: all positional parameters.
  public var isAllArguments: Bool { name == "@" || name == "*" }
  /// True for a positional parameter `$1`…`${10}`.
  public var isPositional: Bool { !name.isEmpty && name.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && name != "0" }
  /// True for one of the special parameters `@ * # ? - $ ! 0`.
  public var isSpecial: Bool { ["@", "*", "#", "?", "-", "$", "!", "0"].contains(name) }
}

/// `$(…)` or `` `…` ``.
public struct ShellCommandSubstitution: Sendable, Equatable {
  public var body: ShellList
  public var isBackquoted: Bool
  public var range: SourceRange
  /// For a backquoted substitution whose contents bash would only reject when run: the problems found.
  public var deferredDiagnostics: [ShellDiagnostic]

  public init(body: ShellList, isBackquoted: Bool, range: SourceRange, deferredDiagnostics: [ShellDiagnostic] = []) {
    self.body = body
    self.isBackquoted = isBackquoted
    self.range = range
    self.deferredDiagnostics = deferredDiagnostics
  }
}

/// `$((…))`, `$[…]`, `((…))` or one clause of `for ((…;…;…))`: the expression text and the expansions in it.
public struct ShellArithmeticExpression: Sendable, Equatable {
  /// The expression as written between the parentheses.
  public var text: String
  /// The expression split into literal text and expansions (`$x`, `$(…)`).
  public var parts: [ShellWordPart]
  public var range: SourceRange

  public init(text: String, parts: [ShellWordPart], range: SourceRange) {
    self.text = text
    self.parts = parts
    self.range = range
  }
}

/// `<(…)` (the command's output read as a file) or `>(…)` (written as a file).
public struct ShellProcessSubstitution: Sendable, Equatable {
  public var isInput: Bool
  public var body: ShellList
  public var range: SourceRange

  public init(isInput: Bool, body: ShellList, range: SourceRange) {
    self.isInput = isInput
    self.body = body
    self.range = range
  }
}
