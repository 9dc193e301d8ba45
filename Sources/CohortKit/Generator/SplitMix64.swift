/// A SplitMix64 pseudo-random generator: tiny, fast, and the same stream on every platform.
///
/// The generator never uses the system RNG, so a seed fixes every byte the sample generator writes.
/// `SplitMix64(seed: s, stream: i)` derives an independent stream per customer, which keeps the
/// output identical however customers are split across threads.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator whose first output is `mix(seed &+ golden)`.
    public init(seed: UInt64) { state = seed }

    /// A generator for stream `stream` of `seed`; distinct streams are statistically independent.
    public init(seed: UInt64, stream: UInt64) {
        state = SplitMix64.mix(seed ^ SplitMix64.mix(stream &+ 0x632B_E59B_D9B4_E019))
    }

    /// The SplitMix64 finaliser (Stafford's variant 13).
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// A uniform double in [0, 1) built from the top 53 bits.
    @inline(__always)
    public mutating func unit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A uniform integer in `0..<bound` (`bound > 0`), by Lemire's multiply-shift (bias below 2^-40 here).
    @inline(__always)
    public mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// True with probability `p`.
    @inline(__always)
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// An index drawn with probability proportional to `weights[i]` (weights need not sum to 1).
    @inline(__always)
    public mutating func pick(_ weights: [Double]) -> Int {
        var total = 0.0
        for w in weights { total += w }
        var u = unit() * total
        for i in 0..<weights.count {
            u -= weights[i]
            if u < 0 { return i }
        }
        return weights.count - 1
    }
}
