import DockerfileParser
import MultiProcAdvisor

/// One lint of one Dockerfile as the server keeps it: the findings, what it read (to know which
/// changes re-lint it), and the bytes of every file it read (for positions of fix edits).
struct LSPLintSnapshot {
  var dockerfilePath: String
  var findings: [Finding]
  /// Absolute paths the lint read or looked for: the Dockerfile, scripts, configs, `.dockerignore`.
  var dependencies: Set<String>
  /// The bytes of every file read, by absolute path (the Dockerfile included).
  var bytes: [String: [UInt8]]
  /// (startLine, endLine) of each Dockerfile instruction, 1-based.
  var instructionLines: [(Int, Int)]
  /// A problem that kept the file from being linted (binary, bad configuration), shown at its top.
  var problem: String?
  /// The problem's LSP severity: 1 (error) unless the file is only too large to lint as you type (3).
  var problemSeverity = 1

  /// Larger Dockerfiles are not linted as you type (a release build lints about 4 MB a second, so this
  /// keeps a keystroke under a quarter of a second); `dockadvise lint` still lints them.
  static let maximumSize = 1 << 20

  /// Lints the Dockerfile at `path` with the open buffers laid over the disk.
  static func lint(path: String, bytes: [UInt8], buffers: [String: [UInt8]], configuration: Result<Configuration, ConfigurationProblem>) -> LSPLintSnapshot {
    let root = Paths.directory(of: path)
    var snapshot = LSPLintSnapshot(dockerfilePath: path, findings: [], dependencies: [path], bytes: [path: bytes], instructionLines: [], problem: nil)
    if bytes.count > maximumSize {
      snapshot.problem = "not linted as you type: \(bytes.count >> 10) KiB is more than \(maximumSize >> 10) KiB; run 'dockadvise lint' on it"
      snapshot.problemSeverity = 3
      return snapshot
    }
    if let problem = TextCheck.problem(in: bytes) {
      snapshot.problem = problem.message
      return snapshot
    }
    var settings = Configuration()
    switch configuration {
    case .success(let loaded): settings = loaded
    case .failure(let problem): snapshot.problem = "configuration not used: " + problem.message
    }
    let context = LSPBufferContext(root: root, buffers: buffers)
    let request = Linter.Request(dockerfile: SourceFile(path: path, bytes: bytes), context: context, configuration: settings)
    let result = Linter.lint(request)
    snapshot.findings = result.findings
    snapshot.instructionLines = result.dockerfile.instructions.map { ($0.startLine, $0.endLine) }
    snapshot.dependencies.formUnion(context.pathsRead)
    snapshot.dependencies.insert(root + "/" + ConfigurationLoader.fileName)
    for (file, read) in context.bytesRead { snapshot.bytes[file] = read }
    return snapshot
  }

  /// Where a finding is shown: its own file when that is a real file, else the instruction it stems
  /// from, else the Dockerfile's first line.
  func location(of finding: Finding) -> FileRange {
    if isRealFile(finding.location.file.path) { return finding.location }
    if let instruction = finding.instruction, isRealFile(instruction.file.path) { return instruction }
    return FileRange(file: SourceFile(path: dockerfilePath, bytes: bytes[dockerfilePath] ?? []), range: .empty(at: 0))
  }

  private func isRealFile(_ path: String) -> Bool { path == dockerfilePath || (path.hasPrefix("/") && bytes[path] != nil) }
}
