/// A build stage: a FROM instruction and the instructions after it up to the next FROM.
public struct Stage: Sendable, Hashable {
  /// Position of the stage among the file's stages (0-based).
  public var index: Int
  /// Index of the FROM instruction in `Dockerfile.instructions`.
  public var fromIndex: Int
  /// Indices in `Dockerfile.instructions` of the FROM and every instruction of the stage.
  public var instructionIndices: Range<Int>
  /// The stage name after `AS`, lowercased as BuildKit does; nil when unnamed.
  public var name: String?
  /// The stage name as written.
  public var nameRange: SourceRange?
  /// The base (image reference or earlier stage name) as written, variables not expanded.
  public var baseName: String
  /// The base as written.
  public var baseNameRange: SourceRange
  /// The earlier stage whose name equals `baseName` (case-insensitively), if any.
  public var baseStageIndex: Int?
  /// The `--platform` flag, if given.
  public var platform: Flag?

  public init(
    index: Int, fromIndex: Int, instructionIndices: Range<Int>, name: String?, nameRange: SourceRange?,
    baseName: String, baseNameRange: SourceRange, baseStageIndex: Int?, platform: Flag?
  ) {
    self.index = index
    self.fromIndex = fromIndex
    self.instructionIndices = instructionIndices
    self.name = name
    self.nameRange = nameRange
    self.baseName = baseName
    self.baseNameRange = baseNameRange
    self.baseStageIndex = baseStageIndex
    self.platform = platform
  }

  /// Indices of the stage's instructions after its FROM.
  public var bodyIndices: Range<Int> { (fromIndex + 1)..<instructionIndices.upperBound }
}
