import Foundation

/// The Breslow estimate of a Cox model's baseline cumulative hazard, a step function of the day.
///
/// `H0(t) = Σ_{t_j ≤ t} d_j / Σ_{i: T_i ≥ t_j} r_i` over the distinct churn days `t_j`, with `d_j`
/// churns on day `t_j` and `r_i = exp((x_i − x̄)·β)` each customer's relative hazard (covariates
/// centred at their sample means, so `H0` is the hazard of an average customer). This is the
/// Breslow form, as lifelines' `baseline_cumulative_hazard_`, also when β comes from an Efron fit.
/// Beyond the longest observed duration `H0` stays flat: the data say nothing about later days.
///
/// Example: durations 1 (churned), 2 (churned), 3 (censored), all with `r = 1`:
/// `H0(1) = 1/3`, `H0(2) = 1/3 + 1/2`, `H0(3) = H0(2)`.
///
/// - Complexity: O(n log n) to build, O(log k) per look-up over k churn days.
public struct BreslowBaseline: Equatable, Sendable {
    /// The distinct churn days, ascending.
    public let days: [Int32]
    /// `H0` at each of `days`.
    public let cumulative: [Double]

    /// Estimates `H0` from each customer's duration, event flag and relative hazard.
    public init(durations: [Int32], events: [Bool], relativeHazard: [Double]) {
        // Ties by index, so the sums add in one fixed order.
        let order = durations.indices.sorted { (durations[$0], $1) > (durations[$1], $0) }
        var days: [Int32] = []
        var increments: [Double] = []
        var atRisk = 0.0
        var k = 0
        // Descending by duration: the risk set of day t is everyone seen once t's group is added.
        while k < order.count {
            let t = durations[order[k]]
            var churns = 0
            while k < order.count, durations[order[k]] == t {
                atRisk += relativeHazard[order[k]]
                if events[order[k]] { churns += 1 }
                k += 1
            }
            if churns > 0, atRisk > 0 {
                days.append(t)
                increments.append(Double(churns) / atRisk)
            }
        }
        days.reverse()
        increments.reverse()
        var sum = 0.0
        self.days = days
        self.cumulative = increments.map {
            sum += $0
            return sum
        }
    }

    /// `H0(t)`: the sum over churn days on or before `t` (0 before the first).
    public func cumulativeHazard(atDay t: Int64) -> Double {
        let after = days.partitioningIndex { Int64($0) > t }
        return after == 0 ? 0 : cumulative[after - 1]
    }

    /// The probability of churning within `horizon` days for a customer with relative hazard `r`
    /// who has survived `d` days: `1 − exp(−(H0(d + horizon) − H0(d)) · r)`.
    public func churnProbability(survived d: Int64, horizon: Int64, relativeHazard r: Double) -> Double {
        let h = cumulativeHazard(atDay: d + horizon) - cumulativeHazard(atDay: d)
        return 1 - exp(-max(h, 0) * r)
    }
}
