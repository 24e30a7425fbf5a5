/// A readable S-expression dump of the whole tree, used by the golden tests
/// (`Fixtures/parser/<case>/expected.ast`): directives, and for every instruction its kind, lines,
/// ranges, keyword, flags, BuildKit value words, JSON flag, heredocs, trigger, and its pieces.
/// Ranges print as `line:column-line:column` (1-based, end exclusive).
extension Dockerfile {
  public func syntaxDump() -> String {
    var lines: [String] = []
    func at(_ range: SourceRange) -> String {
      let start = source.location(of: range.start)
      let end = source.location(of: range.end)
      return "\(start.line):\(start.column)-\(end.line):\(end.column)"
    }
    if hasByteOrderMark { lines.append("(bom)") }
    for directive in directives {
      lines.append("(directive \(directive.name) \(GoText.quote(Array(directive.value.utf8))) \(at(directive.range)))")
    }
    lines.append("(escape \(GoText.quote([escapeByte])))")
    for instruction in instructions {
      dump(instruction, indent: "", into: &lines, at: at)
      let kinds = pieces(of: instruction).map { "\(Self.pieceCode($0.kind))\(at($0.range))" }
      lines.append("(pieces \(kinds.joined(separator: " ")))")
    }
    for stage in stages {
      var text = "(stage \(stage.index) base=\(GoText.quote(Array(stage.baseName.utf8)))"
      if let name = stage.name { text += " name=\(GoText.quote(Array(name.utf8)))" }
      if let base = stage.baseStageIndex { text += " from-stage=\(base)" }
      text += " instructions=\(stage.instructionIndices.lowerBound)..<\(stage.instructionIndices.upperBound))"
      lines.append(text)
    }
    if !globalArgumentIndices.isEmpty {
      lines.append("(global-args \(globalArgumentIndices.map(String.init).joined(separator: " ")))")
    }
    for issue in issues {
      lines.append("(\(issue.severity.rawValue) \(issue.layer.rawValue) \(issue.code.rawValue) \(at(issue.range)) \(GoText.quote(Array(issue.message.utf8))))")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func dump(_ instruction: Instruction, indent: String, into lines: inout [String], at: (SourceRange) -> String) {
    // ONBUILD triggers are dumped iteratively, one indentation step per level.
    var current: Instruction? = instruction
    var depth = 0
    while let item = current {
      let pad = indent + String(repeating: "  ", count: depth)
      var head = "\(pad)(\(item.kind.name.isEmpty ? "\"\"" : item.kind.name)"
      if case .unknown = item.kind { head = "\(pad)(unknown \(GoText.quote(item.keywordBytes))" }
      if depth == 0 { head += " lines=\(item.startLine)-\(item.endLine) \(at(item.range))" }
      if item.isJSON { head += " json" } else if item.looksLikeJSON { head += " looks-like-json" }
      lines.append(head)
      lines.append("\(pad)  (keyword \(GoText.quote(item.keywordBytes)) \(at(item.keywordRange)))")
      for flag in item.flags {
        var text = "\(pad)  (flag \(GoText.quote(flag.bytes)) \(at(flag.range)) name=\(at(flag.nameRange))"
        if let valueRange = flag.valueRange { text += " value=\(at(valueRange))" }
        lines.append(text + ")")
      }
      lines.append("\(pad)  (arguments \(at(item.argumentsRange)) \(GoText.quote(item.arguments.bytes)))")
      for word in item.valueWords {
        lines.append("\(pad)  (value \(GoText.quote(word.bytes)) \(at(word.range)))")
      }
      if depth <= 1 {
        for heredoc in item.heredocs where depth == 0 || instruction.kind != .onbuild {
          var text = "\(pad)  (heredoc \(GoText.quote(Array(heredoc.name.utf8))) fd=\(heredoc.fileDescriptor)"
          text += heredoc.stripsLeadingTabs ? " strip-tabs" : ""
          text += heredoc.expands ? " expand" : " literal"
          text += " marker=\(at(heredoc.markerRange)) name=\(at(heredoc.nameRange)) body=\(at(heredoc.bodyRange))"
          text += heredoc.terminatorRange.map { " terminator=\(at($0))" } ?? " unterminated"
          text += " \(GoText.quote(heredoc.content)))"
          lines.append(text)
        }
      }
      if let form = item.commandForm {
        switch form {
        case .exec(let arguments):
          let items = arguments.map { "\(GoText.quote($0.bytes))@\(at($0.contentRange))" }
          lines.append("\(pad)  (exec \(items.joined(separator: " ")))")
        case .shell(let text, let looksLikeJSON):
          let range = text.segments.isEmpty ? "" : " " + at(text.originalRange(0, text.count))
          lines.append("\(pad)  (shell\(looksLikeJSON ? " looks-like-json" : "")\(range) \(GoText.quote(text.bytes)))")
        }
      }
      for pair in item.keyValuePairs {
        var text = "\(pad)  (pair \(GoText.quote(pair.key.bytes))@\(at(pair.key.range))"
        if let value = pair.value { text += " \(GoText.quote(value.bytes))@\(at(value.range))" }
        if let unquoted = pair.unquotedValue { text += " unquoted=\(GoText.quote(Array(unquoted.utf8)))" }
        text += pair.value != nil && !pair.hasEquals ? " legacy" : ""
        lines.append(text + ")")
      }
      current = item.triggerInstruction
      depth += 1
    }
    lines[lines.count - 1] += String(repeating: ")", count: depth)
  }

  static func pieceCode(_ kind: SyntaxPiece.Kind) -> String {
    switch kind {
    case .byteOrderMark: "bom"
    case .directive: "dir"
    case .comment: "com"
    case .whitespace: "ws"
    case .newline: "nl"
    case .keyword: "kw"
    case .flag: "flag"
    case .arguments: "args"
    case .lineContinuation: "cont"
    case .continuationComment: "ccom"
    case .emptyContinuationLine: "empty"
    case .heredocBody: "body"
    case .heredocTerminator: "term"
    }
  }
}
