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

    for fix in ordered {
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
    return Result(files: files, created: created, applied: applied, deferred: deferred)
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
