// Freshness and replay checks of decision certificates.

import Protocols

/// Drops stale, future-dated and re-appended decision certificates, and counts every drop.
///
/// A certificate's own fields beyond the signatures are Redis's, so its replay check cannot
/// rest on one sender's sequence numbers (the deciding voter `d` is unsigned). Instead: its
/// newest signed vote must lie within the timestamp window (as a signed message's timestamp
/// must), and its proposal must not have been admitted before. Proposal IDs are remembered
/// until their newest vote leaves the window, after which any copy is stale anyway, so the
/// memory is bounded by the genuine decisions of one window. A pure value type: pass `nowNs` (wall
/// clock, ns since the Unix epoch).
public struct CertificateAdmission: Sendable {
    public let configuration: ReplayGuard.Configuration
    /// Counters of admitted and dropped certificates.
    public private(set) var counters = DropCounters()
    /// Admitted proposals → their newest vote's timestamp.
    private var admitted: [ProposalID: UInt64] = [:]

    public init(configuration: ReplayGuard.Configuration = ReplayGuard.Configuration()) {
        self.configuration = configuration
    }

    /// Proposals remembered now.
    public var remembered: Int { admitted.count }

    /// Admits or drops `certificate`, updating the counters.
    public mutating func admit(_ certificate: DecisionCertificate, nowNs: UInt64) -> ReplayGuard.Verdict {
        let verdict = check(certificate, nowNs: nowNs)
        switch verdict {
        case .accept: counters.accepted += 1
        case let .drop(reason): counters[reason] += 1
        }
        return verdict
    }

    /// Counts a certificate that did not verify.
    public mutating func recordDrop(_ reason: DropReason) {
        counters[reason] += 1
    }

    /// Forgets proposals whose newest vote is older than the window.
    public mutating func prune(nowNs: UInt64) {
        let oldest = nowNs >= configuration.maxAgeNs ? nowNs - configuration.maxAgeNs : 0
        admitted = admitted.filter { $0.value >= oldest }
    }

    private mutating func check(_ certificate: DecisionCertificate, nowNs: UInt64) -> ReplayGuard.Verdict {
        let newest = certificate.newestVoteNs
        if newest < nowNs, nowNs - newest > configuration.maxAgeNs { return .drop(.stale) }
        if newest > nowNs, newest - nowNs > configuration.maxFutureSkewNs { return .drop(.future) }
        let id = certificate.decision.proposal
        guard admitted[id] == nil else { return .drop(.replayed) }
        // No size cap: only certificates whose signatures verified get here, i.e. genuine
        // decisions, and `prune` forgets each once its window has passed.
        admitted[id] = newest
        return .accept
    }
}
