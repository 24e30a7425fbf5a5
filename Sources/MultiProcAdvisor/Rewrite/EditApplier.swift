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
  /// in `originals` nor created by the same fix, or whose ranges fall outside the file, is deferred; so is
  /// one whose text edits touch or overlap those of a fix already accepted, or whose structural changes
  /// contradict theirs. Structural changes to one node are merged (`EditMerger`).
  public static func apply(_ fixes: [Fix], to originals: [String: [UInt8]]) -> Result {
    let ordered = fixes.enumerated().sorted { lhs, rhs in
      let l = lhs.element.edits.map(\.range.start).min() ?? Int.max
      let r = rhs.element.edits.map(\.range.start).min() ?? Int.max
      return l != r ? l < r : lhs.offset < rhs.offset
    }.map(\.element)

    var merger = EditMerger()
    var created: [String: Fix.CreatedFile] = [:]
    var applied: [Fix] = []
    var deferred: [Fix] = []
    var rejected: [Fix] = []

    for (owner, fix) in ordered.enumerated() {
      if losesUndecodableBytes(fix, originals: originals) {
        rejected.append(fix)
        continue
      }
      if fix.createdFiles.contains(where: { file in created[file.path].map { $0 != file } ?? false }) {
        deferred.append(fix)
        continue
      }
      var tentative = merger
      tentative.add(fix, owner: owner)
      guard Set(fix.changes.map(\.path)).allSatisfy({ path in originals[path].map { tentative.units(path, bytes: $0) != nil } ?? false }) else {
        deferred.append(fix)
        continue
      }
      merger = tentative
      for file in fix.createdFiles { created[file.path] = file }
      applied.append(fix)
    }

    var files: [String: [UInt8]] = [:]
    for path in merger.paths {
      guard let original = originals[path], let units = merger.units(path, bytes: original) else { continue }
      files[path] = splice(original, units.map(\.edit))
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

  /// Two edits of the same fix conflict when they overlap, or when both insert at the same point (order
  /// would be ambiguous), or when one inserts strictly inside the other's replaced range.
  static func overlapsWithinFix(_ a: SourceRange, _ b: SourceRange) -> Bool {
    if a.isEmpty && b.isEmpty { return a.start == b.start }
    if a.isEmpty { return a.start > b.start && a.start < b.end }
    if b.isEmpty { return b.start > a.start && b.start < a.end }
    return a.start < b.end && b.start < a.end
  }

  /// Edits of different fixes conflict when they overlap or touch: an insertion at either end of a
  /// replaced range, two replacements that meet, two insertions at one point. Which text should come
  /// first is a question only structure can answer (`FixEdit`), so the later fix waits for the next pass.
  static func touches(_ a: SourceRange, _ b: SourceRange) -> Bool {
    if a.isEmpty && b.isEmpty { return a.start == b.start }
    return a.start <= b.end && b.start <= a.end
  }
}
