/// A compact S-expression of a shell syntax tree, for golden tests and debugging.
///
/// `a && b | c & x=1 y >f` → `(list (bg (&& a (| b c))) (cmd x=1 y >f))`. Words appear as written;
/// `ShellWord.dump` shows their parts.
extension ShellScript {
  public var dump: String { ShellDumper.list(body) }
}

/// The S-expression of a list.
extension ShellList {
  public var dump: String { ShellDumper.list(self) }
}

/// The S-expression of a word's parts.
extension ShellWord {
  /// The parts: `lit(a) sq(b) dq(lit(c) $x) $(…) ${x:-…}`.
  public var dump: String { ShellDumper.parts(parts) }
}

/// Builds the S-expressions.
enum ShellDumper {
  static func list(_ list: ShellList) -> String {
    "(list" + list.items.map { " " + item($0) }.joined() + ")"
  }

  static func item(_ item: ShellAndOrList) -> String {
    var text: String
    if item.pipelines.count == 1 {
      text = pipeline(item.pipelines[0])
    } else {
      text = "(" + item.operators[0].rawValue
      for (index, pipeline) in item.pipelines.enumerated() {
        if index > 1 { text += " " + item.operators[index - 1].rawValue }
        text += " " + self.pipeline(pipeline)
      }
      text += ")"
    }
    return item.isBackground ? "(bg \(text))" : text
  }

  static func pipeline(_ pipeline: ShellPipeline) -> String {
    var text: String
    if pipeline.commands.count == 1 {
      text = command(pipeline.commands[0])
    } else {
      text = "(" + (pipeline.operators.contains(.pipeWithStandardError) ? "|&" : "|")
      text += pipeline.commands.map { " " + command($0) }.joined() + ")"
    }
    if pipeline.isNegated { text = "(! \(text))" }
    if pipeline.isTimed { text = "(time \(text))" }
    return text
  }

  static func command(_ command: ShellCommand) -> String {
    let redirections = command.redirections.map { " " + redirection($0) }.joined()
    switch command.kind {
    case .simple(let simple):
      var pieces: [String] = simple.assignments.map(assignment)
      pieces += simple.words.map(\.raw)
      pieces += command.redirections.map(redirection)
      return "(cmd " + pieces.joined(separator: " ") + ")"
    case .subshell(let body):
      return "(subshell \(list(body))\(redirections))"
    case .braceGroup(let body):
      return "(group \(list(body))\(redirections))"
    case .ifClause(let clause):
      var text = "(if"
      for (index, branch) in clause.branches.enumerated() {
        text += index == 0 ? " " : " (elif) "
        text += list(branch.condition) + " " + list(branch.body)
      }
      if let elseBody = clause.elseBody { text += " (else) " + list(elseBody) }
      return text + redirections + ")"
    case .loop(let loop):
      return "(\(loop.isUntil ? "until" : "while") \(list(loop.condition)) \(list(loop.body))\(redirections))"
    case .forLoop(let loop):
      let words = loop.words.map { " (in" + $0.map { " " + $0.raw }.joined() + ")" } ?? ""
      return "(\(loop.isSelect ? "select" : "for") \(loop.variable)\(words) \(list(loop.body))\(redirections))"
    case .arithmeticForLoop(let loop):
      return
        "(for-arith \"\(loop.initializer.text)\" \"\(loop.condition.text)\" \"\(loop.update.text)\" \(list(loop.body))\(redirections))"
    case .caseClause(let clause):
      var text = "(case \(clause.subject.raw)"
      for item in clause.items {
        text += " (" + item.patterns.map(\.raw).joined(separator: "|") + " " + list(item.body)
        if let terminator = item.terminator { text += " " + terminator.rawValue }
        text += ")"
      }
      return text + redirections + ")"
    case .conditional(let expression):
      return "([[" + expression.words.map { " " + $0.raw }.joined() + " ]]" + redirections + ")"
    case .arithmetic(let expression):
      return "(arith \"\(expression.text)\"\(redirections))"
    case .functionDefinition(let definition):
      return "(function \(definition.name) \(self.command(definition.body)))"
    case .coprocess(let coprocess):
      return "(coproc\(coprocess.name.map { " " + $0 } ?? "") \(self.command(coprocess.command)))"
    }
  }

  static func assignment(_ assignment: ShellAssignment) -> String {
    var text = assignment.name
    if let index = assignment.arraySubscript { text += "[\(index)]" }
    text += assignment.isAppend ? "+=" : "="
    if let elements = assignment.arrayElements {
      text += "(" + elements.map(\.raw).joined(separator: " ") + ")"
    } else {
      text += assignment.value?.raw ?? ""
    }
    return text
  }

  static func redirection(_ redirection: ShellRedirection) -> String {
    var text = ""
    if let fileDescriptor = redirection.fileDescriptor { text += String(fileDescriptor) }
    if let variable = redirection.fileDescriptorVariable { text += "{\(variable)}" }
    text += redirection.op.rawValue
    text += redirection.target?.raw ?? ""
    if let heredoc = redirection.heredoc {
      text += "{\(heredoc.bodyText.replacingNewlines)}"
    }
    return text
  }

  static func parts(_ parts: [ShellWordPart]) -> String {
    parts.map(part).joined(separator: " ")
  }

  static func part(_ part: ShellWordPart) -> String {
    switch part.kind {
    case .literal(let text): return "lit(\(text))"
    case .escaped(let text): return "esc(\(text))"
    case .singleQuoted(let text): return "sq(\(text))"
    case .ansiCQuoted(let text): return "ansi(\(text.replacingNewlines))"
    case .doubleQuoted(let inner): return "dq(\(parts(inner)))"
    case .localeQuoted(let inner): return "locale(\(parts(inner)))"
    case .parameter(let parameter):
      var text = "$" + (parameter.isBraced ? "{" : "")
      if parameter.isLength { text += "#" }
      if parameter.isIndirect { text += "!" }
      text += parameter.name
      if let index = parameter.arraySubscript { text += "[\(index)]" }
      if let operation = parameter.operation {
        text += operation.rawValue
        text += parameter.arguments.map { "<" + parts($0.parts) + ">" }.joined()
      }
      return text + (parameter.isBraced ? "}" : "")
    case .commandSubstitution(let substitution):
      return (substitution.isBackquoted ? "`" : "$") + list(substitution.body)
    case .arithmetic(let expression): return "$((\(parts(expression.parts))))"
    case .processSubstitution(let substitution):
      return (substitution.isInput ? "<" : ">") + list(substitution.body)
    case .tilde(let text): return "tilde(\(text))"
    case .extendedGlob(let text): return "extglob(\(text))"
    case .array(let words): return "array(" + words.map(\.raw).joined(separator: " ") + ")"
    }
  }
}

/// Newlines shown as `\n` in dumps.
extension String {
  fileprivate var replacingNewlines: String {
    var result = ""
    for character in self { result += character == "\n" ? "\\n" : String(character) }
    return result
  }
}
