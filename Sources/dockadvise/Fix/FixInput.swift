import DockerfileParser
import Foundation
import MultiProcAdvisor

/// One Dockerfile to fix: where it is, its build context, and how both are shown.
struct FixInput {
  var source: SourceFile
  /// The Dockerfile's absolute path (nil for standard input).
  var absolutePath: String?
  var contextRoot: String
  var contextDisplay: String
}

extension FixInput {
  /// Reads one PATH and settles its build context.
  static func load(_ path: String, options: FixOptions, io: CommandIO) -> Result<FixInput, Arguments.Problem> {
    let contextDisplay: String
    var contextRoot: String
    var dockerfilePath = path
    if path != "-" {
      let absolute = FixWriter.absolute(path, in: io.currentDirectory)
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
        // A symlink loop or a dangling symlink: say which, as the read does.
        var info = stat()
        if lstat(absolute, &info) == 0, case .failure(let error) = FileInput.read(path, io: io) {
          return .failure(Arguments.Problem(description: "\(path): \(error.message)"))
        }
        return .failure(Arguments.Problem(description: "\(path): no such file or directory"))
      }
      if isDirectory.boolValue {
        guard let name = ["Dockerfile", "Containerfile"].first(where: { FileManager.default.fileExists(atPath: absolute + "/" + $0) }) else {
          return .failure(Arguments.Problem(description: "\(path): no Dockerfile or Containerfile in this directory"))
        }
        dockerfilePath = path.hasSuffix("/") ? path + name : path + "/" + name
        while dockerfilePath.hasPrefix("./") { dockerfilePath.removeFirst(2) }
      }
    }
    if let context = options.context {
      contextDisplay = context.count > 1 && context.hasSuffix("/") ? String(context.dropLast()) : context
    } else if path == "-" {
      contextDisplay = "."
    } else if let slash = dockerfilePath.lastIndex(of: "/") {
      contextDisplay = slash == dockerfilePath.startIndex ? "/" : String(dockerfilePath[..<slash])
    } else {
      contextDisplay = "."
    }
    contextRoot = FixWriter.absolute(contextDisplay, in: io.currentDirectory)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: contextRoot, isDirectory: &isDirectory), isDirectory.boolValue else {
      return .failure(Arguments.Problem(description: "build context '\(contextDisplay)' is not a directory"))
    }
    if contextRoot.count > 1 && contextRoot.hasSuffix("/") { contextRoot.removeLast() }
    switch FileInput.read(dockerfilePath, io: io) {
    case .failure(let error):
      return .failure(Arguments.Problem(description: "\(dockerfilePath): \(error.message)"))
    case .success(let source):
      let absolute = path == "-" ? nil : FixWriter.absolute(dockerfilePath, in: io.currentDirectory)
      return .success(FixInput(source: source, absolutePath: absolute, contextRoot: contextRoot, contextDisplay: contextDisplay))
    }
  }

  /// `--init-source` as the fixer takes it: a binary's path relative to the context, a release's checksums.
  static func initSource(_ options: FixOptions, input: FixInput, context: DiskBuildContext, io: CommandIO) -> Result<InitSource, Arguments.Problem> {
    switch options.initSource {
    case .build:
      return .success(.build)
    case .binary(let path):
      return initBinaryPath(path, input: input, context: context, io: io).map { .binary($0) }
    case .release:
      return initRelease(checksums: options.initChecksums, io: io).map { .release($0) }
    }
  }

  /// `--init-source release`: the published init of this version, with the checksums of `--init-checksums`.
  /// Without them there is nothing to pin the download to, so the fix is refused.
  static func initRelease(checksums: String?, io: CommandIO) -> Result<InitRelease, Arguments.Problem> {
    let version = CLI.version
    guard let checksums else {
      return .failure(Arguments.Problem(description: """
        --init-source release needs the SHA-256 of dockadvise-init \(version) for each architecture, and this build knows none: \
        pass --init-checksums SHA256SUMS (the release's checksums file, \(InitRelease.downloadBase)/v\(version)/SHA256SUMS, \
        or the one Scripts/release-checksums.sh writes), or use --init-source build
        """))
    }
    let path = FixWriter.absolute(checksums, in: io.currentDirectory)
    let bytes: [UInt8]
    switch FileSystem.read(path) {
    case .failure(let problem): return .failure(Arguments.Problem(description: "--init-checksums '\(checksums)': \(problem.message)"))
    case .success(let read): bytes = read
    }
    return InitRelease.parse(checksumsFile: String(decoding: bytes, as: UTF8.self), path: checksums, version: version)
      .mapError { Arguments.Problem(description: "--init-checksums \($0.description)") }
  }

  /// `--init-binary PATH` as a path relative to the build context; it must be a file inside it.
  static func initBinaryPath(_ path: String, input: FixInput, context: DiskBuildContext, io: CommandIO) -> Result<String, Arguments.Problem> {
    let absolute = FixWriter.absolute(path, in: io.currentDirectory)
    let root = input.contextRoot == "/" ? "" : input.contextRoot
    guard absolute.hasPrefix(root + "/") else {
      return .failure(Arguments.Problem(description: "--init-binary '\(path)' is outside the build context '\(input.contextDisplay)'; copy the binary into it"))
    }
    let relative = String(absolute.dropFirst(root.count + 1))
    switch context.entry(relative) {
    case .file: break
    case .missing: return .failure(Arguments.Problem(description: "--init-binary '\(path)': no such file (build one with 'dockadvise emit-init DIR && DIR/build.sh \(path)')"))
    case .outsideContext: return .failure(Arguments.Problem(description: "--init-binary '\(path)' leads outside the build context through a symlink"))
    case .directory: return .failure(Arguments.Problem(description: "--init-binary '\(path)' is a directory"))
    case .unreadable(let reason): return .failure(Arguments.Problem(description: "--init-binary '\(path)': \(reason)"))
    }
    let ignore = ["Dockerfile.dockerignore", ".dockerignore"].lazy.compactMap { name -> DockerIgnore? in
      if case .file(let bytes, _) = context.entry(name) { return DockerIgnore(text: String(decoding: bytes, as: UTF8.self)) }
      return nil
    }.first
    if let ignore, ignore.excludes(relative) {
      return .failure(Arguments.Problem(description: "--init-binary '\(path)' is excluded by .dockerignore, so the build could not copy it"))
    }
    return .success(relative)
  }

  /// Where a display path of the fixer's outcome is on disk.
  static func realPath(_ displayPath: String, input: FixInput) -> Result<String, FixWriter.Problem> {
    let root = input.contextRoot
    if displayPath == input.source.path {
      guard let absolute = input.absolutePath else { return .success("<stdin>") }
      let prefix = root == "/" ? "/" : root + "/"
      if absolute.hasPrefix(prefix) { return FixWriter.resolve(String(absolute.dropFirst(prefix.count)), in: root == "/" ? "" : root) }
      // A Dockerfile outside the context (`-f`): the file the user named, through its symlinks.
      return .success(URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path)
    }
    let display = input.contextDisplay
    var relative: String
    if display.isEmpty || display == "." {
      relative = displayPath
    } else {
      let prefix = display.hasSuffix("/") ? display : display + "/"
      guard displayPath.hasPrefix(prefix) else { return .failure(.outsideContext(displayPath)) }
      relative = String(displayPath.dropFirst(prefix.count))
    }
    while relative.hasPrefix("./") { relative.removeFirst(2) }
    return FixWriter.resolve(relative, in: root == "/" ? "" : root)
  }
}
