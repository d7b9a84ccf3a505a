// swift-tools-version:6.1
// package-benchmark suites for Quantum Agent: mallocs, context switches and time
// per message. A package of its own so the main package's tests never build the
// benchmark tool. Run: `make bench` (or `swift package benchmark` here).
import Foundation
import PackageDescription

// The root package is two levels up; its identity is its folder's name, whatever the clone is called.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

let package = Package(
    name: "quantum-agent-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: root.path),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // One executable target per suite under Benchmarks/.
        .executableTarget(
            name: "RuntimeBenchmarks",
            dependencies: [
                .product(name: "QuantumRuntime", package: rootIdentity),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RuntimeBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "PipelineBenchmarks",
            dependencies: [
                .product(name: "QuantumPipeline", package: rootIdentity),
                .product(name: "QuantumRuntime", package: rootIdentity),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PipelineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
