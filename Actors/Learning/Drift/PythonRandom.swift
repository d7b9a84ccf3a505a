// A bit-exact port of CPython's `random.Random` core (Mersenne Twister MT19937,
// Matsumoto & Nishimura, 1998) for the parts River's KSWIN uses: seeding from an
// integer (`init_by_array` over the 32-bit words of |seed|), `getrandbits(k)` for
// k ≤ 32, `_randbelow` by rejection and `sample(range(n), k)`.
// Reproducing it lets KSWIN pick the same reference sub-windows as River for the
// same seed.

import Foundation

/// CPython-compatible Mersenne Twister generator (`random.Random(seed)`).
public struct PythonRandom: Sendable, Codable, Equatable {
    private var state: [UInt32]
    private var index: Int

    /// Seeds like `random.Random(seed)` for an integer seed (the sign is ignored, as in CPython).
    public init(seed: Int) {
        state = [UInt32](repeating: 0, count: 624)
        index = 624
        self.seed(seed)
    }

    /// Whether decoded state is structurally valid.
    public var isConsistent: Bool { state.count == 624 && (0...624).contains(index) }

    /// Re-seeds in place without allocating.
    public mutating func seed(_ seed: Int) {
        let magnitude = seed.magnitude
        let low = UInt32(truncatingIfNeeded: magnitude)
        let high = UInt32(truncatingIfNeeded: magnitude >> 32)
        if high == 0 {
            initByArray(key0: low, key1: 0, keyLength: 1)
        } else {
            initByArray(key0: low, key1: high, keyLength: 2)
        }
    }

    private mutating func initGenrand(_ s: UInt32) {
        state[0] = s
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    private mutating func initByArray(key0: UInt32, key1: UInt32, keyLength: Int) {
        initGenrand(19_650_218)
        var i = 1
        var j = 0
        var k = max(624, keyLength)
        while k > 0 {
            let key = j == 0 ? key0 : key1
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key &+ UInt32(j)
            i += 1
            j += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
            if j >= keyLength { j = 0 }
            k -= 1
        }
        k = 623
        while k > 0 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
            k -= 1
        }
        state[0] = 0x8000_0000
        index = 624
    }

    private mutating func twist() {
        state.withUnsafeMutableBufferPointer { mt in
            @inline(__always) func mix(_ kk: Int, _ next: Int, _ far: Int) {
                let y = (mt[kk] & 0x8000_0000) | (mt[next] & 0x7fff_ffff)
                mt[kk] = mt[far] ^ (y >> 1) ^ ((y & 1) &* 0x9908_b0df)
            }
            for kk in 0..<(624 - 397) { mix(kk, kk + 1, kk + 397) }
            for kk in (624 - 397)..<623 { mix(kk, kk + 1, kk + 397 - 624) }
            mix(623, 0, 396)
        }
        index = 0
    }

    /// Next 32-bit output (CPython's `genrand_uint32`).
    public mutating func nextUInt32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// `random()`: a double in [0, 1) with 53 random bits (CPython's `random_random`).
    public mutating func random() -> Double {
        let a = Double(nextUInt32() >> 5)
        let b = Double(nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` for 0 ≤ k ≤ 32.
    public mutating func randomBits(_ k: Int) -> UInt32 {
        if k <= 0 { return 0 }
        return nextUInt32() >> UInt32(32 - min(k, 32))
    }

    /// `_randbelow(n)`: uniform integer in [0, n) by rejection sampling on `bit_length(n)` bits.
    public mutating func randomBelow(_ n: Int) -> Int {
        let bits = Int.bitWidth - n.leadingZeroBitCount
        var r = Int(randomBits(bits))
        while r >= n { r = Int(randomBits(bits)) }
        return r
    }

    /// `random.sample(range(n), k)` written into `result[0..<k]`, using `scratch`
    /// (capacity ≥ n) as the pool or the "selected" mask; allocation-free when the
    /// buffers are preallocated. Requires 0 ≤ k ≤ n.
    public mutating func sampleRange(
        _ n: Int, _ k: Int, into result: inout [Int], scratch: inout [Int]
    ) {
        var setSize = 21
        if k > 5 {
            // CPython: 4 ** ceil(log(k * 3, 4)), with math.log(x, 4) = log(x) / log(4).
            let exponent = (Foundation.log(Double(k * 3)) / Foundation.log(4.0)).rounded(.up)
            setSize += 1 << (2 * Int(exponent))
        }
        if n <= setSize {
            for i in 0..<n { scratch[i] = i }
            for i in 0..<k {
                let j = randomBelow(n - i)
                result[i] = scratch[j]
                scratch[j] = scratch[n - i - 1]
            }
        } else {
            for i in 0..<n { scratch[i] = 0 }
            for i in 0..<k {
                var j = randomBelow(n)
                while scratch[j] != 0 { j = randomBelow(n) }
                scratch[j] = 1
                result[i] = j
            }
        }
    }
}

