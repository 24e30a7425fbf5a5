// Fuzz target: the Dockerfile parser. Properties: no crash or trap; `printed()` reproduces the input
// byte for byte; every range in the tree lies inside the input; the typed views, the dumps and the
// command forms (exec JSON, shell scripts) can be computed for every instruction.
import DockerfileParser

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDockerfileParse(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let file = Dockerfile.parse(SourceFile(path: "Dockerfile", bytes: bytes))
  if file.printed() != bytes { fuzzFailure("printed() differs from the input (\(size) bytes)") }
  var covered = 0
  for piece in file.pieces {
    if piece.range.start != covered { fuzzFailure("pieces leave a gap or overlap at \(covered)") }
    covered = piece.range.end
  }
  if covered != size { fuzzFailure("pieces end at \(covered), input has \(size) bytes") }
  let checker = RangeChecker(size: size, what: "Dockerfile")
  checker.check(file)
  for instruction in file.instructions {
    _ = instruction.fromArguments
    _ = instruction.copyArguments
    _ = instruction.healthcheck
    for pair in instruction.keyValuePairs { _ = pair.expandedValue { $0 == "A" ? "x y" : nil } }
    switch instruction.commandForm {
    case .shell(let text, _)?:
      checker.check(ShellScript.parse(text, dialect: .bash))
    default: break
    }
    for word in instruction.valueWords {
      _ = WordExpander(escapeByte: file.escapeByte).expand(word.bytes) { $0 == "A" ? "x y" : nil }
    }
  }
  _ = file.buildKitDump()
  return 0
}
