import Testing
@testable import Agent

/// Only regime signals that change what the engine's decision reads reach the engine.
@Suite struct RegimeSignalFilterTests {
    @Test func forwardsStateChangesThresholdCrossingsAndConfidenceStepsOnly() {
        let filter = RegimeSignalFilter(symbols: 2, minConfidence: 0.6, confidenceStep: 0.01)
        #expect(filter.shouldForward(symbol: 0, state: 1, confidence: 0.70))   // first signal
        #expect(!filter.shouldForward(symbol: 0, state: 1, confidence: 0.705))  // same state, < step
        #expect(filter.shouldForward(symbol: 0, state: 2, confidence: 0.705))   // state change
        #expect(filter.shouldForward(symbol: 0, state: 2, confidence: 0.716))   // moved ≥ step
        #expect(!filter.shouldForward(symbol: 0, state: 2, confidence: 0.72))
        #expect(filter.shouldForward(symbol: 1, state: 2, confidence: 0.72))    // other symbol: its first
        // Crossing min_regime_confidence by less than a step still goes through.
        #expect(filter.shouldForward(symbol: 0, state: 2, confidence: 0.6055))
        #expect(filter.shouldForward(symbol: 0, state: 2, confidence: 0.5995))
        #expect(filter.shouldForward(symbol: 0, state: -1, confidence: 0.5995))  // uncertain
        #expect(filter.shouldForward(symbol: 0, state: -1, confidence: .nan))    // NaN is never "close"
        #expect(filter.shouldForward(symbol: 7, state: 0, confidence: 0.9))      // unknown index: forwarded
    }

    /// A forwarded signal the engine's mailbox refused is sent again with the next update,
    /// even when nothing changed (else the engine would keep the old regime).
    @Test func aRefusedSignalIsForwardedAgain() {
        let filter = RegimeSignalFilter(symbols: 1, minConfidence: 0.6, confidenceStep: 0.01)
        #expect(filter.shouldForward(symbol: 0, state: 2, confidence: 0.9))
        #expect(!filter.shouldForward(symbol: 0, state: 2, confidence: 0.9))
        filter.invalidate(symbol: 0)
        #expect(filter.shouldForward(symbol: 0, state: 2, confidence: 0.9))
        #expect(!filter.shouldForward(symbol: 0, state: 2, confidence: 0.9))
        filter.invalidate(symbol: 5)   // unknown index: ignored
    }
}
