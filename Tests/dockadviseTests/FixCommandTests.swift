import Foundation
import MultiProcAdvisor
import Testing

@testable import dockadvise

/// `dockadvise fix`: options, modes, exit statuses, and what --write refuses to do.
@Suite struct FixCommandTests {
  private func context(_ files: [String: String]) throws -> String {
    let directory = NSTemporaryDirectory() + "dockadvise-fixcmd-\(UUID().uuidString.prefix(8))"
    for (path, text) in files {
      let full = directory + "/" + path
      try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try text.write(toFile: full, atomically: true, encoding: .utf8)
      if text.hasPrefix("#!") { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: full) }
    }
    return directory
  }

  private func fix(_ arguments: [String], in directory: String, stdin: String = "") -> (ExitCode, CommandIO) {
    let io = CommandIO.buffered(stdin: Array(stdin.utf8), currentDirectory: directory)
    return (CLI.run(arguments: ["fix"] + arguments, environment: [:], io: io), io)
  }

  static let twoServices = "FROM debian:bookworm-slim\nCMD php-fpm8.2 -F & nginx -g 'daemon off;'\n"
  static let oneService = "FROM debian:bookworm-slim\nCMD echo starting && nginx -g 'daemon off;'\n"

  @Test func usageErrorsExitWithTwo() throws {
    let directory = try context(["Dockerfile": Self.oneService])
    let cases: [([String], String)] = [
      (["--wirte", "Dockerfile"], "unknown option '--wirte' (did you mean '--write'?)"),
      (["--write", "--check", "Dockerfile"], "choose one of --diff, --check and --write"),
      ([], "expected a Dockerfile (or a directory, or '-')"),
      (["--strategy", "s7", "Dockerfile"], "unknown strategy 's7' (did you mean 's6'?); expected swift-init, s6, wrapper"),
      (["--strategy"], "--strategy needs a value (--strategy S)"),
      (["--write", "-"], "--write cannot write standard input; use --diff or --check"),
      (["--diff=yes", "Dockerfile"], "--diff takes no value"),
      (["missing/Dockerfile"], "missing/Dockerfile: no such file or directory"),
      (["--target", "nope", "Dockerfile"], "Dockerfile: no stage named 'nope'"),
      (["--context", "nowhere", "Dockerfile"], "build context 'nowhere' is not a directory"),
    ]
    for (arguments, message) in cases {
      let (code, io) = fix(arguments, in: directory)
      #expect(code == .failure, "\(arguments)")
      #expect(io.stderr.text.hasPrefix("dockadvise: fix: \(message)\n"), "\(arguments): \(io.stderr.text)")
      #expect(io.stdout.text.isEmpty)
    }
  }

  @Test func unreadableDockerfilesExitWithTwoNamingTheFile() throws {
    let directory = try context(["Dockerfile": Self.oneService, "empty/README": "no Dockerfile here\n"])
    #expect(symlink("loop", directory + "/loop") == 0)
    #expect(symlink("nowhere", directory + "/dangling") == 0)
    #expect(mkfifo(directory + "/fifo", 0o644) == 0)
    let cases: [(String, String)] = [
      ("loop", "loop: cannot read file: too many levels of symbolic links"),
      ("dangling", "dangling: cannot read file: no such file or directory"),
      ("fifo", "fifo: cannot read file: not a regular file (a FIFO, socket or device)"),
      ("empty", "empty: no Dockerfile or Containerfile in this directory"),
    ]
    for (path, message) in cases {
      let (code, io) = fix(["--write", path], in: directory)
      #expect(code == .failure, "\(path)")
      #expect(io.stderr.text.hasPrefix("dockadvise: fix: \(message)\n"), "\(path): \(io.stderr.text)")
    }
    #expect(try String(contentsOfFile: directory + "/Dockerfile", encoding: .utf8) == Self.oneService)
  }

  @Test func aDockerfileThatDoesNotParseIsLeftAlone() throws {
    let directory = try context(["Dockerfile": "FROM debian\nCMD [\"a\", \nFROBNICATE x\n"])
    let (code, io) = fix(["--write", "--unsafe", "Dockerfile"], in: directory)
    #expect(code == .failure)
    #expect(io.stderr.text.hasSuffix("dockadvise: fix: Dockerfile does not parse as BuildKit reads it; nothing was fixed\n"))
    #expect(io.stderr.text.contains("Dockerfile:3:1: error: unknown instruction: FROBNICATE"))
    // An unclosed exec form alone parses (as shell form): DA103 reports it, and no fix rewrites it.
    let unclosed = try context(["Dockerfile": "FROM debian\nCMD [\"a\", \n"])
    let (diffCode, diffIO) = fix(["Dockerfile"], in: unclosed)
    #expect(diffCode == .success)
    #expect(diffIO.stdout.text.isEmpty)
    #expect(diffIO.stderr.text.contains("DA103 json-args-malformed"))
  }

  @Test func diffIsTheDefaultAndWritesNothing() throws {
    let directory = try context(["Dockerfile": Self.oneService])
    let (code, io) = fix(["Dockerfile"], in: directory)
    #expect(code == .success)
    #expect(
      io.stdout.text == """
        diff --git a/Dockerfile b/Dockerfile
        --- a/Dockerfile
        +++ b/Dockerfile
        @@ -1,2 +1,3 @@
         FROM debian:bookworm-slim
        -CMD echo starting && nginx -g 'daemon off;'
        +STOPSIGNAL SIGQUIT
        +CMD echo starting && exec nginx -g 'daemon off;'

        """)
    #expect(try String(contentsOfFile: directory + "/Dockerfile", encoding: .utf8) == Self.oneService)
  }

  @Test func checkExitsOneUntilWrittenThenZero() throws {
    let directory = try context(["Dockerfile": Self.oneService])
    #expect(fix(["--check", "Dockerfile"], in: directory).0 == .findings)
    let (written, io) = fix(["--write", "Dockerfile"], in: directory)
    #expect(written == .success)
    #expect(io.stderr.text == "dockadvise: fix: wrote Dockerfile\n")
    #expect(fix(["--check", "Dockerfile"], in: directory).0 == .success)
    #expect(fix(["--check", "."], in: directory).0 == .success, "a directory means its Dockerfile")
  }

  @Test func standardInputIsDiffedAgainstTheCurrentDirectory() throws {
    let directory = try context([:])
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let (code, io) = fix(["-"], in: directory, stdin: Self.oneService)
    #expect(code == .success)
    #expect(io.stdout.text.contains("+++ b/<stdin>\n"))
    #expect(fix(["--check", "-"], in: directory, stdin: Self.oneService).0 == .findings)
  }

  @Test func unsafeFixesNeedTheFlagAndUnfixedFindingsAreListed() throws {
    let directory = try context(["Dockerfile": Self.twoServices])
    let (code, io) = fix(["Dockerfile"], in: directory)
    #expect(code == .success)
    #expect(io.stdout.text.isEmpty, "only unsafe fixes apply")
    #expect(io.stderr.text.contains("DA201 background-process"))
    #expect(io.stderr.text.contains("(fix with --unsafe: run the services under dockadvise-init (Procfile))"))
    // DA101 has no fix of its own on `CMD a & b`, but the restructuring removes it.
    #expect(io.stderr.text.contains("shell-form-pid1: CMD uses shell form: /bin/sh -c is PID 1, so SIGTERM never reaches the application (removed by the fixes --unsafe applies)"), "\(io.stderr.text)")
    let (unsafe, unsafeIO) = fix(["--unsafe", "Dockerfile"], in: directory)
    #expect(unsafe == .success)
    #expect(unsafeIO.stdout.text.contains("+++ b/dockadvise/Procfile\n"))
    #expect(unsafeIO.stdout.text.contains("new file mode 100755\n--- /dev/null\n+++ b/dockadvise/init/build.sh\n"))
  }

  @Test func writeRefusesAProcfileItDidNotCreateUnlessForced() throws {
    let directory = try context(["Dockerfile": Self.twoServices, "dockadvise/Procfile": "web: mine\n"])
    let (code, io) = fix(["--write", "--strategy", "swift-init", "Dockerfile"], in: directory)
    #expect(code == .failure)
    #expect(io.stderr.text.contains("'dockadvise/Procfile' exists and was not written by dockadvise; nothing was written (use --force to overwrite)"))
    #expect(try String(contentsOfFile: directory + "/Dockerfile", encoding: .utf8) == Self.twoServices)
    #expect(!FileManager.default.fileExists(atPath: directory + "/dockadvise/init"))
    let (diffCode, diffIO) = fix(["--strategy", "swift-init", "Dockerfile"], in: directory)
    #expect(diffCode == .success)
    #expect(diffIO.stderr.text.contains("dockadvise: fix: dockadvise/Procfile exists and would be replaced"))
    let (forced, _) = fix(["--write", "--force", "--strategy", "swift-init", "Dockerfile"], in: directory)
    #expect(forced == .success)
    #expect(try String(contentsOfFile: directory + "/dockadvise/Procfile", encoding: .utf8).contains("nginx: nginx -g 'daemon off;'"))
  }

  @Test func writeNeverFollowsASymlinkOutOfTheContext() throws {
    let outside = try context(["marker": "x"])
    let directory = try context(["Dockerfile": Self.twoServices])
    try FileManager.default.createSymbolicLink(atPath: directory + "/dockadvise", withDestinationPath: outside)
    let (code, io) = fix(["--write", "--strategy", "wrapper", "Dockerfile"], in: directory)
    #expect(code == .failure)
    #expect(io.stderr.text.contains("refusing to write 'dockadvise/run-services.sh': it leads outside the build context"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["marker"])
    #expect(try String(contentsOfFile: directory + "/Dockerfile", encoding: .utf8) == Self.twoServices)
  }

  @Test func initBinaryMustBeAFileInsideTheContext() throws {
    let directory = try context(["app/Dockerfile": Self.twoServices, "app/bin/init": "\u{7f}ELF", "elsewhere/init": "x"])
    let (outside, outsideIO) = fix(["--strategy", "swift-init", "--init-binary", "elsewhere/init", "app/Dockerfile"], in: directory)
    #expect(outside == .failure)
    #expect(outsideIO.stderr.text.contains("is outside the build context 'app'"))
    let (missing, missingIO) = fix(["--init-binary", "app/bin/nope", "--unsafe", "app/Dockerfile"], in: directory)
    #expect(missing == .failure)
    #expect(missingIO.stderr.text.contains("no such file"))
    let (code, io) = fix(["--strategy", "swift-init", "--init-binary", "app/bin/init", "app/Dockerfile"], in: directory)
    #expect(code == .success, "\(io.stderr.text)")
    #expect(io.stdout.text.contains("+COPY --chmod=755 bin/init /usr/local/bin/dockadvise-init\n"))
    #expect(!io.stdout.text.contains("dockadvise/init/"), "no build stage, no init sources")
    #expect(io.stdout.text.contains("+++ b/app/dockadvise/Procfile\n"))
  }

  @Test func aContextElsewhereKeepsPathsRelativeToIt() throws {
    let directory = try context(["docker/Dockerfile": Self.twoServices, "src/x": "x"])
    let (code, io) = fix(["--write", "--strategy", "wrapper", "--context", ".", "docker/Dockerfile"], in: directory)
    #expect(code == .success, "\(io.stderr.text)")
    #expect(FileManager.default.isExecutableFile(atPath: directory + "/dockadvise/run-services.sh"))
    #expect(try String(contentsOfFile: directory + "/docker/Dockerfile", encoding: .utf8).contains("COPY --chmod=755 dockadvise/run-services.sh "))
  }

  @Test func initSourceChoosesHowTheInitEntersTheImage() throws {
    let aarch64 = String(repeating: "0", count: 63) + "1"
    let x86 = String(repeating: "f", count: 64)
    let sums = "\(x86) *dockadvise-init-x86_64\r\n\(aarch64)  dist/dockadvise-init-aarch64\r\n"
    let directory = try context(["Dockerfile": Self.twoServices, "bin/init": "\u{7f}ELF", "SHA256SUMS": sums, "partial": "\(x86)  dockadvise-init-x86_64\n"])
    let (built, builtIO) = fix(["--strategy", "swift-init", "--init-source", "build", "Dockerfile"], in: directory)
    #expect(built == .success, "\(builtIO.stderr.text)")
    #expect(builtIO.stdout.text.contains("+RUN apt-get update && apt-get install -y --no-install-recommends musl-tools && rm -rf /var/lib/apt/lists/*\n"))
    #expect(builtIO.stdout.text.contains("+RUN DOCKADVISE_INIT_LIBC=musl /src/build.sh /dockadvise-init\n"))
    // binary PATH is two words; PATH is not taken for a Dockerfile, and it means what --init-binary did.
    let (binary, binaryIO) = fix(["--strategy", "swift-init", "--init-source", "binary", "bin/init", "Dockerfile"], in: directory)
    let (alias, aliasIO) = fix(["--strategy", "swift-init", "--init-binary", "bin/init", "Dockerfile"], in: directory)
    #expect(binary == .success && alias == .success, "\(binaryIO.stderr.text)")
    #expect(binaryIO.stdout.text == aliasIO.stdout.text)
    #expect(binaryIO.stdout.text.contains("+COPY --chmod=755 bin/init /usr/local/bin/dockadvise-init\n"))
    let (release, releaseIO) = fix(["--strategy", "swift-init", "--init-source=release", "--init-checksums", "SHA256SUMS", "Dockerfile"], in: directory)
    #expect(release == .success, "\(releaseIO.stderr.text)")
    let base = "https://github.com/dockadvise/dockadvise/releases/download/v\(CLI.version)"
    #expect(releaseIO.stdout.text.contains("+FROM scratch AS dockadvise-init-amd64\n+ADD --checksum=sha256:\(x86) --chmod=755 \(base)/dockadvise-init-x86_64 /dockadvise-init\n"))
    #expect(releaseIO.stdout.text.contains("+FROM scratch AS dockadvise-init-arm64\n+ADD --checksum=sha256:\(aarch64) --chmod=755 \(base)/dockadvise-init-aarch64 /dockadvise-init\n"))
    #expect(releaseIO.stdout.text.contains("+FROM dockadvise-init-${TARGETARCH:-amd64} AS dockadvise-init\n"))
    #expect(!releaseIO.stdout.text.contains("dockadvise/init/"), "no init sources in the context")
    let (partial, partialIO) = fix(["--strategy", "swift-init", "--init-source", "release", "--init-checksums", "partial", "Dockerfile"], in: directory)
    #expect(partial == .failure)
    #expect(partialIO.stderr.text.contains("--init-checksums partial has no checksum for dockadvise-init-aarch64"))
  }

  @Test func initSourceMistakesExitWithTwo() throws {
    let directory = try context(["Dockerfile": Self.twoServices, "bin/init": "x", "bad": "xyz  dockadvise-init-x86_64\n"])
    let cases: [([String], String)] = [
      (["--init-source", "bulid", "Dockerfile"], "unknown --init-source 'bulid' (did you mean 'build'?); expected build, binary PATH or release"),
      (["--init-source", "binary", "--unsafe", "Dockerfile"], "--init-source binary needs a PATH"),
      (["--init-source", "release", "--init-binary", "bin/init", "Dockerfile"], "choose one init source: --init-source release or binary"),
      (["--init-checksums", "bad", "Dockerfile"], "--init-checksums is for --init-source release"),
      (["--unsafe", "--init-source", "release", "Dockerfile"], "--init-source release needs the SHA-256 of dockadvise-init"),
      (["--unsafe", "--init-source", "release", "--init-checksums", "bad", "Dockerfile"], "--init-checksums bad:1: 'xyz' is not a SHA-256 (64 hex digits)"),
      (["--unsafe", "--init-source", "release", "--init-checksums", "nowhere", "Dockerfile"], "--init-checksums 'nowhere': no such file or directory"),
    ]
    for (arguments, message) in cases {
      let (code, io) = fix(arguments, in: directory)
      #expect(code == .failure, "\(arguments)")
      #expect(io.stderr.text.contains(message), "\(arguments): \(io.stderr.text)")
      #expect(io.stdout.text.isEmpty)
    }
  }
}
