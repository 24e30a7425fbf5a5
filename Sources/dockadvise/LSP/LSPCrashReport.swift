#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Last words: a Swift trap cannot be caught, so while a message is handled the framed messages to send if
/// the process dies now are kept ready (an error response to the request, a `window/showMessage`), and a
/// signal handler writes them with `write(2)` before the process ends with the signal. The editor then
/// shows why and restarts the server, instead of waiting forever for an answer.
enum LSPCrashReport {
  nonisolated(unsafe) private static var pointer: UnsafeMutablePointer<UInt8>?
  nonisolated(unsafe) private static var count = 0
  nonisolated(unsafe) private static var descriptor: Int32 = -1

  /// Installs the handler for the fatal signals; reports go to `output`.
  static func install(output: Int32) {
    descriptor = output
    for fatal in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
      _ = signal(fatal) { number in
        if LSPCrashReport.descriptor >= 0, let pointer = LSPCrashReport.pointer {
          var written = 0
          while written < LSPCrashReport.count {
            let result = write(LSPCrashReport.descriptor, pointer + written, LSPCrashReport.count - written)
            if result <= 0 { break }
            written += result
          }
        }
        _ = signal(number, SIG_DFL)
        raise(number)
      }
    }
  }

  /// What to send if the process dies while handling `method` (a request when `id` is given).
  static func arm(method: String, id: JSONWriter.Value?) {
    var bytes: [UInt8] = []
    let message = "dockadvise lsp crashed while handling \(method); the editor restarts it. Please report it with the file that was open."
    if let id { bytes += LSPFramer.frame(JSONRPC.error(id, .internalError, message)) }
    bytes += LSPFramer.frame(JSONRPC.notification("window/showMessage", .object([("type", .int(1)), ("message", .string(message))])))
    let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
    fresh.initialize(from: bytes, count: bytes.count)
    let old = pointer
    count = 0
    pointer = fresh
    count = bytes.count
    old?.deallocate()
  }
}
