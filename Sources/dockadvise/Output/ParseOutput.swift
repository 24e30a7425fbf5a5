import DockerfileParser

/// The `parse --format json` document, with the field meanings of `../shared/tools/dockerfile-oracle.py`.
enum ParseOutput {
  static func json(_ dockerfile: Dockerfile) -> JSONWriter.Value {
    .object([("instructions", .array(dockerfile.instructions.map(instruction)))])
  }

  static func instruction(_ instruction: Instruction) -> JSONWriter.Value {
    // Like BuildKit's Python bindings: for ONBUILD, the trigger's keyword, JSON flag and value; the
    // ONBUILD's own flags and heredocs.
    var subCommand = JSONWriter.Value.null
    var target = instruction
    var value: [JSONWriter.Value]
    if let trigger = instruction.triggerInstruction {
      subCommand = .bytes(lowercased(trigger.keywordBytes))
      target = trigger
      value = trigger.triggerInstruction != nil ? [.bytes([])] : trigger.valueWords.map { .bytes($0.bytes) }
    } else {
      value = instruction.valueWords.map { .bytes($0.bytes) }
    }
    return .object([
      ("cmd", .bytes(lowercased(instruction.keywordBytes))),
      ("sub_cmd", subCommand),
      ("flags", .array(instruction.flags.map { .bytes($0.bytes) })),
      ("json", .bool(target.isJSON)),
      ("value", .array(value)),
      ("start_line", .int(instruction.startLine)),
      ("end_line", .int(instruction.endLine)),
      (
        "heredocs",
        .array(
          instruction.heredocs.map { heredoc in
            .object([
              ("name", .string(heredoc.name)),
              ("fd", .int(Int(clamping: heredoc.fileDescriptor))),
              ("expand", .bool(heredoc.expands)),
              ("chomp", .bool(heredoc.stripsLeadingTabs)),
              ("content", .bytes(heredoc.content)),
            ])
          })
      ),
    ])
  }

  static func lowercased(_ bytes: [UInt8]) -> [UInt8] {
    Array(String(decoding: bytes, as: UTF8.self).lowercased().utf8)
  }
}
