// shell-bench: times the shell parser on files (used by Scripts/bench-shell.sh), or dumps what it parsed.
//
//   shell-bench [--repeat N] FILE…     parse each file N times, print bytes, lines and best time
//   shell-bench --dump FILE…           print the tree, diagnostics, terminals, background jobs
import DockerfileParser

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

func readFile(_ path: String) -> [UInt8]? {
  guard let handle = fopen(path, "rb") else { return nil }
  defer { fclose(handle) }
  var bytes: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 1 << 16)
  while true {
    let count = fread(&buffer, 1, buffer.count, handle)
    if count <= 0 { break }
    bytes.append(contentsOf: buffer[0..<count])
  }
  return bytes
}

func now() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_MONOTONIC, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

var arguments = Array(CommandLine.arguments.dropFirst())
var repeatCount = 3
var dump = false
var files: [String] = []
while let argument = arguments.first {
  arguments.removeFirst()
  switch argument {
  case "--repeat": repeatCount = Int(arguments.removeFirst()) ?? 3
  case "--dump": dump = true
  default: files.append(argument)
  }
}

for path in files {
  guard let bytes = readFile(path) else {
    print("\(path): cannot read")
    exit(2)
  }
  let file = SourceFile(path: path, bytes: bytes)
  if dump {
    let script = ShellScript.parse(file: file)
    print("== \(path) dialect=\(script.dialect) interpreter=\(script.shebang?.interpreter ?? "-")")
    for diagnostic in script.diagnostics {
      print("diagnostic \(diagnostic.location(in: file)): \(diagnostic.severity): \(diagnostic.message)")
    }
    print(script.dump)
    for command in script.terminalCommands {
      print(
        "terminal \(file.location(of: command.range.start)): \(file.text(of: command.range)) exec=\(command.isExec) bg=\(command.isBackground) program=\(command.program ?? "?")"
      )
    }
    for job in script.backgroundJobs {
      print("background \(file.location(of: job.range.start)): \(file.text(of: job.range)) main=\(job.isInMainPath)")
    }
    for wait in script.waits {
      print("wait \(file.location(of: wait.invocation.range.start)): any=\(wait.waitsForAny) operands=\(wait.operands)")
    }
    for trap in script.traps {
      print("trap \(file.location(of: trap.invocation.range.start)): \(trap.action) \(trap.signals)")
    }
    for bashism in script.bashisms {
      print("bashism \(file.location(of: bashism.range.start)): \(bashism.kind.rawValue) \(bashism.text)")
    }
    continue
  }
  var best = Double.infinity
  var commands = 0
  for _ in 0..<repeatCount {
    let start = now()
    let script = ShellScript.parse(file: file)
    let elapsed = now() - start
    best = min(best, elapsed)
    commands = script.invocations.count
    if script.hasErrors { print("\(path): \(script.diagnostics[0])") }
  }
  print(
    "\(path): \(bytes.count) bytes, \(file.lineCount) lines, \(commands) commands, best of \(repeatCount): \(Double(Int(best * 1_000_000)) / 1000) ms"
  )
}
