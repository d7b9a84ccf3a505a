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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // Perf only: mallocs and context switches per message.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
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

        // Perf: the harness behind `quantum-agent perf`, and package-benchmark suites.
        .target(
            name: "Perf",
            dependencies: [
                "Runtime", "Hardware", "CLinuxShim",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Perf",
            exclude: ["Benchmarks"],
            swiftSettings: swift6
        ),
        .executableTarget(
            name: "RuntimeBenchmarks",
            dependencies: [
                "Runtime", "Hardware",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Perf/Benchmarks/RuntimeBenchmarks",
            swiftSettings: swift6,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),

        // Agent: the single binary.
        .executableTarget(
            name: "Agent",
            dependencies: [
                "Perf", "Runtime", "Hardware",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Agent",
            swiftSettings: swift6
        ),

        // Tests: one target per library target.
        .testTarget(name: "HardwareTests", dependencies: ["Hardware"], path: "Tests/HardwareTests", exclude: ["Fixtures"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Hardware", "CLinuxShim"], path: "Tests/RuntimeTests"),
        .testTarget(name: "AgentTests", dependencies: ["Agent"], path: "Tests/AgentTests"),
    ],
    swiftLanguageModes: [.v6]
)
