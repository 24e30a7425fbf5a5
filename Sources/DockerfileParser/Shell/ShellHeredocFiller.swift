/// Puts here-document bodies, read after their command line ended, into the redirections that started them.
struct ShellHeredocFiller {
  let heredocs: [ShellHeredoc?]

  func fill(_ list: inout ShellList) {
    for itemIndex in list.items.indices {
      for pipelineIndex in list.items[itemIndex].pipelines.indices {
        for commandIndex in list.items[itemIndex].pipelines[pipelineIndex].commands.indices {
          fill(&list.items[itemIndex].pipelines[pipelineIndex].commands[commandIndex])
        }
      }
    }
  }

  func fill(_ command: inout ShellCommand) {
    for index in command.redirections.indices {
      if let heredocIndex = command.redirections[index].heredocIndex, heredocIndex < heredocs.count {
        command.redirections[index].heredoc = heredocs[heredocIndex]
      }
      if command.redirections[index].target != nil { fill(&command.redirections[index].target!) }
    }
    switch command.kind {
    case .simple(var simple):
      for index in simple.assignments.indices { fill(&simple.assignments[index]) }
      for index in simple.words.indices { fill(&simple.words[index]) }
      // The resolved program and arguments are copies of words filled just above: take those copies
      // rather than filling them again (each nesting level would double the work: 2^depth for
      // `$( $( … ) )`). Words from code embedded in a string (`sh -c '…'`) are not among them; their
      // own parse filled their here-documents.
      if simple.resolved.programWord != nil || !simple.resolved.arguments.isEmpty {
        var filled: [SourceRange: Int] = [:]
        for index in simple.words.indices { filled[simple.words[index].range] = index }
        if let word = simple.resolved.programWord, let index = filled[word.range] {
          simple.resolved.programWord = simple.words[index]
        }
        for index in simple.resolved.arguments.indices {
          if let wordIndex = filled[simple.resolved.arguments[index].range] {
            simple.resolved.arguments[index] = simple.words[wordIndex]
          }
        }
      }
      command.kind = .simple(simple)
    case .subshell(var list):
      fill(&list)
      command.kind = .subshell(list)
    case .braceGroup(var list):
      fill(&list)
      command.kind = .braceGroup(list)
    case .ifClause(var clause):
      for index in clause.branches.indices {
        fill(&clause.branches[index].condition)
        fill(&clause.branches[index].body)
      }
      if clause.elseBody != nil { fill(&clause.elseBody!) }
      command.kind = .ifClause(clause)
    case .loop(var loop):
      fill(&loop.condition)
      fill(&loop.body)
      command.kind = .loop(loop)
    case .forLoop(var loop):
      if loop.words != nil { for index in loop.words!.indices { fill(&loop.words![index]) } }
      fill(&loop.body)
      command.kind = .forLoop(loop)
    case .arithmeticForLoop(var loop):
      fill(&loop.initializer.parts)
      fill(&loop.condition.parts)
      fill(&loop.update.parts)
      fill(&loop.body)
      command.kind = .arithmeticForLoop(loop)
    case .caseClause(var clause):
      fill(&clause.subject)
      for index in clause.items.indices {
        for pattern in clause.items[index].patterns.indices { fill(&clause.items[index].patterns[pattern]) }
        fill(&clause.items[index].body)
      }
      command.kind = .caseClause(clause)
    case .conditional(var expression):
      for index in expression.words.indices { fill(&expression.words[index]) }
      command.kind = .conditional(expression)
    case .arithmetic(var expression):
      fill(&expression.parts)
      command.kind = .arithmetic(expression)
    case .functionDefinition(var definition):
      fill(&definition.body)
      command.kind = .functionDefinition(definition)
    case .coprocess(var coprocess):
      fill(&coprocess.command)
      command.kind = .coprocess(coprocess)
    }
  }

  func fill(_ assignment: inout ShellAssignment) {
    if assignment.value != nil { fill(&assignment.value!) }
    if assignment.arrayElements != nil {
      for index in assignment.arrayElements!.indices { fill(&assignment.arrayElements![index]) }
    }
  }

  func fill(_ word: inout ShellWord) {
    fill(&word.parts)
  }

  func fill(_ parts: inout [ShellWordPart]) {
    for index in parts.indices {
      switch parts[index].kind {
      case .doubleQuoted(var inner):
        fill(&inner)
        parts[index].kind = .doubleQuoted(inner)
      case .localeQuoted(var inner):
        fill(&inner)
        parts[index].kind = .localeQuoted(inner)
      case .parameter(var parameter):
        guard !parameter.arguments.isEmpty else { continue }
        for argument in parameter.arguments.indices { fill(&parameter.arguments[argument]) }
        parts[index].kind = .parameter(parameter)
      case .commandSubstitution(var substitution):
        guard !substitution.isBackquoted else { continue }
        fill(&substitution.body)
        parts[index].kind = .commandSubstitution(substitution)
      case .processSubstitution(var substitution):
        fill(&substitution.body)
        parts[index].kind = .processSubstitution(substitution)
      case .arithmetic(var expression):
        fill(&expression.parts)
        parts[index].kind = .arithmetic(expression)
      case .array(var words):
        for word in words.indices { fill(&words[word]) }
        parts[index].kind = .array(words)
      case .literal, .escaped, .singleQuoted, .ansiCQuoted, .tilde, .extendedGlob:
        continue
      }
    }
  }
}
