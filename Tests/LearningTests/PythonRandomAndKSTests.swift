import Foundation
import Testing
@testable import Learning

private struct RngFixture: Decodable {
    struct Seeded: Decodable { let seed: Int; let bits: [UInt32]; let sample70: [Int]; let sample370: [Int] }
    struct KSCase: Decodable { let a: [Double]; let b: [Double]; let statistic: Double; let pvalue: Double }
    let rng: [Seeded]
    let ks: [KSCase]
    static func load() throws -> RngFixture {
        try JSONDecoder().decode(RngFixture.self, from: FixtureLoader.data("rng_ks_expected.json"))
    }
}

@Suite struct PythonRandomAndKSTests {
    @Test func mersenneTwisterReproducesCPythonGetrandbits() throws {
        for s in try RngFixture.load().rng {
            var r = PythonRandom(seed: s.seed)
            let bits = (0..<5).map { _ in r.randomBits(32) }
            #expect(bits == s.bits, "seed \(s.seed)")
        }
    }

    @Test func sampleReproducesCPythonPoolAndSetPaths() throws {
        for s in try RngFixture.load().rng {
            var r = PythonRandom(seed: s.seed)
            var result = [Int](repeating: 0, count: 30)
            var scratch = [Int](repeating: 0, count: 400)
            r.sampleRange(70, 30, into: &result, scratch: &scratch)  // pool path (70 <= 277)
            #expect(result == s.sample70, "seed \(s.seed)")
            r.sampleRange(370, 30, into: &result, scratch: &scratch)  // set path (370 > 277)
            #expect(result == s.sample370, "seed \(s.seed)")
        }
    }

    @Test func twoSampleKSMatchesScipyExactStatisticAndPValue() throws {
        for c in try RngFixture.load().ks {
            let a = c.a.sorted(), b = c.b.sorted()
            let r = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                KolmogorovSmirnov.twoSampleSorted(pa, pb) } }
            #expect(r.statistic == c.statistic)
            #expect(abs(r.pValue - c.pvalue) <= 1e-15 * max(1, c.pvalue), "n=\(a.count)")
        }
    }
}
