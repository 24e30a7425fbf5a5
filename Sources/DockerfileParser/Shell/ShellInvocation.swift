/// A simple command in its context: what it runs (through wrappers) and where it sits (background, loop,
/// function, subshell, condition, pipeline, main path). Every rule's shell question starts here.
///
/// ```swift
/// command.program == "nginx" && !command.hasFlag("-g")
/// command.name == "service" && command.argumentValues.last == "start"
/// command.isBackground && command.isInMainPath
/// ```
public struct ShellInvocation: Sendable, Equatable {
  /// Position in `ShellScript.invocations`.
  public let index: Int
  /// The syntax node.
  public let command: ShellSimpleCommand
  /// The command's redirections.
  public let redirections: [ShellRedirection]
  /// Redirections of the compound commands around it (`{ a; b; } >log`), innermost last.
  public let enclosingRedirections: [ShellRedirection]

  /// True when the command runs in the background: its list (or an enclosing one, or a coprocess) ends
  /// with `&`.
  public let isBackground: Bool
  /// The innermost background job it belongs to (index into `ShellScript.backgroundJobs`).
  public let backgroundJob: Int?
  /// The innermost function whose body contains it.
  public let functionName: String?
  /// Enclosing loops, outermost first (indices into `ShellScript.loops`).
  public let loopIndices: [Int]
  /// Inside `( … )`, a command or process substitution, a pipeline of several commands or a background
  /// job: a child shell, so `exec` and `exit` there do not end the script.
  public let isInSubshell: Bool
  /// Inside `$( … )`, backquotes or `<( … )`.
  public let isInCommandSubstitution: Bool
  /// Inside the condition of `if`, `elif`, `while` or `until`.
  public let isInCondition: Bool
  /// Its position in its pipeline and the pipeline's length (1 for a lone command).
  public let pipelineIndex: Int
  public let pipelineCount: Int
  /// True when its pipeline starts with `!`.
  public let isNegated: Bool
  /// The `&&`/`||` before and after its pipeline in its and-or list.
  public let operatorBefore: ShellAndOrOperator?
  public let operatorAfter: ShellAndOrOperator?
  /// The position of its item in the innermost list and that list's length.
  public let listIndex: Int
  public let listCount: Int
  /// The separator ending its item (`;`, newline, `&`, or nil at the end of a list).
  public let separator: ShellSeparator?
  /// True when it runs in the main shell process on the way from the first line to the end: at top level
  /// or in a function called from there, not in a subshell or the background.
  public internal(set) var isInMainPath: Bool
  /// Internal: the ordered containers from the outside in, for "what comes after".
  let chain: [ShellChainEntry]

  init(
    index: Int, command: ShellSimpleCommand, redirections: [ShellRedirection],
    enclosingRedirections: [ShellRedirection],
    context: ShellIndexer.Context
  ) {
    self.index = index
    self.command = command
    self.redirections = redirections
    self.enclosingRedirections = enclosingRedirections
    self.isBackground = context.backgroundJob != nil
    self.backgroundJob = context.backgroundJob
    self.functionName = context.functionName
    self.loopIndices = context.loops
    self.isInSubshell = context.inSubshell
    self.isInCommandSubstitution = context.inCommandSubstitution
    self.isInCondition = context.inCondition
    self.pipelineIndex = context.pipelineIndex
    self.pipelineCount = context.pipelineCount
    self.isNegated = context.negated
    self.operatorBefore = context.operatorBefore
    self.operatorAfter = context.operatorAfter
    self.listIndex = context.listIndex
    self.listCount = context.listCount
    self.separator = context.separator
    self.isInMainPath = false
    self.chain = context.chain
  }

  // MARK: - What it runs

  /// The command's range in the original file (words and redirections).
  public var range: SourceRange { command.range }
  /// The words as written, including wrappers.
  public var words: [ShellWord] { command.words }
  /// The first word's literal value, before resolving wrappers (`exec`, `gosu`, `/app/run.sh`).
  public var name: String? { command.name }
  /// The program after wrappers, without its path (`nginx`); nil when not literal.
  public var program: String? { command.resolved.program }
  /// The program after wrappers as written (`/usr/sbin/nginx`).
  public var programPath: String? { command.resolved.programPath }
  /// The word naming the program after wrappers (`"$@"` in `exec gosu app "$@"`).
  public var programWord: ShellWord? { command.resolved.programWord }
  /// The arguments after the resolved program.
  public var arguments: [ShellWord] { command.resolved.arguments }
  /// The literal values of `arguments`.
  public var argumentValues: [String?] { command.resolved.argumentValues }
  /// The wrappers in front of the program.
  public var wrappers: [ShellCommandWrapper] { command.resolved.wrappers }
  /// True when `exec` replaces the shell with the program.
  public var isExec: Bool { command.resolved.isExec }
  /// True for `exec` with a program (it ends the script); false for `exec >log 2>&1` or `exec 3<&-`.
  public var execsProgram: Bool { isExec && command.resolved.programWord != nil }
  /// The user a wrapper switches to (`gosu app`, `su-exec app`, `s6-setuidgid app`, `su app -c`).
  public var user: String? { command.resolved.user }
  /// True when the program is the arguments (`exec "$@"`, `gosu app "$@"`).
  public var runsArguments: Bool { command.resolved.runsArguments }
  /// Shell code run from a string: `sh -c '…'`, `su -c '…'`, `trap '…'`, `eval '…'`.
  public var embeddedScript: ShellScript? { command.embeddedScript }
  /// The assignments before the command (`A=1 cmd`).
  public var assignments: [ShellAssignment] { command.assignments }

  /// The literal files its standard output or error are written to (`>`, `>>`, `>|`, `&>`, `&>>`), e.g.
  /// `/run/s6-linux-init-container-results/exitcode` or `/entrypoint.sh`; descriptor duplications excluded.
  public var outputTargets: [String] {
    redirections.compactMap { redirection in
      switch redirection.op {
      case .output, .append, .clobber, .outputAndError, .appendOutputAndError: return redirection.target?.literalValue
      case .duplicateOutput:
        guard let value = redirection.target?.literalValue, value != "-",
          !value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 || $0 == UInt8(ascii: "-") })
        else { return nil }
        return value
      default: return nil
      }
    }
  }

  /// The here-documents fed to it (`cat > /start.sh <<'EOF' … EOF`).
  public var heredocs: [ShellHeredoc] { redirections.compactMap(\.heredoc) }

  /// Where to insert `exec ` so the shell replaces itself with this command: before the first word
  /// after any assignments (`A=1 exec app`). Nil when it already execs, or has no command word.
  public var execInsertionOffset: Int? {
    guard !isExec, let first = command.words.first else { return nil }
    return first.range.start
  }

  public func hasFlag(_ flag: String) -> Bool { command.resolved.hasFlag(flag) }
  public func hasArgument(_ value: String) -> Bool { command.resolved.hasArgument(value) }
  public func argument(at index: Int) -> ShellWord? { command.resolved.argument(at: index) }
  public func argument(after flag: String) -> ShellWord? { command.resolved.argument(after: flag) }
  public func value(ofOption option: String) -> String? { command.resolved.value(ofOption: option) }
  public func hasWrapper(_ name: String) -> Bool { command.resolved.hasWrapper(name) }

  /// True when the program (after wrappers) is one of `names` (compared without paths).
  public func runs(_ names: String...) -> Bool { program.map(names.contains) ?? false }

  // MARK: - Where it is

  public var isInLoop: Bool { !loopIndices.isEmpty }
  public var isInFunction: Bool { functionName != nil }
  /// True when it is one of several commands joined by pipes.
  public var isInPipeline: Bool { pipelineCount > 1 }
  /// True when its status is tested: in a condition, negated, or followed by `&&`/`||`.
  public var isTested: Bool { isInCondition || isNegated || operatorAfter != nil }
}

/// One level of nesting, used to decide which commands run after which.
struct ShellChainEntry: Sendable, Equatable {
  /// How the entries of the container run.
  enum Kind: Sendable, Equatable {
    /// A list: items (and the pipelines of an and-or list) run one after another.
    case sequential
    /// A pipeline of several commands: they run together.
    case concurrent
    /// A function body: runs when called, not where defined.
    case function
    /// Something nested in a command (a substitution, a compound part).
    case nested
  }

  var container: Int
  var position: Int
  var secondary: Int
  var kind: Kind
}

/// A function definition and the commands in its body.
public struct ShellFunction: Sendable, Equatable {
  public let name: String
  public let definition: ShellFunctionDefinition
  public let range: SourceRange
  /// Indices (into `ShellScript.invocations`) of the commands in the body, nested functions included.
  public let invocationIndices: [Int]
  /// Indices of the commands that call it by name.
  public internal(set) var callIndices: [Int]
}

/// A list (or coprocess) started in the background with `&`.
public struct ShellBackgroundJob: Sendable, Equatable {
  /// What was put in the background.
  public enum Kind: String, Sendable, Equatable {
    case simpleCommand, pipeline, andOrList, subshell, braceGroup, compound, functionDefinition, coprocess
  }

  public let index: Int
  public let kind: Kind
  /// The backgrounded list without the `&`.
  public let range: SourceRange
  /// The `&` (nil for a coprocess).
  public let ampersandRange: SourceRange?
  /// Indices of the commands inside (see `ShellScript.commands(of:)` to follow function calls).
  public internal(set) var invocationIndices: [Int]
  /// Position of the item in its list, and the list's length.
  public let listIndex: Int
  public let listCount: Int
  /// The innermost function whose body starts it.
  public let functionName: String?
  /// Enclosing loops (indices into `ShellScript.loops`).
  public let loopIndices: [Int]
  /// True when the main shell starts it (not a nested subshell or an uncalled function).
  public internal(set) var isInMainPath: Bool
  /// True when it is started inside another background job or subshell.
  public let isNested: Bool
  let key: Int
}

/// A loop and what it runs.
public struct ShellLoopInfo: Sendable, Equatable {
  /// The loop's keyword.
  public enum Kind: String, Sendable, Equatable {
    case `while`, until, `for`, select, arithmeticFor
  }

  public let index: Int
  public let kind: Kind
  public let range: SourceRange
  /// True for `while true`, `while :`, `while [ 1 ]`, `while sleep N`, `until false`, `for ((;;))`…
  public let isInfinite: Bool
  /// Indices of the commands in the condition.
  public internal(set) var conditionIndices: [Int]
  /// Indices of the commands in the body (nested loops included).
  public internal(set) var bodyIndices: [Int]
  /// Indices of the body's commands that leave the loop: `break` (counting the loops it breaks out of),
  /// `exit`, `return`, `exec` with a program — outside subshells.
  public internal(set) var exitIndices: [Int]
  /// The innermost function whose body contains it.
  public let functionName: String?
  /// True when the loop itself runs in the background.
  public let isBackground: Bool
  let isInSubshell: Bool

  /// True when the body can leave the loop (see `exitIndices`).
  public var canExit: Bool { !exitIndices.isEmpty }
}
