import Foundation
import DockerfileParser
import Testing
@testable import MultiProcAdvisor

/// The gate refuses a result that reads worse than the original, naming the fix that made it so.
@Suite struct FixVerificationTests {
  let original = "FROM ubuntu\nCOPY s.conf /etc/supervisord.conf\nCMD /usr/bin/supervisord\n"
  let conf = "[program:a]\ncommand=a -f\n"

  func request() -> Linter.Request {
    Linter.Request(
      dockerfile: SourceFile(path: "Dockerfile", bytes: Array(original.utf8)),
      context: InMemoryBuildContext(files: ["s.conf": conf]))
  }

  /// An outcome as the fix loop would report it, with `dockerfile` as the result of `fix`.
  func outcome(_ dockerfile: String, fix: Fixer.AppliedFix) -> Fixer.Outcome {
    var outcome = Fixer.Outcome()
    outcome.dockerfile = Array(dockerfile.utf8)
    outcome.files["Dockerfile"] = outcome.dockerfile
    outcome.passFindings = [Linter.lint(request()).findings]
    outcome.appliedFixes = [fix]
    return outcome
  }

  @Test func theConcatenatedCMDIsRefusedAndItsFixNamed() {
    let broken = "FROM ubuntu\nCOPY s.conf /etc/supervisord.conf\nCMD [\"/usr/bin/supervisord\"] -n\n"
    let fix = Fixer.AppliedFix(ruleID: "DA101", title: "use exec form", pass: 1, paths: ["Dockerfile"])
    let problems = FixVerification.check(request(), options: Fixer.Options(includeUnsafe: true), outcome: outcome(broken, fix: fix))
    #expect(problems.contains { $0.message.contains("new finding after the fix: DA103") && $0.fixes == ["DA101 'use exec form'"] })
  }

  @Test func aFindingWhoseFixRanIsRefused() {
    // A "fix" for DA302 that changes nothing it should.
    let same = "FROM ubuntu\nCOPY s.conf /etc/supervisord.conf\nCMD  /usr/bin/supervisord\n"
    let fix = Fixer.AppliedFix(ruleID: "DA302", title: "run supervisord in the foreground", pass: 1, paths: ["Dockerfile"])
    let problems = FixVerification.check(request(), options: Fixer.Options(includeUnsafe: true), outcome: outcome(same, fix: fix))
    #expect(problems.map(\.message).contains { $0.hasPrefix("the finding its fix was for is still there: DA302") })
  }

  @Test func aScriptThatNoLongerParsesIsRefused() {
    var result = outcome(original, fix: Fixer.AppliedFix(ruleID: "DA102", title: "exec", pass: 1, paths: ["start.sh"]))
    result.files = ["start.sh": Array("#!/bin/sh\nif true; then exec app\n".utf8)]
    result.created = ["start.sh"]
    let problems = FixVerification.check(request(), options: Fixer.Options(includeUnsafe: true), outcome: result)
    #expect(problems.contains { $0.path == "start.sh" && $0.message.hasPrefix("the fixed file does not read") && $0.fixes == ["DA102 'exec'"] })
  }

  @Test func theRealSafeFixesMergeAndPassTheGate() {
    let options = Fixer.Options(includeUnsafe: false)
    let fixed = Fixer.fix(request(), options: options)
    #expect(String(decoding: fixed.dockerfile, as: UTF8.self).hasSuffix("CMD [\"/usr/bin/supervisord\", \"-n\"]\n"))
    #expect(FixVerification.check(request(), options: options, outcome: fixed).isEmpty)
  }

  /// The fuzzer's input (Fixtures/fuzz-regressions/fix/printf-run-script-invalid-utf8-exec-loops): a
  /// printf run script with an invalid UTF-8 byte, whose text the image pieces together from the
  /// format word. "exec the service" used to be inserted at the start of that word, where the rule does
  /// not read it, until the pass limit. Now no exec is offered where the command's bytes are not its own,
  /// the loop settles, and fixing the result again changes nothing.
  @Test func noExecIsInsertedWhereTheCommandIsNotVerbatim() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/fuzz-regressions/fix/printf-run-script-invalid-utf8-exec-loops").path
    let bytes = try #require(FileManager.default.contents(atPath: path))
    let request = Linter.Request(dockerfile: SourceFile(path: "Dockerfile", bytes: Array(bytes)), context: InMemoryBuildContext(files: [:]))
    let options = Fixer.Options(includeUnsafe: true)
    let outcome = Fixer.fix(request, options: options)
    #expect(!outcome.hitPassLimit)
    #expect(!outcome.appliedFixes.contains { $0.title == "exec the service" })
    #expect(Linter.lint(request).findings.contains { $0.ruleID == "DA405" && $0.fix == nil })
    let again = Fixer.fix(
      Linter.Request(dockerfile: SourceFile(path: "Dockerfile", bytes: outcome.dockerfile), context: InMemoryBuildContext(files: [:])), options: options)
    #expect(again.appliedFixes.isEmpty)
  }
}
