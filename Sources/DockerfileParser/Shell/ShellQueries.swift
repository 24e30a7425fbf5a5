/// A signal name as `trap` and `kill` accept it, normalised: `TERM`, `SIGTERM`, `sigterm` and `15` are all
/// `.term`; `EXIT` and `0` are `.exit`.
public struct ShellSignal: Hashable, Sendable, CustomStringConvertible {
  /// The canonical name without `SIG` (`TERM`, `EXIT`, `ERR`), or the number when unknown (`35`).
  public let name: String

  public init(name: String) { self.name = name }

  public static let exit = ShellSignal(name: "EXIT")
  public static let hup = ShellSignal(name: "HUP")
  public static let int = ShellSignal(name: "INT")
  public static let quit = ShellSignal(name: "QUIT")
  public static let kill = ShellSignal(name: "KILL")
  public static let usr1 = ShellSignal(name: "USR1")
  public static let usr2 = ShellSignal(name: "USR2")
  public static let alrm = ShellSignal(name: "ALRM")
  public static let term = ShellSignal(name: "TERM")
  public static let chld = ShellSignal(name: "CHLD")
  public static let winch = ShellSignal(name: "WINCH")
  public static let err = ShellSignal(name: "ERR")
  public static let debug = ShellSignal(name: "DEBUG")
  public static let `return` = ShellSignal(name: "RETURN")

  static let numbers: [Int: String] = [
    0: "EXIT", 1: "HUP", 2: "INT", 3: "QUIT", 4: "ILL", 5: "TRAP", 6: "ABRT", 7: "BUS", 8: "FPE", 9: "KILL",
    10: "USR1", 11: "SEGV", 12: "USR2", 13: "PIPE", 14: "ALRM", 15: "TERM", 16: "STKFLT", 17: "CHLD", 18: "CONT",
    19: "STOP", 20: "TSTP", 21: "TTIN", 22: "TTOU", 23: "URG", 24: "XCPU", 25: "XFSZ", 26: "VTALRM", 27: "PROF",
    28: "WINCH", 29: "IO", 30: "PWR", 31: "SYS",
  ]

  /// Parses `TERM`, `SIGTERM`, `sigterm`, `15`, `EXIT`, `0`, `CLD`, `IOT`, `POLL`.
  public init(parsing text: String) {
    if let number = Int(text) {
      name = Self.numbers[number] ?? text
      return
    }
    var upper = text.uppercased()
    if upper.hasPrefix("SIG") && upper.count > 3 { upper = String(upper.dropFirst(3)) }
    switch upper {
    case "CLD": upper = "CHLD"
    case "IOT": upper = "ABRT"
    case "POLL": upper = "IO"
    default: break
    }
    name = upper
  }

  /// The signal's number on Linux x86-64, when it is a real signal.
  public var number: Int? { Self.numbers.first { $0.value == name && $0.key != 0 }?.key }

  public var description: String { name }
}

/// A `trap` command.
public struct ShellTrap: Sendable, Equatable {
  /// What the trap does.
  public enum Action: Sendable, Equatable {
    /// Runs shell code (the text as written; see `actionScript`).
    case command(String)
    /// `trap '' TERM`: the signal is ignored.
    case ignore
    /// `trap - TERM` or `trap TERM`: back to the default.
    case reset
    /// `trap`, `trap -p`, `trap -l`: prints.
    case print
  }

  public let invocation: ShellInvocation
  public let action: Action
  /// The action word (`'kill $pid'`, `cleanup`), when there is one.
  public let actionWord: ShellWord?
  public let signals: [ShellSignal]
  public let signalWords: [ShellWord]

  /// The action parsed as shell code, when it is literal.
  public var actionScript: ShellScript? { invocation.embeddedScript }
  /// True when the trap runs code for `signal`.
  public func handles(_ signal: ShellSignal) -> Bool {
    if case .command = action { return signals.contains(signal) }
    return false
  }
}

/// A `wait` command.
public struct ShellWait: Sendable, Equatable {
  /// What one operand names.
  public enum Operand: Sendable, Equatable {
    /// `$!` / `${!}`.
    case lastBackgroundPID
    /// `$pid`, `"${pids[@]}"`; `holdsBackgroundPID` when the script assigns it from `$!`.
    case variable(String, holdsBackgroundPID: Bool)
    /// `%1`, `%+`.
    case job(String)
    /// A literal PID or other text.
    case literal(String)
    /// Anything else (`$(cat pidfile)`), as written.
    case other(String)
  }

  public let invocation: ShellInvocation
  /// `-n`: returns when the first job ends (bash, busybox ash; not dash).
  public let waitsForAny: Bool
  /// `-f`: waits for termination, not just a state change (bash).
  public let waitsForTermination: Bool
  /// `-p VAR`: stores the PID of the job that ended (bash).
  public let pidVariable: String?
  public let operands: [Operand]

  /// Plain `wait`: waits until every child has ended.
  public var waitsForAll: Bool { !waitsForAny && operands.isEmpty }
}

/// A use of all positional parameters: `"$@"`, `$@`, `$*`, `"${@:2}"`.
public struct ShellArgumentsUsage: Sendable, Equatable {
  public let parameter: ShellParameterExpansion
  /// Inside double quotes.
  public let isQuoted: Bool
  /// The simple command whose word holds it (nil in `for`/`case` words and other compound parts).
  public let invocationIndex: Int?
  /// Inside a function body, where `$@` means the function's arguments.
  public let functionName: String?
  /// The word is the program the command runs (`exec "$@"`, `gosu app "$@"`).
  public let isProgram: Bool

  public var range: SourceRange { parameter.range }
}

/// A variable that holds a background PID: `pid=$!`, `local pid=$!`, `pids+=($!)`.
public struct ShellPIDVariable: Sendable, Equatable {
  public let name: String
  /// The command that assigns it.
  public let invocationIndex: Int
}

/// A `set` command's option changes, with short flags turned into long names (`-e` → `errexit`).
public struct ShellOptionSetting: Sendable, Equatable {
  public let invocationIndex: Int
  public let enabled: [String]
  public let disabled: [String]

  static let shortNames: [Character: String] = [
    "e": "errexit", "u": "nounset", "x": "xtrace", "v": "verbose", "f": "noglob", "n": "noexec", "a": "allexport",
    "m": "monitor", "C": "noclobber", "b": "notify", "h": "hashall", "B": "braceexpand", "E": "errtrace",
    "T": "functrace", "H": "histexpand", "P": "physical", "k": "keyword", "t": "onecmd",
  ]
}

/// The queries the rules ask (hadolint- and ShellCheck-style helpers over the index).
extension ShellScript {
  // MARK: - Commands

  /// The commands that can run last on the script's main path, in source order: the last command of
  /// each branch (through `if`, `case`, loops, brace groups and calls to functions defined in the script),
  /// every `exec` with a program on the way (it ends the path), and a final `exit`. A backgrounded last
  /// item is included with `isBackground` set.
  public var terminalCommands: [ShellInvocation] { terminalIndices.map { invocations[$0] } }

  /// The commands that can run last when the script runs with `arguments` (the container's CMD): an
  /// `if`/`elif` whose condition the arguments decide (`[ $# -gt 0 ]`, `[ -z "$1" ]`,
  /// `[ "$1" = 'redis-server' ]`) and a `case "$1" in` contribute only the branch that runs. Each
  /// command comes with the arguments it sees — inside a function, its call's words — so `"$@"` there
  /// can be replaced by what the call passes.
  public func terminalCommands(given arguments: ShellKnownArguments) -> [(invocation: ShellInvocation, arguments: ShellKnownArguments)] {
    var walker = unwalkedMainPath.walker
    walker.arguments = arguments
    walker.walkProgram(body)
    guard walker.budget >= 0, walker.terminals.allSatisfy({ $0 < invocations.count }) else {
      return terminalCommands.map { ($0, ShellKnownArguments.unknown) }
    }
    return walker.terminals.map { (invocations[$0], walker.terminalArguments[$0] ?? .unknown) }
  }

  /// The commands that run after `command`: later pipelines of its and-or list, later items of its list and
  /// of the lists around it; inside a function, then what follows each call of that function. Loop
  /// iterations are not followed; each command appears once, in that order.
  public func commands(after command: ShellInvocation) -> [ShellInvocation] {
    var result: [ShellInvocation] = []
    var seen = Set<Int>()
    var visitedFunctions = Set<String>()
    var pending = [command]
    while !pending.isEmpty {
      let current = pending.removeFirst()
      for later in invocations[(current.index + 1)...] where Self.follows(later.chain, current.chain) {
        if seen.insert(later.index).inserted { result.append(later) }
      }
      // a function returns to its callers
      if let name = current.functionName, visitedFunctions.insert(name).inserted, let function = function(named: name) {
        pending += function.callIndices.map { invocations[$0] }
      }
    }
    return result
  }

  /// The command that runs just before `command` in the same list (`server; exit 0` → `server`), when
  /// nothing else comes between them: nil when `command` starts its list or follows a compound command.
  public func command(before command: ShellInvocation) -> ShellInvocation? {
    guard command.index > 0 else { return nil }
    let previous = invocations[command.index - 1]
    guard previous.chain.count == command.chain.count, Self.follows(command.chain, previous.chain) else { return nil }
    return previous
  }

  static func follows(_ later: [ShellChainEntry], _ earlier: [ShellChainEntry]) -> Bool {
    var level = 0
    while level < earlier.count, level < later.count, earlier[level] == later[level] { level += 1 }
    guard level < earlier.count, level < later.count else { return false }
    let a = earlier[level]
    let b = later[level]
    guard a.container == b.container, a.kind == .sequential, b.kind == .sequential else { return false }
    guard (b.position, b.secondary) > (a.position, a.secondary) else { return false }
    // neither may sit in a function body below the point where they part: a body runs when called
    return !later[(level + 1)...].contains { $0.kind == .function }
      && !earlier[(level + 1)...].contains { $0.kind == .function }
  }

  /// Commands whose program (after wrappers, without path) is `program`.
  public func invocations(running program: String) -> [ShellInvocation] {
    invocations.filter { $0.program == program }
  }

  /// The function defined with `name` (the last definition when there are several).
  public func function(named name: String) -> ShellFunction? { functions.last { $0.name == name } }

  /// `invocations`, with each call of a function defined in the script followed by the commands of its
  /// body (recursively, each function once).
  public func expandingFunctionCalls(_ commands: [ShellInvocation]) -> [ShellInvocation] {
    var result: [ShellInvocation] = []
    var visited = Set<String>()
    var stack = Array(commands.reversed())
    while let command = stack.popLast() {
      result.append(command)
      if let name = command.name, let function = function(named: name), visited.insert(name).inserted {
        stack.append(contentsOf: function.invocationIndices.reversed().map { invocations[$0] })
      }
    }
    return result
  }

  /// The commands a background job runs, following calls to functions defined in the script.
  public func commands(of job: ShellBackgroundJob) -> [ShellInvocation] {
    expandingFunctionCalls(job.invocationIndices.map { invocations[$0] })
  }

  /// Every command here and in embedded code (`sh -c`, `su -c`, `trap`, `eval` strings), depth first.
  /// Calls `body` with every invocation, with those of embedded scripts after their command, as
  /// `allInvocationsIncludingEmbedded` lists them (without building the list).
  public func forEachInvocationIncludingEmbedded(_ body: (ShellInvocation) -> Void) {
    for invocation in invocations {
      body(invocation)
      invocation.embeddedScript?.forEachInvocationIncludingEmbedded(body)
    }
  }

  public var allInvocationsIncludingEmbedded: [ShellInvocation] {
    var result: [ShellInvocation] = []
    for invocation in invocations {
      result.append(invocation)
      if let embedded = invocation.embeddedScript { result += embedded.allInvocationsIncludingEmbedded }
    }
    return result
  }

  // MARK: - Traps, waits, background PIDs

  /// Every `trap` command.
  public var traps: [ShellTrap] {
    invocations.compactMap { invocation in
      guard invocation.name == "trap" else { return nil }
      var words = Array(invocation.words.dropFirst())
      if words.first?.literalValue == "--" { words.removeFirst() }
      if words.isEmpty || words.first.map({ $0.literalValue == "-p" || $0.literalValue == "-l" }) == true {
        return ShellTrap(invocation: invocation, action: .print, actionWord: nil, signals: [], signalWords: words)
      }
      if words.count == 1 {
        return ShellTrap(
          invocation: invocation, action: .reset, actionWord: nil,
          signals: [ShellSignal(parsing: words[0].literalValue ?? words[0].raw)], signalWords: words)
      }
      let actionWord = words[0]
      let signalWords = Array(words.dropFirst())
      let signals = signalWords.map { ShellSignal(parsing: $0.literalValue ?? $0.raw) }
      let action: ShellTrap.Action
      switch actionWord.literalValue {
      case "-": action = .reset
      case "": action = .ignore
      case let text?: action = .command(text)
      case nil: action = .command(actionWord.raw)
      }
      return ShellTrap(
        invocation: invocation, action: action, actionWord: actionWord, signals: signals, signalWords: signalWords)
    }
  }

  /// The commands a trap runs: its action's commands, with calls to functions defined in this script
  /// replaced by their bodies' commands.
  public func handlerCommands(of trap: ShellTrap) -> [ShellInvocation] {
    guard let action = trap.actionScript else { return [] }
    var result: [ShellInvocation] = []
    for command in action.invocations {
      if let name = command.name, function(named: name) != nil {
        result += expandingFunctionCalls([command]).dropFirst()
      } else {
        result.append(command)
      }
    }
    return result
  }

  /// Variables assigned from `$!`.
  public var backgroundPIDVariables: [ShellPIDVariable] {
    var result: [ShellPIDVariable] = []
    for invocation in invocations {
      for assignment in invocation.assignments where assignment.usesLastBackgroundPID {
        result.append(ShellPIDVariable(name: assignment.name, invocationIndex: invocation.index))
      }
      guard let name = invocation.name, ["local", "export", "declare", "typeset", "readonly"].contains(name) else {
        continue
      }
      for word in invocation.words.dropFirst() {
        guard case .literal(let text)? = word.parts.first?.kind, let equals = text.firstIndex(of: "=") else { continue }
        var variable = String(text[..<equals])
        if variable.hasSuffix("+") { variable.removeLast() }
        guard ShellParser.isValidName(variable) else { continue }
        if word.parameterExpansions.contains(where: { $0.name == "!" && !$0.isIndirect }) {
          result.append(ShellPIDVariable(name: variable, invocationIndex: invocation.index))
        }
      }
    }
    return result
  }

  /// Every `wait` command, with its options and operands.
  public var waits: [ShellWait] {
    let pidNames = Set(backgroundPIDVariables.map(\.name))
    return invocations.compactMap { invocation in
      guard invocation.name == "wait" else { return nil }
      var any = false
      var termination = false
      var pidVariable: String?
      var operands: [ShellWait.Operand] = []
      var words = invocation.words.dropFirst()[...]
      while let word = words.first, let option = word.literalValue, option.hasPrefix("-"), option.count > 1 {
        words = words.dropFirst()
        if option == "--" { break }
        for flag in option.dropFirst() {
          switch flag {
          case "n": any = true
          case "f": termination = true
          case "p":
            pidVariable = words.first?.literalValue
            words = words.dropFirst()
          default: break
          }
        }
      }
      for word in words {
        if word.isLastBackgroundPID {
          operands.append(.lastBackgroundPID)
        } else if let name = word.variableName {
          operands.append(.variable(name, holdsBackgroundPID: pidNames.contains(name)))
        } else if let value = word.literalValue {
          operands.append(value.hasPrefix("%") ? .job(value) : .literal(value))
        } else {
          operands.append(.other(word.raw))
        }
      }
      return ShellWait(
        invocation: invocation, waitsForAny: any, waitsForTermination: termination, pidVariable: pidVariable,
        operands: operands)
    }
  }

  // MARK: - Loops, arguments, options

  /// The loops that never end on their own.
  public var infiniteLoops: [ShellLoopInfo] { loops.filter(\.isInfinite) }

  /// The commands in a loop's body.
  public func bodyCommands(of loop: ShellLoopInfo) -> [ShellInvocation] { loop.bodyIndices.map { invocations[$0] } }

  /// Every use of `$@` / `$*` (quoted or not), in source order.
  public var argumentUsages: [ShellArgumentsUsage] { argumentIndex }

  /// True when `$@`/`$*` appears outside any function: the script passes its own arguments on.
  public var usesScriptArguments: Bool { argumentUsages.contains { $0.functionName == nil } }

  /// The functions that receive the script's arguments: called with `"$@"` from top level or from another
  /// such function (`_main "$@"`).
  public var functionsReceivingScriptArguments: Set<String> {
    var receiving = Set<String>()
    var changed = true
    while changed {
      changed = false
      for usage in argumentUsages where !usage.isProgram {
        guard let index = usage.invocationIndex, let callee = invocations[index].name,
          function(named: callee) != nil, !receiving.contains(callee)
        else { continue }
        if usage.functionName == nil || receiving.contains(usage.functionName!) {
          receiving.insert(callee)
          changed = true
        }
      }
    }
    return receiving
  }

  /// The commands that run the script's arguments as a command (`exec "$@"`, `exec gosu app "$@"`), at top
  /// level or in a function that receives the script's arguments.
  public var commandsRunningScriptArguments: [ShellInvocation] {
    let receiving = functionsReceivingScriptArguments
    return invocations.filter { invocation in
      guard invocation.runsArguments else { return false }
      guard let function = invocation.functionName else { return true }
      return receiving.contains(function)
    }
  }

  /// Every `set` command's option changes.
  public var optionSettings: [ShellOptionSetting] {
    invocations.compactMap { invocation in
      guard invocation.name == "set" else { return nil }
      var enabled: [String] = []
      var disabled: [String] = []
      var words = invocation.words.dropFirst().map { $0.literalValue ?? "" }[...]
      while let argument = words.first, argument.hasPrefix("-") || argument.hasPrefix("+"), argument.count > 1,
        argument != "--"
      {
        words = words.dropFirst()
        let enable = argument.hasPrefix("-")
        for flag in argument.dropFirst() {
          if flag == "o" {
            if let name = words.first {
              if enable { enabled.append(name) } else { disabled.append(name) }
              words = words.dropFirst()
            }
          } else if let name = ShellOptionSetting.shortNames[flag] {
            if enable { enabled.append(name) } else { disabled.append(name) }
          }
        }
      }
      if enabled.isEmpty && disabled.isEmpty { return nil }
      return ShellOptionSetting(invocationIndex: invocation.index, enabled: enabled, disabled: disabled)
    }
  }

  /// The options in effect at the end of the main path (`errexit`, `nounset`, `pipefail`, `xtrace`…), from
  /// the shebang's flags and the `set` commands the main shell runs, in order.
  public var enabledOptions: Set<String> {
    var options = Set<String>()
    for argument in shebang?.arguments ?? [] where argument.hasPrefix("-") && !argument.hasPrefix("--") {
      for flag in argument.dropFirst() {
        if let name = ShellOptionSetting.shortNames[flag] { options.insert(name) }
      }
    }
    for setting in optionSettings where invocations[setting.invocationIndex].isInMainPath {
      options.formUnion(setting.enabled)
      options.subtract(setting.disabled)
    }
    return options
  }

  // MARK: - Dialect

  /// True when the code uses something bash-only.
  public var requiresBash: Bool { !bashisms.isEmpty }

  /// The bash-only constructs inside `range`.
  public func bashisms(in range: SourceRange) -> [ShellBashism] {
    bashisms.filter { range.contains($0.range) }
  }

  /// The bash-only constructs of one kind.
  public func bashisms(_ kind: ShellBashism.Kind) -> [ShellBashism] { bashisms.filter { $0.kind == kind } }

  /// The constructs that make dash refuse to parse the code (`/bin/sh -n` fails on Debian).
  public var dashSyntaxErrors: [ShellBashism] { bashisms.filter(\.kind.isSyntaxErrorInDash) }

  // MARK: - Shell form to exec form

  /// The command when the whole code is one simple command (no `;`, `&&`, `|`, `&`, `!`, compound
  /// command or command substitution): `/bin/sh -c` then execs it itself and it becomes PID 1.
  public var soleCommand: ShellInvocation? {
    guard !hasErrors, invocations.count == 1, body.items.count == 1, let item = body.items.first, !item.isBackground,
      item.pipelines.count == 1, let pipeline = item.pipelines.first, !pipeline.isNegated, !pipeline.isTimed,
      pipeline.commands.count == 1, case .simple = pipeline.commands[0].kind
    else { return nil }
    return invocations[0]
  }

  /// The argument vector when the whole code is one plain simple command that needs no shell (only
  /// literal words, no globs, assignments, redirections or operators); a leading `exec` is dropped.
  /// `nginx -g 'daemon off;'` → `["nginx", "-g", "daemon off;"]`.
  public var execArguments: [String]? {
    guard !hasErrors, body.items.count == 1, let item = body.items.first, !item.isBackground,
      item.pipelines.count == 1, let pipeline = item.pipelines.first, !pipeline.isNegated, !pipeline.isTimed,
      pipeline.commands.count == 1, let command = pipeline.commands.first, command.redirections.isEmpty,
      case .simple(let simple) = command.kind, simple.assignments.isEmpty, !simple.words.isEmpty
    else { return nil }
    var values: [String] = []
    for word in simple.words {
      guard let value = word.literalValue, !word.hasGlob, !word.hasBraceExpansion else { return nil }
      values.append(value)
    }
    if values.first == "exec", values.count > 1, !(values[1].hasPrefix("-")) { values.removeFirst() }
    guard let first = values.first, !first.isEmpty,
      !["exec", "cd", "export", "set", "trap", "eval", "."].contains(first)
    else { return nil }
    return values
  }
}
