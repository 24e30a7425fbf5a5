import DockerfileParser

/// The changes accepted so far in one pass of the fix loop, and how they become bytes: text edits stay as
/// they are; the structural changes to one node (the words of one command, the lines inserted at one
/// point, the keys of one section) are rendered together as one edit. The rendered edits of different
/// fixes must neither overlap nor touch (`EditApplier.touches`); those of one fix only must not overlap.
struct EditMerger {
  /// One rendered edit and the fixes (by acceptance order) it comes from.
  struct Unit {
    var edit: TextEdit
    var owners: [Int]
    /// Units rendered from one node (the keys of one section) never touch-conflict with each other.
    var node: Int? = nil
  }

  private var changes: [String: [(owner: Int, change: FixEdit)]] = [:]

  var paths: [String] { changes.keys.sorted() }

  mutating func add(_ fix: Fix, owner: Int) {
    for change in fix.changes { changes[change.path, default: []].append((owner, change)) }
  }

  /// Clusters of argv edits whose extents overlap or touch: the nodes that are rendered together.
  static func nodes(_ edits: [ArgvEdit]) -> [[ArgvEdit]] {
    nodes(edits.map { (0, $0) }).map { $0.map(\.edit) }
  }

  static func nodes(_ edits: [(owner: Int, edit: ArgvEdit)]) -> [[(owner: Int, edit: ArgvEdit)]] {
    let sorted = edits.enumerated().sorted { lhs, rhs in
      lhs.element.edit.extent.start != rhs.element.edit.extent.start
        ? lhs.element.edit.extent.start < rhs.element.edit.extent.start : lhs.offset < rhs.offset
    }
    var clusters: [[(offset: Int, element: (owner: Int, edit: ArgvEdit))]] = []
    var end = Int.min
    for item in sorted {
      if clusters.isEmpty || item.element.edit.extent.start > end {
        clusters.append([item])
        end = item.element.edit.extent.end
      } else {
        clusters[clusters.count - 1].append(item)
        end = max(end, item.element.edit.extent.end)
      }
    }
    // Within a node, changes keep the order in which their fixes were accepted.
    return clusters.map { $0.sorted { $0.offset < $1.offset }.map(\.element) }
  }

  /// The rendered edits of `path`, or nil when its changes contradict each other, fall outside the
  /// file, or edits of different fixes touch.
  func units(_ path: String, bytes: [UInt8]) -> [Unit]? {
    var units: [Unit] = []
    var argv: [(owner: Int, edit: ArgvEdit)] = []
    var lines: [Int: [(owner: Int, edit: LineInsertion)]] = [:]
    var lineOrder: [Int] = []
    var keys: [Int: [(owner: Int, edit: SectionKeyEdit)]] = [:]
    var keyOrder: [Int] = []
    for (owner, change) in changes[path] ?? [] {
      switch change {
      case .text(let edit):
        if let index = units.firstIndex(where: { $0.edit == edit }) {
          if !units[index].owners.contains(owner) { units[index].owners.append(owner) }
        } else {
          units.append(Unit(edit: edit, owners: [owner]))
        }
      case .argv(let edit): argv.append((owner, edit))
      case .lines(let edit):
        if lines[edit.offset] == nil { lineOrder.append(edit.offset) }
        lines[edit.offset, default: []].append((owner, edit))
      case .sectionKey(let edit):
        if keys[edit.sectionEnd] == nil { keyOrder.append(edit.sectionEnd) }
        keys[edit.sectionEnd, default: []].append((owner, edit))
      }
    }
    for node in Self.nodes(argv) {
      guard let edit = ArgvEdit.render(node.map(\.edit), bytes: bytes) else { return nil }
      units.append(Unit(edit: edit, owners: Self.owners(node.map(\.owner))))
    }
    for offset in lineOrder {
      let group = lines[offset]!
      guard let edit = LineInsertion.render(group.map(\.edit)) else { return nil }
      units.append(Unit(edit: edit, owners: Self.owners(group.map(\.owner))))
    }
    for offset in keyOrder {
      let group = keys[offset]!
      guard let edits = SectionKeyEdit.render(group.map(\.edit)) else { return nil }
      let owners = Self.owners(group.map(\.owner))
      units += edits.map { Unit(edit: $0, owners: owners, node: offset) }
    }
    for (index, unit) in units.enumerated() {
      guard unit.edit.range.start >= 0, unit.edit.range.end <= bytes.count, unit.edit.range.start <= unit.edit.range.end else { return nil }
      for other in units[..<index] where Self.conflict(unit, other) { return nil }
    }
    return units.enumerated().sorted { lhs, rhs in
      let l = lhs.element.owners.min() ?? 0
      let r = rhs.element.owners.min() ?? 0
      return l != r ? l < r : lhs.offset < rhs.offset
    }.map(\.element)
  }

  static func owners(_ list: [Int]) -> [Int] { list.reduce(into: []) { if !$0.contains($1) { $0.append($1) } } }

  static func conflict(_ a: Unit, _ b: Unit) -> Bool {
    if a.edit == b.edit { return false }
    if let node = a.node, node == b.node { return EditApplier.overlapsWithinFix(a.edit.range, b.edit.range) }
    if a.owners.count == 1 && a.owners == b.owners { return EditApplier.overlapsWithinFix(a.edit.range, b.edit.range) }
    return EditApplier.touches(a.edit.range, b.edit.range)
  }
}
