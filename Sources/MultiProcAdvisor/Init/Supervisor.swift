import CSys

/// Where the init is in its life.
enum Phase {
  /// The services start (each once its dependencies are satisfied), run and restart.
  case running
  /// Stop signals sent, level by level from the deepest; waiting up to the grace period for each.
  case stopping
  /// SIGKILL sent; waiting briefly for the services to be reaped.
  case killing
}

/// Why the init is stopping.
enum StopCause {
  case none, service, signal
}

/// The event loop: starts services, reaps, forwards signals, restarts, stops, exits.
///
/// All catchable signals are blocked and read from a signalfd, so a SIGCHLD cannot slip between
/// `waitpid` and the wait for the next event: it stays pending and makes the fd readable.
final class Supervisor {
  let config: Config
  /// The services, never reallocated (no copy-on-write checks on each access).
  let services: UnsafeMutableBufferPointer<Service>
  var phase = Phase.running
  /// While stopping: the level being stopped, the signal for services without a stop-signal, and when
  /// `--stop-timeout` ends (-1: no cap).
  var stopLevel = 0
  var stopDefault: Int32 = SIGTERM
  var stopDeadline: Int64 = -1
  var cause = StopCause.none
  var causeStatus: Int32 = 0
  var firstAbnormal: Int32 = -1
  var deadline: Int64 = 0
  var signalFd: Int32 = -1
  let ownPid: Int32
  var orphansReaped = 0
  var prefixWidth = 0
  let devNull: UnsafeMutablePointer<CChar>
  let pollFds: UnsafeMutablePointer<pollfd>
  let infos: UnsafeMutablePointer<signalfd_siginfo>

  init(config: Config) {
    self.config = config
    self.services = .allocate(capacity: config.services.count)
    _ = services.initialize(from: config.services)
    self.ownPid = getpid()
    self.devNull = makeCString(Text("/dev/null").bytes)
    self.pollFds = .allocate(capacity: 1 + 2 * services.count)
    self.infos = .allocate(capacity: 8)
    for index in services.indices {
      let argv = services[index].argv
      let cArgv = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: argv.count + 1)
      for position in argv.indices { cArgv[position] = makeCString(argv[position]) }
      cArgv[argv.count] = nil
      services[index].cArgv = cArgv
      services[index].delay = services[index].backoffMin
      if services[index].name.count > prefixWidth { prefixWidth = services[index].name.count }
      if config.prefix {
        var fds: (Int32, Int32, Int32, Int32) = (-1, -1, -1, -1)
        if da_pipe(&fds.0, &fds.1) != 0 || da_pipe(&fds.2, &fds.3) != 0 {
          configFailure("cannot create output pipes: ", errnoText(da_errno()))
        }
        (services[index].outRead, services[index].outWrite, services[index].errRead, services[index].errWrite) = fds
        _ = da_set_nonblocking(fds.0)
        _ = da_set_nonblocking(fds.2)
      }
    }
  }

  // MARK: set-up and loop

  func run() -> Never {
    if ownPid != 1 && da_set_child_subreaper() != 0 {
      say(1, "cannot become a child subreaper: ", errnoText(da_errno()))
    }
    if config.parentDeathSignal != 0 { _ = da_set_parent_death_signal(config.parentDeathSignal) }
    var blocked = sigset_t()
    da_fill_signal_set(&blocked)
    // Faults of the init itself stay deliverable: a crash is a crash.
    for signal in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS] { sigdelset(&blocked, signal) }
    sigprocmask(SIG_SETMASK, &blocked, nil)
    // Our own terminal access must never stop us; children get the defaults back.
    _ = da_ignore_signal(SIGTTIN)
    _ = da_ignore_signal(SIGTTOU)
    signalFd = signalfd(-1, &blocked, Int32(SFD_NONBLOCK | SFD_CLOEXEC))
    if signalFd < 0 { configFailure("cannot create a signalfd: ", errnoText(da_errno())) }
    reapAll()  // children inherited across exec, if any
    schedule()

    while true {
      let now = da_now_ms()
      advance(now)
      pollFds[0] = pollfd(fd: signalFd, events: Int16(POLLIN), revents: 0)
      var count = 1
      if config.prefix {
        for index in services.indices {
          pollFds[count] = pollfd(fd: services[index].outRead, events: Int16(POLLIN), revents: 0)
          pollFds[count + 1] = pollfd(fd: services[index].errRead, events: Int16(POLLIN), revents: 0)
          count += 2
        }
      }
      if poll(pollFds, nfds_t(count), timeout(now)) <= 0 { continue }  // timeout, or EINTR
      if pollFds[0].revents != 0 { readSignals() }
      for index in 1..<count where pollFds[index].revents != 0 { relay((index - 1) / 2, stderr: index % 2 == 0) }
    }
  }

  /// Due restarts, the end of the grace period, and whether everything has stopped.
  func advance(_ now: Int64) {
    switch phase {
    case .running:
      for index in services.indices {
        if services[index].restartAt >= 0 && services[index].restartAt <= now {
          services[index].restartAt = -1
          start(index)
        }
        if phase == .running && waitsForReadiness(index) { probe(index, now) }
        if phase != .running { return }
      }
    case .stopping:
      killOrphans()
      if everythingStopped() { finish() }
      if stopLevel > 0 && levelStopped(stopLevel) {
        nextLevel(now)
      } else if now >= deadline {
        if stopLevel == 0 || (stopDeadline >= 0 && now >= stopDeadline) {
          escalate(now)
        } else {
          killLevel()
          nextLevel(now)
        }
      }
    case .killing:
      if !services.contains(where: { $0.pid != 0 }) || now >= deadline { finish() }
    }
  }

  /// Milliseconds until the next timer, or -1 for none.
  func timeout(_ now: Int64) -> Int32 {
    var next: Int64 = -1
    switch phase {
    case .running:
      for index in services.indices {
        let service = services[index]
        if service.restartAt >= 0 && (next < 0 || service.restartAt < next) { next = service.restartAt }
        guard waitsForReadiness(index) else { continue }
        // A pending connect is looked at every 20 ms; an idle probe waits for its next turn.
        var due = service.probeFd >= 0 ? now + 20 : service.probePid != 0 ? service.readyDeadline : service.nextProbe
        if service.readyDeadline < due { due = service.readyDeadline }
        if next < 0 || due < next { next = due }
      }
    case .stopping:
      // The last member of a group need not be our child: look again now and then.
      next = deadline < now + 100 ? deadline : now + 100
    case .killing:
      next = deadline
    }
    if next < 0 { return -1 }
    return next <= now ? 0 : Int32(next - now)
  }

  // MARK: signals and reaping

  func readSignals() {
    let size = MemoryLayout<signalfd_siginfo>.stride
    while true {
      let count = read(signalFd, infos, 8 * size)
      if count < 0 && da_errno() == EINTR { continue }
      if count <= 0 { return }
      for index in 0..<(count / size) {
        handle(Int32(bitPattern: infos[index].ssi_signo), from: Int32(bitPattern: infos[index].ssi_pid))
      }
    }
  }

  func handle(_ signal: Int32, from sender: Int32) {
    if signal == SIGCHLD {
      reapAll()
      return
    }
    if signal == SIGTTIN || signal == SIGTTOU { return }
    if signal == SIGPIPE && sender == ownPid { return }  // our own write to a closed pipe
    if (signal == SIGTERM || signal == SIGINT) && phase == .running {
      let count = beginStop(.signal, signal: signal, trigger: -1)
      say(1, "got ", Signals.name(signal), ", stopping ", countText(count))
      if everythingStopped() { finish() }
      return
    }
    var count = 0
    for index in services.indices where send(index, signal) { count += 1 }
    say(1, "forwarded ", Signals.name(signal), " to ", countText(count))
  }

  func reapAll() {
    var raw: Int32 = 0
    while true {
      let pid = waitpid(-1, &raw, WNOHANG)
      if pid > 0 {
        if let index = services.firstIndex(where: { $0.probePid == pid }) {
          services[index].probePid = 0
          if raw == 0 && phase == .running && !services[index].ready { becameReady(index) }
        } else if let index = services.firstIndex(where: { $0.pid == pid }) {
          services[index].pid = 0
          serviceEnded(index, raw: raw)
        } else {
          orphansReaped += 1
        }
      } else if pid == 0 || da_errno() != EINTR {
        return
      }
    }
  }

  // MARK: starting

  /// Starts every service not started yet whose dependencies are satisfied: a oneshot has finished, a
  /// service is ready. Services start in file order; one started without `ready=` is ready at once.
  func schedule() {
    var progress = true
    while progress && phase == .running {
      progress = false
      for index in services.indices where !services[index].launched {
        guard services[index].dependencies.allSatisfy({ services[$0].oneshot ? services[$0].finished : services[$0].ready })
        else { continue }
        services[index].launched = true
        progress = true
        start(index)
        if phase != .running { return }
      }
    }
  }

  /// Forks and execs a service in its own process group; a failed fork counts as an exit with 1.
  func start(_ index: Int) {
    let pid = fork()
    if pid == 0 { execChild(index) }
    if pid < 0 {
      say(0, "cannot start ", services[index].name, ": fork: ", errnoText(da_errno()))
      serviceEnded(index, raw: 1 << 8)
      return
    }
    _ = setpgid(pid, pid)  // the child does it too: whichever runs first wins the race
    let old = services[index].group
    if old != 0 && groupAlive(old) { services[index].strayGroup = old }
    services[index].pid = pid
    services[index].group = pid
    services[index].startedAt = da_now_ms()
    var text = Text()
    text.add(pid)
    say(1, "started ", services[index].name, " (pid ", text.bytes, ")")
    if services[index].readyKind == .none {
      services[index].ready = true
    } else if services[index].readyDeadline < 0 {
      services[index].readyDeadline = services[index].startedAt + services[index].readyTimeout
      services[index].nextProbe = services[index].startedAt
    }
  }

  // MARK: readiness

  func waitsForReadiness(_ index: Int) -> Bool {
    !services[index].oneshot && !services[index].ready && services[index].readyDeadline >= 0
  }

  /// One turn of a service's readiness probe; the readiness timeout ends the container like a crash.
  func probe(_ index: Int, _ now: Int64) {
    let fd = services[index].probeFd
    if fd >= 0 {
      let state = da_connect_state(fd)
      if state != 0 || now - services[index].probeSince >= 1000 {
        close(fd)
        services[index].probeFd = -1
        if state == 1 { return becameReady(index) }
      }
    }
    if now >= services[index].readyDeadline { return notReady(index) }
    guard now >= services[index].nextProbe, services[index].probePid == 0, services[index].probeFd < 0 else { return }
    services[index].nextProbe = now + services[index].readyInterval
    let target = makeCString(services[index].readyTarget)
    defer { target.deallocate() }
    switch services[index].readyKind {
    case .tcp:
      var connected: Int32 = 0
      let socket = da_tcp_connect(target, services[index].readyPort, &connected)
      if socket < 0 { return }
      if connected != 0 {
        close(socket)
        return becameReady(index)
      }
      services[index].probeFd = socket
      services[index].probeSince = now
    case .unix:
      if da_unix_accepts(target) != 0 { becameReady(index) }
    case .file:
      if access(target, F_OK) == 0 { becameReady(index) }
    default:
      let pid = fork()
      if pid == 0 {
        _ = setpgid(0, 0)
        let null = da_open_read_write(devNull)
        for stream in 0..<Int32(3) { _ = dup2(null, stream) }
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)
        let argv = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: 4)
        argv[0] = services[index].cArgv![0]
        argv[1] = services[index].cArgv![1]
        argv[2] = target
        argv[3] = nil
        execv(argv[0]!, argv)
        _exit(127)
      }
      if pid > 0 {
        _ = setpgid(pid, pid)
        services[index].probePid = pid
      }
    }
  }

  func becameReady(_ index: Int) {
    services[index].ready = true
    say(1, "", services[index].name, [], " is ready")
    schedule()
  }

  /// Kills a running exec probe and closes a pending connect.
  func endProbe(_ index: Int) {
    if services[index].probePid != 0 { _ = kill(0 - services[index].probePid, SIGKILL) }
    if services[index].probeFd >= 0 {
      close(services[index].probeFd)
      services[index].probeFd = -1
    }
  }

  func notReady(_ index: Int) {
    causeStatus = 1
    let count = beginStop(.service, signal: SIGTERM, trigger: index)
    var text = Text(" was not ready within ")
    text.add(milliseconds: services[index].readyTimeout)
    text.add(" (ready=")
    text.add(services[index].readySpec)
    text.add(")")
    if count > 0 {
      text.add(", stopping ")
      text.add(countText(count))
    }
    say(0, "", services[index].name, text.bytes)
    if everythingStopped() { finish() }
  }

  /// In the forked child: own process group, terminal, stdio, default signal state, exec.
  func execChild(_ index: Int) -> Never {
    let service = services[index]
    _ = setpgid(0, 0)
    if service.keepsTerminal {
      // SIGTTOU is still ignored here, so a background group may take the foreground.
      if isatty(0) != 0 { _ = tcsetpgrp(0, getpid()) }
    } else {
      let fd = da_open_read(devNull)
      if fd >= 0 { _ = dup2(fd, 0) }
    }
    if service.outWrite >= 0 {
      _ = dup2(service.outWrite, 1)
      _ = dup2(service.errWrite, 2)
    }
    for entry in service.environment { _ = putenv(makeCString(entry)) }
    if !service.workdir.isEmpty && chdir(makeCString(service.workdir)) != 0 {
      let code = da_errno()
      complain("", service.name + Text(": cannot change to workdir '").bytes + service.workdir + Text("': ").bytes + errnoText(code))
      _exit(126)
    }
    if service.uid >= 0 {
      let code = service.groups.withUnsafeBufferPointer {
        da_set_identity(UInt32(service.uid), UInt32(service.gid), $0.baseAddress, Int32($0.count))
      }
      if code != 0 {
        complain("", service.name + Text(": cannot become user=").bytes + service.userSpec + Text(": ").bytes + errnoText(code))
        _exit(126)
      }
    }
    _ = da_default_signal(SIGTTIN)
    _ = da_default_signal(SIGTTOU)
    var none = sigset_t()
    sigemptyset(&none)
    sigprocmask(SIG_SETMASK, &none, nil)
    let argv = service.cArgv!
    execvp(argv[0]!, argv)
    let code = da_errno()
    complain("cannot run '", service.argv[0] + Text("': ").bytes + errnoText(code))
    _exit(code == ENOENT ? 127 : 126)
  }

  // MARK: a service ended

  /// A service's main process ended with wait status `raw` (or could not be started: exit 1).
  func serviceEnded(_ index: Int, raw: Int32) {
    let status = da_shell_status(raw)
    services[index].status = status
    let service = services[index]
    if phase == .stopping || phase == .killing {
      let sent = service.sentSignal
      if cause == .signal && status != 0 && (sent == 0 || status != 128 + sent) && firstAbnormal < 0 {
        firstAbnormal = status
      }
      say(1, "", service.name, outcome(raw))
      return
    }
    if service.oneshot && status == 0 {
      services[index].finished = true
      say(1, "", service.name, [], " finished")
      if services.allSatisfy({ $0.oneshot && $0.finished }) {
        say(1, "the oneshots finished and there is nothing else to run")
        finish()
      }
      schedule()
      return
    }
    let now = da_now_ms()
    var gaveUp = false
    if service.restart == .always || (service.restart == .onFailure && status != 0) {
      if now - service.startedAt >= service.backoffMax {
        services[index].restartsInRow = 0
        services[index].delay = service.backoffMin
      }
      let done = services[index].restartsInRow
      if service.maxRestarts < 0 || done < service.maxRestarts {
        let delay = services[index].delay
        services[index].restartsInRow = done + 1
        services[index].restartAt = now + delay
        services[index].delay = delay * 2 > service.backoffMax ? service.backoffMax : delay * 2
        var text = Text(", restarting in ")
        text.add(milliseconds: delay)
        if service.maxRestarts >= 0 {
          text.add(" (")
          text.add(done + 1)
          text.add(" of ")
          text.add(service.maxRestarts)
          text.add(")")
        }
        say(0, "", service.name, outcome(raw) + text.bytes)
        return
      }
      gaveUp = true
    }
    causeStatus = status
    let count = beginStop(.service, signal: SIGTERM, trigger: index)
    var text = Text()
    text.add(outcome(raw))
    if gaveUp {
      text.add(" after ")
      text.add(service.maxRestarts)
      text.add(" restarts")
    }
    if service.oneshot && !services.contains(where: { !$0.oneshot && $0.launched }) {
      text.add(", not starting the services")
    } else if count > 0 {
      text.add(", stopping ")
      text.add(countText(count))
    }
    say(config.single ? 1 : 0, "", service.name, text.bytes)
    if everythingStopped() { finish() }
  }

  // MARK: stopping

  /// Cancels restarts and probes and stops the services in reverse start order: the deepest level first,
  /// each service with its stop signal (default `signal`), each level with the grace period.
  /// Returns how many services other than `trigger` were running.
  func beginStop(_ why: StopCause, signal: Int32, trigger: Int) -> Int {
    phase = .stopping
    cause = why
    stopDefault = signal
    let now = da_now_ms()
    if config.stopTimeoutMs > 0 { stopDeadline = now + config.stopTimeoutMs }
    var count = 0
    stopLevel = 0
    for index in services.indices {
      services[index].restartAt = -1
      endProbe(index)
      if services[index].pid != 0 && index != trigger { count += 1 }
      if services[index].level >= stopLevel { stopLevel = services[index].level + 1 }
    }
    nextLevel(now)
    return count
  }

  /// Signals the next level down that still has processes, and gives it the grace period.
  func nextLevel(_ now: Int64) {
    while stopLevel > 0 {
      stopLevel -= 1
      var any = false
      for index in services.indices where services[index].level == stopLevel {
        let stop = services[index].stopSignal != 0 ? services[index].stopSignal : stopDefault
        if send(index, stop) {
          services[index].sentSignal = stop
          any = true
        }
      }
      if any {
        deadline = now + config.graceMs
        if stopDeadline >= 0 && stopDeadline < deadline { deadline = stopDeadline }
        return
      }
    }
  }

  func alive(_ index: Int) -> Bool {
    services[index].pid != 0 || groupAlive(services[index].group) || groupAlive(services[index].strayGroup)
  }

  func levelStopped(_ level: Int) -> Bool {
    !services.indices.contains { services[$0].level == level && alive($0) }
  }

  /// The grace period of a level that is not the last is over: SIGKILL what is left of it.
  func killLevel() {
    for index in services.indices where services[index].level == stopLevel && alive(index) {
      sayKilled(index, config.graceMs)
      _ = send(index, SIGKILL)
    }
  }

  func sayKilled(_ index: Int, _ limit: Int64) {
    var text = Text(" did not stop within ")
    text.add(milliseconds: limit)
    if services[index].pid == 0 {
      say(0, "processes left by ", services[index].name, text.bytes, ", killing them")
    } else {
      say(0, "", services[index].name, text.bytes, ", killing it")
    }
  }

  /// Sends `signal` to a service's process groups (or its main process); false when nothing was there.
  func send(_ index: Int, _ signal: Int32) -> Bool {
    let stray = services[index].strayGroup
    if stray != 0 && kill(0 - stray, signal) != 0 { services[index].strayGroup = 0 }
    let group = services[index].group
    if group != 0 {
      if kill(0 - group, signal) == 0 { return true }
      if services[index].pid == 0 { services[index].group = 0 }
    }
    let pid = services[index].pid
    return pid != 0 && kill(pid, signal) == 0
  }

  func groupAlive(_ group: Int32) -> Bool {
    group != 0 && (kill(0 - group, 0) == 0 || da_errno() == EPERM)
  }

  /// Whether every service's main process was reaped and its process groups are empty.
  func everythingStopped() -> Bool {
    !services.indices.contains { alive($0) }
  }

  /// Processes left in the group of a service whose main process is gone get the stop signal (sent to
  /// the whole group) and then, `orphanGraceMs` later, SIGKILL: their leader can no longer stop them, and
  /// orphaned workers often ignore TERM (a SIGKILLed Apache's do), so waiting out the whole grace period
  /// would only delay the exit (5.3 s measured in Fixtures/e2e).
  func killOrphans() {
    let now = da_now_ms()
    for index in services.indices where services[index].pid == 0 && services[index].level >= stopLevel {
      let service = services[index]
      guard groupAlive(service.group) || groupAlive(service.strayGroup) else { continue }
      if service.orphanDeadline < 0 {
        services[index].orphanDeadline = now + Self.orphanGraceMs
        continue
      }
      guard now >= service.orphanDeadline else { continue }
      if !service.orphansKilled {
        services[index].orphansKilled = true
        say(1, "killing the processes left by ", service.name)
      }
      _ = send(index, SIGKILL)
    }
  }

  /// How long processes left by a service whose main process ended get to act on the stop signal.
  static let orphanGraceMs: Int64 = 200

  /// The grace period is over: SIGKILL whatever is left.
  func escalate(_ now: Int64) {
    let capped = stopDeadline >= 0 && now >= stopDeadline
    for index in services.indices where alive(index) {
      sayKilled(index, capped ? config.stopTimeoutMs : config.graceMs)
      _ = send(index, SIGKILL)
    }
    if ownPid == 1 { _ = kill(-1, SIGKILL) }  // everything else in the PID namespace
    phase = .killing
    deadline = now + 2000
  }

  /// Flushes output and exits with the status the stop cause calls for.
  func finish() -> Never {
    if config.prefix {
      for index in services.indices {
        relay(index, stderr: false)
        relay(index, stderr: true)
        if !services[index].outPending.isEmpty { emit(index, stderr: false) }
        if !services[index].errPending.isEmpty { emit(index, stderr: true) }
      }
    }
    var status: Int32 = 0
    if config.single {
      status = services[0].status >= 0 ? services[0].status : 128 + SIGKILL
    } else if cause == .service {
      status = causeStatus
    } else if cause == .signal {
      status = firstAbnormal >= 0 ? firstAbnormal : services.contains(where: { $0.pid != 0 }) ? 128 + SIGKILL : 0
    }
    if config.zeroCodes.contains(UInt8(truncatingIfNeeded: status)) { status = 0 }
    var text = Text()
    text.add(status)
    text.add(" (reaped ")
    text.add(orphansReaped)
    say(1, "exiting with ", text.bytes, [], " orphans)")
    exit(status)
  }

  // MARK: output

  /// Reads what a service's stdout or stderr pipe has and writes it out line by line, prefixed.
  func relay(_ index: Int, stderr: Bool) {
    var buffer = Bytes(repeating: 0, count: 4096)
    let fd = stderr ? services[index].errRead : services[index].outRead
    while true {
      let count = buffer.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress, $0.count) }
      if count < 0 && da_errno() == EINTR { continue }
      if count <= 0 { return }
      for byte in buffer[0..<count] {
        if stderr { services[index].errPending.append(byte) } else { services[index].outPending.append(byte) }
        let pending = stderr ? services[index].errPending.count : services[index].outPending.count
        if byte == UInt8(ascii: "\n") || pending >= 4096 { emit(index, stderr: stderr) }
      }
    }
  }

  @inline(never)
  func emit(_ index: Int, stderr: Bool) {
    var line = Text()
    line.add(services[index].name)
    for _ in services[index].name.count..<prefixWidth { line.add(byte: UInt8(ascii: " ")) }
    line.add(" | ")
    line.add(stderr ? services[index].errPending : services[index].outPending)
    if line.bytes.last != UInt8(ascii: "\n") { line.add(byte: UInt8(ascii: "\n")) }
    if stderr {
      services[index].errPending.removeAll(keepingCapacity: true)
    } else {
      services[index].outPending.removeAll(keepingCapacity: true)
    }
    writeAll(stderr ? 2 : 1, line.bytes)
  }

  // MARK: messages

  /// Writes `dockadvise-init: A B C D` to stderr when the verbosity is at least `level`.
  @inline(never)
  func say(_ level: Int, _ first: StaticString, _ second: Bytes = [], _ third: Bytes = [], _ fourth: StaticString = "")
  {
    guard config.verbosity >= level else { return }
    complain(first, second + third, fourth)
  }

  @inline(never)
  func say(_ level: Int, _ first: StaticString, _ second: Bytes, _ third: StaticString, _ fourth: Bytes) {
    guard config.verbosity >= level else { return }
    var text = second
    text += Text(third).bytes
    complain(first, text + fourth)
  }

  @inline(never)
  func say(
    _ level: Int, _ first: StaticString, _ second: Bytes, _ third: StaticString, _ fourth: Bytes, _ last: StaticString
  ) {
    guard config.verbosity >= level else { return }
    var text = second
    text += Text(third).bytes
    complain(first, text + fourth, last)
  }

  /// ` exited with 7` or ` was killed by SIGKILL`.
  func outcome(_ raw: Int32) -> Bytes {
    var text = Text()
    if da_signaled(raw) != 0 {
      text.add(" was killed by ")
      text.add(Signals.name(da_term_signal(raw)))
    } else {
      text.add(" exited with ")
      text.add(da_shell_status(raw))
    }
    return text.bytes
  }

  func countText(_ count: Int) -> Bytes {
    var text = Text()
    text.add(count)
    text.add(count == 1 ? " service" : " services")
    return text.bytes
  }
}
