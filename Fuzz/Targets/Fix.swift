// Fuzz target: fix (every fix, unsafe strategies included). The input is a `FuzzArchive` (Dockerfile
// plus build-context files). Properties: no crash or trap; the loop settles before its pass limit; no
// edit escapes the build context; the fixed Dockerfile parses when the input did; fixing the output
// again changes nothing (`fix(fix(x)) == fix(x)`).
import DockerfileParser
import MultiProcAdvisor

func fuzzContext(_ files: [(path: String, bytes: [UInt8])]) -> InMemoryBuildContext {
  var context = InMemoryBuildContext(files: [:])
  for (path, bytes) in files {
    context.files[path] = (bytes, bytes.starts(with: Array("#!".utf8)) || path.hasSuffix(".sh") || path.hasSuffix("/run"))
  }
  return context
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFix(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let archive = FuzzArchive(Array(UnsafeBufferPointer(start: data, count: size)))
  let options = Fixer.Options(includeUnsafe: true)
  let input = SourceFile(path: "Dockerfile", bytes: archive.dockerfile)
  let first = Fixer.fix(Linter.Request(dockerfile: input, context: fuzzContext(archive.files)), options: options)
  if first.hitPassLimit { fuzzFailure("fix hit the pass limit: \(first.applied)") }
  for path in first.files.keys where path.hasPrefix("/") || path.split(separator: "/").contains("..") {
    fuzzFailure("fix writes outside the build context: \(path)")
  }
  let fixed = Dockerfile.parse(SourceFile(path: "Dockerfile", bytes: first.dockerfile))
  if fixed.printed() != first.dockerfile { fuzzFailure("the fixed Dockerfile does not round-trip") }
  if Dockerfile.parse(input).parserAccepts && !fixed.parserAccepts {
    fuzzFailure("fix broke the Dockerfile: \(fixed.issues.first.map { "\($0.message)" } ?? "")")
  }
  guard !first.applied.isEmpty else { return 0 }
  // Fix the result again, with every written and created file in the context.
  var files: [String: [UInt8]] = [:]
  for (path, bytes) in archive.files where files[path] == nil { files[path] = bytes }
  for (path, bytes) in first.files where path != "Dockerfile" { files[path] = bytes }
  var context = InMemoryBuildContext(files: [:])
  for (path, bytes) in files {
    let executable = first.executable.contains(path) || bytes.starts(with: Array("#!".utf8)) || path.hasSuffix(".sh") || path.hasSuffix("/run")
    context.files[path] = (bytes, executable)
  }
  let second = Fixer.fix(
    Linter.Request(dockerfile: SourceFile(path: "Dockerfile", bytes: first.dockerfile), context: context), options: options)
  if second.dockerfile != first.dockerfile || second.files.contains(where: { files[$0.key] != $0.value && $0.key != "Dockerfile" }) {
    fuzzFailure("fix is not idempotent; second pass applied \(second.applied)")
  }
  return 0
}
