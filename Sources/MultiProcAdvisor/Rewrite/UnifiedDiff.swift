/// Unified diffs of whole files, in git's format so that `git apply` (and `patch -p1`) can apply them:
/// `diff --git` headers, `new file mode 100755` for created executables, `--- /dev/null` for new files,
/// three lines of context and `\ No newline at end of file` where a file does not end with one.
public enum UnifiedDiff {
  /// One file's change: its path, the old bytes (nil when the file is new) and the new bytes.
  public struct Change: Sendable, Equatable {
    public var path: String
    public var old: [UInt8]?
    public var new: [UInt8]
    public var executable: Bool

    public init(path: String, old: [UInt8]?, new: [UInt8], executable: Bool = false) {
      self.path = path
      self.old = old
      self.new = new
      self.executable = executable
    }
  }

  /// The diff of every change, in the order given; unchanged files produce nothing.
  public static func render(_ changes: [Change], context: Int = 3) -> [UInt8] {
    changes.flatMap { render($0, context: context) }
  }

  /// The diff of one file, as bytes (lines are copied as they are, whatever their encoding).
  public static func render(_ change: Change, context: Int = 3) -> [UInt8] {
    if let old = change.old, old == change.new { return [] }
    var text = Array("diff --git a/\(change.path) b/\(change.path)\n".utf8)
    if change.old == nil { text += Array("new file mode \(change.executable ? "100755" : "100644")\n".utf8) }
    let oldLines = change.old.map(lines) ?? []
    let newLines = lines(change.new)
    if oldLines.isEmpty && newLines.isEmpty { return text }
    text += Array((change.old == nil ? "--- /dev/null\n" : "--- a/\(change.path)\n").utf8)
    text += Array("+++ b/\(change.path)\n".utf8)
    for hunk in hunks(oldLines, newLines, context: context) { text += hunk }
    return text
  }

  /// A file's lines, each with its terminator (the last one may have none).
  static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
    var result: [[UInt8]] = []
    var start = 0
    for (index, byte) in bytes.enumerated() where byte == 0x0A {
      result.append(Array(bytes[start...index]))
      start = index + 1
    }
    if start < bytes.count { result.append(Array(bytes[start...])) }
    return result
  }

  enum Operation: Equatable {
    case same(Int, Int)
    case delete(Int)
    case insert(Int)
  }

  /// A shortest edit script: the common prefix and suffix are kept, the middle is diffed with an LCS
  /// table (or, when it is huge, replaced as a block).
  static func script(_ a: [[UInt8]], _ b: [[UInt8]]) -> [Operation] {
    var prefix = 0
    while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
    var operations = (0..<prefix).map { Operation.same($0, $0) }
    let aMiddle = prefix..<(a.count - suffix)
    let bMiddle = prefix..<(b.count - suffix)
    if aMiddle.count * bMiddle.count > 4_000_000 {
      operations += aMiddle.map { .delete($0) } + bMiddle.map { .insert($0) }
    } else {
      let n = aMiddle.count
      let m = bMiddle.count
      var table = [[Int32]](repeating: [Int32](repeating: 0, count: m + 1), count: n + 1)
      if n > 0 && m > 0 {
        for i in stride(from: n - 1, through: 0, by: -1) {
          for j in stride(from: m - 1, through: 0, by: -1) {
            table[i][j] = a[prefix + i] == b[prefix + j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
          }
        }
      }
      var i = 0
      var j = 0
      while i < n || j < m {
        if i < n, j < m, a[prefix + i] == b[prefix + j] {
          operations.append(.same(prefix + i, prefix + j))
          i += 1
          j += 1
        } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
          operations.append(.delete(prefix + i))
          i += 1
        } else {
          operations.append(.insert(prefix + j))
          j += 1
        }
      }
    }
    operations += (0..<suffix).map { .same(a.count - suffix + $0, b.count - suffix + $0) }
    return operations
  }

  static func hunks(_ a: [[UInt8]], _ b: [[UInt8]], context: Int) -> [[UInt8]] {
    let operations = script(a, b)
    let changed = operations.indices.filter { if case .same = operations[$0] { return false } else { return true } }
    guard !changed.isEmpty else { return [] }
    // Group changes whose context overlaps.
    var groups: [ClosedRange<Int>] = []
    for index in changed {
      if let last = groups.last, index - last.upperBound <= 2 * context + 1 {
        groups[groups.count - 1] = last.lowerBound...index
      } else {
        groups.append(index...index)
      }
    }
    return groups.map { group in
      let start = max(0, group.lowerBound - context)
      let end = min(operations.count - 1, group.upperBound + context)
      var body: [UInt8] = []
      var oldStart: Int? = nil
      var newStart: Int? = nil
      var oldCount = 0
      var newCount = 0
      // The position before the hunk, for empty sides (`-0,0`).
      var oldBefore = 0
      var newBefore = 0
      for operation in operations[..<start] {
        switch operation {
        case .same: oldBefore += 1; newBefore += 1
        case .delete: oldBefore += 1
        case .insert: newBefore += 1
        }
      }
      for operation in operations[start...end] {
        switch operation {
        case .same(let i, let j):
          oldStart = oldStart ?? i
          newStart = newStart ?? j
          oldCount += 1
          newCount += 1
          body += line(UInt8(ascii: " "), a[i])
        case .delete(let i):
          oldStart = oldStart ?? i
          oldCount += 1
          body += line(UInt8(ascii: "-"), a[i])
        case .insert(let j):
          newStart = newStart ?? j
          newCount += 1
          body += line(UInt8(ascii: "+"), b[j])
        }
      }
      let oldRange = oldCount == 0 ? "\(oldBefore),0" : range((oldStart ?? 0) + 1, oldCount)
      let newRange = newCount == 0 ? "\(newBefore),0" : range((newStart ?? 0) + 1, newCount)
      return Array("@@ -\(oldRange) +\(newRange) @@\n".utf8) + body
    }
  }

  private static func range(_ start: Int, _ count: Int) -> String { count == 1 ? "\(start)" : "\(start),\(count)" }

  private static func line(_ marker: UInt8, _ bytes: [UInt8]) -> [UInt8] {
    let text = [marker] + bytes
    return bytes.last == 0x0A ? text : text + Array("\n\\ No newline at end of file\n".utf8)
  }
}
