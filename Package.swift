// swift-tools-version:6.0
import PackageDescription

// dockadvise depends on the Swift toolchain alone: the package lists no dependencies, ever.
let package = Package(
  name: "dockadvise",
  products: [
    .executable(name: "dockadvise", targets: ["dockadvise"]),
    .library(name: "DockerfileParser", targets: ["DockerfileParser"]),
    .library(name: "MultiProcAdvisor", targets: ["MultiProcAdvisor"]),
  ],
  targets: [
    .target(name: "DockerfileParser"),
    .target(
      name: "MultiProcAdvisor",
      dependencies: ["DockerfileParser"],
      // dockadvise-init (Embedded Swift, built by its own build.sh): embedded as bytes, never compiled here.
      // Keep in step with EmbeddedInit.files (EmbeddedInitSourceTests checks).
      resources: [
        .embedInCode("Init/build.sh"),
        .embedInCode("Init/module.modulemap"),
        .embedInCode("Init/shim.h"),
        .embedInCode("Init/Main.swift"),
        .embedInCode("Init/Config.swift"),
        .embedInCode("Init/Procfile.swift"),
        .embedInCode("Init/Supervisor.swift"),
        .embedInCode("Init/Signals.swift"),
        .embedInCode("Init/Text.swift"),
      ]
    ),
    .executableTarget(name: "dockadvise", dependencies: ["DockerfileParser", "MultiProcAdvisor"]),
    // Benchmark and debugging aid for the shell parser (Scripts/bench-shell.sh); not a product.
    .executableTarget(name: "shell-bench", dependencies: ["DockerfileParser"]),
    .testTarget(name: "DockerfileParserTests", dependencies: ["DockerfileParser"]),
    .testTarget(name: "MultiProcAdvisorTests", dependencies: ["MultiProcAdvisor", "DockerfileParser"]),
    .testTarget(name: "dockadviseTests", dependencies: ["dockadvise", "MultiProcAdvisor", "DockerfileParser"]),
  ],
  swiftLanguageModes: [.v6]
)
