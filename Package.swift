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
        .library(name: "QuantumPipeline", targets: ["Latency", "Learning", "Risk", "Execution", "Market", "Protocols"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
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
        .target(
            name: "Learning",
            dependencies: ["Runtime", "Hardware", "CLinuxShim", "CNuma", .product(name: "Logging", package: "swift-log")],
            path: "Actors/Learning",
            swiftSettings: swift6
        ),
        .target(name: "Regime", dependencies: ["Runtime", "Protocols"], path: "Actors/Regime", swiftSettings: swift6),
        .target(
            name: "Monitoring",
            dependencies: [
                "Runtime", "Alerts", "Hardware", "CLinuxShim", "CNuma",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Actors/Monitoring", exclude: ["METRICS.md"], swiftSettings: swift6
        ),
        .target(
            name: "Alerts",
            dependencies: [
                "Runtime", "Hardware", "CLinuxShim", "CNuma", "Protocols",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Actors/Alerts",
            swiftSettings: swift6
        ),
        .target(
            name: "Coordination",
            dependencies: ["Protocols", "Runtime", "Hardware", .product(name: "Logging", package: "swift-log")],
            path: "Actors/Coordination",
            swiftSettings: swift6
        ),

        // Risk, Execution, Journal: pre-trade checks and VaR, the paper venue and positions,
        // the durable SQLite journal (plain types; the journal owns one writer thread).
        .target(name: "Risk", dependencies: ["Protocols"], path: "Actors/Risk", swiftSettings: swift6),
        .target(name: "Execution", dependencies: ["Protocols"], path: "Actors/Execution", swiftSettings: swift6),
        .target(
            name: "Journal",
            dependencies: ["Protocols", "Runtime", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")],
            path: "Actors/Journal",
            swiftSettings: swift6
        ),

        // The pipeline's own stages (lead): market sources and the latency engine.
        .target(
            name: "Market",
            dependencies: ["Protocols", "Runtime", "Hardware", "CLinuxShim", .product(name: "Logging", package: "swift-log")],
            path: "Actors/Market",
            swiftSettings: swift6
        ),

        .target(
            name: "Latency",
            dependencies: ["Protocols", "Runtime", "Hardware", "Market", "Risk", "Execution", "Journal", "Learning",
                           .product(name: "Histogram", package: "hdrhistogram-swift"),
                           .product(name: "Logging", package: "swift-log")],
            path: "Actors/Latency",
            swiftSettings: swift6
        ),

        // Perf: the harness behind `quantum-agent perf`, and package-benchmark suites.
        .target(
            name: "Perf",
            dependencies: [
                "Runtime", "Hardware", "CLinuxShim", "Learning", "Monitoring", "Alerts", "Regime", "Coordination", "Protocols",
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
                "Latency", "Market", "Risk", "Execution", "Journal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Agent",
            swiftSettings: swift6
        ),

        // libFuzzer harness of the wire codec: `scripts/fuzz-wire.sh` builds it with
        // -sanitize=fuzzer in .build-fuzz; a normal build replays inputs / runs a smoke test.
        .executableTarget(name: "WireFuzz", dependencies: ["Protocols"], path: "Fuzz/WireFuzz", swiftSettings: swift6),

        // Tests: one target per library target, and what several of them share.
        .target(name: "TestSupport", dependencies: ["Protocols"], path: "Tests/TestSupport", swiftSettings: swift6),
        .testTarget(name: "HardwareTests", dependencies: ["Hardware", "CNuma", "CLinuxShim"], path: "Tests/HardwareTests", exclude: ["Fixtures"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Hardware", "CLinuxShim", "CNuma", .product(name: "Histogram", package: "hdrhistogram-swift")], path: "Tests/RuntimeTests"),
        .testTarget(name: "ProtocolsTests", dependencies: ["Protocols", "CHiredis", "TestSupport"], path: "Tests/ProtocolsTests"),
        .testTarget(name: "LearningTests", dependencies: ["Learning", "Runtime", "Hardware", "CLinuxShim", "CNuma"], path: "Tests/LearningTests", exclude: ["Fixtures"]),
        .testTarget(name: "RegimeTests", dependencies: ["Regime", "Runtime", "Hardware"], path: "Tests/RegimeTests", exclude: ["Fixtures"]),
        .testTarget(name: "MonitoringTests", dependencies: ["Monitoring", "Alerts", "Runtime", "Hardware", "CLinuxShim", "CNuma",
                                                           .product(name: "CoreMetrics", package: "swift-metrics"),
                                                           .product(name: "Prometheus", package: "swift-prometheus")], path: "Tests/MonitoringTests", exclude: ["Fixtures"]),
        .testTarget(
            name: "AlertsTests",
            dependencies: [
                "Alerts", "Runtime", "Hardware", "CLinuxShim", "CNuma", "Protocols", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/AlertsTests"
        ),
        .testTarget(name: "CoordinationTests", dependencies: ["Coordination", "Protocols", "CHiredis", "Runtime", "TestSupport"], path: "Tests/CoordinationTests"),
        .testTarget(name: "RiskTests", dependencies: ["Risk", "Protocols"], path: "Tests/RiskTests", exclude: ["Fixtures"]),
        .testTarget(name: "ExecutionTests", dependencies: ["Execution", "Risk", "Protocols"], path: "Tests/ExecutionTests", exclude: ["Throughput"]),
        .testTarget(name: "JournalTests", dependencies: ["Journal", "Protocols"], path: "Tests/JournalTests"),
        .testTarget(name: "LatencyTests", dependencies: ["Latency", "Market", "Protocols", "Runtime", "Hardware", "Risk", "Execution", "Journal", "Learning", "CLinuxShim", "CNuma"], path: "Tests/LatencyTests"),
        .testTarget(name: "MarketTests", dependencies: ["Market", "Protocols", "Runtime", "Hardware", "CLinuxShim", "CNuma", "TestSupport"], path: "Tests/MarketTests"),
        .testTarget(
            name: "AgentTests",
            dependencies: [
                "Agent", "Runtime", "Hardware", "Alerts", "Journal", "Protocols",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/AgentTests",
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
