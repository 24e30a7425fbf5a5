import DockerfileParser

/// The values a shell program's variables are known to hold: the one literal assignment the program
/// makes (`CMD_LINE="nginx -g 'daemon off;'"`), or the image's `ENV` when the program never assigns the
/// name (`vncserver $DISPLAY` with `ENV DISPLAY=:1`). A name assigned twice, read, looped over, set by
/// `${x:=…}`, or possibly set by a sourced file is unknown: precision over recall.
struct ShellVariables {
  struct Value {
    var text: String
    /// The value's bytes in the program's source, when they are the text itself (a plain or quoted
    /// literal without escapes): `sh -c "$CODE"` can then be parsed with locations.
    var code: MappedText?
  }

  private var values: [String: Value] = [:]
  /// Names assigned several literal values (in the branches of an `if` or a `case`) and nothing else:
  /// the non-empty values, in source order.
  private var alternatives: [String: [String]] = [:]

  static let empty = ShellVariables()

  private init() {}

  /// `sourced`: the files the program reads with `.`/`source`, when every one of them is known (their
  /// assignments count as the program's own; nil when one is not, so the ENV is no longer trusted).
  init(script: ShellScript, source: SourceFile, environment: [String: String], sourced: [ShellScript]? = nil) {
    var assignments: [String: [ShellAssignment?]] = [:]
    var sources = false
    func mark(_ name: String, _ assignment: ShellAssignment?) { assignments[name, default: []].append(assignment) }
    var sourcedMarks: [String: [ShellAssignment?]] = [:]
    for file in sourced ?? [] {
      for invocation in file.allInvocationsIncludingEmbedded {
        for assignment in invocation.command.assignments {
          // A sourced file's value has no place in this program's source: known, without code.
          sourcedMarks[assignment.name, default: []].append(invocation.command.words.isEmpty && assignment.arraySubscript == nil ? assignment : nil)
        }
        let name = invocation.command.name ?? ""
        if ["export", "local", "declare", "readonly", "typeset", "read", "unset"].contains(name) {
          for word in invocation.command.words.dropFirst() { sourcedMarks[String(word.raw.prefix { $0 != "=" }), default: []].append(nil) }
        }
      }
    }
    for invocation in script.allInvocationsIncludingEmbedded {
      let command = invocation.command
      for assignment in command.assignments {
        // `A=1 cmd` sets A for cmd alone, but then the later value is not this one either.
        mark(assignment.name, command.words.isEmpty && assignment.arraySubscript == nil && !assignment.isAppend && assignment.arrayElements == nil ? assignment : nil)
      }
      let name = command.name ?? ""
      if (name == "." || name == "source") && sourced == nil { sources = true }
      let declares = ["export", "local", "declare", "readonly", "typeset"].contains(name)
      let reads = ["read", "getopts", "mapfile", "readarray", "printf", "let", "unset"].contains(name)
      for word in command.words.dropFirst() {
        let raw = word.raw
        if declares || reads, let equals = raw.firstIndex(of: "=") {
          mark(String(raw[..<equals]), nil)
        } else if reads, raw.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
          mark(raw, nil)
        }
        for parameter in word.parameterExpansions where parameter.operation == .assignDefault || parameter.operation == .assignDefaultIfUnset {
          mark(parameter.name, nil)
        }
      }
    }
    // `for NAME in …` and `select NAME`: a byte scan, as the loop variable is not indexed.
    let bytes = script.source.bytes
    func isNameByte(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "_") || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) }
    for keyword in ["for ", "select "].map({ Array($0.utf8) }) where bytes.count > keyword.count {
      var index = 0
      while index + keyword.count < bytes.count {
        if bytes[index..<index + keyword.count].elementsEqual(keyword), index == 0 || !isNameByte(bytes[index - 1]) {
          var end = index + keyword.count
          while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
          if end > index + keyword.count { mark(String(decoding: bytes[(index + keyword.count)..<end], as: UTF8.self), nil) }
          index = end
        } else {
          index += 1
        }
      }
    }
    for (name, list) in assignments where list.count == 1 && sourcedMarks[name] == nil {
      guard let assignment = list[0], let word = assignment.value, let text = word.literalValue else { continue }
      values[name] = Value(text: text, code: Self.code(of: word, text: text, in: source))
    }
    for (name, list) in assignments where list.count > 1 && sourcedMarks[name] == nil {
      // `x=` (an empty reset before the branches) adds no alternative.
      let texts: [String?] = list.map { assignment in
        guard let assignment else { return nil }
        guard let word = assignment.value else { return "" }
        return word.literalValue
      }
      guard texts.allSatisfy({ $0 != nil }) else { continue }
      var seen = Set<String>()
      let distinct = texts.compactMap { $0 }.filter { !$0.isEmpty && seen.insert($0).inserted }
      if distinct.count > 1 { alternatives[name] = distinct }
    }
    for (name, list) in sourcedMarks where list.count == 1 && assignments[name] == nil {
      guard let assignment = list[0], let text = assignment.value?.literalValue else { continue }
      values[name] = Value(text: text, code: nil)
    }
    for name in sourcedMarks.keys { assignments[name, default: []].append(nil) }
    if !sources {
      for (name, value) in environment where assignments[name] == nil { values[name] = Value(text: value, code: nil) }
    }
  }

  /// The bytes of a literal value in its file, when they are exactly its text.
  static func code(of word: ShellWord, text: String, in source: SourceFile) -> MappedText? {
    guard word.parts.count == 1 else { return nil }
    var range = word.parts[0].range
    switch word.parts[0].kind {
    case .literal: break
    case .singleQuoted, .doubleQuoted:
      guard range.end - range.start >= 2 else { return nil }
      range = SourceRange(start: range.start + 1, end: range.end - 1)
    default: return nil
    }
    guard range.end <= source.bytes.count, source.text(of: range) == text else { return nil }
    var mapped = MappedText()
    mapped.appendVerbatim(source.bytes[range.start..<range.end], originalStart: range.start)
    return mapped
  }

  func value(of name: String) -> Value? { values[name] }

  /// The program a command word names when it is a variable assigned one of several paths that all
  /// name the same program (`systemd=/lib/systemd/systemd` or `systemd=/sbin/init`, by branch): the
  /// first, with the alternatives. nil when the value is known, or the alternatives differ.
  func programAlternatives(of word: ShellWord) -> [String]? {
    guard let name = word.variableName, values[name] == nil, let list = alternatives[name],
      list.allSatisfy({ !$0.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "$" }) }),
      let first = list.first.flatMap(ProgramTable.record(for:)),
      list.dropFirst().allSatisfy({ ProgramTable.record(for: $0).map { $0.playsSameRole(as: first) } ?? false })
    else { return nil }
    return list
  }

  /// A word's value when it is made of literals and known variables only (no splitting is implied).
  func evaluate(_ word: ShellWord) -> String? {
    if let literal = word.literalValue { return literal }
    return evaluate(word.parts)
  }

  private func evaluate(_ parts: [ShellWordPart]) -> String? {
    var result = ""
    for part in parts {
      switch part.kind {
      case .literal(let text), .escaped(let text), .singleQuoted(let text), .ansiCQuoted(let text):
        result += text
      case .doubleQuoted(let inner):
        guard let text = evaluate(inner) else { return nil }
        result += text
      case .parameter(let parameter):
        guard parameter.arraySubscript == nil, !parameter.isLength, !parameter.isIndirect, let value = values[parameter.name] else { return nil }
        switch parameter.operation {
        case nil: result += value.text
        case .useDefault?, .useDefaultIfUnset?: result += value.text
        default: return nil
        }
      default:
        return nil
      }
    }
    return result
  }

  /// The words an unquoted `$NAME` splits into (no quote removal: the shell does not re-parse).
  func fields(of word: ShellWord) -> [String]? {
    guard word.parts.count == 1, case .parameter(let parameter) = word.parts[0].kind, parameter.operation == nil,
      parameter.arraySubscript == nil, !parameter.isLength, !parameter.isIndirect, let value = values[parameter.name]
    else { return nil }
    return value.text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
  }
}
