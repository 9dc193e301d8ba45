import Foundation

/// Projected logo and revenue retention for triangle cells not yet observable at `as_of`
/// (docs/metrics.md#projected-retention).
///
/// For one channel (or `(all)`), from the cohorts' observed cells:
///
/// 1. **Pooled month-to-month links.** `f(j) = Σ active(j+1) / Σ active(j)` over the cohorts
///    observed at offset `j + 1` (chain ladder); likewise `g(j)` for MRR. The spread of the
///    cohorts' own links, `σ²(j)` = sample variance of `log((active_c(j+1) + ½) / (active_c(j) + ½))`
///    across cohorts, measures cohort-to-cohort variation (binomial noise included).
/// 2. **Ages no cohort has reached yet** take their logo link from a shifted-beta-geometric fit to
///    the pooled transitions, their revenue link from that logo link times the mean expansion per
///    surviving customer (`g / f`) of the last three observed links, and `σ²` as the mean of the
///    last three observed.
/// 3. **The young cohort's own experience.** Observed to offset `a`, with retention `O` where the
///    pool expects `E = Π f(j < a)`: its hazard ratio `h = log O / log E` (cumulative hazards are
///    proportional), shrunk toward 1 by credibility `w = x / (x + 10)`, `x` = the cohort's
///    expected churners `n (1 − E)`. Its survival continues as `O · Π f(j)^h`; revenue as
///    `R · Π g(j) · f(j)^(h−1)`.
/// 4. **Interval.** `exp(log p ± z √Σσ²(j))` over the projected links, clamped to `[0, 1]` for logo
///    retention; the backtest (`RetentionBacktest`) reports how often observed cells fall inside.
///
/// - Complexity: O(cohorts × offsets) per channel, plus one two-parameter fit.
public enum RetentionProjection {
    /// One cohort's observed cells, offsets `0 ..< active.count` (all observed, none absent).
    public struct Curve: Equatable, Sendable {
        public var cohort: Month
        public var customers: Int
        public var active: [Int]
        public var mrrStart: Int64
        public var mrr: [Int64]

        /// The last observed offset.
        public var observedTo: Int { active.count - 1 }
    }

    /// One projected cell.
    public struct Cell: Equatable, Sendable {
        public var cohort: Month
        public var offset: Int
        public var logo: Double
        public var logoLower: Double
        public var logoUpper: Double
        public var revenue: Double?
        public var revenueLower: Double?
        public var revenueUpper: Double?
        public var method: Method
    }

    /// How a cell's links were obtained.
    public enum Method: String, Sendable {
        /// Every link it uses was observed in older cohorts.
        case chainLadder = "chain_ladder"
        /// Some links come from the sBG fit (ages no cohort has reached).
        case chainLadderSBG = "chain_ladder+sbg"
        /// Every link comes from the sBG fit.
        case sbg
    }

    /// Shrinkage of the cohort's hazard ratio: expected churners worth full credibility at half.
    static let credibilityChurners = 10.0
    /// Links averaged for expansion and spread beyond the data.
    static let tailLinks = 3

    /// The pooled links of one channel, up to `maxOffset`.
    public struct Links: Equatable, Sendable {
        public var logo: [Double]
        public var revenue: [Double?]
        public var logoVariance: [Double]
        public var revenueVariance: [Double]
        /// `observed[j]`: link j came from data, not from the sBG tail.
        public var observed: [Bool]
        public var sbg: ShiftedBetaGeometric?
        /// Links for ages past `maxOffset`: the mean of the last three observed links.
        public var tailLogo: Double = 1
        public var tailRevenue: Double? = nil

        /// The link from age `j` to `j + 1`, for any age.
        func link(_ j: Int) -> (logo: Double, revenue: Double?) {
            j < logo.count ? (logo[j], revenue[j]) : (tailLogo, tailRevenue)
        }
    }

    /// Pooled links `j -> j + 1` for `j` in `0 ..< maxOffset`.
    public static func links(_ curves: [Curve], maxOffset: Int) -> Links {
        let n = max(0, maxOffset)
        var num = Array(repeating: 0.0, count: n)
        var den = Array(repeating: 0.0, count: n)
        var mnum = Array(repeating: 0.0, count: n)
        var mden = Array(repeating: 0.0, count: n)
        var logs = Array(repeating: [Double](), count: n)
        var mlogs = Array(repeating: [Double](), count: n)
        var transitions: [ShiftedBetaGeometric.Transition] = []
        for c in curves {
            for j in 0..<min(n, c.observedTo) {
                let a0 = Double(c.active[j])
                let a1 = Double(c.active[j + 1])
                num[j] += a1
                den[j] += a0
                if a0 > 0 {
                    logs[j].append(log((a1 + 0.5) / (a0 + 0.5)))
                    transitions.append(.init(t: j + 1, atRisk: a0, survived: a1))
                }
                let m0 = Double(c.mrr[j])
                let m1 = Double(c.mrr[j + 1])
                if m0 > 0 {
                    mnum[j] += m1
                    mden[j] += m0
                    mlogs[j].append(log(max(m1, 0.5 * m0 / max(a0, 1)) / m0))
                }
            }
        }
        func variance(_ xs: [Double]) -> Double? {
            guard xs.count >= 2 else { return nil }
            let mean = xs.reduce(0, +) / Double(xs.count)
            return xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)
        }
        var logo = Array(repeating: 1.0, count: n)
        var revenue = Array(repeating: Double?.none, count: n)
        var lv = Array(repeating: 0.0, count: n)
        var rv = Array(repeating: 0.0, count: n)
        var observed = Array(repeating: false, count: n)
        for j in 0..<n where den[j] > 0 {
            observed[j] = true
            logo[j] = num[j] / den[j]
            revenue[j] = mden[j] > 0 ? mnum[j] / mden[j] : nil
            lv[j] = variance(logs[j]) ?? 0
            rv[j] = variance(mlogs[j]) ?? lv[j]
        }
        // Links seen in a single cohort have no spread of their own: borrow the neighbours'.
        let spread = (0..<n).filter { observed[$0] && logs[$0].count >= 2 }
        for j in 0..<n where observed[j] && logs[j].count < 2 {
            let near = spread.sorted { abs($0 - j) < abs($1 - j) }.prefix(tailLinks)
            if !near.isEmpty {
                lv[j] = near.reduce(0) { $0 + lv[$1] } / Double(near.count)
                rv[j] = near.reduce(0) { $0 + rv[$1] } / Double(near.count)
            }
        }
        let sbg = observed.allSatisfy { $0 } ? nil : ShiftedBetaGeometric.fit(transitions)
        let seen = (0..<n).filter { observed[$0] }
        let tail = seen.suffix(tailLinks)
        let expansion = tail.compactMap { j in revenue[j].map { $0 / max(logo[j], 1e-9) } }
        let meanExpansion = expansion.isEmpty ? 1 : expansion.reduce(0, +) / Double(expansion.count)
        let tailLV = tail.isEmpty ? 0.0025 : tail.reduce(0) { $0 + lv[$1] } / Double(tail.count)
        let tailRV = tail.isEmpty ? 0.0025 : tail.reduce(0) { $0 + rv[$1] } / Double(tail.count)
        for j in 0..<n where !observed[j] {
            let r = sbg?.retention(j + 1) ?? (seen.last.map { logo[$0] } ?? 1)
            logo[j] = r
            revenue[j] = r * meanExpansion
            lv[j] = tailLV
            rv[j] = tailRV
        }
        var links = Links(
            logo: logo, revenue: revenue, logoVariance: lv, revenueVariance: rv, observed: observed, sbg: sbg)
        if !tail.isEmpty {
            links.tailLogo = tail.reduce(0) { $0 + logo[$1] } / Double(tail.count)
            let g = tail.compactMap { revenue[$0] }
            links.tailRevenue = g.isEmpty ? nil : g.reduce(0, +) / Double(g.count)
        }
        return links
    }

    /// Projects every cell of every curve from its first unobserved offset through `maxOffset`,
    /// at the two-sided `confidence` level.
    public static func project(_ curves: [Curve], maxOffset: Int, confidence: Double) -> [Cell] {
        project(curves, links: links(curves, maxOffset: maxOffset), maxOffset: maxOffset, confidence: confidence)
    }

    /// As `project(_:maxOffset:confidence:)` with the curves' pooled links already computed.
    public static func project(_ curves: [Curve], links: Links, maxOffset: Int, confidence: Double) -> [Cell] {
        let z = Normal.quantile(0.5 + confidence / 2)
        var out: [Cell] = []
        for c in curves where c.customers > 0 && c.observedTo < maxOffset {
            let a = c.observedTo
            let observedLogo = Double(c.active[a]) / Double(c.customers)
            var expected = 1.0
            for j in 0..<a { expected *= links.logo[j] }
            var h = 1.0
            if a > 0, observedLogo > 0, observedLogo < 1, expected > 0, expected < 1 {
                let raw = log(observedLogo) / log(expected)
                let x = Double(c.customers) * (1 - expected)
                let w = x / (x + credibilityChurners)
                h = 1 + w * (raw - 1)
            }
            let observedRevenue: Double? = c.mrrStart > 0 ? Double(c.mrr[a]) / Double(c.mrrStart) : nil
            var logo = observedLogo
            var revenue = observedRevenue
            var lv = 0.0
            var rv = 0.0
            var usedObserved = false
            var usedFitted = false
            for k in (a + 1)...maxOffset {
                let j = k - 1
                let f = max(links.logo[j], 0)
                let adjusted = pow(f, h)
                logo *= adjusted
                if let r = revenue, let g = links.revenue[j] {
                    revenue = r * g * (f > 0 ? adjusted / f : 0)
                } else {
                    revenue = nil
                }
                lv += links.logoVariance[j]
                rv += links.revenueVariance[j]
                if links.observed[j] { usedObserved = true } else { usedFitted = true }
                let sl = lv.squareRoot() * z
                let sr = rv.squareRoot() * z
                let method: Method = usedFitted ? (usedObserved ? .chainLadderSBG : .sbg) : .chainLadder
                out.append(
                    Cell(
                        cohort: c.cohort, offset: k, logo: min(1, logo), logoLower: min(1, logo * exp(-sl)),
                        logoUpper: min(1, logo * exp(sl)),
                        revenue: revenue, revenueLower: revenue.map { $0 * exp(-sr) },
                        revenueUpper: revenue.map { $0 * exp(sr) },
                        method: method))
            }
        }
        return out
    }
}

extension RetentionProjection {
    /// The customers paying at `as_of` in one cohort: their age in months and their MRR.
    public struct BaseCohort: Equatable, Sendable {
        public var age: Int
        public var customers: Int
        public var mrr: Int64
    }

    /// Where today's paying base is headed over `horizon` months (docs/metrics.md#projected-retention):
    /// each cohort's customers and MRR carried through the pooled links from its age, ages past the
    /// triangle at the mean of the last three observed links. Returns the share of customers
    /// still active (1 − it is the projected logo churn over the horizon) and the MRR then over
    /// the MRR now (the projected NRR), or nil with no paying base.
    public static func outlook(_ base: [BaseCohort], links: Links, horizon: Int = 12) -> (
        logo: Double, revenue: Double?
    )? {
        let customers = base.reduce(0) { $0 + $1.customers }
        guard customers > 0 else { return nil }
        var kept = 0.0
        var mrrNow = 0.0
        var mrrThen = 0.0
        var revenueKnown = true
        for c in base where c.customers > 0 {
            var logo = 1.0
            var revenue = 1.0
            for j in c.age..<(c.age + horizon) {
                let l = links.link(j)
                logo *= l.logo
                if let g = l.revenue { revenue *= g } else { revenueKnown = false }
            }
            kept += Double(c.customers) * logo
            mrrNow += Double(c.mrr)
            mrrThen += Double(c.mrr) * revenue
        }
        return (kept / Double(customers), revenueKnown && mrrNow > 0 ? mrrThen / mrrNow : nil)
    }
}
