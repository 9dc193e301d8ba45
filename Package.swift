// swift-tools-version:6.0
import PackageDescription

let optimize: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "CohortPipeline",
    targets: [
        // SHA-256 blocks through the CPU's SHA instructions, when it has them (C, for the intrinsics).
        .target(name: "CSHA256"),
        // File-system calls the Swift Glibc module leaves out (C, for _GNU_SOURCE).
        .target(name: "CFileIO"),
        .target(name: "CohortKit", dependencies: ["CSHA256", "CFileIO"], swiftSettings: optimize),
        .executableTarget(name: "ingest", dependencies: ["CohortKit"]),
        .executableTarget(name: "normalize", dependencies: ["CohortKit"]),
        .executableTarget(name: "cohort", dependencies: ["CohortKit"]),
        .executableTarget(name: "churn-attribution", dependencies: ["CohortKit"]),
        .executableTarget(name: "report", dependencies: ["CohortKit"]),
        .executableTarget(name: "generate-sample", dependencies: ["CohortKit"], swiftSettings: optimize),
        .executableTarget(name: "cohort-bench", dependencies: ["CohortKit"], swiftSettings: optimize),
        .testTarget(name: "CohortKitTests", dependencies: ["CohortKit"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v5]
)
