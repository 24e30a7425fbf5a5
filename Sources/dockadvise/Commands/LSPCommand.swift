#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `dockadvise lsp`: the language server over stdio (see `LSP/` and docs/editors.md).
enum LSPCommand {
  static let command = CLI.Command(
    name: "lsp", summary: "run the language server over stdio (diagnostics, quick fixes, hover) for editors",
    usage: """
      usage: dockadvise lsp [--stdio]

      Speaks the Language Server Protocol 3.17 (JSON-RPC with Content-Length framing) on standard input
      and output. It lints open Dockerfiles and the files their PID 1 chain reads (entrypoint scripts,
      supervisord configurations, s6 run/finish files) from the editor's buffers, publishes diagnostics,
      offers each fix and the ignore pragmas as quick fixes, and shows the rule's page on hover. The
      nearest .dockadvise.json applies. It never writes files. See docs/editors.md.

      """, run: run)

  static func run(_ arguments: [String], _ environment: [String: String], _ io: CommandIO) -> ExitCode {
    if let unknown = arguments.first(where: { $0 != "--stdio" }) {
      io.stderr.write("dockadvise lsp: unknown argument '\(unknown)' (the server speaks over stdio only)\n")
      return .failure
    }
    signal(SIGPIPE, SIG_IGN)
    LSPCrashReport.install(output: 1)
    let server = LSPServer(currentDirectory: io.currentDirectory, environment: environment, log: { io.stderr.write($0 + "\n") })
    return LSPTransport.serve(server) == 0 ? .success : .failure
  }
}
