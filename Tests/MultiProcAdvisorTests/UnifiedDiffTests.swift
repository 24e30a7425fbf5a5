import Foundation
import Testing

@testable import MultiProcAdvisor

/// `UnifiedDiff`: git-format diffs that `git apply` accepts.
@Suite struct UnifiedDiffTests {
  private func diff(_ old: String?, _ new: String, executable: Bool = false) -> String {
    String(decoding: UnifiedDiff.render(UnifiedDiff.Change(path: "f", old: old.map { Array($0.utf8) }, new: Array(new.utf8), executable: executable)), as: UTF8.self)
  }

  @Test func aChangedLineWithContext() {
    let old = (1...10).map { "line \($0)\n" }.joined()
    let new = old.replacing("line 5\n", with: "line five\n")
    #expect(
      diff(old, new) == """
        diff --git a/f b/f
        --- a/f
        +++ b/f
        @@ -2,7 +2,7 @@
         line 2
         line 3
         line 4
        -line 5
        +line five
         line 6
         line 7
         line 8

        """)
  }

  @Test func distantChangesMakeTwoHunksAndCloseOnesOne() {
    let old = (1...20).map { "\($0)\n" }.joined()
    let twoHunks = diff(old, old.replacing("\n2\n", with: "\ntwo\n").replacing("\n19\n", with: "\nnineteen\n"))
    #expect(twoHunks.components(separatedBy: "\n@@ ").count == 3)
    let oneHunk = diff(old, old.replacing("\n2\n", with: "\ntwo\n").replacing("\n8\n", with: "\neight\n"))
    #expect(oneHunk.components(separatedBy: "\n@@ ").count == 2)
  }

  @Test func newFilesEmptyFilesAndMissingFinalNewlines() {
    #expect(diff(nil, "a\nb\n", executable: true) == "diff --git a/f b/f\nnew file mode 100755\n--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n")
    #expect(diff(nil, "") == "diff --git a/f b/f\nnew file mode 100644\n")
    #expect(diff("a", "b") == "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n")
    #expect(diff("a\n", "a\n") == "")
    #expect(diff("x\n", "x\ny\n") == "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1,2 @@\n x\n+y\n")
    #expect(diff("x\ny\n", "y\n") == "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1 @@\n-x\n y\n")
    #expect(diff("", "y\n") == "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+y\n")
  }

  @Test func crlfLinesAreKeptAsTheyAre() {
    #expect(diff("a\r\nb\r\n", "a\r\nc\r\n") == "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n")
  }

  /// Random edits of random files: `git apply` turns the old files into the new ones.
  @Test func gitApplyReproducesTheNewFiles() throws {
    guard let git = ["/usr/bin/git", "/bin/git", "/usr/local/bin/git"].first(where: FileManager.default.isExecutableFile) else {
      print("skipped: git is not installed")
      return
    }
    var generator = SystemRandomNumberGenerator()
    let directory = NSTemporaryDirectory() + "dockadvise-diff-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let words = ["FROM x", "RUN a", "CMD b", "", "# c", "ENV d=1", "é 日"]
    var changes: [UnifiedDiff.Change] = []
    var expected: [String: String] = [:]
    for index in 0..<12 {
      let old = (0..<Int.random(in: 0...30, using: &generator)).map { _ in words.randomElement(using: &generator)! + "\n" }
      var new = old
      for _ in 0..<Int.random(in: 1...6, using: &generator) {
        let position = Int.random(in: 0...new.count, using: &generator)
        switch Int.random(in: 0...2, using: &generator) {
        case 0: new.insert(words.randomElement(using: &generator)! + " new\n", at: position)
        case 1 where position < new.count: new.remove(at: position)
        default: if position < new.count { new[position] = "changed \(position)\n" }
        }
      }
      var newText = new.joined()
      if index % 3 == 0, newText.hasSuffix("\n") { newText.removeLast() }
      let name = "file\(index)"
      let isNew = index % 4 == 0
      if !isNew { try old.joined().write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
      changes.append(UnifiedDiff.Change(path: name, old: isNew ? nil : Array(old.joined().utf8), new: Array(newText.utf8)))
      expected[name] = newText
    }
    let patch = directory + "/changes.patch"
    try Data(UnifiedDiff.render(changes)).write(to: URL(fileURLWithPath: patch))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: git)
    process.arguments = ["apply", "--unsafe-paths", "--directory=.", patch]
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "git apply rejected:\n\(String(decoding: UnifiedDiff.render(changes), as: UTF8.self))")
    for (name, text) in expected {
      #expect((try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) == text, "\(name)")
    }
  }
}
