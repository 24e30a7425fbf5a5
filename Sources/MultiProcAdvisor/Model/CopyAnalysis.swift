import DockerfileParser

extension ImageModelBuilder {
  /// Tarball names whose contents dockadvise recognises.
  static func component(forArchiveOrURL name: String) -> ImageModel.Component.Kind? {
    let lower = name.lowercased()
    if lower.contains("s6-overlay") {
      if lower.contains("installer") || lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") { return .s6OverlayLegacy }
      return .s6Overlay
    }
    let base = DaemonCatalog.basename(lower)
    if base.hasPrefix("tini") { return .tini }
    if base.hasPrefix("dumb-init") || base.hasPrefix("dumb_init") { return .dumbInit }
    if base.hasPrefix("catatonit") { return .catatonit }
    return nil
  }

  static func isArchive(_ name: String) -> Bool {
    let lower = name.lowercased()
    return [".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst"].contains { lower.hasSuffix($0) }
  }

  /// The executable bit a `--chmod` gives (nil when not given or not understood).
  static func chmodExecutable(_ value: String?) -> Bool? {
    guard let value else { return nil }
    if let octal = Int(value, radix: 8) { return octal & 0o111 != 0 }
    if value.contains("+x") || value.contains("=rwx") || value.contains("x") { return true }
    return nil
  }

  /// COPY/ADD: records what lands where (context files and directories as lazy mounts, heredocs as
  /// files, other stages' files as references, URLs and archives as paths of unknown content).
  func applyCopy(_ instruction: Instruction, to state: inout StageState, states: [StageState], stages: [ImageModel.Stage]) {
    let vars = variables(state)
    var words = instruction.valueWords
    guard words.count >= 2 else { return }
    let destinationWord = words.removeLast()
    let destinationText = expand(destinationWord.text, vars)
    let destination = ImageFileSystem.normalize(destinationText, workdir: state.workdir)
    let destinationIsDirectory = destinationText.hasSuffix("/") || words.count > 1 || destinationText == "." || destinationText.hasSuffix("/.")
      || state.fileSystem.file(at: destination) == nil && state.fileSystem.isDirectory(destination)
    let executable = Self.chmodExecutable(instruction.flag(named: "chmod")?.value.map { expand($0, vars) })
    let isAdd = instruction.kind == .add
    let instructionLocation = location(instruction.range)
    let heredocs = Dictionary(instruction.heredocs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    func target(for name: String) -> String {
      destinationIsDirectory ? ImageFileSystem.normalize(destination + "/" + DaemonCatalog.basename(name)) : destination
    }

    // COPY --from=stage|image
    if let fromFlag = instruction.flag(named: "from"), let fromValue = fromFlag.value.map({ expand($0, vars) }) {
      let stageIndex = Int(fromValue).flatMap { $0 < stages.count ? $0 : nil }
        ?? stages.firstIndex { $0.name != nil && $0.name == fromValue.lowercased() }
      for word in words {
        let sourcePath = ImageFileSystem.normalize(expand(word.text, vars))
        if let stageIndex, stageIndex < states.count {
          let other = states[stageIndex].fileSystem
          let reference = ImageFileSystem.StageReference(name: stages[stageIndex].name ?? String(stageIndex), fileSystem: other)
          let isDirectory = other.isDirectory(sourcePath) && other.file(at: sourcePath) == nil
          let landing = isDirectory ? destination : target(for: sourcePath)
          state.fileSystem.mountStage(reference, source: sourcePath, at: landing, isDirectory: isDirectory, instruction: instructionLocation)
          for component in states[stageIndex].components where component.path.map({ ImageFileSystem.isSameOrUnder($0, sourcePath) }) ?? false {
            var copied = component
            copied.evidence = instructionLocation
            copied.path = isDirectory ? component.path.map { landing + String($0.dropFirst(sourcePath.count)) } : landing
            state.components.append(copied)
          }
        } else {
          // An external image: the content is unknown, but a known init's name is telling.
          let landing = target(for: sourcePath)
          state.fileSystem.addOpaque(landing, origin: .run(instruction: instructionLocation))
          if let kind = Self.component(forArchiveOrURL: sourcePath) ?? Self.component(forArchiveOrURL: fromValue) {
            state.components.append(ImageModel.Component(kind: kind, evidence: instructionLocation, path: landing, inFinalImage: true))
          }
        }
      }
      return
    }

    for word in words {
      let raw = word.text
      // Heredoc source: `COPY <<EOF /path`.
      if raw.hasPrefix("<<"), let heredoc = heredocs[Self.heredocName(raw)] {
        let landing = destinationIsDirectory ? ImageFileSystem.normalize(destination + "/" + heredoc.name) : destination
        state.fileSystem.add(
          ImageFile(
            path: landing, origin: .heredoc(instruction: instructionLocation),
            content: heredoc.expands ? expandHeredoc(heredoc.body, vars) : heredoc.body, source: source,
            executable: executable ?? false))
        continue
      }
      let sourceText = expand(raw, vars)
      if isAdd, sourceText.contains("://") || sourceText.hasPrefix("git@") {
        let landing = target(for: String(sourceText.split(separator: "?").first ?? ""))
        state.fileSystem.addOpaque(landing, origin: .run(instruction: instructionLocation))
        if let kind = Self.component(forArchiveOrURL: sourceText) {
          state.components.append(
            ImageModel.Component(kind: kind, evidence: instructionLocation, path: Self.isArchive(sourceText) ? nil : landing, inFinalImage: true, archive: sourceText))
        }
        continue
      }
      let wordLocation = location(word.range)
      let matches: [String]
      if GlobPattern(sourceText).hasWildcards {
        matches = reader.glob(sourceText)
        if matches.isEmpty {
          state.missingSources.append(.init(imagePath: target(for: sourceText), contextPath: sourceText, reason: "matched by nothing", word: wordLocation, instruction: instructionLocation))
        }
      } else {
        matches = [DockerIgnore.clean(sourceText)]
      }
      for path in matches {
        switch reader.file(path) {
        case .directory:
          state.fileSystem.mountContextDirectory(path, at: destination, instruction: instructionLocation, executable: executable)
        case .file(let file, let isExecutable):
          if isAdd && Self.isArchive(path) {
            // ADD unpacks local archives: the files inside are unknown.
            if let kind = Self.component(forArchiveOrURL: path) {
              state.components.append(ImageModel.Component(kind: kind, evidence: instructionLocation, path: nil, inFinalImage: true, archive: path))
            }
            state.fileSystem.addDirectory(destination)
            continue
          }
          let landing = target(for: path)
          state.fileSystem.add(
            ImageFile(
              path: landing, origin: .context(contextPath: path, instruction: instructionLocation),
              content: MappedText(bytes: file.bytes, verbatimFrom: 0), source: file, executable: executable ?? isExecutable))
          if let kind = Self.component(forArchiveOrURL: path), kind != .s6Overlay, kind != .s6OverlayLegacy {
            state.components.append(ImageModel.Component(kind: kind, evidence: instructionLocation, path: landing, inFinalImage: true))
          }
        case .missing:
          if isAdd && Self.isArchive(path), let kind = Self.component(forArchiveOrURL: path) {
            state.components.append(ImageModel.Component(kind: kind, evidence: instructionLocation, path: nil, inFinalImage: true, archive: path))
          }
          state.missingSources.append(.init(imagePath: target(for: path), contextPath: path, reason: "missing", word: wordLocation, instruction: instructionLocation))
        case .ignored:
          state.missingSources.append(.init(imagePath: target(for: path), contextPath: path, reason: "excluded by .dockerignore", word: wordLocation, instruction: instructionLocation))
        case .outsideContext:
          state.missingSources.append(.init(imagePath: target(for: path), contextPath: path, reason: "a symlink leading outside", word: wordLocation, instruction: instructionLocation))
        case .unreadable(let reason):
          state.missingSources.append(.init(imagePath: target(for: path), contextPath: path, reason: "unreadable (\(reason))", word: wordLocation, instruction: instructionLocation))
        }
      }
    }
  }

  /// The content BuildKit writes for a heredoc with an unquoted delimiter: variables expanded and escapes
  /// resolved, quotes kept. Each line maps back to its line in the Dockerfile.
  func expandHeredoc(_ body: MappedText, _ variables: [String: String]) -> MappedText {
    guard body.bytes.contains(UInt8(ascii: "$")) || body.bytes.contains(dockerfile.escapeByte) else { return body }
    var expander = WordExpander(escapeByte: dockerfile.escapeByte)
    expander.ignoresQuotes = true
    expander.keepsUnsetVariables = true
    var result = MappedText()
    var start = 0
    let bytes = body.bytes
    while start < bytes.count {
      var end = start
      while end < bytes.count, bytes[end] != 0x0A { end += 1 }
      let line = Array(bytes[start..<end])
      let expanded = line.contains(UInt8(ascii: "$")) || line.contains(dockerfile.escapeByte) ? expander.expand(line, lookup: { variables[$0] }).result : line
      if expanded == line {
        result.append(from: body, start..<end)
      } else {
        let original = body.originalRange(start, end)
        result.appendDecoded(expanded, originalStart: original.start, originalLength: original.length)
      }
      if end < bytes.count { result.append(from: body, end..<(end + 1)) }
      start = end + 1
    }
    return result
  }

  /// `<<EOF`, `<<-EOF`, `<<"EOF"` → `EOF`.
  static func heredocName(_ word: String) -> String {
    var name = Substring(word.dropFirst(2))
    if name.hasPrefix("-") { name = name.dropFirst() }
    if let first = name.first, first == "\"" || first == "'", name.count >= 2, name.last == first { name = name.dropFirst().dropLast() }
    return String(name)
  }
}

/// A COPY/ADD source that should come from the build context but cannot be read there.
public struct MissingSource: Sendable {
  public var imagePath: String
  public var contextPath: String
  public var reason: String
  public var word: FileRange
  public var instruction: FileRange
}
