/// How `fix` restructures an image that runs several services.
public enum Strategy: String, Sendable, CaseIterable {
  /// dockadvise's own init (Embedded Swift) running a Procfile: the default.
  case swiftInit = "swift-init"
  /// s6-overlay v3 with one s6-rc longrun per service.
  case s6
  /// The bash wrapper Docker's documentation recommends (`wait -n` + `exit $?`) behind tini.
  case wrapper
}
