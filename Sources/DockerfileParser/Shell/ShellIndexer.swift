/// Walks a parsed script once and records every simple command with its context, the functions,
/// background jobs, loops, `"$@"` uses and the bash-only builtins.
struct ShellIndexer {
  /// Where the walk is.
  struct Context {
    var chain: [ShellChainEntry] = []
    var backgroundJob: Int?
    var functionName: String?
    var loops: [Int] = []
    var inSubshell = false
    var inCommandSubstitution = false
    var inCondition = false
    var pipelineIndex = 0
    var pipelineCount = 1
    var negated = false
    var operatorBefore: ShellAndOrOperator?
    var operatorAfter: ShellAndOrOperator?
    var listIndex = 0
    var listCount = 1
    var separator: ShellSeparator?
    var enclosingRedirections: [ShellRedirection] = []
  }

  var invocations: [ShellInvocation] = []
  var functions: [ShellFunction] = []
  var jobs: [ShellBackgroundJob] = []
  var loops: [ShellLoopInfo] = []
  var bashisms: [ShellBashism] = []
  var argumentUsages: [ShellArgumentsUsage] = []
  var indexByIdentifier: [Int: Int] = [:]
  var jobByKey: [Int: Int] = [:]
  var nextContainer = 0

  mutating func index(_ list: ShellList) {
    visit(list, Context())
    for loop in loops.indices {
      loops[loop].exitIndices = loops[loop].bodyIndices.filter { leaves(invocations[$0], loop: loop) }
    }
    var functionIndexByName: [String: Int] = [:]
    for (index, function) in functions.enumerated() { functionIndexByName[function.name] = index }
    for invocation in invocations {
      if let name = invocation.name, let function = functionIndexByName[name] {
        functions[function].callIndices.append(invocation.index)
      }
    }
  }

  /// Records what the main-path walk found.
  mutating func apply(_ walker: ShellMainPathWalker) {
    for index in walker.mainPath.indices where walker.mainPath[index] { invocations[index].isInMainPath = true }
    for job in walker.mainJobs { jobs[job].isInMainPath = true }
  }

  mutating func newContainer() -> Int {
    nextContainer += 1
    return nextContainer
  }

  /// The context for words and other parts nested in a command: their command substitutions extend the
  /// command's chain, so they never count as running after it.
  func nested(_ context: Context) -> Context { context }

  // MARK: - Lists

  mutating func visit(_ list: ShellList, _ context: Context) {
    let container = newContainer()
    for (itemIndex, item) in list.items.enumerated() {
      var itemContext = context
      itemContext.listIndex = itemIndex
      itemContext.listCount = list.items.count
      itemContext.separator = item.separator
      var jobIndex: Int?
      if item.isBackground {
        let index = jobs.count
        let key = item.separatorRange?.start ?? item.range.start
        jobs.append(
          ShellBackgroundJob(
            index: index, kind: Self.kind(of: item), range: item.range, ampersandRange: item.separatorRange,
            invocationIndices: [], listIndex: itemIndex, listCount: list.items.count,
            functionName: context.functionName, loopIndices: context.loops, isInMainPath: false,
            isNested: context.backgroundJob != nil || context.inSubshell, key: key))
        jobByKey[key] = index
        jobIndex = index
        itemContext.backgroundJob = index
        itemContext.inSubshell = true
      }
      let first = invocations.count
      for (pipelineIndex, pipeline) in item.pipelines.enumerated() {
        var pipelineContext = itemContext
        pipelineContext.operatorBefore = pipelineIndex > 0 ? item.operators[pipelineIndex - 1] : nil
        pipelineContext.operatorAfter = pipelineIndex < item.operators.count ? item.operators[pipelineIndex] : nil
        pipelineContext.chain.append(
          ShellChainEntry(container: container, position: itemIndex, secondary: pipelineIndex, kind: .sequential))
        visit(pipeline, pipelineContext)
      }
      if let jobIndex { jobs[jobIndex].invocationIndices = Array(first..<invocations.count) }
    }
  }

  static func kind(of item: ShellAndOrList) -> ShellBackgroundJob.Kind {
    if item.pipelines.count > 1 { return .andOrList }
    guard let pipeline = item.pipelines.first else { return .simpleCommand }
    if pipeline.commands.count > 1 { return .pipeline }
    guard let command = pipeline.commands.first else { return .simpleCommand }
    switch command.kind {
    case .simple: return .simpleCommand
    case .subshell: return .subshell
    case .braceGroup: return .braceGroup
    case .functionDefinition: return .functionDefinition
    case .coprocess: return .coprocess
    default: return .compound
    }
  }

  mutating func visit(_ pipeline: ShellPipeline, _ context: Context) {
    let container = newContainer()
    for (index, command) in pipeline.commands.enumerated() {
      var commandContext = context
      commandContext.pipelineIndex = index
      commandContext.pipelineCount = pipeline.commands.count
      commandContext.negated = pipeline.isNegated
      if pipeline.commands.count > 1 {
        commandContext.inSubshell = true
        commandContext.chain.append(
          ShellChainEntry(container: container, position: index, secondary: 0, kind: .concurrent))
      }
      visit(command, commandContext)
    }
  }

  // MARK: - Commands

  mutating func visit(_ command: ShellCommand, _ context: Context) {
    let inner = nested(context)
    if case .simple = command.kind {} else { visitRedirections(command.redirections, inner, owner: nil) }
    var body = context
    body.enclosingRedirections += command.redirections
    switch command.kind {
    case .simple(let simple):
      let index = invocations.count
      indexByIdentifier[simple.identifier] = index
      let invocation = ShellInvocation(
        index: index, command: simple, redirections: command.redirections,
        enclosingRedirections: context.enclosingRedirections, context: context)
      invocations.append(invocation)
      noteBashisms(invocation)
      for assignment in simple.assignments {
        if let value = assignment.value {
          visitParts(value.parts, inner, owner: index, quoted: false, isProgram: false)
        }
        for element in assignment.arrayElements ?? [] {
          visitParts(element.parts, inner, owner: index, quoted: false, isProgram: false)
        }
      }
      let programRange = simple.resolved.programWord?.range
      noteBraceExpansions(simple.words)
      for word in simple.words {
        visitParts(word.parts, inner, owner: index, quoted: false, isProgram: word.range == programRange)
      }
      visitRedirections(command.redirections, inner, owner: index)
    case .subshell(let list):
      body.inSubshell = true
      visit(list, body)
    case .braceGroup(let list):
      visit(list, body)
    case .ifClause(let clause):
      for branch in clause.branches {
        var condition = body
        condition.inCondition = true
        visit(branch.condition, condition)
        visit(branch.body, body)
      }
      if let elseBody = clause.elseBody { visit(elseBody, body) }
    case .loop(let loop):
      let loopIndex = beginLoop(
        kind: loop.isUntil ? .until : .while, range: command.range, isInfinite: Self.isInfinite(loop), context)
      var condition = body
      condition.inCondition = true
      condition.loops.append(loopIndex)
      let conditionStart = invocations.count
      visit(loop.condition, condition)
      loops[loopIndex].conditionIndices = Array(conditionStart..<invocations.count)
      var loopBody = body
      loopBody.loops.append(loopIndex)
      let bodyStart = invocations.count
      visit(loop.body, loopBody)
      loops[loopIndex].bodyIndices = Array(bodyStart..<invocations.count)
    case .forLoop(let loop):
      noteBraceExpansions(loop.words ?? [])
      for word in loop.words ?? [] { visitParts(word.parts, inner, owner: nil, quoted: false, isProgram: false) }
      let loopIndex = beginLoop(
        kind: loop.isSelect ? .select : .for, range: command.range, isInfinite: loop.isSelect, context)
      var loopBody = body
      loopBody.loops.append(loopIndex)
      let bodyStart = invocations.count
      visit(loop.body, loopBody)
      loops[loopIndex].bodyIndices = Array(bodyStart..<invocations.count)
    case .arithmeticForLoop(let loop):
      for expression in [loop.initializer, loop.condition, loop.update] {
        visitParts(expression.parts, inner, owner: nil, quoted: false, isProgram: false)
      }
      let infinite = loop.condition.text.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" }
      let loopIndex = beginLoop(kind: .arithmeticFor, range: command.range, isInfinite: infinite, context)
      var loopBody = body
      loopBody.loops.append(loopIndex)
      let bodyStart = invocations.count
      visit(loop.body, loopBody)
      loops[loopIndex].bodyIndices = Array(bodyStart..<invocations.count)
    case .caseClause(let clause):
      visitParts(clause.subject.parts, inner, owner: nil, quoted: false, isProgram: false)
      for item in clause.items {
        for pattern in item.patterns { visitParts(pattern.parts, inner, owner: nil, quoted: false, isProgram: false) }
        visit(item.body, body)
      }
    case .conditional(let expression):
      for word in expression.words { visitParts(word.parts, inner, owner: nil, quoted: false, isProgram: false) }
    case .arithmetic(let expression):
      visitParts(expression.parts, inner, owner: nil, quoted: false, isProgram: false)
    case .functionDefinition(let definition):
      var functionContext = Context()
      functionContext.functionName = definition.name
      functionContext.chain = context.chain
      functionContext.chain.append(
        ShellChainEntry(container: newContainer(), position: 0, secondary: 0, kind: .function))
      let start = invocations.count
      visit(definition.body, functionContext)
      functions.append(
        ShellFunction(
          name: definition.name, definition: definition, range: command.range,
          invocationIndices: Array(start..<invocations.count), callIndices: []))
    case .coprocess(let coprocess):
      let index = jobs.count
      let key = command.range.start
      jobs.append(
        ShellBackgroundJob(
          index: index, kind: .coprocess, range: command.range, ampersandRange: nil, invocationIndices: [],
          listIndex: context.listIndex, listCount: context.listCount, functionName: context.functionName,
          loopIndices: context.loops, isInMainPath: false, isNested: context.backgroundJob != nil || context.inSubshell,
          key: key))
      jobByKey[key] = index
      var coprocessContext = body
      coprocessContext.backgroundJob = index
      coprocessContext.inSubshell = true
      let start = invocations.count
      visit(coprocess.command, coprocessContext)
      jobs[index].invocationIndices = Array(start..<invocations.count)
    }
  }

  /// Whether `invocation`, in the body of `loop`, leaves that loop.
  func leaves(_ invocation: ShellInvocation, loop: Int) -> Bool {
    guard let position = invocation.loopIndices.firstIndex(of: loop) else { return false }
    // a subshell inside the loop cannot leave it
    if invocation.isInSubshell && !loops[loop].isInSubshell { return false }
    switch invocation.name {
    case "break":
      let nested = invocation.loopIndices.count - position - 1
      let levels = invocation.command.words.count > 1 ? Int(invocation.command.words[1].literalValue ?? "") ?? 1 : 1
      return levels > nested
    case "exit", "return":
      return true
    default:
      return invocation.execsProgram
    }
  }

  mutating func beginLoop(kind: ShellLoopInfo.Kind, range: SourceRange, isInfinite: Bool, _ context: Context) -> Int {
    let index = loops.count
    loops.append(
      ShellLoopInfo(
        index: index, kind: kind, range: range, isInfinite: isInfinite, conditionIndices: [], bodyIndices: [],
        exitIndices: [], functionName: context.functionName, isBackground: context.backgroundJob != nil,
        isInSubshell: context.inSubshell))
    return index
  }

  mutating func visitRedirections(_ redirections: [ShellRedirection], _ context: Context, owner: Int?) {
    for redirection in redirections {
      if let target = redirection.target {
        visitParts(target.parts, context, owner: owner, quoted: false, isProgram: false)
      }
      if let parts = redirection.heredoc?.parts {
        visitParts(parts, context, owner: owner, quoted: true, isProgram: false)
      }
    }
  }

  mutating func visitParts(_ parts: [ShellWordPart], _ context: Context, owner: Int?, quoted: Bool, isProgram: Bool) {
    for part in parts {
      switch part.kind {
      case .doubleQuoted(let inner), .localeQuoted(let inner):
        visitParts(inner, context, owner: owner, quoted: true, isProgram: isProgram)
      case .parameter(let parameter):
        if parameter.isAllArguments && !parameter.isLength && !parameter.isIndirect {
          argumentUsages.append(
            ShellArgumentsUsage(
              parameter: parameter, isQuoted: quoted, invocationIndex: owner, functionName: context.functionName,
              isProgram: isProgram && parts.count == 1))
        }
        for argument in parameter.arguments {
          visitParts(argument.parts, context, owner: owner, quoted: quoted, isProgram: false)
        }
      case .commandSubstitution(let substitution):
        var inner = context
        inner.inCommandSubstitution = true
        inner.inSubshell = true
        visit(substitution.body, inner)
      case .processSubstitution(let substitution):
        var inner = context
        inner.inCommandSubstitution = true
        inner.inSubshell = true
        visit(substitution.body, inner)
      case .arithmetic(let expression):
        visitParts(expression.parts, context, owner: owner, quoted: quoted, isProgram: false)
      case .array(let words):
        for word in words { visitParts(word.parts, context, owner: owner, quoted: false, isProgram: false) }
      case .literal, .escaped, .singleQuoted, .ansiCQuoted, .tilde, .extendedGlob:
        continue
      }
    }
  }

  // MARK: - Infinite loops

  static func isInfinite(_ loop: ShellLoop) -> Bool {
    guard loop.condition.items.count == 1, let item = loop.condition.items.first, item.pipelines.count == 1,
      let pipeline = item.pipelines.first, pipeline.commands.count == 1, let command = pipeline.commands.first
    else { return false }
    let wantsTrue = loop.isUntil == pipeline.isNegated
    switch command.kind {
    case .simple(let simple):
      guard simple.assignments.isEmpty, let name = simple.name else { return false }
      let base = ShellResolvedCommand.basename(name)
      let arguments = simple.words.dropFirst().map(\.literalValue)
      if base == "true" || base == ":" { return wantsTrue }
      if base == "false" { return !wantsTrue }
      guard wantsTrue else { return false }
      if base == "sleep" { return arguments.count >= 1 }
      if base == "[" || base == "test" {
        var operands = arguments
        if base == "[" {
          guard operands.last == "]" else { return false }
          operands.removeLast()
        }
        if operands.count == 1, let value = operands[0] { return !value.isEmpty }
        if operands.count == 3, let left = operands[0], let op = operands[1], let right = operands[2] {
          return (op == "=" || op == "==") && left == right
            || op == "-eq" && Int(left) != nil && Int(left) == Int(right)
        }
      }
      return false
    case .arithmetic(let expression):
      guard wantsTrue else { return false }
      let text = expression.text.shellTrimmingBlanks
      return Int(text).map { $0 != 0 } ?? false
    case .conditional(let expression):
      guard wantsTrue, expression.words.count == 1, let value = expression.words[0].literalValue else { return false }
      return !value.isEmpty
    default:
      return false
    }
  }

  // MARK: - Bash-only builtins

  static let bashBuiltins: Set<String> = [
    "source", "declare", "typeset", "let", "shopt", "mapfile", "readarray", "pushd", "popd", "dirs", "disown",
    "caller", "compgen", "complete", "compopt", "enable", "bind", "suspend", "logout", "help", "history",
  ]
  static let dashSetOptions: Set<String> = [
    "errexit", "noglob", "ignoreeof", "interactive", "monitor", "noexec", "stdin", "xtrace", "verbose", "vi", "emacs",
    "noclobber", "allexport", "notify", "nounset", "nolog", "debug",
  ]

  mutating func noteBraceExpansions(_ words: [ShellWord]) {
    for word in words where word.hasBraceExpansion {
      bashisms.append(ShellBashism(kind: .braceExpansion, range: word.range, text: word.raw))
    }
  }

  mutating func noteBashisms(_ invocation: ShellInvocation) {
    guard let name = invocation.name else { return }
    let words = invocation.words
    func record(_ kind: ShellBashism.Kind, _ count: Int) {
      let slice = words.prefix(Swift.max(1, count))
      let range = slice.first!.range.union(slice.last!.range)
      bashisms.append(ShellBashism(kind: kind, range: range, text: slice.map(\.raw).joined(separator: " ")))
    }
    guard ["wait", "exec", "trap", "[", "test", "set", "echo"].contains(name) || Self.bashBuiltins.contains(name) else {
      return
    }
    let arguments = words.dropFirst().map(\.literalValue)
    switch name {
    case "wait":
      for (offset, argument) in arguments.enumerated() {
        guard let argument, argument.hasPrefix("-"), argument != "--", argument.count > 1 else { break }
        if argument.contains("n") || argument.contains("f") || argument.contains("p") {
          record(.waitOption, offset + 2)
          break
        }
      }
    case "exec":
      if let first = arguments.first, let option = first, option.hasPrefix("-"), option != "--", option.count > 1 {
        record(.execOption, 2)
      }
    case "trap":
      if arguments.contains(where: { value in
        guard let value else { return false }
        let signal = ShellSignal(parsing: value)
        return signal == .err || signal == .debug || signal == .return
      }) {
        record(.trapPseudoSignal, words.count)
      }
    case "[", "test":
      if arguments.contains("==") { record(.testDoubleEquals, words.count) }
    case "set":
      var index = 0
      while index < arguments.count {
        guard let argument = arguments[index], argument.hasPrefix("-") || argument.hasPrefix("+"), argument != "--",
          argument != "-"
        else { break }
        if argument == "-o" || argument == "+o" {
          if index + 1 < arguments.count, let option = arguments[index + 1], !Self.dashSetOptions.contains(option) {
            record(.setOption, index + 3)
          }
          index += 2
          continue
        }
        if argument.dropFirst().contains(where: { "ETBHPk".contains($0) }) { record(.setOption, index + 2) }
        if argument.dropFirst().contains("o"), index + 1 < arguments.count, let option = arguments[index + 1],
          !Self.dashSetOptions.contains(option)
        {
          record(.setOption, index + 3)
          index += 1
        }
        index += 1
      }
    case "echo":
      if let first = arguments.first, let option = first, option.hasPrefix("-"), option.count > 1,
        option.dropFirst().allSatisfy({ "neE".contains($0) }), option.contains("e") || option.contains("E")
      {
        record(.echoOption, 2)
      }
    default:
      if Self.bashBuiltins.contains(name) { record(.bashBuiltin, 1) }
    }
  }
}

/// Trimming for arithmetic text (`(( 1 ))`).
extension String {
  var shellTrimmingBlanks: String {
    var scalars = Substring(self)
    while let first = scalars.first, first == " " || first == "\t" || first == "\n" { scalars = scalars.dropFirst() }
    while let last = scalars.last, last == " " || last == "\t" || last == "\n" { scalars = scalars.dropLast() }
    return String(scalars)
  }
}
