import CSys

// dockadvise-init: a small PID 1 for containers, in Embedded Swift. See docs/init.md.

@_cdecl("main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
  var arguments: [Bytes] = []
  var index = 1
  while index < Int(argc) {
    var text = Text()
    text.add(cString: argv[index])
    arguments.append(text.bytes)
    index += 1
  }
  let config = loadConfig(arguments)
  if config.check {
    printPlan(config)
    return 0
  }
  if !config.single && access("/bin/sh", X_OK) != 0 {
    configFailure("cannot run the Procfile: /bin/sh: ", errnoText(da_errno()))
  }
  Supervisor(config: config).run()
}

/// `--check`: one line per service, in start order, then exit 0.
func printPlan(_ config: Config) {
  var text = Text("grace=")
  text.add(Int(config.graceMs))
  text.add("ms")
  if config.stopTimeoutMs > 0 {
    text.add(" stop-timeout=")
    text.add(Int(config.stopTimeoutMs))
    text.add("ms")
  }
  if config.prefix { text.add(" prefix") }
  text.add("\n")
  for spec in config.services {
    text.add(spec.name)
    if config.single {
      text.add(" command: ")
      text.add(spec.command)
      text.add("\n")
      continue
    }
    text.add(spec.oneshot ? " oneshot" : spec.isMain ? " main" : " service")
    text.add(" restart=")
    switch spec.restart {
    case .never: text.add("never")
    case .onFailure: text.add("on-failure")
    case .always: text.add("always")
    }
    text.add(" max-restarts=")
    if spec.maxRestarts < 0 { text.add("unlimited") } else { text.add(spec.maxRestarts) }
    text.add(" backoff=")
    text.add(Int(spec.backoffMin))
    text.add("ms..")
    text.add(Int(spec.backoffMax))
    text.add("ms stop-signal=")
    if spec.stopSignal == 0 { text.add("default") } else { text.add(Signals.name(spec.stopSignal)) }
    // The newer options only when set, so that the plan of a plain Procfile stays as it was.
    if !spec.after.isEmpty {
      var separator = UInt8(ascii: "=")
      text.add(" after")
      for name in spec.after {
        text.add(byte: separator)
        text.add(name)
        separator = UInt8(ascii: ",")
      }
    }
    if spec.readyKind != .none {
      text.add(" ready=")
      text.add(spec.readySpec)
    }
    if spec.uid >= 0 {
      text.add(" user=")
      text.add(spec.uid)
      text.add(":")
      text.add(spec.gid)
    }
    text.add(": ")
    text.add(spec.argv[2])
    text.add("\n")
  }
  writeAll(1, text.bytes)
}

/// Embedded Swift seeds `Hasher` through `arc4random_buf`, which musl lacks. The init hashes nothing (it
/// has no dictionaries or sets; only the enums' synthesized `Hashable` conformances refer to it), so
/// a fixed seed is enough.
@_cdecl("arc4random_buf")
func arc4random_buf(_ buffer: UnsafeMutableRawPointer?, _ count: Int) {
  guard let buffer else { return }
  buffer.initializeMemory(as: UInt8.self, repeating: 0, count: count)
}
