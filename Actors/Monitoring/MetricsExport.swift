// Export of the 47 metrics through swift-metrics, and the process-wide Prometheus registry
// that `/metrics` renders.

import CoreMetrics
import Prometheus
import Synchronization

/// The process-wide metrics backend: swift-metrics bootstrapped once with a Prometheus
/// factory. Every module counts through swift-metrics; the HTTP control plane serves
/// `render()` on `/metrics`.
///
/// Call `bootstrap()` (never `MetricsSystem.bootstrap` directly: swift-metrics allows one
/// bootstrap per process and traps on a second one); it is idempotent and thread-safe.
public enum MetricsExport {
    private static let registry = Mutex<PrometheusCollectorRegistry?>(nil)

    /// Bootstraps swift-metrics with a `PrometheusMetricsFactory` on first call; returns the
    /// registry every later call returns too.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry {
        registry.withLock { current in
            if let current { return current }
            let created = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: created))
            current = created
            return created
        }
    }

    /// The Prometheus text exposition (format 0.0.4) of every registered metric;
    /// bootstraps first if needed. Serve it with `Content-Type: text/plain; version=0.0.4`.
    public static func render() -> String {
        bootstrap().emitToString()
    }
}

/// Publishes `MetricSample`s through swift-metrics handles, cached per series (one
/// dictionary lookup per sample; handles are created on a series' first value).
///
/// Gauges and summaries become swift-metrics `Gauge`s (summaries with a `quantile` label);
/// counters become `Counter`s incremented by the change of the sample's cumulative value.
/// Not thread-safe: owned by one actor.
public struct MetricsExporter: Sendable {
    private let factory: any MetricsFactory
    private var gauges: [String: CoreMetrics.Gauge] = [:]
    private var counters: [String: (counter: CoreMetrics.Counter, last: Int64)] = [:]

    /// - Parameter factory: where handles are made (default: the bootstrapped system factory;
    ///   tests pass a `PrometheusMetricsFactory` over a registry of their own).
    public init(factory: (any MetricsFactory)? = nil) {
        self.factory = factory ?? MetricsSystem.factory
    }

    /// Records every sample. Non-finite gauge values are skipped; a counter whose cumulative
    /// value went down (a restarted source) restarts its baseline without decrementing.
    public mutating func export(_ samples: [MetricSample]) {
        for sample in samples { export(sample) }
    }

    /// Records one sample.
    public mutating func export(_ sample: MetricSample) {
        let key = sample.sampleName
        switch sample.descriptor.kind {
        case .gauge, .summary:
            guard sample.value.isFinite else { return }
            if let gauge = gauges[key] {
                gauge.record(sample.value)
            } else {
                let gauge = CoreMetrics.Gauge(label: sample.name, dimensions: sample.dimensions, factory: factory)
                gauges[key] = gauge
                gauge.record(sample.value)
            }
        case .counter:
            guard sample.value.isFinite, sample.value >= 0, sample.value < 9.2e18 else { return }
            let total = Int64(sample.value)
            if let entry = counters[key] {
                if total > entry.last { entry.counter.increment(by: total - entry.last) }
                counters[key] = (entry.counter, total)
            } else {
                let counter = CoreMetrics.Counter(label: sample.name, dimensions: sample.dimensions, factory: factory)
                counter.increment(by: total)
                counters[key] = (counter, total)
            }
        }
    }

    /// Series exported so far.
    public var seriesCount: Int { gauges.count + counters.count }
}
