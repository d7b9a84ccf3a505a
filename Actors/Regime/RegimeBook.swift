// Per-symbol ensembles, for the actor shell to own.

/// One ``RegimeEnsemble`` per symbol, created on first use with a shared configuration.
/// Creating a symbol's ensemble allocates once; updates after that do not.
public final class RegimeBook {
    public let configuration: RegimeEnsembleConfiguration
    /// Ensembles by symbol.
    public private(set) var ensembles: [String: RegimeEnsemble] = [:]

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` naming the bad option.
    public init(configuration: RegimeEnsembleConfiguration = .init()) throws(RegimeError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// A book on a configuration validated beforehand (cannot fail).
    public init(_ configuration: RegimeEnsembleConfiguration.Validated) {
        self.configuration = configuration.value
    }

    /// The ensemble of `symbol`, created if absent.
    public func ensemble(for symbol: String) -> RegimeEnsemble {
        if let e = ensembles[symbol] { return e }
        // The configuration was validated in init, so creation cannot fail; fall back to defaults otherwise.
        let e = (try? RegimeEnsemble(configuration: configuration)) ?? Self.defaultEnsemble()
        ensembles[symbol] = e
        return e
    }

    private static func defaultEnsemble() -> RegimeEnsemble {
        // The default configuration is valid by construction.
        guard let e = try? RegimeEnsemble() else { preconditionFailure("default RegimeEnsembleConfiguration is invalid") }
        return e
    }

    /// Forgets `symbol`'s ensemble.
    public func remove(symbol: String) { ensembles[symbol] = nil }

    /// Feeds `observation` to `symbol`'s ensemble. `refitDue` on the returned pair tells the
    /// owner to schedule `ensemble(for:).refit()` off the hot path.
    public func update(symbol: String, observation: Double) -> (signal: RegimeSignal, refitDue: Bool) {
        let e = ensemble(for: symbol)
        let s = e.update(observation)
        return (s, e.refitDue)
    }
}
