import DockerfileParser
import MultiProcAdvisor

/// `source.fixAll.dockadvise`: what `dockadvise fix` (safe fixes only) would write for one Dockerfile,
/// run to its fixed point and through the same verification gate, as one `WorkspaceEdit` over the open
/// buffers (whole-file replacements, `CreateFile` for new files). Nothing is written.
enum LSPFixAll {
  static let kind = "source.fixAll.dockadvise"

  static func action(
    dockerfile path: String, bytes: [UInt8], buffers: [String: [UInt8]], configuration: Configuration, files: LSPCodeActions.Files
  ) -> JSONWriter.Value? {
    let source = SourceFile(path: path, bytes: bytes)
    if Dockerfile.parse(source).hasErrors { return nil }
    let context = LSPBufferContext(root: Paths.directory(of: path), buffers: buffers)
    let request = Linter.Request(dockerfile: source, context: context, configuration: configuration)
    let options = Fixer.Options(includeUnsafe: false)
    let outcome = Fixer.fix(request, options: options)
    guard !outcome.hitPassLimit, !outcome.files.isEmpty, FixVerification.check(request, options: options, outcome: outcome).isEmpty else { return nil }
    var changes: [JSONWriter.Value] = []
    let paths = outcome.files.keys.sorted { ($0 == path ? 0 : 1, $0) < ($1 == path ? 0 : 1, $1) }
    for file in paths {
      guard file.hasPrefix("/"), let new = outcome.files[file] else { return nil }
      let old = files.bytes(file) ?? context.bytesRead[file]
      if outcome.created.contains(file) || old == nil {
        let uri = LSPURI.uri(file)
        changes.append(.object([("kind", .string("create")), ("uri", .string(uri)), ("options", .object([("overwrite", .bool(true))]))]))
        let insert: JSONWriter.Value = .object([
          ("range", .object([("start", LSPLineIndex.value((0, 0))), ("end", LSPLineIndex.value((0, 0)))])), ("newText", .bytes(new)),
        ])
        changes.append(.object([("textDocument", .object([("uri", .string(uri)), ("version", .null)])), ("edits", .array([insert]))]))
        continue
      }
      let whole = LSPLineIndex(bytes: old!).range(SourceRange(start: 0, end: old!.count))
      changes.append(LSPCodeActions.documentEdit(path: file, version: files.version(file), edits: [.object([("range", whole), ("newText", .bytes(new))])]))
    }
    let count = outcome.appliedFixes.count
    return .object([
      ("title", .string("Fix all safe dockadvise findings of \(Paths.basename(path)) (\(count) fix\(count == 1 ? "" : "es"))")),
      ("kind", .string(kind)), ("edit", .object([("documentChanges", .array(changes))])),
    ])
  }
}
