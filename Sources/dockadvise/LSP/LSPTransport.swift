#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs a server over file descriptors (stdin/stdout): reads frames, hands bodies to the server, writes
/// its answers, and lints when no further message is waiting.
enum LSPTransport {
  /// Serves until `exit` or end of input; returns the exit status.
  static func serve(_ server: LSPServer, input: Int32 = 0, output: Int32 = 1) -> Int32 {
    var framer = LSPFramer()
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress!, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        return 1
      }
      if count == 0 { return server.exitCode ?? 1 }
      framer.append(chunk[0..<count])
      while let frame = framer.next() {
        switch frame {
        case .body(let body):
          for message in server.handle(body) { send(message, to: output) }
        case .problem(let problem):
          send(JSONRPC.error(.null, .parseError, "framing: \(problem)"), to: output)
        }
        if let code = server.exitCode { return code }
      }
      if !hasInput(input) {
        for message in server.drain() { send(message, to: output) }
      }
    }
  }

  /// Whether more bytes are ready to read right now (then a lint waits for them: a burst of edits lints once).
  static func hasInput(_ descriptor: Int32) -> Bool {
    var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    return poll(&poller, 1, 0) > 0 && poller.revents & Int16(POLLIN) != 0
  }

  static func send(_ body: [UInt8], to descriptor: Int32) {
    let framed = LSPFramer.frame(body)
    var written = 0
    while written < framed.count {
      let count = framed.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
      if count < 0 {
        if errno == EINTR { continue }
        return
      }
      written += count
    }
  }
}
