/// Wrapper resolution and the shell code embedded in strings (`su -c '…'`, `trap '…' TERM`, `eval '…'`).
extension ShellParser {
  mutating func resolve(_ simple: inout ShellSimpleCommand) {
    var resolution = ShellResolvedCommand.resolve(simple.words)
    var embedded: ShellScript?
    if let codeIndex = resolution.codeIndex, codeIndex < simple.words.count,
      let mapped = mappedCode(simple.words[codeIndex])
    {
      let script = parseEmbedded(mapped, dialect: resolution.resolved.program == "bash" ? .bash : .posix)
      embedded = script
      if resolution.programInCode {
        let terminals = script.terminalCommands
        if terminals.count == 1, let inner = terminals.first, !inner.isBackground {
          let innerResolved = inner.command.resolved
          resolution.resolved.programWord = innerResolved.programWord
          resolution.resolved.arguments = innerResolved.arguments
          resolution.resolved.environment += innerResolved.environment
          resolution.resolved.wrappers += innerResolved.wrappers.map { wrapper in
            var copy = wrapper
            copy.isInEmbeddedCode = true
            return copy
          }
        }
      }
    } else if simple.name == "trap" {
      var arguments = Array(simple.words.dropFirst())
      if arguments.first?.literalValue == "--" { arguments.removeFirst() }
      if arguments.count >= 2, arguments[0].literalValue.map({ !$0.isEmpty && $0 != "-" }) ?? true,
        let mapped = mappedCode(arguments[0])
      {
        let script = parseEmbedded(mapped, dialect: .posix)
        bashisms += script.bashisms
        embedded = script
      }
    } else if simple.name == "eval", simple.words.count > 1 {
      var mapped = MappedText()
      var literal = true
      for (offset, word) in simple.words.dropFirst().enumerated() {
        if offset > 0 { mapped.appendDecoded([0x20], originalStart: word.range.start, originalLength: 0) }
        guard appendMapped(word.parts, to: &mapped) else {
          literal = false
          break
        }
      }
      if literal {
        let script = parseEmbedded(mapped, dialect: .posix)
        bashisms += script.bashisms
        embedded = script
      }
    }
    simple.resolved = resolution.resolved
    simple.embedded = embedded.map { [$0] } ?? []
  }

  /// The literal value of `word` with its map to the original file; nil when it has expansions.
  func mappedLiteral(_ word: ShellWord) -> MappedText? {
    var mapped = MappedText()
    return appendMapped(word.parts, to: &mapped) ? mapped : nil
  }

  /// The code in a string argument (`-c "…"`, a trap action): its literal value, or for a double-quoted
  /// string with expansions (`"kill $pid"`), its text with the expansions kept as written. Nil for a
  /// word that is only an expansion (`"$CMD"`).
  func mappedCode(_ word: ShellWord) -> MappedText? {
    if let literal = mappedLiteral(word) { return literal }
    var mapped = MappedText()
    var hasText = false
    for part in word.parts {
      switch part.kind {
      case .doubleQuoted(let inner):
        for piece in inner {
          switch piece.kind {
          case .literal, .escaped: hasText = true
          default: break
          }
          if case .escaped(let value) = piece.kind {
            mapped.appendDecoded(Array(value.utf8), from: text, piece.logical)
          } else {
            mapped.append(from: text, piece.logical)
          }
        }
      default:
        guard appendMapped([part], to: &mapped, keepingExpansions: true) else { return nil }
        if case .literal = part.kind { hasText = true }
      }
    }
    return hasText ? mapped : nil
  }

  func appendMapped(_ parts: [ShellWordPart], to mapped: inout MappedText, keepingExpansions: Bool = false) -> Bool {
    for part in parts {
      switch part.kind {
      case .literal, .extendedGlob:
        mapped.append(from: text, part.logical)
      case .escaped(let value), .ansiCQuoted(let value):
        mapped.appendDecoded(Array(value.utf8), from: text, part.logical)
      case .singleQuoted:
        mapped.append(
          from: text,
          (part.logical.lowerBound + 1)..<Swift.max(part.logical.lowerBound + 1, part.logical.upperBound - 1))
      case .doubleQuoted(let inner):
        guard appendMapped(inner, to: &mapped) else { return false }
      case .localeQuoted(let inner):
        guard appendMapped(inner, to: &mapped) else { return false }
      case .parameter, .commandSubstitution, .arithmetic, .processSubstitution, .tilde, .array:
        guard keepingExpansions else { return false }
        mapped.append(from: text, part.logical)
      }
    }
    return true
  }

  func parseEmbedded(_ mapped: MappedText, dialect: ShellDialect) -> ShellScript {
    ShellScript.parseEmbedded(mapped, dialect: dialect, depth: depth + 1, maximumDepth: maximumDepth)
  }
}
