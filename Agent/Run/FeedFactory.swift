import Market

/// Builds the market source from config and the `--feed` flag
/// (`synthetic`, `csv:PATH`, `tcp:HOST:PORT`).
enum FeedFactory {
    /// - Throws: `MarketError` naming the bad specification or file.
    static func make(flag: String?, configuration: AgentConfiguration, seed: UInt64?, maxTicks: Int? = nil) throws(MarketError) -> any MarketSource {
        let feeds = configuration.feeds
        let spec = flag ?? {
            switch feeds.kind {
            case .synthetic: return "synthetic"
            case .csv: return "csv:\(feeds.csvPath)"
            case .tcp: return "tcp:\(feeds.tcpHost):\(feeds.tcpPort)"
            case .redis: return "redis"
            }
        }()
        if spec == "synthetic" {
            let symbols = feeds.symbols
            let rate = feeds.ratePerSecond > 0 ? feeds.ratePerSecond * Double(symbols.count) : nil
            return try SyntheticMarket(.init(symbols: symbols, seed: seed ?? UInt64(max(0, feeds.seed)),
                                             ratePerSecond: rate, maxTicks: maxTicks))
        }
        if spec.hasPrefix("csv:") {
            let path = String(spec.dropFirst(4))
            guard !path.isEmpty else { throw .invalidSpecification("--feed csv:PATH needs a file path") }
            let symbols = try CSVReplay.scanSymbols(path: path)
            return try CSVReplay(path: path, speed: feeds.speed > 0 ? feeds.speed : nil, symbols: symbols)
        }
        if spec.hasPrefix("tcp:") {
            let (host, port) = try TCPLineFeed.parseAddress(String(spec.dropFirst(4)))
            return TCPLineFeed(host: host, port: port, symbols: feeds.symbols)
        }
        throw .invalidSpecification("unknown feed '\(spec)': expected synthetic, csv:PATH or tcp:HOST:PORT")
    }
}
