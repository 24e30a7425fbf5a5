import Foundation
import Testing

@testable import MultiProcAdvisor

/// `FixWriter`: targets stay inside the build context, foreign files are not replaced, writes are atomic
/// and keep modes, and nothing is written when anything is wrong.
@Suite struct FixWriterTests {
  private func scratch() throws -> String {
    let path = NSTemporaryDirectory() + "dockadvise-writer-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path + "/context", withIntermediateDirectories: true)
    return path
  }

  private func mode(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
  }

  @Test func resolvesInsideTheContextAndRefusesToLeaveIt() throws {
    let base = try scratch()
    let root = base + "/context"
    try FileManager.default.createDirectory(atPath: root + "/real", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: root + "/inside", withDestinationPath: "real")
    try FileManager.default.createSymbolicLink(atPath: root + "/absolute", withDestinationPath: base)
    try FileManager.default.createSymbolicLink(atPath: root + "/climbing", withDestinationPath: "../")
    try "x".write(toFile: root + "/file", atomically: true, encoding: .utf8)
    #expect(FixWriter.resolve("dockadvise/Procfile", in: root) == .success(root + "/dockadvise/Procfile"))
    #expect(FixWriter.resolve("inside/run.sh", in: root) == .success(root + "/real/run.sh"))
    #expect(FixWriter.resolve("absolute/x", in: root) == .failure(.outsideContext("absolute/x")))
    #expect(FixWriter.resolve("climbing/x", in: root) == .failure(.outsideContext("climbing/x")))
    #expect(FixWriter.resolve("../x", in: root) == .failure(.outsideContext("../x")))
    #expect(FixWriter.resolve("new/../../x", in: root) == .failure(.outsideContext("new/../../x")))
    #expect(FixWriter.resolve("file/x", in: root) == .failure(.notAFile("file/x")))
    #expect(FixWriter.absolute("a/./b/../c//d", in: "/w") == "/w/a/c/d")
  }

  @Test func writesAtomicallyKeepingModesAndMakingScriptsExecutable() throws {
    let root = try scratch() + "/context"
    let script = root + "/start.sh"
    try "#!/bin/sh\nwait\n".write(toFile: script, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: script)
    let targets = [
      FixWriter.Target(displayPath: "start.sh", path: script, bytes: Array("#!/bin/sh\nwait -n\n".utf8), created: false, executable: false),
      FixWriter.Target(displayPath: "dockadvise/run.sh", path: root + "/dockadvise/run.sh", bytes: Array("#!/bin/bash\n".utf8), created: true, executable: true),
      FixWriter.Target(displayPath: "dockadvise/Procfile", path: root + "/dockadvise/Procfile", bytes: Array("a: b\n".utf8), created: true, executable: false),
    ]
    let plan = try FixWriter.plan(targets, force: false)
    #expect(plan.count == 3)
    try FixWriter.commit(plan)
    #expect(try String(contentsOfFile: script, encoding: .utf8) == "#!/bin/sh\nwait -n\n")
    #expect(try mode(script) == 0o750)
    #expect(try mode(root + "/dockadvise/run.sh") == 0o755)
    #expect(try mode(root + "/dockadvise/Procfile") == 0o644)
    #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/dockadvise").sorted() == ["Procfile", "run.sh"], "no temporary files left")
    // Everything in place: nothing more to do.
    #expect(try FixWriter.plan(targets, force: false).isEmpty)
  }

  @Test func refusesToReplaceAForeignFileAndWritesNothing() throws {
    let root = try scratch() + "/context"
    try FileManager.default.createDirectory(atPath: root + "/dockadvise", withIntermediateDirectories: true)
    try "web: mine\n".write(toFile: root + "/dockadvise/Procfile", atomically: true, encoding: .utf8)
    let targets = [
      FixWriter.Target(displayPath: "Dockerfile", path: root + "/Dockerfile", bytes: Array("FROM x\n".utf8), created: false, executable: false),
      FixWriter.Target(displayPath: "dockadvise/Procfile", path: root + "/dockadvise/Procfile", bytes: Array("a: b\n".utf8), created: true, executable: false),
    ]
    #expect(throws: FixWriter.Problem.wouldOverwrite(["dockadvise/Procfile"])) { try FixWriter.plan(targets, force: false) }
    #expect(!FileManager.default.fileExists(atPath: root + "/Dockerfile"))
    let forced = try FixWriter.plan(targets, force: true)
    try FixWriter.commit(forced)
    #expect(try String(contentsOfFile: root + "/dockadvise/Procfile", encoding: .utf8) == "a: b\n")
  }

  @Test func initSourcesRecordedInTheirManifestMayBeReplaced() throws {
    let root = try scratch() + "/context"
    let directory = root + "/dockadvise/init"
    try EmbeddedInit.write(to: directory)
    // An older version of a file that emit-init wrote: its hash is in the manifest.
    let old = Array("// older\n".utf8)
    try Data(old).write(to: URL(fileURLWithPath: directory + "/Text.swift"))
    var manifest = try String(contentsOfFile: directory + "/" + EmbeddedInit.manifestName, encoding: .utf8)
    manifest += FNV1a.hex(of: old) + " Text.swift\n"
    try manifest.write(toFile: directory + "/" + EmbeddedInit.manifestName, atomically: true, encoding: .utf8)
    let target = FixWriter.Target(displayPath: "dockadvise/init/Text.swift", path: directory + "/Text.swift", bytes: Array("// new\n".utf8), created: true, executable: false)
    #expect(try FixWriter.plan([target], force: false).count == 1)
    // Edited by someone: not in the manifest.
    try "// edited\n".write(toFile: directory + "/Text.swift", atomically: true, encoding: .utf8)
    #expect(throws: FixWriter.Problem.self) { try FixWriter.plan([target], force: false) }
  }

  @Test func twoDockerfilesWantingDifferentContentsConflict() throws {
    let root = try scratch() + "/context"
    let a = FixWriter.Target(displayPath: "dockadvise/Procfile", path: root + "/dockadvise/Procfile", bytes: Array("a: a\n".utf8), created: true, executable: false)
    var b = a
    b.bytes = Array("b: b\n".utf8)
    #expect(throws: FixWriter.Problem.conflictingContents("dockadvise/Procfile")) { try FixWriter.plan([a, b], force: true) }
    #expect(try FixWriter.plan([a, a], force: false).count == 1)
  }

  @Test func aReplacedFileIsRenamedIntoPlaceNeverRewrittenInPlace() throws {
    // A second hard link to the old file keeps the old bytes only if the new content arrived by rename
    // (a new inode); writing in place (truncate + write, which a crash can leave half done) would change it.
    let root = try scratch() + "/context"
    let dockerfile = root + "/Dockerfile"
    try "FROM debian\nCMD nginx\n".write(toFile: dockerfile, atomically: false, encoding: .utf8)
    #expect(link(dockerfile, root + "/old") == 0)
    let target = FixWriter.Target(
      displayPath: "Dockerfile", path: dockerfile, bytes: Array("FROM debian\nCMD [\"nginx\"]\n".utf8), created: false, executable: false)
    try FixWriter.commit(try FixWriter.plan([target], force: false))
    #expect(try String(contentsOfFile: dockerfile, encoding: .utf8) == "FROM debian\nCMD [\"nginx\"]\n")
    #expect(try String(contentsOfFile: root + "/old", encoding: .utf8) == "FROM debian\nCMD nginx\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["Dockerfile", "old"], "no temporary file left")
  }

  @Test func aFailedWriteLeavesEverythingAsItWas() throws {
    let root = try scratch() + "/context"
    try "old\n".write(toFile: root + "/Dockerfile", atomically: true, encoding: .utf8)
    try "not a directory\n".write(toFile: root + "/blocker", atomically: true, encoding: .utf8)
    let targets = [
      FixWriter.Target(displayPath: "Dockerfile", path: root + "/Dockerfile", bytes: Array("new\n".utf8), created: false, executable: false),
      FixWriter.Target(displayPath: "blocker/x", path: root + "/blocker/x", bytes: Array("x".utf8), created: true, executable: false),
    ]
    #expect(throws: FixWriter.Problem.self) { try FixWriter.commit(targets) }
    #expect(try String(contentsOfFile: root + "/Dockerfile", encoding: .utf8) == "old\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["Dockerfile", "blocker"])
  }
}
