import DockerfileParser
import MultiProcAdvisor

/// The language server's state and its message handler: transport-free, so tests drive it in process.
/// `handle` takes one message body and returns the bodies to send; lints run in `drain` (the transport
/// calls it when no further message is waiting, so a burst of edits lints once), and before any request
/// that needs fresh findings.
final class LSPServer {
  enum State { case uninitialized, running, shuttingDown }

  /// A finding as shown: where, and its diagnostic.
  struct Shown {
    var finding: Finding
    var location: FileRange
    var diagnostic: JSONWriter.Value
  }

  private(set) var state = State.uninitialized
  /// Set by `exit`: the process's exit status (0 after `shutdown`, 1 without).
  private(set) var exitCode: Int32?
  private var documents: [String: LSPDocument] = [:]
  /// The Dockerfiles linted: the open ones and those that run an open script.
  private var snapshots: [String: LSPLintSnapshot] = [:]
  private var shown: [String: [String: [Shown]]] = [:]
  /// Files whose published diagnostics are not empty.
  private var published: Set<String> = []
  private var pending: Set<String> = []
  private var workspaceRoot: String
  private let environment: [String: String]
  private var loader: ConfigurationLoader
  private var watchRegistration = false
  /// The client resolves a code action's edit later (`codeAction/resolve`).
  private var resolvesEdits = false
  private var nextRequestID = 1
  /// The request being handled (for the crash report).
  private var current: (method: String, id: JSONWriter.Value)?
  let log: (String) -> Void

  init(currentDirectory: String, environment: [String: String], log: @escaping (String) -> Void = { _ in }) {
    workspaceRoot = currentDirectory
    self.environment = environment
    self.log = log
    loader = Self.loader(root: currentDirectory, environment: environment, log: log)
  }

  private static func loader(root: String, environment: [String: String], log: (String) -> Void) -> ConfigurationLoader {
    let loader = ConfigurationLoader(currentDirectory: root, explicitFile: nil, discover: true, environment: environment, flags: { _ in })
    if let problem = loader.prepare() { log("dockadvise lsp: \(problem.message)") }
    return loader
  }

  // MARK: Messages

  func handle(_ body: [UInt8]) -> [[UInt8]] {
    switch JSONRPC.parse(body) {
    case .invalid(let id, let code, let message):
      return [JSONRPC.error(id, code, message)]
    case .response:
      return []
    case .notification(let method, let params):
      return notification(method, params)
    case .request(let id, let method, let params):
      return request(id, method, params)
    }
  }

  private func request(_ id: JSONWriter.Value, _ method: String, _ params: JSONValue?) -> [[UInt8]] {
    current = (method, id)
    defer { current = nil }
    LSPCrashReport.arm(method: method, id: id)
    if method == "$/dockadvise/crash", environment["DOCKADVISE_LSP_TEST_CRASH"] == "1" {
      fatalError("crash requested by the test")  // LSPEndToEndTests: the crash report reaches the client
    }
    if method == "initialize" {
      guard state == .uninitialized else { return [JSONRPC.error(id, .invalidRequest, "initialize was already received")] }
      state = .running
      return [JSONRPC.result(id, initialize(params))]
    }
    switch state {
    case .uninitialized: return [JSONRPC.error(id, .serverNotInitialized, "the server is not initialized")]
    case .shuttingDown: return [JSONRPC.error(id, .invalidRequest, "the server is shutting down")]
    case .running: break
    }
    switch method {
    case "shutdown":
      state = .shuttingDown
      return [JSONRPC.result(id, .null)]
    case "textDocument/codeAction":
      var output = drain()
      guard let (path, range) = Self.documentRange(params) else { return output + [JSONRPC.error(id, .invalidParams, "textDocument and range are required")] }
      var actions = codeActions(path: path, range: range)
      if let fixAll = fixAll(path, lazily: resolvesEdits) { actions.append(fixAll) }
      // `context.only`: the kinds the client asked for (a kind covers its sub-kinds).
      if let only = params?["context"]?["only"]?.elements.compactMap(\.string), !only.isEmpty {
        actions = actions.filter { action in
          guard case .object(let members) = action, case .bytes(let kind)? = members.first(where: { $0.0 == "kind" })?.1 else { return false }
          let text = String(decoding: kind, as: UTF8.self)
          return only.contains { text == $0 || text.hasPrefix($0 + ".") }
        }
      }
      output.append(JSONRPC.result(id, .array(actions)))
      return output
    case "codeAction/resolve":
      // Only "fix all" is resolved lazily: its edit runs the fixer, too slow for every cursor move.
      var output = drain()
      guard let uri = params?["data"]?["fixAll"]?.string, let path = LSPURI.path(uri) else {
        return output + [JSONRPC.error(id, .invalidParams, "not a code action of this server")]
      }
      output.append(JSONRPC.result(id, fixAll(path, lazily: false) ?? .null))
      return output
    case "textDocument/hover":
      var output = drain()
      guard let path = Self.documentPath(params), let position = LSPLineIndex.parse(params?["position"]) else {
        return output + [JSONRPC.error(id, .invalidParams, "textDocument and position are required")]
      }
      output.append(JSONRPC.result(id, hover(path: path, position: position)))
      return output
    default:
      return [JSONRPC.error(id, .methodNotFound, "no method \(method)")]
    }
  }

  private func notification(_ method: String, _ params: JSONValue?) -> [[UInt8]] {
    LSPCrashReport.arm(method: method, id: nil)
    if method == "exit" {
      exitCode = state == .shuttingDown ? 0 : 1
      return []
    }
    guard state == .running else { return [] }
    switch method {
    case "initialized":
      return watchRegistration ? [registerWatchers()] : []
    case "textDocument/didOpen":
      guard let item = params?["textDocument"], let uri = item["uri"]?.string, let path = LSPURI.path(uri), let text = item["text"]?.stringBytes else {
        log("dockadvise lsp: didOpen without a file URI and text")
        return []
      }
      documents[path] = LSPDocument(
        uri: uri, path: path, languageID: item["languageId"]?.string ?? "", version: item["version"]?.number.map { Int($0) }, bytes: text)
      changed(path, appeared: true)
    case "textDocument/didChange":
      guard let path = Self.documentPath(params), var document = documents[path] else { return [] }
      for change in params?["contentChanges"]?.elements ?? [] {
        guard let text = change["text"]?.stringBytes else { continue }
        if let range = change["range"], let start = LSPLineIndex.parse(range["start"]), let end = LSPLineIndex.parse(range["end"]) {
          let index = LSPLineIndex(bytes: document.bytes)
          let from = index.offset(line: start.line, character: start.character)
          let to = max(from, index.offset(line: end.line, character: end.character))
          document.bytes.replaceSubrange(from..<to, with: text)
        } else {
          document.bytes = text
        }
      }
      document.version = params?["textDocument"]?["version"]?.number.map { Int($0) } ?? document.version
      documents[path] = document
      changed(path)
    case "textDocument/didSave":
      guard let path = Self.documentPath(params) else { return [] }
      if let text = params?["text"]?.stringBytes, documents[path] != nil { documents[path]!.bytes = text }
      if Paths.basename(path) == ConfigurationLoader.fileName { reloadConfiguration() } else { changed(path) }
    case "textDocument/didClose":
      guard let path = Self.documentPath(params) else { return [] }
      documents[path] = nil
      changed(path, appeared: true)
    case "workspace/didChangeWatchedFiles":
      var reload = false
      for change in params?["changes"]?.elements ?? [] {
        guard let uri = change["uri"]?.string, let path = LSPURI.path(uri) else { continue }
        if Paths.basename(path) == ConfigurationLoader.fileName { reload = true } else if documents[path] == nil { changed(path, appeared: true) }
      }
      if reload { reloadConfiguration() }
    default:
      break  // other notifications ($/cancelRequest, $/setTrace, …) need nothing
    }
    return []
  }

  private func initialize(_ params: JSONValue?) -> JSONWriter.Value {
    if let uri = params?["rootUri"]?.string ?? params?["workspaceFolders"]?[0]?["uri"]?.string, let path = LSPURI.path(uri) {
      workspaceRoot = path
    } else if let path = params?["rootPath"]?.string, path.hasPrefix("/") {
      workspaceRoot = Paths.normalize(path)
    }
    loader = Self.loader(root: workspaceRoot, environment: environment, log: log)
    watchRegistration = params?["capabilities"]?["workspace"]?["didChangeWatchedFiles"]?["dynamicRegistration"]?.bool == true
    resolvesEdits =
      params?["capabilities"]?["textDocument"]?["codeAction"]?["resolveSupport"]?["properties"]?.elements.contains { $0.string == "edit" } == true
    return .object([
      ("capabilities", .object([
        ("positionEncoding", .string("utf-16")),
        ("textDocumentSync", .object([("openClose", .bool(true)), ("change", .int(1)), ("save", .object([("includeText", .bool(true))]))])),
        ("codeActionProvider", .object([("codeActionKinds", .array([.string("quickfix"), .string(LSPFixAll.kind)])), ("resolveProvider", .bool(true))])),
        ("hoverProvider", .bool(true)),
      ])),
      ("serverInfo", .object([("name", .string("dockadvise")), ("version", .string(CLI.version))])),
    ])
  }

  private func registerWatchers() -> [UInt8] {
    let id = nextRequestID
    nextRequestID += 1
    let watchers: JSONWriter.Value = .array([.object([("globPattern", .string("**/" + ConfigurationLoader.fileName))])])
    return JSONRPC.request(id, "client/registerCapability", .object([
      ("registrations", .array([.object([
        ("id", .string("dockadvise-config")), ("method", .string("workspace/didChangeWatchedFiles")),
        ("registerOptions", .object([("watchers", watchers)])),
      ])])),
    ]))
  }

  static func documentPath(_ params: JSONValue?) -> String? {
    params?["textDocument"]?["uri"]?.string.flatMap(LSPURI.path)
  }

  static func documentRange(_ params: JSONValue?) -> (String, (start: (line: Int, character: Int), end: (line: Int, character: Int)))? {
    guard let path = documentPath(params), let range = params?["range"], let start = LSPLineIndex.parse(range["start"]),
      let end = LSPLineIndex.parse(range["end"])
    else { return nil }
    return (path, (start, end))
  }

  // MARK: What to lint

  /// A file changed (opened, edited, saved, closed): the Dockerfiles to lint again.
  /// `appeared`: the file was opened or closed, so it may appear in (or leave) a directory a lint listed
  /// (a buffer of a file not yet on disk counts as a file).
  private func changed(_ path: String, appeared: Bool = false) {
    if let document = documents[path], document.isDockerfile { pending.insert(path) }
    if documents[path] == nil, snapshots[path] != nil { pending.insert(path) }
    var dependents = false
    var directories: [String] = []
    if appeared {
      var directory = Paths.directory(of: path)
      while directory != "/" && directory != "." {
        directories.append(directory)
        directory = Paths.directory(of: directory)
      }
    }
    for (dockerfile, snapshot) in snapshots
    where snapshot.dependencies.contains(path) || directories.contains(where: snapshot.dependencies.contains) {
      pending.insert(dockerfile)
      dependents = true
    }
    // A script opened on its own: the Dockerfiles beside it or above it (up to the workspace root) may run it.
    if !dependents, let document = documents[path], !document.isDockerfile {
      for dockerfile in Self.nearbyDockerfiles(of: path, root: workspaceRoot) where snapshots[dockerfile] == nil { pending.insert(dockerfile) }
    }
  }

  static func nearbyDockerfiles(of path: String, root: String) -> [String] {
    var found: [String] = []
    var directory = Paths.directory(of: path)
    for _ in 0..<8 {
      for name in ["Dockerfile", "Containerfile"] where FileSystem.kind(directory + "/" + name) == .file { found.append(directory + "/" + name) }
      if directory == root || directory == "/" || !directory.hasPrefix(root) { break }
      directory = Paths.directory(of: directory)
    }
    return found
  }

  private func reloadConfiguration() {
    loader = Self.loader(root: workspaceRoot, environment: environment, log: log)
    pending.formUnion(snapshots.keys)
    for (path, document) in documents where document.isDockerfile { pending.insert(path) }
  }

  /// Whether a Dockerfile is still worth linting: open, or running an open file.
  private func tracked(_ dockerfile: String) -> Bool {
    if documents[dockerfile]?.isDockerfile == true { return true }
    guard let snapshot = snapshots[dockerfile] else {
      // Not linted yet: worth it while a file under its directory is open.
      let directory = Paths.directory(of: dockerfile)
      return documents.keys.contains { $0.hasPrefix(directory == "/" ? "/" : directory + "/") }
    }
    return documents.keys.contains { $0 != dockerfile && snapshot.dependencies.contains($0) }
  }

  // MARK: Linting and publishing

  /// Lints what changed and returns the diagnostics to publish.
  func drain() -> [[UInt8]] {
    guard !pending.isEmpty else { return [] }
    LSPCrashReport.arm(method: (current.map { $0.method + ", " } ?? "") + "linting " + pending.sorted().joined(separator: ", "), id: current?.id)
    let paths = pending.sorted()
    pending = []
    var affected: Set<String> = []
    let buffers = documents.mapValues(\.bytes)
    for dockerfile in paths {
      if let old = shown[dockerfile] { affected.formUnion(old.keys) }
      guard tracked(dockerfile) else {
        snapshots[dockerfile] = nil
        shown[dockerfile] = nil
        continue
      }
      let bytes: [UInt8]
      if let document = documents[dockerfile] {
        bytes = document.bytes
      } else if case .success(let read) = FileSystem.read(dockerfile) {
        bytes = read
      } else {
        snapshots[dockerfile] = nil
        shown[dockerfile] = nil
        continue
      }
      let snapshot = LSPLintSnapshot.lint(
        path: dockerfile, bytes: bytes, buffers: buffers, configuration: loader.configuration(forDirectory: Paths.directory(of: dockerfile)))
      snapshots[dockerfile] = snapshot
      // A Dockerfile linted for a script it turns out not to read is dropped again.
      if documents[dockerfile] == nil, !tracked(dockerfile) {
        snapshots[dockerfile] = nil
        shown[dockerfile] = nil
        continue
      }
      var byFile: [String: [Shown]] = [dockerfile: []]
      for finding in snapshot.findings {
        let location = snapshot.location(of: finding)
        byFile[location.file.path, default: []].append(Shown(finding: finding, location: location, diagnostic: LSPDiagnostics.diagnostic(finding, at: location)))
      }
      shown[dockerfile] = byFile
      affected.formUnion(byFile.keys)
    }
    var output: [[UInt8]] = []
    for path in affected.sorted() {
      var diagnostics: [JSONWriter.Value] = []
      var seen: Set<[UInt8]> = []
      for dockerfile in shown.keys.sorted() {
        if path == dockerfile, let snapshot = snapshots[dockerfile], let problem = snapshot.problem {
          diagnostics.append(LSPDiagnostics.problem(problem, severity: snapshot.problemSeverity))
        }
        for entry in shown[dockerfile]?[path] ?? [] where seen.insert(JSONRPC.encode(entry.diagnostic)).inserted {
          diagnostics.append(entry.diagnostic)
        }
      }
      if diagnostics.isEmpty && !published.contains(path) && documents[path] == nil { continue }
      if diagnostics.isEmpty { published.remove(path) } else { published.insert(path) }
      output.append(LSPDiagnostics.publish(uri: documents[path]?.uri ?? LSPURI.uri(path), version: documents[path]?.version, diagnostics: diagnostics))
    }
    return output
  }

  /// The findings shown in `path`, with the snapshot each comes from.
  private func shownFindings(in path: String) -> [(Shown, LSPLintSnapshot)] {
    var result: [(Shown, LSPLintSnapshot)] = []
    for dockerfile in shown.keys.sorted() {
      guard let snapshot = snapshots[dockerfile] else { continue }
      for entry in shown[dockerfile]?[path] ?? [] { result.append((entry, snapshot)) }
    }
    return result
  }

  private func codeActions(path: String, range: (start: (line: Int, character: Int), end: (line: Int, character: Int))) -> [JSONWriter.Value] {
    var actions: [JSONWriter.Value] = []
    var seen: Set<[UInt8]> = []
    for (entry, snapshot) in shownFindings(in: path) {
      // The lines of the range meet the finding's lines (editors ask for the cursor's position).
      let file = entry.location.file
      let first = file.lineIndex(of: entry.location.range.start)
      let last = file.lineIndex(of: max(entry.location.range.start, entry.location.range.end - 1))
      guard range.start.line <= last, range.end.line >= first else { continue }
      let files = LSPCodeActions.Files(
        bytes: { [documents] file in documents[file]?.bytes ?? snapshot.bytes[file] }, version: { [documents] file in documents[file]?.version })
      for action in LSPCodeActions.actions(for: [(entry.finding, entry.location, entry.diagnostic)], snapshot: snapshot, files: files)
      where seen.insert(JSONRPC.encode(action)).inserted {
        actions.append(action)
      }
    }
    return actions
  }

  /// "Fix all" for a Dockerfile with at least one safe fix among its findings; `lazily`: without its
  /// edit, which `codeAction/resolve` computes.
  private func fixAll(_ path: String, lazily: Bool) -> JSONWriter.Value? {
    guard let snapshot = snapshots[path], snapshot.problem == nil, snapshot.findings.contains(where: { $0.fix?.safety == .safe }) else { return nil }
    if lazily {
      let count = snapshot.findings.filter { $0.fix?.safety == .safe }.count
      return .object([
        ("title", .string("Fix all safe dockadvise findings of \(Paths.basename(path)) (\(count) fixable)")), ("kind", .string(LSPFixAll.kind)),
        ("data", .object([("fixAll", .string(LSPURI.uri(path)))])),
      ])
    }
    guard case .success(let configuration) = loader.configuration(forDirectory: Paths.directory(of: path)) else { return nil }
    let files = LSPCodeActions.Files(
      bytes: { [documents] file in documents[file]?.bytes ?? snapshot.bytes[file] }, version: { [documents] file in documents[file]?.version })
    return LSPFixAll.action(
      dockerfile: path, bytes: snapshot.bytes[path] ?? [], buffers: documents.mapValues(\.bytes), configuration: configuration, files: files)
  }

  private func hover(path: String, position: (line: Int, character: Int)) -> JSONWriter.Value {
    var hits: [(finding: Finding, location: FileRange)] = []
    for (entry, _) in shownFindings(in: path) {
      let offset = LSPLineIndex(entry.location.file).offset(line: position.line, character: position.character)
      if LSPHover.covers(entry.location, offset: offset) { hits.append((entry.finding, entry.location)) }
    }
    return LSPHover.hover(hits)
  }
}
