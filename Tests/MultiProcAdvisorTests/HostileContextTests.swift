import DockerfileParser
import Foundation
import Testing
@testable import MultiProcAdvisor

/// Hostile build contexts and configurations, through lint and fix: symlinks that leave the context or
/// loop, special files, huge and binary scripts, invalid UTF-8 that a fix must not damage, a
/// supervisord `[include]` of itself, s6 services whose dependencies form a cycle, and nesting far
/// beyond any real Dockerfile. Lint always finishes, fix never reads or writes outside the context.
@Suite struct HostileContextTests {
  /// A fresh directory for one test, removed by the caller through `defer`.
  private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dockadvise-hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  private func write(_ text: String, to url: URL, executable: Bool = false) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
  }

  private func lint(_ dockerfile: [UInt8], _ context: any BuildContext) -> Linter.Result {
    Linter.lint(Linter.Request(dockerfile: SourceFile(path: "Dockerfile", bytes: dockerfile), context: context))
  }

  private func fix(_ dockerfile: [UInt8], _ context: any BuildContext) -> Fixer.Outcome {
    Fixer.fix(
      Linter.Request(dockerfile: SourceFile(path: "Dockerfile", bytes: dockerfile), context: context),
      options: Fixer.Options(includeUnsafe: true))
  }

  // MARK: Symlinks and special files in the build context

  @Test func symlinksLeavingTheContextAreNeverReadNorWritten() throws {
    let root = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let context = root.appendingPathComponent("context")
    let outside = root.appendingPathComponent("outside")
    // A script outside the context that DA102 would fix (no `exec`) if it were read.
    let secret = "#!/bin/sh\nset -e\nSECRET_MARKER=1\nmyapp --serve\n"
    try write(secret, to: outside.appendingPathComponent("start.sh"), executable: true)
    try write("[program:x]\ncommand=SECRET_MARKER\n", to: outside.appendingPathComponent("etc/supervisord.conf"))
    try FileManager.default.createDirectory(at: context, withIntermediateDirectories: true)
    let fm = FileManager.default
    try fm.createSymbolicLink(atPath: context.appendingPathComponent("absolute.sh").path, withDestinationPath: outside.appendingPathComponent("start.sh").path)
    try fm.createSymbolicLink(atPath: context.appendingPathComponent("relative.sh").path, withDestinationPath: "../outside/start.sh")
    try fm.createSymbolicLink(atPath: context.appendingPathComponent("conf").path, withDestinationPath: "../outside/etc")
    try fm.createSymbolicLink(atPath: context.appendingPathComponent("loop-a.sh").path, withDestinationPath: "loop-b.sh")
    try fm.createSymbolicLink(atPath: context.appendingPathComponent("loop-b.sh").path, withDestinationPath: "loop-a.sh")
    try fm.createSymbolicLink(atPath: context.appendingPathComponent("self.sh").path, withDestinationPath: "self.sh")

    let disk = DiskBuildContext(root: context.path, displayRoot: "context")
    #expect(disk.entry("absolute.sh") == .outsideContext)
    #expect(disk.entry("relative.sh") == .outsideContext)
    #expect(disk.entry("conf/supervisord.conf") == .outsideContext)
    // BuildKit cleans a source path as if rooted at the context: `..` cannot climb above it, so this
    // names `outside/start.sh` inside the context, which does not exist.
    #expect(disk.entry("./sub/../../outside/start.sh") == .missing)
    if case .unreadable(let reason) = disk.entry("loop-a.sh") {
      #expect(reason.contains("symbolic links"))
    } else {
      Issue.record("a symlink loop should be unreadable, not \(disk.entry("loop-a.sh"))")
    }
    if case .unreadable = disk.entry("self.sh") {} else { Issue.record("a self-link should be unreadable") }

    for script in ["absolute.sh", "relative.sh", "loop-a.sh", "self.sh"] {
      let dockerfile = Array("FROM alpine\nCOPY \(script) /start.sh\nCOPY conf/ /etc/\nENTRYPOINT [\"/start.sh\"]\n".utf8)
      let result = lint(dockerfile, disk)
      for finding in result.findings {
        #expect(!finding.location.file.text(of: SourceRange(start: 0, end: finding.location.file.bytes.count)).contains("SECRET_MARKER"))
      }
      let outcome = fix(dockerfile, disk)
      #expect(!outcome.hitPassLimit)
      for path in outcome.files.keys {
        #expect(path == "Dockerfile" || path.hasPrefix("context/dockadvise/"), "fix must not write \(path)")
      }
    }
    // The file outside is untouched.
    #expect(try String(contentsOf: outside.appendingPathComponent("start.sh"), encoding: .utf8) == secret)
  }

  @Test func specialFilesInTheContextAreNotRead() throws {
    let root = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(mkfifo(root.appendingPathComponent("fifo.sh").path, 0o644) == 0)
    try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("zero.sh").path, withDestinationPath: "/dev/zero")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("dir.sh"), withIntermediateDirectories: true)
    let disk = DiskBuildContext(root: root.path, displayRoot: ".", maximumFileSize: 1 << 20)
    if case .unreadable(let reason) = disk.entry("fifo.sh") { #expect(reason == "not a regular file") } else { Issue.record("fifo") }
    #expect(disk.entry("zero.sh") == .outsideContext)
    #expect(disk.entry("dir.sh") == .directory)
    // Too big to load: reported, not read.
    try Data(count: 2 << 20).write(to: root.appendingPathComponent("big.sh"))
    if case .unreadable(let reason) = disk.entry("big.sh") { #expect(reason.contains("larger than")) } else { Issue.record("big") }
    for script in ["fifo.sh", "zero.sh", "dir.sh", "big.sh"] {
      let dockerfile = Array("FROM alpine\nCOPY \(script) /start.sh\nENTRYPOINT [\"/start.sh\"]\n".utf8)
      _ = lint(dockerfile, disk)
      #expect(!fix(dockerfile, disk).hitPassLimit)
    }
  }

  // MARK: Damage: invalid UTF-8 and NUL bytes survive a fix byte for byte

  @Test func fixKeepsInvalidUTF8AndNULBytes() {
    let invalid: [UInt8] = [0xFF, 0xFE, 0xE9, 0xC3]
    let inputs: [[UInt8]] = [
      Array("FROM alpine\nLABEL x=".utf8) + invalid + Array("\nCMD nginx -g 'daemon off;' --name ".utf8) + invalid + [0x0A],
      Array("FROM alpine\n# ".utf8) + invalid + Array("\nCMD myapp --greeting caf".utf8) + [0xE9] + [0x0A],
      Array("FROM alpine\nENV A=".utf8) + [0] + Array("\nCMD myapp ".utf8) + invalid + Array(" && other\n".utf8),
      Array("FROM alpine\nCMD [\"myapp\", \"".utf8) + invalid + Array("\"]\n".utf8),
    ]
    for input in inputs {
      let outcome = fix(input, InMemoryBuildContext(files: [:]))
      #expect(!outcome.hitPassLimit)
      let output = outcome.dockerfile
      // Every invalid byte run of the input is still in the output, and the untouched lines are kept.
      #expect(output.count >= input.count - 8)
      let invalidInInput = input.filter { $0 >= 0x80 || $0 == 0 }
      let invalidInOutput = output.filter { $0 >= 0x80 || $0 == 0 }
      #expect(invalidInOutput == invalidInInput, "fix changed non-UTF-8 bytes: \(String(decoding: output, as: UTF8.self))")
      // And the result is stable.
      let again = fix(output, InMemoryBuildContext(files: outcome.files.mapValues { String(decoding: $0, as: UTF8.self) }))
      #expect(again.dockerfile == output)
    }
  }

  // MARK: supervisord and s6 loops

  @Test func supervisordIncludingItselfIsReadOnce() {
    let main = "[supervisord]\nnodaemon=true\n[include]\nfiles = /etc/supervisor/*.conf /etc/supervisor/conf.d/*.conf\n"
    let files = [
      "/etc/supervisor/supervisord.conf": main,
      "/etc/supervisor/conf.d/a.conf": "[include]\nfiles=/etc/supervisor/conf.d/*.conf /etc/supervisor/supervisord.conf\n[program:a]\ncommand=a\n",
      "/etc/supervisor/conf.d/b.conf": "[include]\nfiles=a.conf\n[program:b]\ncommand=b\n",
    ]
    let config = SupervisordConfig.read(
      main: SourceFile(path: "/etc/supervisor/supervisord.conf", text: main), mainPath: "/etc/supervisor/supervisord.conf",
      file: { path in files[path].map { SourceFile(path: path, text: $0) } },
      list: { pattern in files.keys.filter { pattern.matches($0) } })
    #expect(config.files.count == 3)
    #expect(config.programs.map(\.name).sorted() == ["program:a", "program:b"])
    #expect(config.issues.contains { $0.message.contains("included more than once") })

    // Through lint: the configuration is copied from the context and includes itself.
    let context = InMemoryBuildContext(files: [
      "supervisord.conf": "[supervisord]\nnodaemon=true\n[include]\nfiles=/etc/supervisord.conf /etc/*.conf\n[program:web]\ncommand=nginx\n"
    ])
    let result = lint(
      Array("FROM alpine\nRUN apk add supervisor nginx\nCOPY supervisord.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-c\", \"/etc/supervisord.conf\"]\n".utf8),
      context)
    let read = result.context.launch.supervisord?.config
    #expect(read?.files.count == 1)
    #expect(read?.programs.map(\.name) == ["program:web"])
    #expect(read?.issues.contains { $0.message.contains("included more than once") } == true)
  }

  @Test func s6DependencyCyclesAreFoundAndLintFinishes() {
    let d = "rootfs/etc/s6-overlay/s6-rc.d"
    var files: [String: String] = [
      "\(d)/user/type": "bundle", "\(d)/user/contents.d/a": "", "\(d)/user/contents.d/user": "",
      "\(d)/a/type": "longrun", "\(d)/a/run": "#!/bin/sh\nexec a\n", "\(d)/a/dependencies.d/b": "",
      "\(d)/b/type": "longrun", "\(d)/b/run": "#!/bin/sh\nexec b\n", "\(d)/b/dependencies.d/a": "",
      "\(d)/self/type": "longrun", "\(d)/self/run": "#!/bin/sh\nexec self\n", "\(d)/self/dependencies.d/self": "",
    ]
    // A ring of 1,000 services, each depending on the next.
    for index in 0..<1_000 {
      files["\(d)/ring\(index)/type"] = "oneshot"
      files["\(d)/ring\(index)/up"] = "true"
      files["\(d)/ring\(index)/dependencies.d/ring\((index + 1) % 1_000)"] = ""
      files["\(d)/user/contents.d/ring\(index)"] = ""
    }
    let dockerfile = Array(
      "FROM alpine\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.1.6.2/s6-overlay-noarch.tar.xz /tmp\nCOPY rootfs/ /\nENTRYPOINT [\"/init\"]\n".utf8)
    let result = lint(dockerfile, InMemoryBuildContext(files: files))
    #expect(result.context.s6.dependencyCycles.count >= 3)
    #expect(Set(result.context.s6.dependencyCycles.flatMap { $0 }).isSuperset(of: ["a", "b", "self", "ring0", "ring999"]))
    #expect(!fix(dockerfile, InMemoryBuildContext(files: files)).hitPassLimit)
  }

  @Test func aContextPathEndingInDotDoesNotLoopTheS6Walk() {
    // Fuzzer finding (lint target, a timeout): a context file `…/dependencies.d/.` listed `.` as an entry
    // of its directory, and the walk for a service's files went `d/.`, `d/./.`, … forever.
    // (Set directly, as the fuzz target does: `init(files:)` would clean the paths.)
    let d = "rootfs/etc/s6-overlay/s6-rc.d"
    var synthetic = InMemoryBuildContext(files: [
      "\(d)/user/type": "bundle", "\(d)/user/contents.d/app": "", "\(d)/app/type": "longrun", "\(d)/app/run": "#!/bin/sh\nexec app\n",
    ])
    synthetic.files["\(d)/app/dependencies.d/."] = ([], false)
    synthetic.files["\(d)/other/dependencies.d/."] = ([], false)
    let dockerfile = Array("FROM alpine\nCOPY rootfs/ /\nENTRYPOINT [\"/init\"]\n".utf8)
    let result = lint(dockerfile, synthetic)
    let services = result.context.s6.services.map(\.name).sorted()
    #expect(services.contains("app"))
    let dependencies = result.context.s6.services.first { $0.name == "app" }?.dependencies ?? ["missing"]
    #expect(dependencies == [])
    // The fuzzer's input (Fixtures/fuzz-regressions/lint/), unpacked as the lint target does.
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/fuzz-regressions/lint/context-file-named-dot-loops-the-s6-walk")
    let bytes = (try? Data(contentsOf: url)).map { [UInt8]($0) } ?? []
    #expect(bytes.count == 7245)
    let marker = Array("\n@@@ ".utf8)
    var sections: [[UInt8]] = []
    var start = 0
    var index = 0
    while index + marker.count <= bytes.count {
      if bytes[index..<(index + marker.count)].elementsEqual(marker) {
        sections.append(Array(bytes[start..<index]))
        index += marker.count
        start = index
      } else {
        index += 1
      }
    }
    sections.append(Array(bytes[start...]))
    var context = InMemoryBuildContext(files: [:])
    for section in sections.dropFirst() {
      let newline = section.firstIndex(of: 0x0A) ?? section.endIndex
      let path = String(decoding: section[..<newline], as: UTF8.self)
      context.files[path] = (newline < section.endIndex ? Array(section[(newline + 1)...]) : [], false)
    }
    #expect(context.files.count == 13)
    let fuzzed = lint(sections[0], context)
    #expect(fuzzed.context.s6.services.count >= 3)
  }

  // MARK: Huge, deep and binary input through lint

  @Test func deeplyNestedShellInADockerfileIsReported() {
    let depth = 10_000
    let substitutions = String(repeating: "$( ", count: depth) + "echo" + String(repeating: " )", count: depth)
    let parentheses = String(repeating: "( ", count: 12_000) + "nginx" + String(repeating: " )", count: 12_000)
    for command in [substitutions, parentheses, String(repeating: "${A:-", count: depth) + "x" + String(repeating: "}", count: depth)] {
      let dockerfile = Array("FROM alpine\nENV A=1\nRUN \(command)\nCMD \(command)\n".utf8)
      let result = lint(dockerfile, InMemoryBuildContext(files: [:]))
      #expect(
        result.findings.contains { $0.ruleID == "DA002" && $0.message.contains("nesting deeper than") },
        "\(result.findings.map { "\($0.ruleID) \($0.message.prefix(200))" })")
      #expect(!fix(dockerfile, InMemoryBuildContext(files: [:])).hitPassLimit)
    }
    // ONBUILD chains and continuation-built lines.
    let onbuild = Array(("FROM alpine\n" + String(repeating: "ONBUILD \\\n", count: 10_000) + "RUN x\nCMD [\"x\"]\n").utf8)
    _ = lint(onbuild, InMemoryBuildContext(files: [:]))
  }

  @Test func binaryAndHugeEntrypointScripts() {
    var state: UInt64 = 11
    var binary: [UInt8] = Array("#!/bin/sh\n".utf8)
    for _ in 0..<300_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      binary.append(UInt8(truncatingIfNeeded: state >> 56))
    }
    // 5,000 lines of commands (a debug build analyses about 10,000 commands a second; bench-scale.sh
    // times 100 times more in a release build).
    let long = "#!/bin/bash\n" + String(repeating: "echo configuring $HOSTNAME; if [ -f /x ]; then cp /x /y; fi\n", count: 5_000)
      + "nginx -g 'daemon off;' &\nphp-fpm -F &\nwait -n\n"
    var context = InMemoryBuildContext(files: ["long.sh": long])
    context.files["binary.sh"] = (binary, true)
    context.files["elf"] = ([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 4096), true)
    for script in ["long.sh", "binary.sh", "elf"] {
      let dockerfile = Array("FROM alpine\nCOPY \(script) /start\nCMD [\"/start\"]\n".utf8)
      let result = lint(dockerfile, context)
      if script == "long.sh" { #expect(result.findings.contains { $0.ruleID == "DA201" || $0.ruleID == "DA206" }) }
      #expect(!fix(dockerfile, context).hitPassLimit)
    }
  }

  @Test func fiftyMegabyteEntrypointScript() {
    // 50 MB: a real entrypoint, a 2 MB heredoc with expansions, a 28 MB literal one and 20 MB of comments.
    let line = Array("0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 $HOME ${PATH}\n".utf8)
    var bytes = Array("#!/bin/sh\nset -e\ncat <<EOF > /etc/app.conf\n".utf8)
    bytes.reserveCapacity(50 << 20 + 4096)
    for _ in 0..<(2 << 20) / line.count { bytes += line }
    bytes += Array("EOF\ncat <<'EOF' > /srv/data\n".utf8)
    for _ in 0..<(28 << 20) / line.count { bytes += line }
    bytes += Array("EOF\n".utf8)
    for _ in 0..<(20 << 20) / line.count { bytes += Array("# ".utf8) + line }
    bytes += Array("nginx -g 'daemon off;'\n".utf8)
    #expect(bytes.count >= 50 << 20)
    var context = InMemoryBuildContext(files: [:])
    context.files["entrypoint.sh"] = (bytes, true)
    let result = lint(Array("FROM nginx\nCOPY entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\n".utf8), context)
    #expect(result.findings.contains { $0.ruleID == "DA102" })
  }
}
