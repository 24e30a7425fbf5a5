import DockerfileParser

/// Applies fixes to files' original bytes: greedily by position, deferring any fix that overlaps one
/// already accepted (it is retried on the next pass of the fix loop), all edits of a fix or none.
public enum EditApplier {
  /// What one pass produced.
  public struct Result: Sendable {
    /// New bytes of every file that changed, by path.
    public var files: [String: [UInt8]]
    /// Files created by fixes, by path.
    public var created: [String: Fix.CreatedFile]
    /// Fixes that were applied, in the order they were accepted.
    public var applied: [Fix]
    /// Fixes that overlapped an accepted one and should be retried on a new pass.
    public var deferred: [Fix]
    /// Fixes never applied because they would lose bytes that are not valid UTF-8 (fixes are built from
    /// decoded text, which turns such bytes into U+FFFD; BuildKit passes them through untouched).
    public var rejected: [Fix] = []
  }

  /// Applies `fixes` to `originals` (bytes by path). A fix whose edits point at a path that is neither
  /// in `originals` nor created by the same fix, or whose ranges fall outside the file, is deferred.
  public static func apply(_ fixes: [Fix], to originals: [String: [UInt8]]) -> Result {
    let ordered = fixes.enumerated().sorted { lhs, rhs in
      let l = lhs.element.edits.map(\.range.start).min() ?? Int.max
      let r = rhs.element.edits.map(\.range.start).min() ?? Int.max
      return l != r ? l < r : lhs.offset < rhs.offset
    }.map(\.element)

    var accepted: [String: [TextEdit]] = [:]
    var created: [String: Fix.CreatedFile] = [:]
    var applied: [Fix] = []
    var deferred: [Fix] = []
    var rejected: [Fix] = []

    for fix in ordered {
      if losesUndecodableBytes(fix, originals: originals) {
        rejected.append(fix)
        continue
      }
      if conflicts(fix, accepted: accepted, created: created, originals: originals) {
        deferred.append(fix)
        continue
      }
      for edit in fix.edits where !(accepted[edit.path]?.contains(edit) ?? false) {
        accepted[edit.path, default: []].append(edit)
      }
      for file in fix.createdFiles { created[file.path] = file }
      applied.append(fix)
    }

    var files: [String: [UInt8]] = [:]
    for (path, edits) in accepted {
      guard let original = originals[path] else { continue }
      files[path] = splice(original, edits)
    }
    return Result(files: files, created: created, applied: applied, deferred: deferred, rejected: rejected)
  }

  /// True when an edit of `fix` replaces bytes that are not valid UTF-8 by something that does not contain
  /// them, in the same order: applying it would damage the file.
  static func losesUndecodableBytes(_ fix: Fix, originals: [String: [UInt8]]) -> Bool {
    fix.edits.contains { edit in
      guard !edit.range.isEmpty, let original = originals[edit.path], edit.range.end <= original.count else { return false }
      let removed = undecodableRuns(original[edit.range.start..<edit.range.end])
      return !removed.isEmpty && removed != undecodableRuns(edit.replacement[...])
    }
  }

  /// The maximal runs of bytes in `bytes` that are not valid UTF-8, in order.
  static func undecodableRuns(_ bytes: ArraySlice<UInt8>) -> [[UInt8]] {
    guard bytes.contains(where: { $0 >= 0x80 }) else { return [] }
    var runs: [[UInt8]] = []
    var position = bytes.startIndex
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var lastErrorEnd = -1
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        position += encoded.count
      case .error(let length):
        let run = Array(bytes[position..<(position + length)])
        if lastErrorEnd == position, !runs.isEmpty { runs[runs.count - 1] += run } else { runs.append(run) }
        position += length
        lastErrorEnd = position
      case .emptyInput:
        return runs
      }
    }
  }

  /// Applies non-overlapping edits to `bytes`, from the last offset backwards so positions stay valid.
  /// Insertions at the same offset keep the order in which they were given.
  public static func splice(_ bytes: [UInt8], _ edits: [TextEdit]) -> [UInt8] {
    var result = bytes
    let ordered = edits.enumerated().sorted { lhs, rhs in
      if lhs.element.range.start != rhs.element.range.start { return lhs.element.range.start > rhs.element.range.start }
      if lhs.element.range.end != rhs.element.range.end { return lhs.element.range.end > rhs.element.range.end }
      return lhs.offset > rhs.offset
    }
    for (_, edit) in ordered {
      result.replaceSubrange(edit.range.start..<edit.range.end, with: edit.replacement)
    }
    return result
  }

  private static func conflicts(
    _ fix: Fix, accepted: [String: [TextEdit]], created: [String: Fix.CreatedFile], originals: [String: [UInt8]]
  ) -> Bool {
    for file in fix.createdFiles {
      if let existing = created[file.path], existing != file { return true }
    }
    for (index, edit) in fix.edits.enumerated() {
      guard let original = originals[edit.path], edit.range.end <= original.count else { return true }
      for other in fix.edits[..<index] where other.path == edit.path && other != edit && touches(other.range, edit.range) {
        return true
      }
      for other in accepted[edit.path] ?? [] where other != edit && touches(other.range, edit.range) {
        return true
      }
    }
    return false
  }

  /// Two edits conflict when they overlap, or when both insert at the same point (order would be ambiguous),
  /// or when one inserts strictly inside the other's replaced range.
  private static func touches(_ a: SourceRange, _ b: SourceRange) -> Bool {
    if a.isEmpty && b.isEmpty { return a.start == b.start }
    if a.isEmpty { return a.start > b.start && a.start < b.end }
    if b.isEmpty { return b.start > a.start && b.start < a.end }
    return a.start < b.end && b.start < a.end
  }
}
