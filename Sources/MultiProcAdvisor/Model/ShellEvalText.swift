import DockerfileParser

/// The text an `eval` at the end of a shell program runs, when every word of it is known: literals,
/// known variables (`eval exec "$CMD"`), the positional parameters, and the output of the script's own
/// function when it only echoes literals (`eval exec $(select_init) -- "$@"` with
/// `select_init() { … echo tini …; }`). The joined text is parsed again, as `eval` does; the chain
/// follows it only when it is one simple command of literal words.
struct ShellEvalText {
  let script: ShellScript
  let variables: ShellVariables
  /// What a word that is `"$@"`/`"$1"` stands for (nil: not such a word, or not known).
  let positional: (ShellWord) -> [String]?

  enum Outcome {
    /// The words eval runs, whether they start with `exec`, and the first word not known (the rest of
    /// the command is then known only at run time: `eval exec $(select_init) -- "$@"` with an unknown CMD).
    case command(words: [String], isExec: Bool, unknownFrom: String?)
    /// Why the chain cannot be followed: a word known only at run time, or code that is not one command.
    case unknown(String)
  }

  func outcome(of command: ShellSimpleCommand) -> Outcome {
    var texts: [String] = []
    var unknownFrom: String?
    for word in command.words.dropFirst() {
      guard let text = text(of: word) else {
        unknownFrom = word.raw
        break
      }
      texts.append(text)
    }
    if texts.isEmpty, let unknownFrom { return .unknown("eval runs '\(unknownFrom)', whose value is known only at run time") }
    let joined = texts.joined(separator: " ")
    let parsed = ShellScript.parse(joined)
    guard parsed.diagnostics.isEmpty, parsed.invocations.count == 1, let only = parsed.invocations.first, !only.isBackground,
      only.command.assignments.isEmpty, only.redirections.isEmpty, !joined.contains(";"), !joined.contains("&"), !joined.contains("|")
    else { return .unknown("eval runs '\(joined)', which is not one simple command") }
    var words: [String] = []
    for word in only.command.words {
      guard let literal = word.literalValue, !word.hasGlob else { return .unknown("eval runs '\(joined)', whose words are expanded again") }
      words.append(literal)
    }
    let isExec = words.first == "exec"
    if isExec {
      words.removeFirst()
      // `exec -a NAME` and friends: not followed.
      if words.first?.hasPrefix("-") == true { return .unknown("eval runs '\(joined)' with exec options") }
    }
    guard !words.isEmpty else {
      if let unknownFrom { return .unknown("eval runs '\(unknownFrom)', whose value is known only at run time") }
      return .unknown("eval runs '\(joined)', which names no program")
    }
    return .command(words: words, isExec: isExec, unknownFrom: unknownFrom)
  }

  /// Characters a value may hold and still be one word, unchanged, when eval parses it again.
  static func isPlainWord(_ text: String) -> Bool {
    !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
      (scalar.value < 128 && (CharacterSet_isAlphanumeric(scalar))) || "-_./:=,@%+".unicodeScalars.contains(scalar)
    }
  }

  private static func CharacterSet_isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
    (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
  }

  /// A word's text when it is known.
  func text(of word: ShellWord) -> String? {
    if let literal = word.literalValue { return literal }
    // The positional parameters are parsed again by eval: only plain words keep their meaning.
    if let values = positional(word) { return values.allSatisfy(Self.isPlainWord) ? values.joined(separator: " ") : nil }
    if let value = variables.evaluate(word) { return value }
    var parts = word.parts
    if parts.count == 1, case .doubleQuoted(let inner) = parts[0].kind { parts = inner }
    if parts.count == 1, case .commandSubstitution(let substitution) = parts[0].kind { return output(of: substitution) }
    return nil
  }

  /// What `$(name)` prints when `name` is a function of the script that only echoes literals (and
  /// runs tests or silenced commands): its one value, or one value when every choice names the same
  /// program (`tini` or `/usr/bin/tini`) with the same arguments.
  func output(of substitution: ShellCommandSubstitution) -> String? {
    guard substitution.body.items.count == 1, let item = substitution.body.items.first, item.pipelines.count == 1,
      item.pipelines[0].commands.count == 1, case .simple(let call) = item.pipelines[0].commands[0].kind, call.words.count == 1,
      let name = call.name, let function = script.functions.first(where: { $0.name == name })
    else { return nil }
    var outputs: [String] = []
    for index in function.invocationIndices {
      let invocation = script.invocations[index]
      if invocation.isInCommandSubstitution { continue }
      let silenced = (invocation.redirections + invocation.enclosingRedirections).contains { redirection in
        switch redirection.op {
        case .output, .append, .clobber, .duplicateOutput: return redirection.fileDescriptor == nil || redirection.fileDescriptor == 1
        case .outputAndError, .appendOutputAndError: return true
        default: return false
        }
      }
      if silenced { continue }
      let command = invocation.command
      guard let program = command.name else { continue }
      switch program {
      case "echo":
        var words = Array(command.words.dropFirst())
        if words.first?.literalValue == "-n" { words.removeFirst() }
        var texts: [String] = []
        for word in words {
          guard let literal = word.literalValue, !literal.contains("\\") else { return nil }
          texts.append(literal)
        }
        outputs.append(texts.joined(separator: " "))
      case "[", "test", "true", "false", ":", "return", "local", "set":
        continue
      default:
        return nil
      }
    }
    guard let first = outputs.first, !first.isEmpty else { return nil }
    let split = outputs.map { $0.split(separator: " ").map(String.init) }
    let same = split.allSatisfy { words in
      words.count == split[0].count && DaemonCatalog.basename(words[0]) == DaemonCatalog.basename(split[0][0]) && words.dropFirst() == split[0].dropFirst()
    }
    return same ? first : nil
  }
}
