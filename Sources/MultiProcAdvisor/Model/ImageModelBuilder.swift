import DockerfileParser

/// Builds the `ImageModel` from a parsed Dockerfile and its build context: replays the stages in order,
/// carrying ENTRYPOINT/CMD/SHELL/STOPSIGNAL/ENV/WORKDIR through `FROM <stage>`, and collects the files
/// and components each stage adds.
public struct ImageModelBuilder {
  /// The state of one stage after its last instruction.
  struct StageState {
    var fileSystem: ImageFileSystem
    var entrypoint: ImageModel.CommandSetting?
    var cmd: ImageModel.CommandSetting?
    var entrypointSetInFile = false
    var cmdSetInFile = false
    var shell: [String] = ["/bin/sh", "-c"]
    var shellSetInFile = false
    var stopSignal: (value: String, location: FileRange)?
    var environment: [String: String] = [:]
    var arguments: [String: String] = [:]
    var workdir = "/"
    var user: String?
    var components: [ImageModel.Component] = []
    var renamedS6Init: [String] = []
    var packageManagers: Set<String> = []
    var installedPackages: [ImageModel.InstalledPackage] = []
    var missingSources: [MissingSource] = []
    /// The family of the stage's root base image (which `/bin/sh` a RUN gets).
    var baseFamily: BaseImage.Family = .unknown
    /// Whether the stage's root base image has no `xz` (official debian/ubuntu).
    var baseLacksXZ = false
    /// Whether a RUN wrote `daemon off;` into nginx.conf with `sed -i` (or `echo >>`).
    var nginxDaemonOffWritten = false
    /// RUN instructions whose tar unpacks an xz archive while the stage has no `xz`.
    var xzUnpackedWithoutXZ: [FileRange] = []
    /// A RUN writes `daemonize = no` into php-fpm's configuration in a way not modelled as a file
    /// (`{ echo '[global]'; echo 'daemonize = no'; } | tee php-fpm.d/zz-docker.conf`, as the official
    /// php images' own Dockerfiles do).
    var runWritesFPMDaemonizeNo = false
  }

  public let dockerfile: Dockerfile
  public let reader: ContextReader
  public let target: String?
  /// `--build-arg` values.
  public let buildArguments: [String: String]

  public init(dockerfile: Dockerfile, reader: ContextReader, target: String? = nil, buildArguments: [String: String] = [:]) {
    self.dockerfile = dockerfile
    self.reader = reader
    self.target = target
    self.buildArguments = buildArguments
  }

  var source: SourceFile { dockerfile.source }
  func location(_ range: SourceRange) -> FileRange { FileRange(file: source, range: range) }

  /// Expands `$VAR` / `${VAR:-d}` in a Dockerfile word the way BuildKit does.
  func expand(_ text: String, _ variables: [String: String]) -> String {
    guard text.contains("$") else { return text }
    var expander = WordExpander(escapeByte: dockerfile.escapeByte)
    expander.keepsUnsetVariables = false
    return expander.expand(text, lookup: { variables[$0] }).text
  }

  /// Removes one level of quoting from an ENV/LABEL/ARG value word (BuildKit's `processWords`).
  func unquote(_ text: String, _ variables: [String: String]) -> String {
    let expander = WordExpander(escapeByte: dockerfile.escapeByte)
    return expander.expand(text, lookup: { variables[$0] }).text
  }

  public func build() -> ImageModel {
    // Global ARGs (before the first FROM) are visible to FROM lines only.
    var globals = buildArguments
    for instruction in dockerfile.globalArguments {
      for (name, value) in argumentDeclarations(instruction, globals) where globals[name] == nil || buildArguments[name] == nil {
        if let value { globals[name] = buildArguments[name] ?? value } else if let given = buildArguments[name] { globals[name] = given }
      }
    }

    var states: [StageState] = []
    var stages: [ImageModel.Stage] = []
    let needed = neededStages(globals)
    for stage in dockerfile.stages {
      let baseReference = expand(stage.baseName, globals)
      var baseStage = stage.baseStageIndex
      if baseStage == nil {
        baseStage = stages.firstIndex { $0.name != nil && $0.name?.lowercased() == baseReference.lowercased() }
      }
      var state: StageState
      if let baseStage, baseStage < states.count {
        state = states[baseStage]
        state.cmdSetInFile = states[baseStage].cmdSetInFile
        state.arguments = [:]
      } else {
        state = StageState(fileSystem: ImageFileSystem(reader: reader))
        state.baseFamily = baseReference.lowercased() == "scratch" ? .scratch : BaseImage(reference: baseReference).family
        state.baseLacksXZ = baseReference.lowercased() != "scratch" && BaseImage(reference: baseReference).lacksXZ
        if baseReference.lowercased() != "scratch" {
          for directory in Self.standardDirectories { state.fileSystem.addDirectory(directory) }
        }
      }
      let from = dockerfile.instructions[stage.fromIndex]
      var model = ImageModel.Stage(
        index: stage.index, name: stage.name, baseReference: baseReference, baseStage: baseStage,
        from: location(from.range), entrypoint: nil)
      var cmdSetInThisStage = false
      // A stage the final image neither builds on nor copies from cannot affect it: skip its work.
      for index in stage.bodyIndices where needed.contains(stage.index) {
        apply(dockerfile.instructions[index], stageIndex: stage.index, to: &state, globals: globals, states: states, stages: stages, cmdSetInThisStage: &cmdSetInThisStage)
      }
      if let entrypoint = state.entrypoint, entrypoint.stage == stage.index { model.entrypoint = entrypoint }
      states.append(state)
      stages.append(model)
    }

    guard !states.isEmpty else {
      var empty = ImageModel(files: ImageFileSystem(reader: reader))
      empty.entrypointFromBase = false
      empty.cmdFromBase = false
      return empty
    }
    var finalIndex = states.count - 1
    if let target, let named = stages.firstIndex(where: { $0.name == target.lowercased() }) { finalIndex = named }
    var chain: [Int] = [finalIndex]
    while let base = stages[chain[0]].baseStage, !chain.contains(base) { chain.insert(base, at: 0) }

    let state = states[finalIndex]
    var image = ImageModel(files: state.fileSystem)
    image.stages = stages
    image.finalStage = finalIndex
    image.chain = chain
    let rootReference = stages[chain[0]].baseReference
    image.base = rootReference.lowercased() == "scratch" ? nil : BaseImage(reference: rootReference)
    image.entrypoint = state.entrypoint
    image.cmd = state.cmd
    image.entrypointFromBase = !state.entrypointSetInFile && image.base != nil
    image.cmdFromBase = !state.cmdSetInFile && !state.entrypointSetInFile && image.base != nil
    image.shell = state.shell
    image.shellSetInFile = state.shellSetInFile
    image.stopSignal = state.stopSignal
    image.environment = state.environment
    image.workdir = state.workdir
    image.user = state.user
    image.renamedS6Init = state.renamedS6Init
    image.missingSources = state.missingSources
    image.installedPackages = state.installedPackages
    image.xzUnpackedWithoutXZ = state.xzUnpackedWithoutXZ
    let chainSet = Set(chain)
    image.components = states.enumerated().flatMap { index, stageState in
      stageState.components.map { component in
        var copy = component
        copy.inFinalImage = chainSet.contains(index) && state.components.contains { $0.evidence == component.evidence && $0.kind == component.kind }
        return copy
      }
    }
    // Deduplicate components inherited through the chain (each stage's list includes its base's).
    var seen = Set<String>()
    image.components = image.components.filter { seen.insert("\($0.kind.rawValue)@\($0.evidence.range.start)").inserted }
    image.family = Self.family(base: image.base, packageManagers: state.packageManagers, reachesScratch: image.base == nil)
    image.daemonFacts = Self.daemonFacts(files: state.fileSystem, base: image.base)
    image.daemonFacts.family = image.family
    if state.nginxDaemonOffWritten {
      image.daemonFacts.nginxDaemonOff = true
      image.daemonFacts.nginxConfigUnknown = false
    }
    if state.runWritesFPMDaemonizeNo { image.daemonFacts.phpFPMDaemonizeNo = true }
    return image
  }

  /// Directories every Linux distribution image has (a COPY to one of them without a trailing slash
  /// still lands inside it).
  static let standardDirectories = [
    "/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/usr/local/etc", "/usr/local/lib",
    "/usr/share", "/etc", "/opt", "/tmp", "/var", "/var/log", "/var/lib", "/root", "/home", "/srv", "/run", "/lib",
  ]

  /// The stages the final image depends on: its chain of bases and, transitively, every stage a
  /// `COPY --from` of a needed stage names.
  func neededStages(_ globals: [String: String]) -> Set<Int> {
    let all = dockerfile.stages
    guard !all.isEmpty else { return [] }
    var final = all.count - 1
    if let target, let named = all.firstIndex(where: { $0.name == target.lowercased() }) { final = named }
    func stageIndex(named reference: String) -> Int? {
      if let number = Int(reference), number >= 0, number < all.count { return number }
      let lower = reference.lowercased()
      return all.firstIndex { $0.name == lower }
    }
    var needed = Set<Int>()
    var work = [final]
    while let index = work.popLast() {
      guard needed.insert(index).inserted else { continue }
      let stage = all[index]
      if let base = stage.baseStageIndex ?? stageIndex(named: expand(stage.baseName, globals)), base < index { work.append(base) }
      for instructionIndex in stage.bodyIndices {
        let instruction = dockerfile.instructions[instructionIndex]
        guard instruction.kind == .copy || instruction.kind == .add, let from = instruction.flag(named: "from")?.value else { continue }
        if let source = stageIndex(named: expand(from, globals)), source != index { work.append(source) }
      }
    }
    return needed
  }

  /// The family of `/bin/sh`: from the base image, else from the package manager the file uses.
  static func family(base: BaseImage?, packageManagers: Set<String>, reachesScratch: Bool) -> BaseImage.Family {
    if let family = base?.family, family != .unknown { return family }
    if packageManagers.contains("apt-get") || packageManagers.contains("apt") || packageManagers.contains("dpkg") { return .debian }
    if packageManagers.contains("apk") { return .alpine }
    if packageManagers.contains("yum") || packageManagers.contains("dnf") || packageManagers.contains("microdnf") { return .redHat }
    return reachesScratch ? .scratch : .unknown
  }

  /// Configuration in the image that decides whether nginx and php-fpm daemonize.
  static func daemonFacts(files: ImageFileSystem, base: BaseImage?) -> DaemonCatalog.ImageFacts {
    var facts = DaemonCatalog.ImageFacts()
    if let nginx = files.file(at: "/etc/nginx/nginx.conf") {
      let main = NginxMainContext(nginx.text)
      facts.nginxDaemonOff = main.daemonOff
      facts.nginxConfigUnknown = !main.daemonOff && main.includes.contains { include in
        let path = ImageFileSystem.normalize(include, workdir: "/etc/nginx")
        if GlobPattern(path).hasWildcards { return files.paths(matching: GlobPattern(path)).isEmpty }
        return files.file(at: path).map { !NginxMainContext($0.text).daemonOff } ?? true
      }
    }
    facts.phpFPMDaemonizeNo = base?.phpFPMDaemonizeNo ?? false
    // supervisord configurations: the default search and every file named like one.
    var candidates = ["/etc/supervisord.conf", "/etc/supervisor/supervisord.conf"]
    candidates += files.files(in: "/etc/supervisor").map(\.path) + files.files(in: "/etc/supervisor/conf.d").map(\.path)
    for path in candidates {
      guard let file = files.file(at: path), file.text.contains("[") else { continue }
      let main = file.isWholeSourceFile ? file.source : SourceFile(path: path, bytes: file.content.bytes)
      let config = SupervisordConfig.read(
        main: main, mainPath: path, file: { files.file(at: $0).map { $0.isWholeSourceFile ? $0.source : SourceFile(path: $0.path, bytes: $0.content.bytes) } },
        list: { files.paths(matching: $0) })
      facts.supervisordNodaemon[path] = config.nodaemon
      if facts.supervisordNodaemon["default"] == nil, path == "/etc/supervisord.conf" || path == "/etc/supervisor/supervisord.conf" {
        facts.supervisordNodaemon["default"] = config.nodaemon
      }
    }
    for directory in ["/usr/local/etc/php-fpm.d", "/usr/local/etc", "/etc/php-fpm.d"] {
      for file in files.files(in: directory) where file.path.hasSuffix(".conf") {
        if file.text.split(whereSeparator: \.isNewline).contains(where: { $0.replacing(" ", with: "").lowercased().hasPrefix("daemonize=no") }) {
          facts.phpFPMDaemonizeNo = true
        }
      }
    }
    return facts
  }

  /// The variables visible to expansion in a stage: ARGs and ENVs (ENV wins).
  func variables(_ state: StageState) -> [String: String] {
    var result = state.arguments.merging(state.environment) { _, env in env }
    // The base image sets PATH (Docker's default when it does not): `ENV PATH=/opt/x:$PATH` extends it.
    if result["PATH"] == nil { result["PATH"] = ImageModel.defaultPath }
    return result
  }

  /// `ARG a=b c` → [("a", "b"), ("c", nil)].
  func argumentDeclarations(_ instruction: Instruction, _ variables: [String: String]) -> [(String, String?)] {
    instruction.valueWords.map { word in
      let text = word.text
      if let equals = text.firstIndex(of: "=") {
        return (String(text[..<equals]), unquote(String(text[text.index(after: equals)...]), variables))
      }
      return (text, nil)
    }
  }

  // MARK: - Instructions

  func apply(
    _ instruction: Instruction, stageIndex: Int, to state: inout StageState, globals: [String: String],
    states: [StageState], stages: [ImageModel.Stage], cmdSetInThisStage: inout Bool
  ) {
    let vars = variables(state)
    switch instruction.kind {
    case .arg:
      for (name, value) in argumentDeclarations(instruction, vars) {
        state.arguments[name] = buildArguments[name] ?? value ?? globals[name] ?? state.arguments[name]
      }
    case .env:
      let words = instruction.valueWords
      var index = 0
      while index + 1 < words.count {
        state.environment[words[index].text] = unquote(words[index + 1].text, vars)
        index += 3
      }
    case .workdir:
      if let word = instruction.valueWords.first {
        state.workdir = ImageFileSystem.normalize(expand(word.text, vars), workdir: state.workdir)
        state.fileSystem.addDirectory(state.workdir)
      }
    case .user:
      state.user = instruction.valueWords.first.map { expand($0.text, vars) }
    case .stopsignal:
      if let word = instruction.valueWords.first { state.stopSignal = (expand(word.text, vars), location(instruction.range)) }
    case .shell:
      if instruction.isJSON {
        state.shell = instruction.value
        state.shellSetInFile = true
      }
    case .entrypoint:
      state.entrypoint = commandSetting(instruction, stageIndex: stageIndex, shell: state.shell)
      state.entrypointSetInFile = true
      // ENTRYPOINT clears a CMD inherited from the base, not one set earlier in this stage.
      if !cmdSetInThisStage {
        state.cmd = nil
        state.cmdSetInFile = false
      }
    case .cmd:
      state.cmd = commandSetting(instruction, stageIndex: stageIndex, shell: state.shell)
      state.cmdSetInFile = true
      cmdSetInThisStage = true
    case .copy, .add:
      applyCopy(instruction, to: &state, states: states, stages: stages)
    case .run:
      RunAnalysis(builder: self, instruction: instruction).apply(to: &state)
      let text = source.text(of: instruction.range)
      if ByteSearch.contains(text, "php-fpm"), ByteSearch.contains(text, "daemonize = no") || ByteSearch.contains(text, "daemonize=no") {
        state.runWritesFPMDaemonizeNo = true
      }
    default:
      break
    }
  }

  /// The ENTRYPOINT/CMD as written: exec-form words with the range of each element, or the shell text.
  func commandSetting(_ instruction: Instruction, stageIndex: Int, shell: [String]) -> ImageModel.CommandSetting {
    let form: ImageModel.CommandSetting.Form
    if instruction.isJSON {
      form = .exec(instruction.valueWords.map { Launch.Word($0.text, location: location($0.range)) })
    } else {
      form = .shell(instruction.arguments)
    }
    return ImageModel.CommandSetting(
      instruction: location(instruction.range), keyword: location(instruction.keywordRange),
      arguments: location(instruction.argumentsRange), form: form, stage: stageIndex,
      looksLikeJSON: instruction.looksLikeJSON && !instruction.isJSON, shell: shell)
  }
}
