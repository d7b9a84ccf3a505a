// swift-tools-version:6.1
// Quantum Agent: one binary (`quantum-agent`) running a trading agent's modules as
// Swift actors on executors pinned to CPU cores. Layout and dependency rule: DESIGN.md.
import PackageDescription

let swift6: [SwiftSetting] = []

let package = Package(
    name: "quantum-agent",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quantum-agent", targets: ["Agent"]),
        // For the package-benchmark suites in Perf/Benchmarks (a package of their own,
        // so `swift test` never builds the benchmark toolchain).
        .library(name: "QuantumRuntime", targets: ["Runtime", "Hardware"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // Hardware: topology, core plans, pinning, node-local memory.
        .systemLibrary(name: "CNuma", path: "Hardware/CNuma"),
        .target(name: "CLinuxShim", path: "Hardware/CLinuxShim"),
        .target(
            name: "Hardware",
            dependencies: ["CNuma", "CLinuxShim", .product(name: "Logging", package: "swift-log")],
            path: "Hardware",
            exclude: ["CNuma", "CLinuxShim"],
            swiftSettings: swift6
        ),

        // Runtime: pinned executors, channels, actor system, supervision, clocks, histograms.
        .target(
            name: "Runtime",
            dependencies: [
                "Hardware", "CLinuxShim",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Runtime",
            swiftSettings: swift6
        ),

        // Protocols: wire codec (versioned, HMAC-signed), Redis client over hiredis.
        .systemLibrary(name: "CHiredis", path: "Protocols/CHiredis"),
        .target(
            name: "Protocols",
            dependencies: ["CHiredis", .product(name: "Crypto", package: "swift-crypto")],
            path: "Protocols",
            exclude: ["CHiredis"],
            swiftSettings: swift6
        ),

        // Actors/: the modules. Algorithms are plain types; actors are thin shells.
        .target(name: "Learning", path: "Actors/Learning", swiftSettings: swift6),
        .target(name: "Regime", path: "Actors/Regime", swiftSettings: swift6),
        .target(name: "Monitoring", path: "Actors/Monitoring", exclude: ["METRICS.md"], swiftSettings: swift6),
        .target(
            name: "Alerts",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Actors/Alerts",
            swiftSettings: swift6
        ),
        .target(name: "Coordination", dependencies: ["Protocols"], path: "Actors/Coordination", swiftSettings: swift6),

        // Perf: the harness behind `quantum-agent perf`, and package-benchmark suites.
        .target(
            name: "Perf",
            dependencies: [
                "Runtime", "Hardware", "CLinuxShim",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Perf",
            exclude: ["Benchmarks", "Scripts"],
            swiftSettings: swift6
        ),
        // Agent: the single binary.
        .executableTarget(
            name: "Agent",
            dependencies: [
                "Perf", "Runtime", "Hardware", "CNuma", "CLinuxShim", "CHiredis",
                "Protocols", "Learning", "Regime", "Monitoring", "Alerts", "Coordination",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Agent",
            swiftSettings: swift6
        ),

        // Tests: one target per library target.
        .testTarget(name: "HardwareTests", dependencies: ["Hardware", "CNuma", "CLinuxShim"], path: "Tests/HardwareTests", exclude: ["Fixtures"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Hardware", "CLinuxShim", "CNuma"], path: "Tests/RuntimeTests"),
        .testTarget(name: "ProtocolsTests", dependencies: ["Protocols", "CHiredis"], path: "Tests/ProtocolsTests"),
        .testTarget(name: "LearningTests", dependencies: ["Learning"], path: "Tests/LearningTests", exclude: ["Fixtures"]),
        .testTarget(name: "RegimeTests", dependencies: ["Regime"], path: "Tests/RegimeTests", exclude: ["Fixtures"]),
        .testTarget(name: "MonitoringTests", dependencies: ["Monitoring", "Alerts"], path: "Tests/MonitoringTests", exclude: ["Fixtures"]),
        .testTarget(
            name: "AlertsTests",
            dependencies: [
                "Alerts",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/AlertsTests"
        ),
        .testTarget(name: "CoordinationTests", dependencies: ["Coordination", "Protocols", "CHiredis"], path: "Tests/CoordinationTests"),
        .testTarget(name: "AgentTests", dependencies: [], path: "Tests/AgentTests"),
    ],
    swiftLanguageModes: [.v6]
)
