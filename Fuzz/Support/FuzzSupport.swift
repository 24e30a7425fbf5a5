// Shared by every fuzz target (compiled into each target's module by Scripts/fuzz.sh).
import DockerfileParser

#if canImport(Glibc)
  import Glibc
#endif

/// Stops the fuzzer with a message: libFuzzer reports the abort as a crash and saves the input.
func fuzzFailure(_ message: String) -> Never {
  var text = "fuzz property violated: \(message)\n"
  text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
  abort()
}

/// A Dockerfile plus build-context files, packed in one fuzz input.
///
/// The input up to the first line `@@@ PATH` is the Dockerfile; each `@@@ PATH` line starts a context file
/// at PATH (relative; at most 32 files). `Fuzz/make-seeds.sh` writes real repositories in this shape.
struct FuzzArchive {
  var dockerfile: [UInt8]
  var files: [(path: String, bytes: [UInt8])]

  static let marker: [UInt8] = Array("\n@@@ ".utf8)

  init(_ data: [UInt8]) {
    var sections: [[UInt8]] = []
    var start = 0
    var index = 0
    let count = data.count
    while index + Self.marker.count <= count {
      if data[index] == 0x0A && data[index..<(index + Self.marker.count)].elementsEqual(Self.marker) {
        sections.append(Array(data[start..<index]))
        start = index + 1
        index += Self.marker.count
        continue
      }
      index += 1
    }
    sections.append(Array(data[start..<count]))
    dockerfile = sections[0]
    files = []
    var seen = Set<String>()
    for section in sections.dropFirst().prefix(32) {
      // "@@@ PATH\nBYTES"
      let body = section.dropFirst(4)
      let newline = body.firstIndex(of: 0x0A) ?? body.endIndex
      var path = String(decoding: body[body.startIndex..<newline], as: UTF8.self)
      while path.hasPrefix("/") { path.removeFirst() }
      // A path given twice keeps its first content (every target and both fix passes see the same files).
      if path.isEmpty || path.utf8.count > 200 || !seen.insert(path).inserted { continue }
      let bytes = newline < body.endIndex ? Array(body[(newline + 1)...]) : []
      files.append((path, bytes))
    }
  }
}

/// Checks that every range of a syntax tree lies inside `0...size` (explicit walks: reflection is too
/// slow for fuzzing).
struct RangeChecker {
  let size: Int
  let what: String

  func check(_ range: SourceRange, _ node: @autoclosure () -> String) {
    if range.start < 0 || range.end > size { fuzzFailure("\(what): \(node()) range \(range) outside 0..<\(size)") }
  }

  func check(_ file: Dockerfile) {
    for directive in file.directives {
      check(directive.range, "directive")
      check(directive.nameRange, "directive name")
      check(directive.valueRange, "directive value")
    }
    for issue in file.issues { check(issue.range, "issue \(issue.message)") }
    for instruction in file.instructions {
      var current: Instruction? = instruction
      while let item = current {
        check(item.range, "instruction")
        check(item.keywordRange, "keyword")
        check(item.argumentsRange, "arguments")
        for flag in item.flags {
          check(flag.range, "flag")
          check(flag.nameRange, "flag name")
          if let value = flag.valueRange { check(value, "flag value") }
        }
        for word in item.valueWords { check(word.range, "value word") }
        for heredoc in item.heredocs {
          check(heredoc.markerRange, "heredoc marker")
          check(heredoc.nameRange, "heredoc name")
          check(heredoc.bodyRange, "heredoc body")
          if let terminator = heredoc.terminatorRange { check(terminator, "heredoc terminator") }
        }
        current = item.triggerInstruction
      }
    }
  }

  func check(_ script: ShellScript) {
    list(script.body)
    for diagnostic in script.diagnostics { check(diagnostic.range, "diagnostic \(diagnostic.message)") }
    for bashism in script.bashisms { check(bashism.range, "bashism") }
    for invocation in script.invocations { check(invocation.range, "invocation") }
    for function in script.functions { check(function.range, "function") }
    for job in script.backgroundJobs {
      check(job.range, "background job")
      if let ampersand = job.ampersandRange { check(ampersand, "ampersand") }
    }
    for loop in script.loops { check(loop.range, "loop") }
  }

  func list(_ list: ShellList) {
    check(list.range, "list")
    for item in list.items {
      check(item.range, "and-or list")
      if let separator = item.separatorRange { check(separator, "separator") }
      for pipeline in item.pipelines {
        check(pipeline.range, "pipeline")
        for command in pipeline.commands { self.command(command) }
      }
    }
  }

  func command(_ command: ShellCommand) {
    check(command.range, "command")
    for redirection in command.redirections {
      check(redirection.range, "redirection")
      if let target = redirection.target { word(target) }
      if let heredoc = redirection.heredoc {
        check(heredoc.bodyRange, "heredoc body")
        if let terminator = heredoc.terminatorRange { check(terminator, "heredoc terminator") }
        parts(heredoc.parts ?? [])
      }
    }
    switch command.kind {
    case .simple(let simple):
      check(simple.range, "simple command")
      for assignment in simple.assignments {
        check(assignment.range, "assignment")
        if let value = assignment.value { word(value) }
        for element in assignment.arrayElements ?? [] { word(element) }
      }
      for word in simple.words { self.word(word) }
    case .subshell(let body), .braceGroup(let body): list(body)
    case .ifClause(let clause):
      for branch in clause.branches {
        list(branch.condition)
        list(branch.body)
      }
      if let body = clause.elseBody { list(body) }
    case .loop(let loop):
      list(loop.condition)
      list(loop.body)
    case .forLoop(let loop):
      for word in loop.words ?? [] { self.word(word) }
      list(loop.body)
    case .arithmeticForLoop(let loop):
      for expression in [loop.initializer, loop.condition, loop.update] {
        check(expression.range, "arithmetic")
        parts(expression.parts)
      }
      list(loop.body)
    case .caseClause(let clause):
      word(clause.subject)
      for item in clause.items {
        check(item.range, "case item")
        for pattern in item.patterns { word(pattern) }
        list(item.body)
      }
    case .conditional(let expression): for word in expression.words { self.word(word) }
    case .arithmetic(let expression):
      check(expression.range, "arithmetic")
      parts(expression.parts)
    case .functionDefinition(let definition):
      check(definition.nameRange, "function name")
      self.command(definition.body)
    case .coprocess(let coprocess): self.command(coprocess.command)
    }
  }

  func word(_ word: ShellWord) {
    check(word.range, "word")
    parts(word.parts)
  }

  func parts(_ parts: [ShellWordPart]) {
    for part in parts {
      check(part.range, "word part")
      switch part.kind {
      case .literal, .escaped, .singleQuoted, .ansiCQuoted, .tilde, .extendedGlob: break
      case .doubleQuoted(let inner), .localeQuoted(let inner): self.parts(inner)
      case .parameter(let parameter):
        check(parameter.range, "parameter")
        for argument in parameter.arguments { word(argument) }
      case .commandSubstitution(let substitution):
        check(substitution.range, "command substitution")
        list(substitution.body)
      case .arithmetic(let expression):
        check(expression.range, "arithmetic")
        self.parts(expression.parts)
      case .processSubstitution(let substitution):
        check(substitution.range, "process substitution")
        list(substitution.body)
      case .array(let words): for word in words { self.word(word) }
      }
    }
  }
}
