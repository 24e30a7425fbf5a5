import DockerfileParser
import Testing
@testable import MultiProcAdvisor

@Suite struct EditApplierTests {
  let original = Array("CMD a && b\nRUN x\n".utf8)

  private func fix(_ edits: [TextEdit], title: String = "t") -> Fix { Fix(title: title, safety: .safe, edits: edits) }

  @Test func splicesFromTheEndSoOffsetsStayValid() {
    let result = EditApplier.apply(
      [fix([.insert("exec ", at: 9, in: "D")]), fix([.replace(SourceRange(start: 11, end: 14), with: "COPY", in: "D")])],
      to: ["D": original])
    #expect(String(decoding: result.files["D"]!, as: UTF8.self) == "CMD a && exec b\nCOPY x\n")
    #expect(result.applied.count == 2)
    #expect(result.deferred.isEmpty)
  }

  @Test func overlappingFixIsDeferredNotDropped() {
    let first = fix([.replace(SourceRange(start: 4, end: 10), with: "[\"a\"]", in: "D")], title: "first")
    let second = fix([.insert("exec ", at: 9, in: "D")], title: "second")
    let result = EditApplier.apply([second, first], to: ["D": original])
    #expect(result.applied.map(\.title) == ["first"])
    #expect(result.deferred.map(\.title) == ["second"])
  }

  @Test func aFixIsAtomicAcrossFiles() {
    let blocker = fix([.replace(SourceRange(start: 0, end: 3), with: "cmd", in: "D")], title: "blocker")
    let atomic = fix(
      [.insert("x", at: 0, in: "S"), .replace(SourceRange(start: 1, end: 2), with: "M", in: "D")], title: "atomic")
    let result = EditApplier.apply([blocker, atomic], to: ["D": original, "S": Array("#!/bin/sh\n".utf8)])
    #expect(result.applied.map(\.title) == ["blocker"])
    #expect(result.files["S"] == nil)
  }

  @Test func identicalInsertionsAreDeduplicated() {
    let edit = TextEdit.insert("STOPSIGNAL SIGQUIT\n", at: 11, in: "D")
    let result = EditApplier.apply([fix([edit], title: "a"), fix([edit], title: "b")], to: ["D": original])
    #expect(String(decoding: result.files["D"]!, as: UTF8.self) == "CMD a && b\nSTOPSIGNAL SIGQUIT\nRUN x\n")
  }

  @Test func editOutsideTheFileIsDeferred() {
    let result = EditApplier.apply([fix([.insert("x", at: 999, in: "D")])], to: ["D": original])
    #expect(result.applied.isEmpty)
    #expect(result.deferred.count == 1)
  }
}
