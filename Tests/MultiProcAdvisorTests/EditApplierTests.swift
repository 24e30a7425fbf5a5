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

/// Structural edits: changes of several fixes to one node are merged and rendered once.
@Suite struct EditMergingTests {
  let cmd = Array("FROM ubuntu\nCMD /usr/bin/supervisord\n".utf8)
  var file: SourceFile { SourceFile(path: "D", bytes: cmd) }
  /// `/usr/bin/supervisord`: bytes 16..<36; the arguments of CMD are the same range.
  var word: FileRange { FileRange(file: file, range: SourceRange(start: 16, end: 36)) }

  private func fix(_ changes: [FixEdit], title: String) -> Fix { Fix(title: title, safety: .safe, changes: changes) }

  @Test func execFormAndAnAddedFlagBecomeOneArray() {
    let execForm = fix([.execForm(word, words: [("/usr/bin/supervisord", word)])], title: "exec form")
    let flag = fix([.insertWords(["-n"], after: word, json: false)], title: "-n")
    for order in [[execForm, flag], [flag, execForm]] {
      let result = EditApplier.apply(order, to: ["D": cmd])
      #expect(String(decoding: result.files["D"]!, as: UTF8.self) == "FROM ubuntu\nCMD [\"/usr/bin/supervisord\", \"-n\"]\n")
      #expect(result.applied.count == 2)
      #expect(result.deferred.isEmpty)
    }
  }

  @Test func textEditsThatTouchGoToTheNextPass() {
    // The old concatenation: a replacement of the arguments and an insertion at their end.
    let replace = Fix(title: "exec form", safety: .safe, edits: [.replace(SourceRange(start: 16, end: 36), with: "[\"/usr/bin/supervisord\"]", in: "D")])
    let insert = Fix(title: "-n", safety: .safe, edits: [.insert(" -n", at: 36, in: "D")])
    let result = EditApplier.apply([replace, insert], to: ["D": cmd])
    #expect(result.applied.map(\.title) == ["exec form"])
    #expect(result.deferred.map(\.title) == ["-n"])
    #expect(String(decoding: result.files["D"]!, as: UTF8.self) == "FROM ubuntu\nCMD [\"/usr/bin/supervisord\"]\n")
  }

  @Test func twoValuesForOneWordConflict() {
    let a = fix([.replaceWord(word, with: "/usr/local/bin/supervisord", json: false)], title: "a")
    let b = fix([.replaceWord(word, with: "supervisord", json: false)], title: "b")
    let result = EditApplier.apply([a, b], to: ["D": cmd])
    #expect(result.applied.map(\.title) == ["a"])
    #expect(result.deferred.map(\.title) == ["b"])
  }

  @Test func execGoesBeforeWordsInsertedAtTheSamePoint() {
    let script = Array("#!/bin/sh\ntini -- app\n".utf8)
    let source = SourceFile(path: "S", bytes: script)
    let first = FileRange(file: source, range: SourceRange(start: 10, end: 14))
    let wrap = fix([.insertWords(["dumb-init", "--"], before: first, json: false, firstIsCommandName: true)], title: "wrap")
    let exec = fix([.execPrefix(at: FileRange(file: source, range: .empty(at: 10)))], title: "exec")
    let result = EditApplier.apply([wrap, exec], to: ["S": script])
    #expect(String(decoding: result.files["S"]!, as: UTF8.self) == "#!/bin/sh\nexec dumb-init -- tini -- app\n")
  }

  @Test func linesInsertedAtOnePlaceAreMergedInOrder() {
    let keyword = FileRange(file: file, range: SourceRange(start: 12, end: 15))
    let a = fix([.insertLine("STOPSIGNAL SIGQUIT", before: keyword)], title: "a")
    let b = fix([.insertLine("ENTRYPOINT [\"tini\", \"--\"]", before: keyword)], title: "b")
    let result = EditApplier.apply([a, b, a], to: ["D": cmd])
    #expect(String(decoding: result.files["D"]!, as: UTF8.self) == "FROM ubuntu\nSTOPSIGNAL SIGQUIT\nENTRYPOINT [\"tini\", \"--\"]\nCMD /usr/bin/supervisord\n")
    #expect(result.deferred.isEmpty)
  }

  @Test func keysOfOneSectionFromTwoFixesAreWrittenOnce() {
    let conf = Array("[program:a]\ncommand=a\nstdout_logfile=/tmp/a.log\n".utf8)
    let end = 47  // the end of the section's last line
    let existing = SourceRange(start: 37, end: 47)
    let a = fix([.sectionKey(SectionKeyEdit(path: "C", sectionEnd: end, key: "stdout_logfile", value: "/dev/stdout", existingValue: existing, newline: "\n")),
                 .sectionKey(SectionKeyEdit(path: "C", sectionEnd: end, key: "stdout_logfile_maxbytes", value: "0", existingValue: nil, newline: "\n"))], title: "logs")
    let b = fix([.sectionKey(SectionKeyEdit(path: "C", sectionEnd: end, key: "stopasgroup", value: "true", existingValue: nil, newline: "\n"))], title: "group")
    let c = fix([.sectionKey(SectionKeyEdit(path: "C", sectionEnd: end, key: "stdout_logfile", value: "/dev/null", existingValue: existing, newline: "\n"))], title: "other value")
    let result = EditApplier.apply([a, b, c], to: ["C": conf])
    #expect(String(decoding: result.files["C"]!, as: UTF8.self) == "[program:a]\ncommand=a\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\nstopasgroup=true\n")
    #expect(result.deferred.map(\.title) == ["other value"])
  }
}
