/// What dockadvise knows about a base image named in `FROM`, from its name alone. Anything not listed
/// here is unknown, and rules that depend on it stay silent rather than guess.
public struct BaseImage: Sendable, Equatable {
  /// Which `/bin/sh` and package manager the image family has.
  public enum Family: String, Sendable {
    /// Debian and Ubuntu: `/bin/sh` is dash (no `wait -n`), apt.
    case debian
    /// Alpine: `/bin/sh` is busybox ash (has `wait -n`), apk.
    case alpine
    /// RHEL, Fedora, CentOS, Amazon Linux, Oracle Linux: `/bin/sh` is bash.
    case redHat
    /// `FROM scratch`: no shell at all.
    case scratch
    case unknown
  }

  /// The reference as written (after ARG expansion when possible).
  public var reference: String
  /// Repository without registry, tag or digest: `library/nginx` → `nginx`, `ghcr.io/x/y:1` → `x/y`.
  public var repository: String
  public var tag: String?
  public var family: Family

  public init(reference: String) {
    self.reference = reference
    var rest = reference
    if let at = rest.firstIndex(of: "@") { rest = String(rest[..<at]) }
    var tag: String? = nil
    if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
      tag = String(rest[rest.index(after: colon)...])
      rest = String(rest[..<colon])
    }
    var parts = rest.split(separator: "/").map(String.init)
    if parts.count > 1, parts[0].contains(".") || parts[0].contains(":") || parts[0] == "localhost" { parts.removeFirst() }
    if parts.first == "library" || parts.first == "docker.io" { parts.removeFirst() }
    self.repository = parts.joined(separator: "/").lowercased()
    self.tag = tag?.lowercased()
    self.family = Self.family(repository: self.repository, tag: self.tag)
  }

  /// The last path component of the repository (`bitnami/nginx` → `nginx`).
  public var name: String { repository.split(separator: "/").last.map(String.init) ?? repository }

  /// True for images of the Docker Official Images program (no namespace).
  public var isOfficial: Bool { !repository.contains("/") }

  static let debianTags = ["bookworm", "bullseye", "buster", "stretch", "trixie", "sid", "jammy", "focal", "noble", "bionic", "xenial", "oracular", "plucky"]
  /// Official images whose default variants are Debian- or Ubuntu-based.
  static let debianDefaultOfficial: Set<String> = [
    "debian", "ubuntu", "node", "python", "php", "ruby", "golang", "openjdk", "eclipse-temurin", "nginx", "httpd",
    "postgres", "redis", "mariadb", "tomcat", "rabbitmq", "buildpack-deps", "wordpress", "gcc", "perl", "rust", "elixir",
    "erlang", "haproxy", "memcached", "mongo", "jenkins", "maven", "gradle", "drupal", "joomla", "nextcloud", "ghost",
    "odoo", "sonarqube", "solr", "elasticsearch", "kibana", "cassandra", "neo4j", "julia", "r-base", "swift", "dart",
    "haskell", "clojure", "groovy", "pypy", "influxdb", "telegraf", "couchdb", "matomo", "phpmyadmin", "redmine",
    "composer", "kong", "varnish", "clickhouse",
  ]
  static let redHatOfficial: Set<String> = ["centos", "fedora", "rockylinux", "almalinux", "oraclelinux", "amazonlinux", "photon", "mysql"]

  static func family(repository: String, tag: String?) -> Family {
    let name = repository.split(separator: "/").last.map(String.init) ?? repository
    let tag = tag ?? ""
    if repository == "scratch" { return .scratch }
    if name == "alpine" || tag.contains("alpine") { return .alpine }
    if name == "busybox" { return .alpine }
    if name == "debian" || name == "ubuntu" || debianTags.contains(where: { tag.contains($0) }) { return .debian }
    if redHatOfficial.contains(name) && !repository.contains("/") {
      // mysql's Oracle Linux images; its Debian variants say so in the tag.
      return tag.contains("debian") ? .debian : .redHat
    }
    if name.hasPrefix("ubi") || repository.hasPrefix("redhat/") { return .redHat }
    if !repository.contains("/"), debianDefaultOfficial.contains(name) { return tag.contains("windows") || tag.contains("nanoserver") ? .unknown : .debian }
    return .unknown
  }

  /// `STOPSIGNAL` that the official image sets, when dockadvise knows it (nginx, httpd, php-fpm).
  public var officialStopSignal: String? { known?.stopSignal }

  /// What a well-known image sets for the containers built on it (one row of `knownImages`).
  public struct Known: Sendable, Equatable {
    /// Repositories it applies to: exact names, or `owner/*` for every image of an owner.
    public var repositories: [String]
    /// Only for tags containing this (`fpm`, `apache`), when set.
    public var tagContains: String? = nil
    public var entrypoint: [String]? = nil
    /// The ENTRYPOINT of the Alpine variants, when it differs (tini's path).
    public var alpineEntrypoint: [String]? = nil
    /// The ENTRYPOINT is a `docker-entrypoint.sh` that prepares and then runs `exec "$@"` (through gosu
    /// for the image's own server), so the CMD replaces it as PID 1; the script is not in the build
    /// context, so the chain steps over it.
    public var entrypointExecsArguments = false
    public var cmd: [String]? = nil
    public var stopSignal: String? = nil

    /// The ENTRYPOINT for this tag.
    public func entrypoint(tag: String?) -> [String]? {
      (tag ?? "").contains("alpine") ? alpineEntrypoint ?? entrypoint : entrypoint
    }
  }

  /// The ENTRYPOINT, CMD and STOPSIGNAL of well-known official and popular images, as their Dockerfiles
  /// set them. A derived image inherits them when it does not set its own.
  public static let knownImages: [Known] = [
    Known(repositories: ["jenkins/jenkins", "jenkins/jenkins-lts"], entrypoint: ["/usr/bin/tini", "--", "/usr/local/bin/jenkins.sh"],
      alpineEntrypoint: ["/sbin/tini", "--", "/usr/local/bin/jenkins.sh"]),
    Known(repositories: ["elasticsearch", "elasticsearch/elasticsearch"], entrypoint: ["/bin/tini", "--", "/usr/local/bin/docker-entrypoint.sh"], cmd: ["eswrapper"]),
    Known(repositories: ["jupyter/base-notebook", "jupyter/minimal-notebook", "jupyter/scipy-notebook", "jupyter/datascience-notebook",
      "jupyter/docker-stacks-foundation"], entrypoint: ["tini", "-g", "--"]),
    Known(repositories: ["postgres"], entrypoint: ["docker-entrypoint.sh"], entrypointExecsArguments: true, cmd: ["postgres"], stopSignal: "SIGINT"),
    Known(repositories: ["mysql"], entrypoint: ["docker-entrypoint.sh"], entrypointExecsArguments: true, cmd: ["mysqld"]),
    Known(repositories: ["mariadb"], entrypoint: ["docker-entrypoint.sh"], entrypointExecsArguments: true, cmd: ["mariadbd"]),
    Known(repositories: ["redis"], entrypoint: ["docker-entrypoint.sh"], entrypointExecsArguments: true, cmd: ["redis-server"]),
    Known(repositories: ["mongo"], entrypoint: ["docker-entrypoint.sh"], entrypointExecsArguments: true, cmd: ["mongod"]),
    Known(repositories: ["node"], entrypoint: ["docker-entrypoint.sh"], entrypointExecsArguments: true, cmd: ["node"]),
    Known(repositories: ["nginx"], entrypoint: ["/docker-entrypoint.sh"], entrypointExecsArguments: true, cmd: ["nginx", "-g", "daemon off;"], stopSignal: "SIGQUIT"),
    Known(repositories: ["httpd"], cmd: ["httpd-foreground"], stopSignal: "SIGWINCH"),
    Known(repositories: ["php"], tagContains: "fpm", entrypoint: ["docker-php-entrypoint"], entrypointExecsArguments: true, cmd: ["php-fpm"], stopSignal: "SIGQUIT"),
    Known(repositories: ["php"], tagContains: "apache", entrypoint: ["docker-php-entrypoint"], entrypointExecsArguments: true, cmd: ["apache2-foreground"], stopSignal: "SIGWINCH"),
    // s6-overlay's /init is PID 1 and runs the s6-rc / services.d layout (and a CMD as the main service).
    Known(repositories: ["linuxserver/*", "lsiobase/*", "hassio-addons/*", "home-assistant/*", "homeassistant/*"], entrypoint: ["/init"]),
    // phusion's my_init runs /etc/my_init.d/*, then the runit services in /etc/service.
    Known(repositories: ["phusion/baseimage", "phusion/passenger-full", "phusion/passenger-customizable", "phusion/passenger-ruby32",
      "phusion/passenger-nodejs"], cmd: ["/sbin/my_init"]),
  ]

  /// This image's row of `knownImages`.
  public var known: Known? {
    Self.knownImages.first { row in
      guard row.repositories.contains(where: { pattern in
        pattern.hasSuffix("/*") ? repository.hasPrefix(String(pattern.dropLast())) : repository == pattern
      }) else { return false }
      if let part = row.tagContains { return (tag ?? "").contains(part) }
      return true
    }
  }

  /// The ENTRYPOINT of well-known images that put an init in front (jenkins/jenkins, the Jupyter
  /// stacks, Elasticsearch): a derived ENTRYPOINT that omits it drops the init.
  public var initEntrypoint: [String]? {
    guard let words = known?.entrypoint(tag: tag), let first = words.first, Knowledge.initKind(of: first) != nil else { return nil }
    return words
  }

  /// The official php fpm images configure `daemonize = no`, so `php-fpm` stays in the foreground; so do
  /// the official images built on them (wordpress, nextcloud, drupal, joomla… in their `fpm` tags).
  public var phpFPMDaemonizeNo: Bool {
    isOfficial && Self.phpFPMImages.contains(name) && (tag ?? "").contains("fpm")
  }
  static let phpFPMImages: Set<String> = [
    "php", "wordpress", "nextcloud", "drupal", "joomla", "matomo", "friendica", "mediawiki", "yourls", "backdrop",
    "postfixadmin", "monica", "phpmyadmin",
  ]

  /// The official debian and ubuntu images (every tag, slim too) have no `xz`: GNU tar cannot unpack a
  /// `.tar.xz` there until `xz-utils` is installed (`tar (child): xz: Cannot exec`). Images built on
  /// them (buildpack-deps, python, php…) install it; Alpine's busybox tar unpacks xz itself.
  public var lacksXZ: Bool { isOfficial && (name == "debian" || name == "ubuntu") }

  /// The official nginx images' CMD runs `nginx -g 'daemon off;'`; their nginx.conf does not say it.
  public var providesNginxConfig: Bool { isOfficial && name == "nginx" }
}
