import Testing
@testable import Monitoring

@Suite struct RollbackGuardTests {
    let second: UInt64 = 1_000_000_000
    let policy = RollbackPolicy(degradationThreshold: 0.1, autoRollbackEnabled: true,
                                minimumDwellNanoseconds: 300_000_000_000, confirmationNanoseconds: 30_000_000_000,
                                minimumSamples: 100)

    @Test func rollsBackOnlyAfterConfirmationAndDwell() throws {
        var guardian = try RollbackGuard(policy: policy)
        try guardian.versionDeployed("v2", baseline: 0.80, now: 0)
        // 0.70 is 12.5 % below 0.80: degraded, but the version is young.
        let result3 = guardian.observe(performance: 0.70, samples: 500, now: 10 * second)
        #expect(result3
                == .degrading(degradation: (0.80 - 0.70) / 0.80, sinceNanoseconds: 10 * second))
        let result4 = guardian.observe(performance: 0.70, samples: 500, now: 200 * second)
        #expect(result4
                == .degrading(degradation: (0.80 - 0.70) / 0.80, sinceNanoseconds: 10 * second))
        // Dwell (300 s) and confirmation (30 s) both satisfied.
        let result5 = guardian.observe(performance: 0.70, samples: 500, now: 300 * second)
        #expect(result5
                == .rollback(version: "v2", degradation: (0.80 - 0.70) / 0.80))
        // Sent once: further observations wait for the next version.
        let result6 = guardian.observe(performance: 0.60, samples: 500, now: 301 * second)
        #expect(result6 == .rollbackPending(version: "v2"))
        try guardian.versionDeployed("v1", baseline: 0.78, now: 302 * second)
        let result7 = guardian.observe(performance: 0.60, samples: 500, now: 303 * second)
        #expect(result7
                == .degrading(degradation: (0.78 - 0.60) / 0.78, sinceNanoseconds: 303 * second))
    }

    @Test func recoveryRestartsTheConfirmationPeriod() throws {
        var guardian = try RollbackGuard(policy: policy)
        try guardian.versionDeployed("v2", baseline: 0.80, now: 0)
        _ = guardian.observe(performance: 0.70, samples: 500, now: 400 * second)
        let result8 = guardian.observe(performance: 0.79, samples: 500, now: 420 * second)
        #expect(result8 == .healthy(degradation: (0.80 - 0.79) / 0.80))
        let result9 = guardian.observe(performance: 0.70, samples: 500, now: 431 * second)
        #expect(result9
                == .degrading(degradation: (0.80 - 0.70) / 0.80, sinceNanoseconds: 431 * second))
        let result10 = guardian.observe(performance: 0.70, samples: 500, now: 461 * second)
        #expect(result10
                == .rollback(version: "v2", degradation: (0.80 - 0.70) / 0.80))
    }

    @Test func exactlyAtTheThresholdIsNotDegraded() throws {
        var guardian = try RollbackGuard(policy: policy)
        try guardian.versionDeployed("v", baseline: 0.5, now: 0)
        let result11 = guardian.observe(performance: 0.45, samples: 500, now: 1000 * second)
        #expect(result11 == .healthy(degradation: (0.5 - 0.45) / 0.5))
    }

    @Test func disabledRollbackOnlyReports() throws {
        var p = policy
        p.autoRollbackEnabled = false
        var guardian = try RollbackGuard(policy: p)
        try guardian.versionDeployed("v2", baseline: 0.8, now: 0)
        _ = guardian.observe(performance: 0.5, samples: 500, now: 300 * second)
        let result12 = guardian.observe(performance: 0.5, samples: 500, now: 400 * second)
        #expect(result12 == .degradedRollbackDisabled(degradation: (0.8 - 0.5) / 0.8))
    }

    @Test func tooFewSamplesOrNoVersionIsInsufficientData() throws {
        var guardian = try RollbackGuard(policy: policy)
        let result13 = guardian.observe(performance: 0.1, samples: 500, now: 0)
        #expect(result13 == .insufficientData)
        try guardian.versionDeployed("v", baseline: 0.8, now: 0)
        let result14 = guardian.observe(performance: 0.1, samples: 99, now: 1000 * second)
        #expect(result14 == .insufficientData)
    }

    @Test func invalidPolicyNamesTheSeedKey() {
        #expect(throws: MonitoringError.parameterOutOfRange(name: "performance_degradation_threshold", value: 1.5, allowed: "(0, 1)")) {
            try RollbackGuard(policy: RollbackPolicy(degradationThreshold: 1.5))
        }
    }
}
