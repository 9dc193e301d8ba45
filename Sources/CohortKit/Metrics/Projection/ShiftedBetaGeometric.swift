import Foundation

/// The shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie, "How to
/// Project Customer Retention", 2007): each customer churns at the end of a period with a constant
/// probability θ, and θ varies across customers as Beta(α, β). Retention from period t − 1 to t is
/// `r(t) = (β + t − 1) / (α + β + t − 1)`, which rises with t as the likeliest churners leave first.
///
/// Fitted by maximum likelihood to counts of customers alive at consecutive month offsets, pooled
/// over cohorts. See docs/metrics.md#projected-retention.
public struct ShiftedBetaGeometric: Equatable, Sendable {
    public var alpha: Double
    public var beta: Double

    /// Retention from offset `t − 1` to offset `t` (t >= 1).
    public func retention(_ t: Int) -> Double { (beta + Double(t) - 1) / (alpha + beta + Double(t) - 1) }

    /// Survival to offset `t`: the product of `retention(1...t)`.
    public func survival(_ t: Int) -> Double {
        var s = 1.0
        if t >= 1 { for i in 1...t { s *= retention(i) } }
        return s
    }

    /// One transition's counts: of `atRisk` customers alive at offset `t − 1`, `survived` are
    /// alive at offset `t` (reactivations are not counted back in: `survived <= atRisk`).
    public struct Transition: Equatable, Sendable {
        public var t: Int
        public var atRisk: Double
        public var survived: Double
        public init(t: Int, atRisk: Double, survived: Double) {
            self.t = t
            self.atRisk = atRisk
            self.survived = min(survived, atRisk)
        }
    }

    /// Log-likelihood of the transitions: Σ survived·log r(t) + (atRisk − survived)·log(1 − r(t)).
    public func logLikelihood(_ data: [Transition]) -> Double {
        var ll = 0.0
        for d in data where d.atRisk > 0 {
            let r = retention(d.t)
            guard r > 0, r < 1 else { return -.infinity }
            ll += d.survived * log(r) + (d.atRisk - d.survived) * log(1 - r)
        }
        return ll
    }

    /// The maximum-likelihood fit, or nil when the data hold no transition. Searched in
    /// (log α, log β) by Nelder–Mead from the best point of a coarse grid: deterministic, no
    /// random start. α and β stay within 1e-3 ... 1e4, except when no customer churned in any
    /// transition: the likelihood then grows without bound as α → 0, and the fit is that limit
    /// (α = 0, every retention exactly 1) rather than the bound's 0.9999999.
    public static func fit(_ data: [Transition]) -> ShiftedBetaGeometric? {
        let usable = data.filter { $0.atRisk > 0 }
        guard !usable.isEmpty else { return nil }
        if usable.allSatisfy({ $0.survived >= $0.atRisk }) { return ShiftedBetaGeometric(alpha: 0, beta: 1) }
        let lo = log(1e-3)
        let hi = log(1e4)
        func objective(_ p: [Double]) -> Double {
            let a = min(hi, max(lo, p[0]))
            let b = min(hi, max(lo, p[1]))
            let ll = ShiftedBetaGeometric(alpha: exp(a), beta: exp(b)).logLikelihood(usable)
            return ll.isFinite ? -ll : .greatestFiniteMagnitude
        }
        var best = [0.0, 0.0]
        var bestValue = objective(best)
        for la in stride(from: -4.0, through: 8.0, by: 1.0) {
            for lb in stride(from: -4.0, through: 8.0, by: 1.0) {
                let v = objective([la, lb])
                if v < bestValue {
                    bestValue = v
                    best = [la, lb]
                }
            }
        }
        let p = NelderMead.minimize(objective, start: best, step: 0.5)
        let a = min(hi, max(lo, p[0]))
        let b = min(hi, max(lo, p[1]))
        return ShiftedBetaGeometric(alpha: exp(a), beta: exp(b))
    }
}

/// Nelder–Mead simplex minimisation in a few dimensions, with the standard coefficients
/// (reflection 1, expansion 2, contraction 0.5, shrink 0.5) and a fixed iteration budget.
enum NelderMead {
    static func minimize(
        _ f: ([Double]) -> Double, start: [Double], step: Double, iterations: Int = 400, tolerance: Double = 1e-10
    ) -> [Double] {
        let n = start.count
        var simplex = [start]
        for i in 0..<n {
            var p = start
            p[i] += step
            simplex.append(p)
        }
        var values = simplex.map(f)
        for _ in 0..<iterations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if abs(values[n] - values[0]) <= tolerance * (abs(values[0]) + tolerance) { break }
            var centroid = Array(repeating: 0.0, count: n)
            for p in simplex.dropLast() { for i in 0..<n { centroid[i] += p[i] / Double(n) } }
            func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
            let reflected = along(-1)
            let fr = f(reflected)
            if fr < values[0] {
                let expanded = along(-2)
                let fe = f(expanded)
                if fe < fr {
                    simplex[n] = expanded
                    values[n] = fe
                } else {
                    simplex[n] = reflected
                    values[n] = fr
                }
            } else if fr < values[n - 1] {
                simplex[n] = reflected
                values[n] = fr
            } else {
                let contracted = fr < values[n] ? along(-0.5) : along(0.5)
                let fc = f(contracted)
                if fc < min(fr, values[n]) {
                    simplex[n] = contracted
                    values[n] = fc
                } else {
                    for i in 1...n {
                        simplex[i] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                        values[i] = f(simplex[i])
                    }
                }
            }
        }
        return simplex[values.indices.min { values[$0] < values[$1] } ?? 0]
    }
}
