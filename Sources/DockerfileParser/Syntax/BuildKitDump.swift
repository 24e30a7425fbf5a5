/// BuildKit's `AST.Dump()` text (the format of BuildKit's `parser/testfiles/*/result`), one
/// S-expression line per instruction: `(copy ["--from=build"] "/app" "/app")`,
/// `(onbuild (run "echo" "hi"))`.
extension Dockerfile {
  /// `result.AST.Dump() + "\n"` as BuildKit's parser tests compare it.
  public func buildKitDump() -> String {
    var output: [UInt8] = []
    for instruction in instructions {
      output.append(0x28)
      output.append(contentsOf: Array(instruction.buildKitDump().utf8))
      output.append(0x29)
      output.append(0x0A)
    }
    return String(decoding: output, as: UTF8.self)
  }
}

extension Instruction {
  /// This instruction's `Node.Dump()` (without the surrounding parentheses).
  public func buildKitDump() -> String {
    // Built from the innermost trigger outwards without recursion: every ONBUILD level wraps the
    // rest in parentheses.
    var prefix = ""
    let levels = arena.levels[record.levels]
    var levelIndex = levels.startIndex + depth
    while levelIndex < levels.endIndex - 1 {
      prefix += dumpHead(levels[levelIndex]) + " ("
      levelIndex += 1
    }
    let innermost = dumpHead(levels[levelIndex]) + dumpValues(levels[levelIndex])
    let nesting = levels.count - 1 - depth
    let text = prefix + innermost.trimmingGoSpace() + String(repeating: ")", count: nesting)
    return text.trimmingGoSpace()
  }

  func dumpHead(_ level: InstructionLevel) -> String {
    var text = String(decoding: GoText.toLower(logicalBytes(level.keywordLogical)), as: UTF8.self)
    if !level.flags.isEmpty {
      text += " [" + arena.flags[level.flags].map { GoText.quote(Array(bytes($0))) }.joined(separator: " ") + "]"
    }
    return text
  }

  func dumpValues(_ level: InstructionLevel) -> String {
    var text = ""
    for word in arena.words[level.words] {
      text += " " + GoText.quote(Array(bytes(word)))
    }
    return text
  }
}
