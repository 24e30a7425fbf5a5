import Foundation
import MultiProcAdvisor
import Testing

/// Builds dockadvise-init from exactly `EmbeddedInit.files` (once per test run) and runs it for real: as PID 1
/// of a new PID namespace (`unshare --pid --fork --mount-proc`), or as a plain child (subreaper mode).
enum InitHarness {
  /// What building the init gave.
  enum Build: Sendable {
    case built(path: String, log: String)
    /// A prerequisite is missing here (no swiftc with Embedded Swift, no C linker): tests skip.
    case unavailable(String)
    /// The prerequisites are there but the build failed: tests fail.
    case failed(String)
  }

  /// The scratch directory of this test run.
  static let root: String = {
    let path = NSTemporaryDirectory() + "dockadvise-init-tests-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }()

  /// The init built from the embedded bytes: `root/dockadvise-init` (musl when musl-gcc is there).
  static let build: Build = buildInit(name: "dockadvise-init")

  /// Emits `EmbeddedInit.files` into `root/NAME-src` and runs its `build.sh root/NAME`, with `libc` forced
  /// when given; tells a missing prerequisite (skip) from a broken build (failure).
  static func buildInit(name: String, libc: String? = nil) -> Build {
    let source = root + "/" + name + "-src"
    do {
      try EmbeddedInit.write(to: source)
    } catch {
      return .failed("cannot write the embedded sources: \(error)")
    }
    guard let swiftc = executable(named: "swiftc") else { return .unavailable("swiftc is not on PATH") }
    let linkers = libc == "glibc" ? ["cc", "clang", "gcc"] : ["musl-gcc", "cc", "clang", "gcc"]
    guard linkers.contains(where: { executable(named: $0) != nil }) else {
      return .unavailable("no C linker (\(linkers.joined(separator: ", "))) on PATH")
    }
    var environment = ProcessInfo.processInfo.environment
    if let libc { environment["DOCKADVISE_INIT_LIBC"] = libc }
    let output = root + "/" + name
    let result = runToEnd(["/bin/sh", source + "/build.sh", output], environment: environment)
    if result.status == 0 { return .built(path: output, log: result.output) }
    if result.output.contains("cannot find -lc") {
      return .unavailable("no static C library to link against (libc.a; musl-tools or libc6-dev)")
    }
    // Is it the toolchain (no Embedded Swift) or the sources?
    let probe = root + "/\(name)-probe.swift"
    try? "@_cdecl(\"main\") func main() -> Int32 { 0 }\n".write(toFile: probe, atomically: true, encoding: .utf8)
    let embedded = runToEnd([
      swiftc, "-enable-experimental-feature", "Embedded", "-wmo", "-parse-as-library", probe, "-c", "-o", probe + ".o",
    ])
    if embedded.status != 0 {
      return .unavailable("swiftc cannot compile Embedded Swift: \(embedded.output.prefix(300))")
    }
    return .failed("build.sh failed:\n\(result.output)")
  }

  /// Why `unshare --pid --fork --mount-proc` does not work here, or nil when it does.
  static let pidNamespaceProblem: String? = {
    guard getuid() == 0 else { return "PID namespaces need root (unshare --pid --mount-proc)" }
    guard executable(named: "unshare") != nil else { return "unshare (util-linux) is not installed" }
    let result = runToEnd(["unshare", "--pid", "--fork", "--mount-proc", "/bin/sh", "-c", "test $$ = 1"])
    return result.status == 0 ? nil : "unshare --pid --fork --mount-proc does not work here: \(result.output)"
  }()

  /// The path of the built init; skips the test (with the reason printed) when it cannot be built here,
  /// and fails it when the build itself broke.
  static func initPath() throws -> String {
    switch build {
    case .built(let path, _):
      return path
    case .unavailable(let reason):
      print("◇ skipping: \(reason)")
      try Test.cancel(Comment(rawValue: reason))
    case .failed(let log):
      Issue.record(Comment(rawValue: log))
      throw HarnessError(description: "dockadvise-init did not build")
    }
  }

  /// Like `initPath()`, and also skips when PID namespaces are unavailable.
  static func initPathForPID1() throws -> String {
    let path = try initPath()
    if let problem = pidNamespaceProblem {
      print("◇ skipping: \(problem)")
      try Test.cancel(Comment(rawValue: problem))
    }
    return path
  }

  /// A fresh scratch directory for one test.
  static func scratch() -> String {
    let path = root + "/t-" + UUID().uuidString.prefix(8)
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  static func executable(named name: String) -> String? {
    if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":")
    where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
      return "\(directory)/\(name)"
    }
    return nil
  }

  /// Runs a command to completion; stdout and stderr together.
  static func runToEnd(_ arguments: [String], environment: [String: String]? = nil) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable(named: arguments[0]) ?? arguments[0])
    process.arguments = Array(arguments.dropFirst())
    if let environment { process.environment = environment }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      return (-1, "\(error)")
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}

struct HarnessError: Error, CustomStringConvertible {
  var description: String
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass; true when it held.
func eventually(within seconds: Double, _ condition: () -> Bool) -> Bool {
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    if condition() { return true }
    usleep(10_000)
  }
  return condition()
}

/// One run of dockadvise-init, with its own scratch directory (`$T` in the services' environment).
final class InitRun: @unchecked Sendable {
  let directory: String
  let process: Process
  /// The init's PID as seen from here (PID 1 inside its namespace, in PID 1 mode).
  private(set) var pid: pid_t = 0
  /// When the process was started (after the init was built).
  private(set) var started = Date()

  /// Starts `init arguments…`, as PID 1 of a new PID namespace when `pid1`, else as a plain child.
  init(_ arguments: [String], pid1: Bool = true, directory: String = InitHarness.scratch()) throws {
    self.directory = directory
    let initPath = pid1 ? try InitHarness.initPathForPID1() : try InitHarness.initPath()
    process = Process()
    if pid1 {
      process.executableURL = URL(fileURLWithPath: InitHarness.executable(named: "unshare")!)
      process.arguments = ["--pid", "--fork", "--mount-proc", "--", initPath] + arguments
    } else {
      process.executableURL = URL(fileURLWithPath: initPath)
      process.arguments = arguments
    }
    var environment = ProcessInfo.processInfo.environment
    environment["T"] = directory
    process.environment = environment
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    _ = FileManager.default.createFile(atPath: directory + "/stdout", contents: nil)
    _ = FileManager.default.createFile(atPath: directory + "/stderr", contents: nil)
    process.standardOutput = FileHandle(forWritingAtPath: directory + "/stdout")
    process.standardError = FileHandle(forWritingAtPath: directory + "/stderr")
    process.standardInput = FileHandle.nullDevice
    try process.run()
    started = Date()
    if pid1 {
      let launcher = process.processIdentifier
      _ = eventually(within: 10) {
        guard let text = try? String(contentsOfFile: "/proc/\(launcher)/task/\(launcher)/children", encoding: .utf8),
          let child = text.split(separator: " ").first.flatMap({
            pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
          })
        else { return !self.process.isRunning }
        self.pid = child
        return true
      }
    } else {
      pid = process.processIdentifier
    }
  }

  /// Sends `signal` to the init (from outside its namespace, like `docker kill --signal`).
  func send(_ signal: Int32) {
    if pid > 0 && process.isRunning { kill(pid, signal) }
  }

  /// Waits up to `seconds` for the init to exit; its status (128 + N after death by signal N), or nil.
  func wait(_ seconds: Double) -> Int32? {
    guard eventually(within: seconds, { !process.isRunning }) else { return nil }
    process.waitUntilExit()
    return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
  }

  /// SIGKILLs the init if it still runs (in PID 1 mode that ends its whole namespace).
  func stop() {
    if process.isRunning {
      send(SIGKILL)
      process.waitUntilExit()
    }
  }

  var stdout: String { (try? String(contentsOfFile: directory + "/stdout", encoding: .utf8)) ?? "" }
  var stderr: String { (try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? "" }

  /// Lines the services appended to `$T/events`.
  var events: [String] {
    let text = (try? String(contentsOfFile: directory + "/events", encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init)
  }

  /// Waits until `$T/events` has `line`.
  func waitForEvent(_ line: String, within seconds: Double = 20) -> Bool {
    eventually(within: seconds) { events.contains(line) }
  }

  /// Writes an executable `#!/bin/sh` script into the scratch directory and returns its path.
  @discardableResult
  static func script(in directory: String, _ name: String, _ body: String) -> String {
    let path = directory + "/" + name
    _ = FileManager.default.createFile(atPath: path, contents: Data(("#!/bin/sh\n" + body + "\n").utf8))
    chmod(path, 0o755)
    return path
  }

  /// Writes a file into the scratch directory and returns its path.
  @discardableResult
  static func file(in directory: String, _ name: String, _ text: String) -> String {
    let path = directory + "/" + name
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
  }

  var elapsed: Double { Date().timeIntervalSince(started) }
}
