// swift-tools-version:6.0
import PackageDescription

// dockadvise depends on the Swift toolchain alone: no `.package(...)` entries, ever.
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
      dependencies: ["DockerfileParser"]
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
