import Foundation

/// A line chart of latency percentiles as a standalone SVG document (plain text, no
/// dependency): percentiles on the x axis, nanoseconds on a log-scale y axis, one
/// series per run (e.g. one per executor), each point labelled with its value.
public struct LatencyChart: Sendable {
    /// One line of the chart: its name and one value (ns) per percentile.
    public struct Series: Sendable, Equatable {
        public var name: String
        public var nanos: [UInt64]

        public init(name: String, nanos: [UInt64]) {
            self.name = name
            self.nanos = nanos
        }
    }

    /// The x-axis labels (the percentiles `perf e2e` plots).
    public static let percentiles = ["p50", "p90", "p99", "p99.9", "max"]

    public var title: String
    public var series: [Series]

    public init(title: String, series: [Series]) {
        self.title = title
        self.series = series
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    /// The SVG document.
    public var svg: String {
        let width = 760.0, height = 440.0
        let left = 90.0, right = 200.0, top = 50.0, bottom = 60.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let labels = Self.percentiles
        let values = series.flatMap(\.nanos).filter { $0 > 0 }
        let low = floor(log10(Double(values.min() ?? 100)))
        var high = ceil(log10(Double(values.max() ?? 1000)))
        if high <= low { high = low + 1 }
        func x(_ index: Int) -> Double {
            labels.count > 1 ? left + plotWidth * Double(index) / Double(labels.count - 1) : left + plotWidth / 2
        }
        func y(_ nanos: UInt64) -> Double {
            let v = log10(Double(max(nanos, 1)))
            let clamped = min(max(v, low), high)
            return top + plotHeight * (1 - (clamped - low) / (high - low))
        }
        var out: [String] = []
        out.append(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        out.append(#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" viewBox="0 0 \#(Int(width)) \#(Int(height))" font-family="sans-serif" font-size="12">"#)
        out.append(#"<rect x="0" y="0" width="\#(Int(width))" height="\#(Int(height))" fill="white"/>"#)
        out.append(#"<text x="\#(f(left))" y="28" font-size="16" font-weight="bold">\#(Self.escape(title))</text>"#)
        // Axes and decade grid lines.
        out.append(#"<line x1="\#(f(left))" y1="\#(f(top))" x2="\#(f(left))" y2="\#(f(top + plotHeight))" stroke="black"/>"#)
        out.append(#"<line x1="\#(f(left))" y1="\#(f(top + plotHeight))" x2="\#(f(left + plotWidth))" y2="\#(f(top + plotHeight))" stroke="black"/>"#)
        for decade in Int(low)...Int(high) {
            let nanos = UInt64(pow(10, Double(decade)))
            let yy = y(nanos)
            out.append(#"<line x1="\#(f(left))" y1="\#(f(yy))" x2="\#(f(left + plotWidth))" y2="\#(f(yy))" stroke="rgb(221,221,221)"/>"#)
            out.append(#"<text x="\#(f(left - 8))" y="\#(f(yy + 4))" text-anchor="end">\#(Self.format(nanos))</text>"#)
        }
        for (index, label) in labels.enumerated() {
            out.append(#"<text x="\#(f(x(index)))" y="\#(f(top + plotHeight + 20))" text-anchor="middle">\#(label)</text>"#)
        }
        out.append(#"<text x="\#(f(left + plotWidth / 2))" y="\#(f(height - 12))" text-anchor="middle">percentile</text>"#)
        out.append(#"<text x="20" y="\#(f(top + plotHeight / 2))" text-anchor="middle" transform="rotate(-90 20 \#(f(top + plotHeight / 2)))">latency (log scale)</text>"#)
        // One polyline with labelled points per series, and its legend entry.
        for (number, line) in series.enumerated() {
            let color = Self.palette[number % Self.palette.count]
            let points = line.nanos.prefix(labels.count).enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }
            out.append(#"<g class="series" data-name="\#(Self.escape(line.name))">"#)
            out.append(#"<polyline fill="none" stroke="\#(color)" stroke-width="2" points="\#(points.joined(separator: " "))"/>"#)
            for (index, nanos) in line.nanos.prefix(labels.count).enumerated() {
                out.append(#"<circle cx="\#(f(x(index)))" cy="\#(f(y(nanos)))" r="3.5" fill="\#(color)"><title>\#(Self.escape(line.name)) \#(labels[index]): \#(nanos) ns</title></circle>"#)
                out.append(#"<text x="\#(f(x(index) + 5))" y="\#(f(y(nanos) - 6))" fill="\#(color)" font-size="10">\#(Self.format(nanos))</text>"#)
            }
            let legendY = top + 18 * Double(number)
            out.append(#"<line x1="\#(f(width - right + 15))" y1="\#(f(legendY))" x2="\#(f(width - right + 40))" y2="\#(f(legendY))" stroke="\#(color)" stroke-width="3"/>"#)
            out.append(#"<text x="\#(f(width - right + 46))" y="\#(f(legendY + 4))">\#(Self.escape(line.name))</text>"#)
            out.append("</g>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// 850 ns, 3.2 µs, 12 ms, 1.5 s.
    static func format(_ nanos: UInt64) -> String {
        let v = Double(nanos)
        if v < 1_000 { return "\(nanos) ns" }
        if v < 1_000_000 { return String(format: v < 10_000 ? "%.1f µs" : "%.0f µs", v / 1e3) }
        if v < 1_000_000_000 { return String(format: v < 10_000_000 ? "%.1f ms" : "%.0f ms", v / 1e6) }
        return String(format: "%.1f s", v / 1e9)
    }

    /// XML text and attribute escaping.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
