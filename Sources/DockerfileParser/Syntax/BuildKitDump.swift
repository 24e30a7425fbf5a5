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
    var levelIndex = depth
    let levels = storage.levels
    while levelIndex < levels.count - 1 {
      prefix += Self.dumpHead(levels[levelIndex], storage) + " ("
      levelIndex += 1
    }
    let innermost = Self.dumpHead(levels[levelIndex], storage) + Self.dumpValues(levels[levelIndex], storage)
    let nesting = levels.count - 1 - depth
    let text = prefix + innermost.trimmingGoSpace() + String(repeating: ")", count: nesting)
    return text.trimmingGoSpace()
  }

  static func dumpHead(_ level: InstructionLevel, _ storage: InstructionStorage) -> String {
    var text = String(decoding: GoText.toLower(storage.line.bytes[level.keywordLogical]), as: UTF8.self)
    if !level.flags.isEmpty {
      text += " [" + level.flags.map { GoText.quote(Array(storage.bytes($0))) }.joined(separator: " ") + "]"
    }
    return text
  }

  static func dumpValues(_ level: InstructionLevel, _ storage: InstructionStorage) -> String {
    var text = ""
    for word in level.words {
      text += " " + GoText.quote(Array(storage.bytes(word)))
    }
    return text
  }
}
