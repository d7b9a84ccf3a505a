import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Latency

/// Collects what an XML parse saw.
private final class SVGOutline: NSObject, XMLParserDelegate, @unchecked Sendable {
    // @unchecked: used by one parser on the test's thread.
    var elements: [String: Int] = [:]
    var seriesNames: [String] = []
    var texts: [String] = []
    var error: Error?
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements[name, default: 0] += 1
        if name == "g", attributes["class"] == "series", let series = attributes["data-name"] { seriesNames.append(series) }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(text) }
    }
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }
}

private func outline(_ svg: String) -> (ok: Bool, outline: SVGOutline) {
    let parser = XMLParser(data: Data(svg.utf8))
    let outline = SVGOutline()
    parser.delegate = outline
    let ok = parser.parse()
    return (ok && outline.error == nil, outline)
}

@Suite struct LatencyChartTests {
    @Test func chartIsWellFormedSVGWithOneSeriesPerRunAndEveryPercentile() {
        let chart = LatencyChart(title: "e2e <pinned & default>", series: [
            .init(name: "pinned @ 100000", nanos: [1_800, 2_600, 7_900, 31_000, 210_000]),
            .init(name: "default @ 100000", nanos: [9_000, 14_000, 80_000, 400_000, 3_000_000]),
        ])
        let svg = chart.svg
        let (ok, parsed) = outline(svg)
        #expect(ok, "not well-formed XML: \(String(describing: parsed.error))")
        #expect(svg.hasPrefix("<?xml"))
        #expect(parsed.elements["svg"] == 1)
        #expect(parsed.seriesNames == ["pinned @ 100000", "default @ 100000"])
        #expect(parsed.elements["polyline"] == 2)
        #expect(parsed.elements["circle"] == 10)
        for label in LatencyChart.percentiles { #expect(parsed.texts.contains(label)) }
        #expect(parsed.texts.contains("e2e <pinned & default>"))  // escaped in the file, intact after parsing
        #expect(parsed.texts.contains("1.8 µs") && parsed.texts.contains("3.0 ms"))
    }

    @Test func chartOfRunsWithoutOrdersIsStillWellFormed() {
        let chart = LatencyChart(title: "empty", series: [.init(name: "default", nanos: [0, 0, 0, 0, 0])])
        let (ok, parsed) = outline(chart.svg)
        #expect(ok)
        #expect(parsed.seriesNames == ["default"])
    }

    @Test func valuesAreFormattedInTheirUnit() {
        #expect(LatencyChart.format(850) == "850 ns")
        #expect(LatencyChart.format(3_240) == "3.2 µs")
        #expect(LatencyChart.format(45_000) == "45 µs")
        #expect(LatencyChart.format(12_000_000) == "12 ms")
        #expect(LatencyChart.format(1_500_000_000) == "1.5 s")
    }
}
