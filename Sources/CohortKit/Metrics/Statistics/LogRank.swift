import Foundation

/// The outcome of a log-rank test: chi-square statistic, degrees of freedom and p-value.
public struct LogRankResult: Sendable, Equatable {
    /// The chi-square statistic; nil when fewer than two groups have members.
    public let statistic: Double?
    /// Degrees of freedom: non-empty groups minus one (0 when fewer than two).
    public let df: Int
    /// `P(chi2_df > statistic)`; nil when `statistic` is nil.
    public let pValue: Double?

    public init(statistic: Double?, df: Int, pValue: Double?) {
        self.statistic = statistic
        self.df = df
        self.pValue = pValue
    }
}

/// One pairwise log-rank test between groups `a` and `b` (`a < b`).
public struct LogRankPair: Sendable, Equatable {
    public let a: Int
    public let b: Int
    public let result: LogRankResult
}

/// The k-group log-rank test of equal survival curves, as lifelines' `multivariate_logrank_test`.
///
/// At each day `t_i` with `d_i > 0` churns among `n_i` at risk, group j (with `n_ij` at risk and
/// `d_ij` churns) adds `d_ij - n_ij d_i / n_i` to its observed-minus-expected `Z_j`, and the
/// hypergeometric covariance adds
/// `f_i (n_ij n_i δ_jl - n_ij n_il)` to `V_jl`, `f_i = d_i (n_i - d_i) / (n_i^2 (n_i - 1))` (with
/// `(n_i - d_i)/(n_i - 1)` taken as 1 when `n_i = 1`). The statistic is `Z' V⁻ Z` over the first
/// k-1 non-empty groups (a generalized inverse, as lifelines' `pinv`, for groups that never have
/// anyone at risk at an event), chi-square with k-1 degrees of freedom.
/// Example: two groups, durations `[1, 2]` vs `[3, 4]`, all churned: `Z_0 = 2 - (1/2 + 1/3) = 7/6`,
/// `V_00 = 1/4 + 2/9 = 17/36`, statistic `(7/6)^2 / (17/36) = 49/17 ≈ 2.882`.
public enum LogRank {
    /// Runs the test over groups `0..<groupCount`; rows whose group is outside that range are left
    /// out, and groups without members are ignored.
    ///
    /// - Complexity: O(n + R + T·k²) for n rows, span of days R (a counting sort; O(n log n) when
    ///   the span is large), T distinct durations and k non-empty groups.
    public static func test(durations: [Int32], events: [Bool], groups: [Int32], groupCount: Int) -> LogRankResult {
        precondition(
            durations.count == events.count && durations.count == groups.count,
            "durations, events and groups differ in length")
        return test(
            order: DurationTable.order(durations), durations: durations, events: events,
            groups: groups, groupCount: groupCount)
    }

    /// The log-rank test between every pair of non-empty groups `a < b`, in order of `(a, b)`.
    ///
    /// Each pair is tested on its two groups' rows alone, as lifelines' `logrank_test`; adjust
    /// the p-values with `MultipleTesting.holm`.
    ///
    /// - Complexity: one sort of the rows, then O(T_a + T_b) per pair for the distinct durations
    ///   of its two groups (see `groupTables` and `test(_:_:)`), not O(n) per pair.
    public static func pairwise(durations: [Int32], events: [Bool], groups: [Int32], groupCount: Int) -> [LogRankPair] {
        precondition(
            durations.count == events.count && durations.count == groups.count,
            "durations, events and groups differ in length")
        guard groupCount > 0 else { return [] }
        let tables = groupTables(
            order: DurationTable.order(durations), durations: durations, events: events,
            groups: groups, groupCount: groupCount)
        let present = (0..<groupCount).filter { !tables[$0].days.isEmpty }
        var pairs: [LogRankPair] = []
        for (ia, a) in present.enumerated() {
            for b in present[(ia + 1)...] {
                pairs.append(LogRankPair(a: a, b: b, result: test(tables[a], tables[b])))
            }
        }
        return pairs
    }

    /// Each group's counts per distinct duration (rows ending there, churns among them), from
    /// the rows in `order` (sorted by duration, as `DurationTable.order` gives); rows whose group
    /// is outside `0..<groupCount` are left out.
    ///
    /// - Complexity: O(n + groupCount).
    static func groupTables(order: [Int], durations: [Int32], events: [Bool], groups: [Int32], groupCount: Int)
        -> [DurationTable]
    {
        var tables = [DurationTable](repeating: DurationTable(), count: max(groupCount, 0))
        for row in order {
            let g = Int(groups[row])
            guard g >= 0, g < groupCount else { continue }
            let t = Int(durations[row])
            if tables[g].days.last != t {
                tables[g].days.append(t)
                tables[g].removed.append(0)
                tables[g].deaths.append(0)
            }
            let last = tables[g].days.count - 1
            tables[g].removed[last] += 1
            if events[row] { tables[g].deaths[last] += 1 }
        }
        return tables
    }

    /// The two-group test between the groups of tables `a` and `b`, walking the merged distinct
    /// durations of the two: the same arithmetic, in the same order, as `test` on their rows
    /// with `a` as group 0, so the results are identical.
    ///
    /// - Complexity: O(T_a + T_b).
    static func test(_ a: DurationTable, _ b: DurationTable) -> LogRankResult {
        let sizeA = a.removed.reduce(0, +)
        let sizeB = b.removed.reduce(0, +)
        guard sizeA > 0, sizeB > 0 else { return LogRankResult(statistic: nil, df: 0, pValue: nil) }
        var atRiskA = Double(sizeA)
        var atRiskB = Double(sizeB)
        var total = 0 + atRiskA + atRiskB
        var z = 0.0
        var v = 0.0
        var i = 0
        var j = 0
        while i < a.days.count || j < b.days.count {
            let day = min(i < a.days.count ? a.days[i] : Int.max, j < b.days.count ? b.days[j] : Int.max)
            var removedA = 0.0
            var removedB = 0.0
            var deathsA = 0.0
            var deathsB = 0.0
            if i < a.days.count, a.days[i] == day {
                removedA = Double(a.removed[i])
                deathsA = Double(a.deaths[i])
                i += 1
            }
            if j < b.days.count, b.days[j] == day {
                removedB = Double(b.removed[j])
                deathsB = Double(b.deaths[j])
                j += 1
            }
            let d = deathsA + deathsB
            if d > 0 {
                let n = total
                z += deathsA - atRiskA * d / n
                let ratio = n == 1 ? 1 : (n - d) / (n - 1)
                let f = ratio * d / (n * n)
                let fj = f * atRiskA
                v += fj * (n - atRiskA)
            }
            atRiskA -= removedA
            total -= removedA
            atRiskB -= removedB
            total -= removedB
        }
        let statistic = quadraticFormGeneralizedInverse([v], [z], size: 1)
        return LogRankResult(statistic: statistic, df: 1, pValue: ChiSquare.sf(statistic, df: 1))
    }

    static func test(order: [Int], durations: [Int32], events: [Bool], groups: [Int32], groupCount: Int)
        -> LogRankResult
    {
        let none = LogRankResult(statistic: nil, df: 0, pValue: nil)
        guard groupCount >= 2 else { return none }
        // Compact the non-empty groups to 0..<k, keeping their order.
        var size = [Int](repeating: 0, count: groupCount)
        for g in groups where g >= 0 && Int(g) < groupCount { size[Int(g)] += 1 }
        var slot = [Int](repeating: -1, count: groupCount)
        var k = 0
        for g in 0..<groupCount where size[g] > 0 {
            slot[g] = k
            k += 1
        }
        guard k >= 2 else { return none }
        let m = k - 1  // the statistic uses the first k-1 groups

        var atRisk = [Double](repeating: 0, count: k)
        for g in 0..<groupCount where slot[g] >= 0 { atRisk[slot[g]] = Double(size[g]) }
        var total = atRisk.reduce(0, +)
        var z = [Double](repeating: 0, count: k)
        var v = [Double](repeating: 0, count: m * m)
        var deaths = [Double](repeating: 0, count: k)
        var removed = [Double](repeating: 0, count: k)

        var start = 0
        while start < order.count {
            let day = durations[order[start]]
            var end = start
            var d = 0.0
            while end < order.count, durations[order[end]] == day {
                let row = order[end]
                end += 1
                let g = groups[row]
                guard g >= 0, Int(g) < groupCount else { continue }
                let j = slot[Int(g)]
                removed[j] += 1
                if events[row] {
                    deaths[j] += 1
                    d += 1
                }
            }
            if d > 0 {
                let n = total
                for j in 0..<k { z[j] += deaths[j] - atRisk[j] * d / n }
                let ratio = n == 1 ? 1 : (n - d) / (n - 1)
                let f = ratio * d / (n * n)
                for j in 0..<m {
                    let fj = f * atRisk[j]
                    v[j * m + j] += fj * (n - atRisk[j])
                    for l in (j + 1)..<max(j + 1, m) {
                        let c = fj * atRisk[l]
                        v[j * m + l] -= c
                        v[l * m + j] -= c
                    }
                }
            }
            for j in 0..<k {
                atRisk[j] -= removed[j]
                total -= removed[j]
                removed[j] = 0
                deaths[j] = 0
            }
            start = end
        }

        let statistic = quadraticFormGeneralizedInverse(v, Array(z[0..<m]), size: m)
        return LogRankResult(statistic: statistic, df: m, pValue: ChiSquare.sf(statistic, df: m))
    }

    /// `z' V⁻ z` for a symmetric positive semi-definite V with z in its column space.
    ///
    /// Symmetric Gaussian elimination (LDLᵀ) that skips pivots that are zero up to rounding: in a
    /// PSD matrix such a pivot's whole remaining row is zero too, and the value does not depend on
    /// which generalized inverse is used, so it equals the Moore-Penrose form lifelines computes.
    static func quadraticFormGeneralizedInverse(_ matrix: [Double], _ vector: [Double], size m: Int) -> Double {
        var a = matrix
        var z = vector
        let scale = (0..<m).map { a[$0 * m + $0] }.max() ?? 0
        let tolerance = scale * 1e-13
        var result = 0.0
        for p in 0..<m {
            let pivot = a[p * m + p]
            if pivot <= tolerance { continue }
            result += z[p] * z[p] / pivot
            for i in (p + 1)..<max(p + 1, m) {
                let factor = a[i * m + p] / pivot
                if factor == 0 { continue }
                z[i] -= factor * z[p]
                for j in (p + 1)..<m { a[i * m + j] -= factor * a[p * m + j] }
            }
        }
        return max(0, result)
    }
}
