// Fuzz target: lint. The input is a Dockerfile plus build-context files (`FuzzArchive`: sections
// `\n@@@ PATH\n`), such as an entrypoint script and a supervisord.conf. Properties: no crash or trap,
// it finishes (libFuzzer's -timeout), every finding lies inside its file; each `*.conf` file also goes
// through the supervisord reader directly, and each `*.sh` through the shell parser.
import DockerfileParser
import MultiProcAdvisor

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let archive = FuzzArchive(Array(UnsafeBufferPointer(start: data, count: size)))
  var context = InMemoryBuildContext(files: [:])
  for (path, bytes) in archive.files {
    context.files[path] = (bytes, bytes.starts(with: Array("#!".utf8)) || path.hasSuffix(".sh") || path.hasSuffix("/run"))
  }
  let request = Linter.Request(dockerfile: SourceFile(path: "Dockerfile", bytes: archive.dockerfile), context: context)
  let result = Linter.lint(request)
  for finding in result.findings {
    let file = finding.location.file
    if finding.location.range.end > file.bytes.count {
      fuzzFailure("\(finding.ruleID) range \(finding.location.range) outside \(file.path) (\(file.bytes.count) bytes)")
    }
    _ = finding.location.start
    _ = finding.location.end
  }
  _ = ModelDescription.describe(result.context)
  for (path, bytes) in archive.files {
    if path.hasSuffix(".conf") {
      let absolute = "/" + path
      let files = Dictionary(archive.files.map { ("/" + $0.path, $0.bytes) }, uniquingKeysWith: { first, _ in first })
      let config = SupervisordConfig.read(
        main: SourceFile(path: absolute, bytes: bytes), mainPath: absolute, environment: ["HOME": "/root"],
        file: { path in files[path].map { SourceFile(path: path, bytes: $0) } },
        list: { pattern in files.keys.filter { pattern.matches($0) } })
      _ = config.programs.map { $0.value("command") }
    } else if path.hasSuffix(".sh") {
      _ = ShellScript.parse(file: SourceFile(path: path, bytes: bytes))
    }
  }
  return 0
}
