// Fuzz target: the shell parser (POSIX sh and bash, as a script file and as a Dockerfile `-c` string).
// Properties: no crash or trap; every range in the tree, the diagnostics and the query index lies
// inside the input; the queries the rules use can be computed.
import DockerfileParser

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzShellParse(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let scripts = [
    ShellScript.parse(file: SourceFile(path: "run.sh", bytes: bytes), defaultDialect: .bash),
    ShellScript.parse(MappedText(bytes: bytes, verbatimFrom: 0), dialect: .posix),
  ]
  for script in scripts {
    RangeChecker(size: size, what: script.dialect == .bash ? "bash script" : "sh -c string").check(script)
    _ = script.terminalCommands
    _ = script.waits
    _ = script.traps
    for invocation in script.invocations { _ = invocation.command.resolved }
  }
  return 0
}
