/// Text assembled from pieces of an original file (a Dockerfile's logical line with its continuations
/// removed, or a decoded JSON string), together with the map from every byte back to the original.
///
/// Each segment says: logical bytes `[logicalStart, logicalStart + length)` came from original bytes
/// `[originalStart, originalStart + length)` one for one. Bytes produced by decoding (a JSON escape such
/// as `\"` or `\u00e9`) get a segment whose original span is the whole escape; `isVerbatim` is then false.
public struct MappedText: Sendable, Equatable {
  /// One piece of the mapping.
  public struct Segment: Sendable, Hashable {
    public var logicalStart: Int
    public var length: Int
    public var originalStart: Int
    public var originalLength: Int
    /// True when the logical bytes equal the original bytes (a straight copy).
    public var isVerbatim: Bool { length == originalLength }

    public init(logicalStart: Int, length: Int, originalStart: Int, originalLength: Int) {
      self.logicalStart = logicalStart
      self.length = length
      self.originalStart = originalStart
      self.originalLength = originalLength
    }
  }

  public private(set) var bytes: [UInt8] = []
  public private(set) var segments: [Segment] = []

  public init() {}

  /// Text with a ready-made map (segments must be ordered and cover `bytes`).
  init(bytes: [UInt8], segments: [Segment]) {
    self.bytes = bytes
    self.segments = segments
  }

  /// Empties the text, keeping the allocated storage for reuse.
  mutating func removeAll(keepingCapacity: Bool) {
    bytes.removeAll(keepingCapacity: keepingCapacity)
    segments.removeAll(keepingCapacity: keepingCapacity)
  }

  /// Text copied verbatim from `range` of the original.
  public init(bytes: [UInt8], verbatimFrom originalStart: Int) {
    self.bytes = bytes
    if !bytes.isEmpty {
      segments = [Segment(logicalStart: 0, length: bytes.count, originalStart: originalStart, originalLength: bytes.count)]
    }
  }

  /// Reserves room for `bytes` more logical bytes in `segments` more pieces.
  public mutating func reserveCapacity(bytes byteCount: Int, segments segmentCount: Int) {
    bytes.reserveCapacity(bytes.count + byteCount)
    segments.reserveCapacity(segments.count + segmentCount)
  }

  /// Appends bytes copied one for one from the original starting at `originalStart` (fast path for
  /// contiguous bytes).
  public mutating func appendVerbatim(_ piece: UnsafeBufferPointer<UInt8>, originalStart: Int) {
    let count = piece.count
    guard count > 0 else { return }
    let logicalStart = bytes.count
    if let last = segments.last, last.isVerbatim, last.logicalStart + last.length == logicalStart,
      last.originalStart + last.originalLength == originalStart
    {
      segments[segments.count - 1].length += count
      segments[segments.count - 1].originalLength += count
    } else {
      segments.append(Segment(logicalStart: logicalStart, length: count, originalStart: originalStart, originalLength: count))
    }
    bytes.append(contentsOf: piece)
  }

  /// Appends bytes copied one for one from the original starting at `originalStart`.
  public mutating func appendVerbatim<C: Collection>(_ piece: C, originalStart: Int) where C.Element == UInt8 {
    let count = piece.count
    guard count > 0 else { return }
    if let last = segments.last, last.isVerbatim,
      last.logicalStart + last.length == bytes.count,
      last.originalStart + last.originalLength == originalStart
    {
      segments[segments.count - 1].length += count
      segments[segments.count - 1].originalLength += count
    } else {
      segments.append(Segment(logicalStart: bytes.count, length: count, originalStart: originalStart, originalLength: count))
    }
    bytes.append(contentsOf: piece)
  }

  /// Appends decoded bytes that stand for `originalLength` bytes of the original at `originalStart`.
  public mutating func appendDecoded<C: Collection>(_ piece: C, originalStart: Int, originalLength: Int)
  where C.Element == UInt8 {
    guard !piece.isEmpty || originalLength > 0 else { return }
    segments.append(Segment(logicalStart: bytes.count, length: piece.count, originalStart: originalStart, originalLength: originalLength))
    bytes.append(contentsOf: piece)
  }

  public var count: Int { bytes.count }

  /// Index of the segment containing logical offset `logical` (the last one for the end offset).
  func segmentIndex(_ logical: Int) -> Int? {
    guard !segments.isEmpty else { return nil }
    var low = 0
    var high = segments.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if segments[mid].logicalStart <= logical { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// The original offset of a logical offset. For a decoded segment, offsets inside it map to its start;
  /// the end of the text maps to the end of the last segment.
  public func originalOffset(_ logical: Int) -> Int {
    guard let index = segmentIndex(logical) else { return 0 }
    let segment = segments[index]
    let delta = logical - segment.logicalStart
    if delta >= segment.length { return segment.originalStart + segment.originalLength }
    if segment.isVerbatim { return segment.originalStart + delta }
    return segment.originalStart
  }

  /// The original range covering logical range `start..<end`: from the original of its first byte to
  /// the original end of its last byte (so a range that spans a removed continuation covers it).
  public func originalRange(_ start: Int, _ end: Int) -> SourceRange {
    Self.originalRange(segments[...], start, end)
  }

  /// `originalRange` over a slice of segments (logical starts as stored in them).
  static func originalRange(_ segments: ArraySlice<Segment>, _ start: Int, _ end: Int) -> SourceRange {
    func segmentIndex(_ logical: Int) -> Int? {
      guard !segments.isEmpty else { return nil }
      var low = segments.startIndex
      var high = segments.endIndex - 1
      while low < high {
        let mid = (low + high + 1) / 2
        if segments[mid].logicalStart <= logical { low = mid } else { high = mid - 1 }
      }
      return low
    }
    func originalOffset(_ logical: Int) -> Int {
      guard let index = segmentIndex(logical) else { return 0 }
      let segment = segments[index]
      let delta = logical - segment.logicalStart
      if delta >= segment.length { return segment.originalStart + segment.originalLength }
      if segment.isVerbatim { return segment.originalStart + delta }
      return segment.originalStart
    }
    guard let first = segmentIndex(start) else { return .empty(at: 0) }
    let lower = originalOffset(start)
    if end <= start { return .empty(at: lower) }
    let lastIndex = segmentIndex(end - 1) ?? first
    let segment = segments[lastIndex]
    let delta = end - 1 - segment.logicalStart
    let upper: Int
    if segment.isVerbatim && delta < segment.length {
      upper = segment.originalStart + delta + 1
    } else {
      upper = segment.originalStart + segment.originalLength
    }
    return SourceRange(start: lower, end: Swift.max(lower, upper))
  }

  public func originalRange(_ range: Range<Int>) -> SourceRange {
    originalRange(range.lowerBound, range.upperBound)
  }

  /// Appends logical bytes `range` of `other`, keeping their map to the original: verbatim pieces stay
  /// verbatim, decoded pieces map to their whole escape.
  public mutating func append(from other: MappedText, _ range: Range<Int>) {
    appendMapped(from: other, range)
  }

  /// Appends `piece`, produced by decoding logical bytes `range` of `other` (a shell escape such as `\"`).
  public mutating func appendDecoded<C: Collection>(_ piece: C, from other: MappedText, _ range: Range<Int>)
  where C.Element == UInt8 {
    let original = other.originalRange(range)
    appendDecoded(piece, originalStart: original.start, originalLength: original.length)
  }

  /// The logical text decoded for display.
  public var text: String { String(decoding: bytes, as: UTF8.self) }
}

extension MappedText {
  /// The logical bytes `range` as a new mapped text with the same map back to the original.
  public func slice(_ range: Range<Int>) -> MappedText {
    var result = MappedText()
    result.appendMapped(from: self, range)
    return result
  }

  /// Appends logical bytes `range` of `other`, keeping their map to the original (a verbatim piece of
  /// `other` stays verbatim; a decoded piece is copied whole when `range` covers it, otherwise the
  /// covered part is mapped to the whole original span).
  public mutating func appendMapped(from other: MappedText, _ range: Range<Int>) {
    guard !range.isEmpty, !other.segments.isEmpty else { return }
    var index = other.segmentIndex(range.lowerBound) ?? 0
    while index < other.segments.count {
      let segment = other.segments[index]
      if segment.logicalStart >= range.upperBound { break }
      let lower = Swift.max(range.lowerBound, segment.logicalStart)
      let upper = Swift.min(range.upperBound, segment.logicalStart + segment.length)
      if upper > lower {
        let piece = other.bytes[lower..<upper]
        if segment.isVerbatim {
          appendVerbatim(piece, originalStart: segment.originalStart + (lower - segment.logicalStart))
        } else {
          appendDecoded(piece, originalStart: segment.originalStart, originalLength: segment.originalLength)
        }
      }
      index += 1
    }
  }
}
