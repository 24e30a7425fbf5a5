/// Follows the script's main path — the top-level list, the branches of `if`/`case`, loop bodies, brace
/// groups and the bodies of functions called along the way — to find the commands that can run last
/// (`terminals`) and the commands the main shell runs (`mainPath`).
///
/// `exec` with a program ends the path wherever it is; `exit` ends it too. A function called in tail
/// position contributes its own last commands (the official postgres entrypoint's `_main "$@"` →
/// `exec "$@"`).
extension ShellCommand {
  var isLoop: Bool {
    switch kind {
    case .loop, .forLoop, .arithmeticForLoop: true
    default: false
    }
  }
}

struct ShellMainPathWalker: Sendable {
  let indexByIdentifier: [Int: Int]
  let functionsByName: [String: ShellFunctionDefinition]
  let jobByKey: [Int: Int]
  let execsProgram: [Bool]
  /// Where `shift` and `set -- …` run: a loop that contains one is walked with unknown arguments.
  let parameterChanges: [SourceRange]
  var terminals: [Int] = []
  var mainPath: [Bool]
  var mainJobs: Set<Int> = []
  var callStack: [String] = []
  var memo: [String: Bool] = [:]
  var followsCalls = true
  /// With known arguments, branches they decide are followed alone and each terminal records the
  /// arguments it runs with (a function's call words); nil at parse time, when nothing is decided.
  var arguments: ShellKnownArguments?
  var terminalArguments: [Int: ShellKnownArguments] = [:]
  /// Bounds the walk when calls are followed once per call site (with arguments).
  var budget = 20_000

  static let maximumCallDepth = 64
  static let maximumWalkDepth = 2 * ShellScript.defaultMaximumDepth
  var depth = 0

  init(indexer: ShellIndexer) {
    indexByIdentifier = indexer.indexByIdentifier
    var functions: [String: ShellFunctionDefinition] = [:]
    for function in indexer.functions { functions[function.name] = function.definition }
    functionsByName = functions
    jobByKey = indexer.jobByKey
    execsProgram = indexer.invocations.map(\.execsProgram)
    parameterChanges = indexer.invocations.filter { ShellKnownArguments.changesParameters($0.command) }.map(\.command.range)
    mainPath = Array(repeating: false, count: indexer.invocations.count)
  }

  mutating func record(_ index: Int) {
    terminals.append(index)
    guard let arguments else { return }
    if let earlier = terminalArguments[index], earlier != arguments {
      terminalArguments[index] = .unknown
    } else {
      terminalArguments[index] = arguments
    }
  }

  mutating func walkProgram(_ list: ShellList) {
    _ = walk(list, tail: true, main: true)
    var seen = Set<Int>()
    terminals = terminals.filter { seen.insert($0).inserted }.sorted()
  }

  /// Returns true when the list certainly ends the path (an unconditional `exec` or `exit`).
  mutating func walk(_ list: ShellList, tail: Bool, main: Bool) -> Bool {
    // function calls nest walks of bodies that are themselves nested; keep the stack bounded
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maximumWalkDepth else { return false }
    for (index, item) in list.items.enumerated() {
      let isLast = index == list.items.count - 1
      if item.isBackground {
        if main, let key = item.separatorRange?.start, let job = jobByKey[key] { mainJobs.insert(job) }
        if tail && isLast {
          // report the backgrounded commands themselves (the call, not a function's body, which would
          // not be marked as running in the background)
          let saved = followsCalls
          let savedArguments = arguments
          followsCalls = false
          _ = walk(item, tail: true, main: false)
          followsCalls = saved
          arguments = savedArguments
        }
        continue
      }
      if walk(item, tail: tail && isLast, main: main) { return true }
    }
    return false
  }

  mutating func walk(_ item: ShellAndOrList, tail: Bool, main: Bool) -> Bool {
    var ends = false
    let count = item.pipelines.count
    for (index, pipeline) in item.pipelines.enumerated() {
      let pipelineTail = tail && (index == count - 1 || item.operators[index...].allSatisfy { $0 == .or })
      let pipelineEnds = walk(pipeline, tail: pipelineTail, main: main)
      if count == 1 { ends = pipelineEnds }
    }
    return ends
  }

  mutating func walk(_ pipeline: ShellPipeline, tail: Bool, main: Bool) -> Bool {
    if pipeline.commands.count == 1 { return walk(pipeline.commands[0], tail: tail, main: main) && !pipeline.isNegated }
    // Each stage of a pipeline runs in a subshell: `set --` there does not reach the script.
    let saved = arguments
    for (index, command) in pipeline.commands.enumerated() {
      _ = walk(command, tail: tail && index == pipeline.commands.count - 1, main: false)
      arguments = saved
    }
    return false
  }

  mutating func walk(_ command: ShellCommand, tail: Bool, main: Bool) -> Bool {
    if arguments != nil, command.isLoop, parameterChanges.contains(where: { command.range.contains($0) }) {
      // A later iteration sees what `shift`/`set --` left: decide nothing inside such a loop.
      arguments = .unknown
    }
    switch command.kind {
    case .simple(let simple):
      guard let index = indexByIdentifier[simple.identifier] else { return false }
      if main { mainPath[index] = true }
      if let known = arguments {
        budget -= 1
        if budget < 0 { return false }
        // `set -- redis-server "$@"`, `shift`: the positional parameters change from here on.
        if simple.assignments.isEmpty, let changed = known.changed(by: simple) { arguments = changed }
      }
      if followsCalls, let name = simple.name, let function = functionsByName[name], !callStack.contains(name),
        callStack.count < Self.maximumCallDepth, let outer = arguments
      {
        // With known arguments each call is walked with its own words as `$1`, `$@`…
        callStack.append(name)
        arguments = outer.calling(simple.words.dropFirst())
        let ends = walk(function.body, tail: tail, main: main)
        arguments = outer
        callStack.removeLast()
        return ends
      }
      if followsCalls, let name = simple.name, let function = functionsByName[name], !callStack.contains(name),
        callStack.count < Self.maximumCallDepth
      {
        let key = "\(name)\u{0}\(tail)\u{0}\(main)"
        if let known = memo[key] { return known }
        callStack.append(name)
        memo[key] = false
        let ends = walk(function.body, tail: tail, main: main)
        memo[key] = ends
        callStack.removeLast()
        return ends
      }
      if execsProgram[index] {
        record(index)
        return main
      }
      if simple.name == "exit" {
        if tail { record(index) }
        return main
      }
      if tail { record(index) }
      return false
    case .subshell(let list):
      let saved = arguments
      _ = walk(list, tail: tail, main: false)
      arguments = saved
      return false
    case .braceGroup(let list):
      return walk(list, tail: tail, main: main)
    case .ifClause(let clause):
      var allEnd = clause.elseBody != nil
      var walkedEnd = true
      // The arguments after the clause: those of every branch that can fall through (nil: none yet).
      let before = arguments
      var merged: ShellKnownArguments?? = nil
      func join(_ value: ShellKnownArguments?) {
        if let current = merged { merged = .some(current == value ? current : value.map { _ in .unknown }) } else { merged = .some(value) }
      }
      for branch in clause.branches {
        _ = walk(branch.condition, tail: false, main: main)
        let decision = arguments?.decide(branch.condition)
        if decision == false { continue }
        let entry = arguments
        let ends = walk(branch.body, tail: tail, main: main)
        if !ends { join(arguments) }
        arguments = entry
        // A condition the arguments make true: this branch runs, the later ones never do.
        if decision == true {
          if let merged { arguments = merged }
          return walkedEnd && ends
        }
        if !ends {
          allEnd = false
          walkedEnd = false
        }
      }
      if let elseBody = clause.elseBody {
        let ends = walk(elseBody, tail: tail, main: main)
        if !ends {
          allEnd = false
          join(arguments)
        }
      } else {
        join(arguments)
      }
      arguments = merged ?? before
      return allEnd
    case .loop(let loop):
      let before = arguments
      _ = walk(loop.condition, tail: false, main: main)
      _ = walk(loop.body, tail: tail, main: main)
      if arguments != before { arguments = before.map { _ in .unknown } }
      return false
    case .forLoop(let loop):
      let before = arguments
      _ = walk(loop.body, tail: tail, main: main)
      if arguments != before { arguments = before.map { _ in .unknown } }
      return false
    case .arithmeticForLoop(let loop):
      let before = arguments
      _ = walk(loop.body, tail: tail, main: main)
      if arguments != before { arguments = before.map { _ in .unknown } }
      return false
    case .caseClause(let clause):
      if let decision = arguments?.decide(clause) {
        // The arguments pick one item (or none).
        guard let chosen = decision else { return false }
        return walk(clause.items[chosen].body, tail: tail, main: main)
      }
      let before = arguments
      var changed = false
      for item in clause.items {
        arguments = before
        _ = walk(item.body, tail: tail, main: main)
        if arguments != before { changed = true }
      }
      arguments = changed ? before.map { _ in .unknown } : before
      return false
    case .coprocess(let coprocess):
      if main, let job = jobByKey[command.range.start] { mainJobs.insert(job) }
      _ = walk(coprocess.command, tail: false, main: false)
      return false
    case .functionDefinition, .conditional, .arithmetic:
      return false
    }
  }
}
