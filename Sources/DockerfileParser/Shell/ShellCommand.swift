/// A sequence of and-or lists separated by `;`, `&` or newlines: a script body, the inside of `{ }`,
/// `( )`, `$( )`, or a branch of `if`/`case`/loops.
public struct ShellList: Sendable, Equatable {
  public var items: [ShellAndOrList]
  public var range: SourceRange

  public init(items: [ShellAndOrList] = [], range: SourceRange) {
    self.items = items
    self.range = range
  }

  public var isEmpty: Bool { items.isEmpty }
}

/// What ends an item of a list.
public enum ShellSeparator: String, Sendable, Equatable {
  case semicolon = ";"
  case newline = "\n"
  /// `&`: the item runs in the background.
  case ampersand = "&"
}

/// `&&` or `||`.
public enum ShellAndOrOperator: String, Sendable, Equatable {
  case and = "&&"
  case or = "||"
}

/// Pipelines joined by `&&`/`||`, plus the separator that ends them (`&` puts the whole list in the
/// background).
public struct ShellAndOrList: Sendable, Equatable {
  public var pipelines: [ShellPipeline]
  /// `operators[i]` joins `pipelines[i]` and `pipelines[i + 1]`.
  public var operators: [ShellAndOrOperator]
  public var separator: ShellSeparator?
  /// The range of the separator (`&`, `;`), when there is one.
  public var separatorRange: SourceRange?
  /// The pipelines, without the separator.
  public var range: SourceRange

  public init(
    pipelines: [ShellPipeline], operators: [ShellAndOrOperator] = [], separator: ShellSeparator? = nil,
    separatorRange: SourceRange? = nil, range: SourceRange
  ) {
    self.pipelines = pipelines
    self.operators = operators
    self.separator = separator
    self.separatorRange = separatorRange
    self.range = range
  }

  public var isBackground: Bool { separator == .ampersand }
}

/// `|` or `|&` (bash: also pipes standard error).
public enum ShellPipeOperator: String, Sendable, Equatable {
  case pipe = "|"
  case pipeWithStandardError = "|&"
}

/// Commands joined by pipes, possibly negated with `!` or timed with `time`.
public struct ShellPipeline: Sendable, Equatable {
  public var commands: [ShellCommand]
  public var operators: [ShellPipeOperator]
  public var isNegated: Bool
  public var isTimed: Bool
  public var range: SourceRange

  public init(
    commands: [ShellCommand], operators: [ShellPipeOperator] = [], isNegated: Bool = false, isTimed: Bool = false,
    range: SourceRange
  ) {
    self.commands = commands
    self.operators = operators
    self.isNegated = isNegated
    self.isTimed = isTimed
    self.range = range
  }
}

/// A command: a simple command or a compound one, with its redirections.
public struct ShellCommand: Sendable, Equatable {
  /// The kinds of command.
  public indirect enum Kind: Sendable, Equatable {
    case simple(ShellSimpleCommand)
    /// `( … )`
    case subshell(ShellList)
    /// `{ …; }`
    case braceGroup(ShellList)
    case ifClause(ShellIfClause)
    /// `while` / `until`
    case loop(ShellLoop)
    /// `for x in …` / `select x in …`
    case forLoop(ShellForLoop)
    /// `for ((…; …; …))`
    case arithmeticForLoop(ShellArithmeticForLoop)
    case caseClause(ShellCaseClause)
    /// `[[ … ]]`
    case conditional(ShellConditionalExpression)
    /// `(( … ))`
    case arithmetic(ShellArithmeticExpression)
    case functionDefinition(ShellFunctionDefinition)
    /// `coproc [NAME] command`
    case coprocess(ShellCoprocess)
  }

  public var kind: Kind
  /// For a simple command, the redirections among its words; for a compound command, the ones after it.
  public var redirections: [ShellRedirection]
  public var range: SourceRange

  public init(kind: Kind, redirections: [ShellRedirection] = [], range: SourceRange) {
    self.kind = kind
    self.redirections = redirections
    self.range = range
  }

  /// The simple command, when this is one.
  public var simple: ShellSimpleCommand? {
    if case .simple(let command) = kind { return command }
    return nil
  }
}

/// `NAME=value`, `NAME+=value`, `NAME[i]=value` or `NAME=(a b c)`.
public struct ShellAssignment: Sendable, Equatable {
  public var name: String
  public var arraySubscript: String?
  public var isAppend: Bool
  /// The value word (empty for `NAME=`); nil for an array assignment.
  public var value: ShellWord?
  /// The elements of `NAME=(…)`.
  public var arrayElements: [ShellWord]?
  public var range: SourceRange

  public init(
    name: String, arraySubscript: String? = nil, isAppend: Bool = false, value: ShellWord?,
    arrayElements: [ShellWord]? = nil, range: SourceRange
  ) {
    self.name = name
    self.arraySubscript = arraySubscript
    self.isAppend = isAppend
    self.value = value
    self.arrayElements = arrayElements
    self.range = range
  }

  /// True when the value mentions `$!` (the last background PID) anywhere.
  public var usesLastBackgroundPID: Bool {
    let words = (value.map { [$0] } ?? []) + (arrayElements ?? [])
    return words.contains { $0.parameterExpansions.contains { $0.name == "!" && !$0.isIndirect } }
  }
}

/// Assignments, words and redirections: `A=1 exec gosu app "$@" >log 2>&1`.
public struct ShellSimpleCommand: Sendable, Equatable {
  /// The assignments before the command name.
  public var assignments: [ShellAssignment]
  /// The command name and its arguments, as written.
  public var words: [ShellWord]
  public var range: SourceRange
  /// The program after looking through `exec`, `nohup`, `gosu`, `su -c`, `env` and other wrappers.
  public var resolved: ShellResolvedCommand
  /// Shell code this command runs from a string, parsed: the `-c` string of `sh`/`bash`/`su`/`runuser`/
  /// `capsh … --`, the action of `trap`, the arguments of `eval` (when literal). For a double-quoted string
  /// with expansions (`trap "kill $pid" TERM`) the expansions are kept as written, an approximation of
  /// what the inner shell will see.
  public var embeddedScript: ShellScript? { embedded.first }
  var embedded: [ShellScript]
  /// Parser-assigned identity, unique within one parse.
  var identifier: Int

  init(
    assignments: [ShellAssignment], words: [ShellWord], range: SourceRange, resolved: ShellResolvedCommand,
    embedded: [ShellScript], identifier: Int
  ) {
    self.assignments = assignments
    self.words = words
    self.range = range
    self.resolved = resolved
    self.embedded = embedded
    self.identifier = identifier
    self.name = words.first?.literalValue
  }

  /// The first word (the command as written, before resolving wrappers).
  public var nameWord: ShellWord? { words.first }
  /// The literal value of the first word (`exec`, `/usr/sbin/nginx`).
  public let name: String?
  /// The words after the first.
  public var arguments: ArraySlice<ShellWord> { words.dropFirst() }
}

/// One `if`/`elif` condition and its `then` body.
public struct ShellConditionalBranch: Sendable, Equatable {
  public var condition: ShellList
  public var body: ShellList

  public init(condition: ShellList, body: ShellList) {
    self.condition = condition
    self.body = body
  }
}

/// `if … then … [elif … then …] [else …] fi`.
public struct ShellIfClause: Sendable, Equatable {
  public var branches: [ShellConditionalBranch]
  public var elseBody: ShellList?

  public init(branches: [ShellConditionalBranch], elseBody: ShellList?) {
    self.branches = branches
    self.elseBody = elseBody
  }
}

/// `while cond; do body; done` or `until cond; do body; done`.
public struct ShellLoop: Sendable, Equatable {
  public var isUntil: Bool
  public var condition: ShellList
  public var body: ShellList

  public init(isUntil: Bool, condition: ShellList, body: ShellList) {
    self.isUntil = isUntil
    self.condition = condition
    self.body = body
  }
}

/// `for NAME [in WORDS]; do …; done` or `select NAME [in WORDS]; do …; done`.
public struct ShellForLoop: Sendable, Equatable {
  public var variable: String
  /// Nil when there is no `in` (the loop runs over `"$@"`).
  public var words: [ShellWord]?
  public var body: ShellList
  public var isSelect: Bool

  public init(variable: String, words: [ShellWord]?, body: ShellList, isSelect: Bool) {
    self.variable = variable
    self.words = words
    self.body = body
    self.isSelect = isSelect
  }
}

/// `for ((init; condition; update)); do …; done` (bash).
public struct ShellArithmeticForLoop: Sendable, Equatable {
  public var initializer: ShellArithmeticExpression
  public var condition: ShellArithmeticExpression
  public var update: ShellArithmeticExpression
  public var body: ShellList

  public init(
    initializer: ShellArithmeticExpression, condition: ShellArithmeticExpression,
    update: ShellArithmeticExpression, body: ShellList
  ) {
    self.initializer = initializer
    self.condition = condition
    self.update = update
    self.body = body
  }
}

/// How a `case` item ends.
public enum ShellCaseTerminator: String, Sendable, Equatable {
  /// `;;`
  case `break` = ";;"
  /// `;&` (bash): run the next item's body too.
  case fallThrough = ";&"
  /// `;;&` (bash): test the next patterns too.
  case testNext = ";;&"
}

/// One `pattern | pattern) body ;;` of a `case`.
public struct ShellCaseItem: Sendable, Equatable {
  public var patterns: [ShellWord]
  public var body: ShellList
  /// Nil for the last item when it has no `;;`.
  public var terminator: ShellCaseTerminator?
  public var range: SourceRange

  public init(patterns: [ShellWord], body: ShellList, terminator: ShellCaseTerminator?, range: SourceRange) {
    self.patterns = patterns
    self.body = body
    self.terminator = terminator
    self.range = range
  }
}

/// `case WORD in … esac`.
public struct ShellCaseClause: Sendable, Equatable {
  public var subject: ShellWord
  public var items: [ShellCaseItem]

  public init(subject: ShellWord, items: [ShellCaseItem]) {
    self.subject = subject
    self.items = items
  }
}

/// `[[ … ]]` (bash): the operands and operators as words, in order (`-f`, `$x`, `&&`, `(`, `=~`, …).
public struct ShellConditionalExpression: Sendable, Equatable {
  public var words: [ShellWord]

  public init(words: [ShellWord]) {
    self.words = words
  }
}

/// `name() compound-command`, `function name compound-command` or `function name() …`.
public struct ShellFunctionDefinition: Sendable, Equatable {
  public var name: String
  public var nameRange: SourceRange
  public var body: ShellCommand
  /// True for the `function` keyword (bash).
  public var usesFunctionKeyword: Bool

  public init(name: String, nameRange: SourceRange, body: ShellCommand, usesFunctionKeyword: Bool) {
    self.name = name
    self.nameRange = nameRange
    self.body = body
    self.usesFunctionKeyword = usesFunctionKeyword
  }
}

/// `coproc [NAME] command` (bash).
public struct ShellCoprocess: Sendable, Equatable {
  public var name: String?
  public var command: ShellCommand

  public init(name: String?, command: ShellCommand) {
    self.name = name
    self.command = command
  }
}

/// A redirection: `>file`, `2>&1`, `&>log`, `<<EOF`, `<<<"$x"`, `{fd}<file`…
public struct ShellRedirection: Sendable, Equatable {
  /// The operator.
  public enum Operator: String, Sendable, Equatable, CaseIterable {
    case input = "<"
    case output = ">"
    case append = ">>"
    case clobber = ">|"
    case readWrite = "<>"
    case duplicateInput = "<&"
    case duplicateOutput = ">&"
    case heredoc = "<<"
    case heredocStrippingTabs = "<<-"
    case hereString = "<<<"
    /// `&>` (bash): standard output and error.
    case outputAndError = "&>"
    /// `&>>` (bash).
    case appendOutputAndError = "&>>"
  }

  /// The explicit file descriptor (`2` in `2>&1`).
  public var fileDescriptor: Int?
  /// `{name}` in `{name}>file` (bash).
  public var fileDescriptorVariable: String?
  public var op: Operator
  /// The word after the operator (file, descriptor, here-string); for a heredoc, its delimiter word.
  public var target: ShellWord?
  public var heredoc: ShellHeredoc?
  /// The operator and its target (for a heredoc, without the body).
  public var range: SourceRange
  var heredocIndex: Int?

  public init(
    fileDescriptor: Int? = nil, fileDescriptorVariable: String? = nil, op: Operator, target: ShellWord?,
    heredoc: ShellHeredoc? = nil, range: SourceRange
  ) {
    self.fileDescriptor = fileDescriptor
    self.fileDescriptorVariable = fileDescriptorVariable
    self.op = op
    self.target = target
    self.heredoc = heredoc
    self.range = range
  }

  /// The descriptor written or read: the explicit one, else 0 for input operators and 1 for output.
  public var effectiveFileDescriptor: Int {
    if let fileDescriptor { return fileDescriptor }
    switch op {
    case .input, .readWrite, .duplicateInput, .heredoc, .heredocStrippingTabs, .hereString: return 0
    default: return 1
    }
  }
}

/// The body of a here-document.
public struct ShellHeredoc: Sendable, Equatable {
  /// The delimiter after quote removal (`EOF` for `<<'EOF'`).
  public var delimiter: String
  /// True when the delimiter was quoted: the body is taken literally.
  public var isQuoted: Bool
  /// `<<-`: leading tabs are removed from the body lines.
  public var stripsTabs: Bool
  /// The body text (tabs already stripped for `<<-`), without the terminator line.
  public var bodyText: String
  /// The body's lines in the original file (without the terminator line).
  public var bodyRange: SourceRange
  /// The terminator line, when present.
  public var terminatorRange: SourceRange?
  /// For an unquoted delimiter, the body split into literal text and expansions; nil when the body is
  /// literal or its expansions cannot be parsed (bash reports those only when it runs).
  public var parts: [ShellWordPart]?

  public init(
    delimiter: String, isQuoted: Bool, stripsTabs: Bool, bodyText: String, bodyRange: SourceRange,
    terminatorRange: SourceRange?, parts: [ShellWordPart]?
  ) {
    self.delimiter = delimiter
    self.isQuoted = isQuoted
    self.stripsTabs = stripsTabs
    self.bodyText = bodyText
    self.bodyRange = bodyRange
    self.terminatorRange = terminatorRange
    self.parts = parts
  }

  public var isTerminated: Bool { terminatorRange != nil }
}
