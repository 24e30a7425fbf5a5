import Foundation

/// Where a command reads and writes: the real streams, or buffers in tests.
struct CommandIO: Sendable {
  /// A destination for text: the report goes to `stdout`, everything else to `stderr`.
  final class Sink: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer: [UInt8] = []
    private let fileHandle: FileHandle?

    /// A sink that writes straight through to `fileHandle`.
    init(fileHandle: FileHandle) { self.fileHandle = fileHandle }
    /// A sink that keeps what is written (for tests).
    init() { self.fileHandle = nil }

    func write(_ text: String) { write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) {
      lock.lock()
      defer { lock.unlock() }
      if let fileHandle {
        fileHandle.write(Data(bytes))
      } else {
        buffer.append(contentsOf: bytes)
      }
    }

    /// What a buffering sink has received, decoded as UTF-8.
    var text: String {
      lock.lock()
      defer { lock.unlock() }
      return String(decoding: buffer, as: UTF8.self)
    }

    var bytes: [UInt8] {
      lock.lock()
      defer { lock.unlock() }
      return buffer
    }
  }

  var stdout: Sink
  var stderr: Sink
  /// Reads all of standard input.
  var readStandardInput: @Sendable () -> [UInt8]
  /// Whether standard output is a terminal (colour decisions).
  var stdoutIsTerminal: Bool
  /// The directory relative paths are resolved against.
  var currentDirectory: String

  static var standard: CommandIO {
    CommandIO(
      stdout: Sink(fileHandle: .standardOutput), stderr: Sink(fileHandle: .standardError),
      readStandardInput: { Array(FileHandle.standardInput.readDataToEndOfFile()) },
      stdoutIsTerminal: isatty(STDOUT_FILENO) == 1,
      currentDirectory: FileManager.default.currentDirectoryPath)
  }

  /// Buffers for tests; `stdin` is what standard input yields.
  static func buffered(stdin: [UInt8] = [], currentDirectory: String = FileManager.default.currentDirectoryPath) -> CommandIO {
    CommandIO(stdout: Sink(), stderr: Sink(), readStandardInput: { stdin }, stdoutIsTerminal: false, currentDirectory: currentDirectory)
  }
}
