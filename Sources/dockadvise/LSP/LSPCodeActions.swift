import DockerfileParser
import MultiProcAdvisor

/// Quick fixes for the findings under a range: each finding's fix as a `WorkspaceEdit`, and the two
/// pragmas that silence it (`# dockadvise ignore=DAxxx` above the statement, `global` at the top).
enum LSPCodeActions {
  /// What the server knows about a file an edit touches.
  struct Files {
    /// The bytes the fix's offsets refer to, by absolute path.
    var bytes: (String) -> [UInt8]?
    /// The open document's version, nil when it is not open.
    var version: (String) -> Int?
  }

  static func actions(for findings: [(finding: Finding, location: FileRange, diagnostic: JSONWriter.Value)], snapshot: LSPLintSnapshot, files: Files)
    -> [JSONWriter.Value]
  {
    var actions: [JSONWriter.Value] = []
    var fileWide: Set<String> = []
    for (finding, location, diagnostic) in findings {
      if let fix = finding.fix, let edit = workspaceEdit(fix, files: files) {
        let title = (fix.safety == .unsafe ? "Unsafe fix: " : "Fix: ") + fix.title + " (\(finding.ruleID))"
        actions.append(.object([
          ("title", .string(title)), ("kind", .string("quickfix")), ("diagnostics", .array([diagnostic])),
          ("isPreferred", .bool(fix.safety == .safe)), ("edit", edit),
        ]))
      }
      let path = location.file.path
      guard let bytes = files.bytes(path) else { continue }
      let line = pragmaLine(for: location, snapshot: snapshot)
      let lineEdit = pragmaEdit(bytes: bytes, beforeLine: line, text: "# dockadvise ignore=\(finding.ruleID)")
      actions.append(.object([
        ("title", .string("Ignore \(finding.ruleID) on this line")), ("kind", .string("quickfix")), ("diagnostics", .array([diagnostic])),
        ("edit", .object([("documentChanges", .array([documentEdit(path: path, version: files.version(path), edits: [lineEdit])]))])),
      ]))
      if fileWide.insert(path + "\u{0}" + finding.ruleID).inserted {
        let globalEdit = pragmaEdit(bytes: bytes, beforeLine: headerEnd(bytes), text: "# dockadvise global ignore=\(finding.ruleID)")
        actions.append(.object([
          ("title", .string("Ignore \(finding.ruleID) in this file")), ("kind", .string("quickfix")), ("diagnostics", .array([diagnostic])),
          ("edit", .object([("documentChanges", .array([documentEdit(path: path, version: files.version(path), edits: [globalEdit])]))])),
        ]))
      }
    }
    return actions
  }

  /// The fix as `documentChanges`: one `TextDocumentEdit` per file, `CreateFile` + an insertion for
  /// each created file. Nil when a file it edits cannot be read.
  static func workspaceEdit(_ fix: Fix, files: Files) -> JSONWriter.Value? {
    var changes: [JSONWriter.Value] = []
    var byPath: [String: [TextEdit]] = [:]
    var order: [String] = []
    let created = Set(fix.createdFiles.map(\.path))
    for edit in fix.edits where !created.contains(edit.path) {
      if byPath[edit.path] == nil { order.append(edit.path) }
      byPath[edit.path, default: []].append(edit)
    }
    for path in order {
      guard path.hasPrefix("/"), let bytes = files.bytes(path) else { return nil }
      let index = LSPLineIndex(bytes: bytes)
      let edits = byPath[path]!.sorted { $0.range.start < $1.range.start }.map { edit -> JSONWriter.Value in
        .object([("range", index.range(edit.range)), ("newText", .bytes(edit.replacement))])
      }
      changes.append(documentEdit(path: path, version: files.version(path), edits: edits))
    }
    for file in fix.createdFiles {
      guard file.path.hasPrefix("/") else { return nil }
      var contents = file.contents
      // Edits the fix makes to a file it creates apply to the created contents.
      let edits = fix.edits.filter { $0.path == file.path }
      if !edits.isEmpty { contents = EditApplier.splice(contents, edits) }
      let uri = LSPURI.uri(file.path)
      changes.append(.object([("kind", .string("create")), ("uri", .string(uri)), ("options", .object([("overwrite", .bool(true))]))]))
      let insert: JSONWriter.Value = .object([
        ("range", .object([("start", LSPLineIndex.value((0, 0))), ("end", LSPLineIndex.value((0, 0)))])), ("newText", .bytes(contents)),
      ])
      changes.append(.object([("textDocument", .object([("uri", .string(uri)), ("version", .null)])), ("edits", .array([insert]))]))
    }
    return .object([("documentChanges", .array(changes))])
  }

  static func documentEdit(path: String, version: Int?, edits: [JSONWriter.Value]) -> JSONWriter.Value {
    .object([
      ("textDocument", .object([("uri", .string(LSPURI.uri(path))), ("version", version.map(JSONWriter.Value.int) ?? .null)])),
      ("edits", .array(edits)),
    ])
  }

  /// The 1-based line a line pragma goes above: the start of the Dockerfile instruction holding the
  /// finding (a pragma covers the statement that starts on the next line), else the finding's line.
  static func pragmaLine(for location: FileRange, snapshot: LSPLintSnapshot) -> Int {
    let line = location.start.line
    if location.file.path == snapshot.dockerfilePath,
      let instruction = snapshot.instructionLines.first(where: { $0.0 <= line && line <= $0.1 })
    {
      return instruction.0
    }
    return line
  }

  /// The first 1-based line after a shebang and the parser directives (`# syntax=`, `# escape=`,
  /// `# check=`), which must stay first.
  static func headerEnd(_ bytes: [UInt8]) -> Int {
    let file = SourceFile(path: "", bytes: bytes)
    var line = 1
    while line <= file.lineCount {
      let text = file.lineText(line)
      if line == 1 && text.hasPrefix("#!") {
        line += 1
        continue
      }
      let words = text.dropFirst().drop(while: { $0 == " " || $0 == "\t" }).lowercased()
      if text.hasPrefix("#"), ["syntax", "escape", "check"].contains(where: { words.hasPrefix($0) }), words.contains("=") {
        line += 1
        continue
      }
      break
    }
    return line
  }

  /// Inserts `text` as a line above 1-based `line`, indented like it.
  static func pragmaEdit(bytes: [UInt8], beforeLine line: Int, text: String) -> JSONWriter.Value {
    let file = SourceFile(path: "", bytes: bytes)
    let index = LSPLineIndex(file)
    var insertion = text + "\n"
    let offset: Int
    if line > file.lineCount {
      offset = bytes.count
      if let last = bytes.last, last != 0x0A { insertion = "\n" + insertion }
    } else {
      offset = file.lineStarts[line - 1]
      let indent = file.lineText(line).prefix(while: { $0 == " " || $0 == "\t" })
      insertion = indent + insertion
    }
    return .object([("range", index.range(.empty(at: offset))), ("newText", .string(insertion))])
  }
}
