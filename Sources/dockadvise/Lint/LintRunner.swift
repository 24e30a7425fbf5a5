import Dispatch
import DockerfileParser
import MultiProcAdvisor
import Synchronization

/// Lints one Dockerfile into a `FileReport`, and many of them in parallel with the reports delivered
/// in input order as soon as each one's predecessors are done (so output streams, memory stays
/// bounded by the files in flight, and the order never depends on timing).
enum LintRunner {
  /// Everything about one file that the workers need.
  struct Job: Sendable {
    var input: LintInput
    var configuration: Configuration
  }

  /// Shared settings of a run.
  struct Settings: Sendable {
    var currentDirectory: String
    var context: String?
    var target: String?
    var buildArguments: [String: String]
    /// The bytes of standard input, when `-` is among the inputs.
    var standardInput: [UInt8]?
  }

  /// Lints `jobs` on up to `workers` threads and calls `deliver` once per job, in job order, never
  /// concurrently.
  static func run(_ jobs: [Job], settings: Settings, workers: Int, deliver: @escaping (FileReport) -> Void) {
    guard workers > 1, jobs.count > 1 else {
      for job in jobs { deliver(lint(job, settings: settings)) }
      return
    }
    let state = RunState(count: jobs.count, deliver: deliver)
    DispatchQueue.concurrentPerform(iterations: min(workers, jobs.count)) { _ in
      while true {
        let index = state.next.wrappingAdd(1, ordering: .relaxed).oldValue
        if index >= jobs.count { break }
        state.complete(index, lint(jobs[index], settings: settings))
      }
    }
  }

  /// The shared state of a parallel run: the next job to take and the reports waiting for their turn.
  private final class RunState: @unchecked Sendable {
    let next = Atomic<Int>(0)
    private let waiting = Mutex<(next: Int, reports: [Int: FileReport])>((0, [:]))
    private let deliver: (FileReport) -> Void

    init(count: Int, deliver: @escaping (FileReport) -> Void) {
      self.deliver = deliver
    }

    func complete(_ index: Int, _ report: FileReport) {
      waiting.withLock { state in
        state.reports[index] = report
        while let ready = state.reports.removeValue(forKey: state.next) {
          deliver(ready)
          state.next += 1
        }
      }
    }
  }

  /// Reads, checks and lints one input.
  static func lint(_ job: Job, settings: Settings) -> FileReport {
    let display = job.input.display
    let bytes: [UInt8]
    var contextAbsolute: String
    var contextDisplay: String
    switch job.input {
    case .problem(_, let problem):
      return FileReport(path: display, findings: [], problem: problem)
    case .standardInput:
      bytes = settings.standardInput ?? []
      contextAbsolute = Paths.absolute(Paths.directory(of: display == "<stdin>" ? "x" : display), from: settings.currentDirectory)
      contextDisplay = display == "<stdin>" ? "." : Paths.directory(of: display)
    case .file(_, let absolute):
      switch FileSystem.read(absolute) {
      case .success(let read): bytes = read
      case .failure(let problem): return FileReport(path: display, findings: [], problem: problem)
      }
      contextAbsolute = Paths.directory(of: absolute)
      contextDisplay = Paths.directory(of: display)
    }
    if let problem = TextCheck.problem(in: bytes) { return FileReport(path: display, findings: [], problem: problem) }
    if let context = settings.context {
      contextAbsolute = Paths.absolute(context, from: settings.currentDirectory)
      contextDisplay = Paths.normalize(context)
    }
    let source = SourceFile(path: display, bytes: bytes)
    let request = Linter.Request(
      dockerfile: source, context: DiskBuildContext(root: contextAbsolute, displayRoot: contextDisplay), target: settings.target,
      configuration: job.configuration, buildArguments: settings.buildArguments)
    let result = Linter.lint(request)
    if let target = settings.target, !result.dockerfile.stages.contains(where: { $0.name == target.lowercased() }) {
      let names = result.dockerfile.stages.compactMap(\.name)
      let suggestion = Suggestion.closest(to: target, among: names).map { " (did you mean '\($0)'?)" } ?? ""
      let known = names.isEmpty ? "it has no named stages" : "its stages are " + Arguments.list(names)
      return FileReport(path: display, findings: [], problem: InputProblem("--target '\(target)': no stage of that name\(suggestion); \(known)"))
    }
    let reader = result.context.image.files.reader
    let sources: (String) -> SourceFile? = { path in
      guard let reader else { return nil }
      let root = contextDisplay
      var contextPath = path
      if root != "." {
        guard path.hasPrefix(root + "/") else { return nil }
        contextPath = String(path.dropFirst(root.count + 1))
      }
      if case .file(let file, _) = reader.file(contextPath) { return file }
      return nil
    }
    let failOn = job.configuration.failOn
    let findings = result.findings.map { ReportedFinding($0, failOn: failOn, sources: sources) }
    return FileReport(path: display, findings: findings, problem: nil)
  }
}

/// Checks that input is text dockadvise can read: no NUL bytes (a binary file), valid UTF-8.
enum TextCheck {
  static func problem(in bytes: [UInt8]) -> InputProblem? {
    if bytes.contains(0) {
      return InputProblem("is a binary file (it contains NUL bytes), not a Dockerfile")
    }
    guard let offset = firstInvalidUTF8(bytes) else { return nil }
    let location = SourceFile(path: "", bytes: bytes).location(of: offset)
    let hex = String(bytes[offset], radix: 16, uppercase: true)
    return InputProblem(
      "invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" + hex : hex)); dockadvise reads Dockerfiles as UTF-8 (convert it, e.g. with iconv -f latin1 -t utf-8)",
      line: location.line, column: location.column)
  }

  /// The offset of the first byte that does not belong to a valid UTF-8 sequence.
  static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    var index = 0
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      if byte < 0x80 {
        index += 1
        continue
      }
      let length = JSONWriter.validSequenceLength(bytes, index)
      if length == 0 { return index }
      index += length
    }
    return nil
  }
}
