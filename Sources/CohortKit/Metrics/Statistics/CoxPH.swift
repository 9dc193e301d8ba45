import Foundation

/// The data for a Cox proportional hazards fit: one row per subject.
public struct CoxInput: Sendable {
    /// Time to the event or to censoring, in whole days.
    public var durations: [Int32]
    /// Whether the duration ends in the event (true) or in censoring (false).
    public var events: [Bool]
    /// The design matrix, row-major: `covariates[i * p + j]` is covariate j of subject i.
    public var covariates: [Double]
    /// The p covariate names, in column order.
    public var names: [String]

    public init(durations: [Int32], events: [Bool], covariates: [Double], names: [String]) {
        self.durations = durations
        self.events = events
        self.covariates = covariates
        self.names = names
    }
}

/// One fitted covariate of a Cox model, on the covariate's original scale.
public struct CoxTerm: Equatable, Sendable {
    public var name: String
    /// The log hazard ratio per unit of the covariate, β.
    public var coef: Double
    /// Standard error of β: the square root of the diagonal of the inverse observed information.
    public var se: Double
    /// exp(β).
    public var hazardRatio: Double
    /// exp(β − z·se), z the normal quantile of the confidence level (1.96 at 95%).
    public var ciLower: Double
    /// exp(β + z·se).
    public var ciUpper: Double
    /// The Wald statistic β / se.
    public var z: Double
    /// Two-sided normal p-value of `z`.
    public var pValue: Double
}

/// A covariate left out of the fit, and why.
public struct CoxDroppedTerm: Equatable, Sendable {
    public var name: String
    public var reason: String
}

/// The outcome of a Cox proportional hazards fit.
public struct CoxResult: Equatable, Sendable {
    /// The fitted covariates in input order, without the dropped ones.
    public var terms: [CoxTerm]
    /// Subjects (rows).
    public var n: Int
    /// Subjects whose duration ends in the event.
    public var events: Int
    /// The Efron partial log-likelihood at the reported coefficients (at β = 0 when nothing is fitted).
    public var logLikelihood: Double
    /// Harrell's C of the fitted partial hazards (see `Concordance`); NaN when no pair is admissible.
    public var concordance: Double
    /// Newton-Raphson steps taken.
    public var iterations: Int
    /// Whether the coefficients reached the maximum of the partial likelihood.
    public var converged: Bool
    /// What went wrong or was adjusted (dropped covariates, divergence, empty input); nil for a clean fit.
    public var message: String?
    /// The covariates left out (constant, or collinear with earlier ones), with reasons.
    public var dropped: [CoxDroppedTerm]

    /// The names of the dropped covariates, in input order.
    public var droppedTerms: [String] { dropped.map(\.name) }
}

/// Cox proportional hazards regression: Efron's method for tied durations, no penalty.
///
/// Maximises the Efron partial log-likelihood: for each distinct event time t with d events D,
/// risk set R (durations >= t) and η = x·β,
///
///     ℓ(β) = Σ_t [ Σ_{i∈D} η_i − Σ_{l=0}^{d−1} log( Σ_{i∈R} e^{η_i} − (l/d) Σ_{i∈D} e^{η_i} ) ]
///
/// by Newton-Raphson from β = 0, halving the step whenever ℓ would decrease. Covariates are
/// centred and scaled to unit standard deviation for the iteration (as lifelines does); the
/// maximum is the same and coefficients are reported per unit of the original covariate. Standard
/// errors come from the inverse of the observed information −∇²ℓ at the maximum. This matches
/// lifelines' `CoxPHFitter()` (default Efron ties, penalizer 0).
///
/// - Complexity: O(n log n + n·p²) to prepare, then O(n·p²) per iteration: one pass over the
///   durations in descending order accumulating the risk-set sums Σe^η, Σe^η·x, Σe^η·x·xᵀ.
public enum CoxPH {
    /// Fits the model; never traps on data, reporting problems in `message` and `converged`.
    ///
    /// - Parameters:
    ///   - confidence: level of the hazard-ratio intervals, in (0, 1).
    ///   - maxIterations: Newton-Raphson steps allowed.
    ///   - tolerance: converged when no coefficient's Newton step, in standard deviations of its
    ///     covariate, exceeds this.
    public static func fit(
        _ input: CoxInput, confidence: Double = 0.95, maxIterations: Int = 50, tolerance: Double = 1e-9
    ) -> CoxResult {
        let n = input.durations.count
        let p = input.names.count
        var result = CoxResult(
            terms: [], n: n, events: 0, logLikelihood: 0, concordance: .nan, iterations: 0,
            converged: false, message: nil, dropped: [])

        guard input.events.count == n, input.covariates.count == n * p else {
            result.message = "input shape mismatch: \(n) durations, \(input.events.count) event flags, "
                + "\(input.covariates.count) covariate values for \(p) names (expected \(n * p))"
            return result
        }
        guard n > 0 else {
            result.message = "no subjects: nothing to fit"
            return result
        }
        result.events = input.events.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard confidence > 0, confidence < 1 else {
            result.message = "confidence must lie strictly between 0 and 1 (got \(confidence))"
            return result
        }
        if let bad = input.covariates.firstIndex(where: { !$0.isFinite }) {
            result.message = "covariate '\(input.names[bad % p])' is not finite in row \(bad / p)"
            return result
        }
        guard result.events > 0 else {
            result.message = "no events: the partial likelihood is flat, so no hazard ratio can be estimated"
            return result
        }

        // Columns that cannot be estimated are set aside before iterating.
        let screen = screenColumns(input, n: n, p: p)
        result.dropped = screen.dropped
        let kept = screen.kept
        let q = kept.count

        let data = SortedDesign(input, kept: kept, mean: screen.mean, sd: screen.sd)
        var notes: [String] = []
        if !result.dropped.isEmpty {
            notes.append("dropped " + result.dropped.map { "'\($0.name)' (\($0.reason))" }.joined(separator: ", "))
        }

        var beta = [Double](repeating: 0, count: q)
        var current = data.evaluate(beta)
        guard q > 0 else {
            result.logLikelihood = current.logLikelihood
            result.concordance = data.concordance(beta)
            result.converged = true
            notes.append("no covariates to fit: log-likelihood is at β = 0")
            result.message = notes.joined(separator: "; ")
            return result
        }

        var converged = false
        var diverging: [Int] = []
        var failure: String?
        var iterations = 0
        var previousLogLikelihood = -Double.infinity
        let infTolerance = tolerance.squareRoot()
        while true {
            guard let step = Matrix.solvePositiveDefinite(current.information, current.gradient, size: q) else {
                failure = "the information matrix is singular at iteration \(iterations)"
                break
            }
            if step.allSatisfy({ abs($0) <= tolerance }) {
                converged = true
                break
            }
            // R's survival package rule: once ℓ stops moving, a coefficient still taking sizeable
            // Newton steps is heading to ±∞ (for example a level with no events).
            let flat = abs(current.logLikelihood - previousLogLikelihood) <= 1e-10 * abs(current.logLikelihood)
            if flat {
                diverging = (0..<q).filter { abs(step[$0]) > infTolerance * (1 + abs(beta[$0])) }
                if !diverging.isEmpty { break }
                if step.allSatisfy({ abs($0) <= infTolerance }) && iterations >= maxIterations {
                    converged = true  // at the limit of floating-point resolution
                    break
                }
            }
            guard iterations < maxIterations else {
                failure = "no convergence after \(maxIterations) iterations"
                break
            }
            iterations += 1
            var scale = 1.0
            var accepted: SortedDesign.Evaluation?
            var candidate = beta
            for _ in 0..<40 {
                for j in 0..<q { candidate[j] = beta[j] + scale * step[j] }
                let trial = data.evaluate(candidate)
                if trial.logLikelihood.isFinite
                    && trial.logLikelihood >= current.logLikelihood - 1e-12 * abs(current.logLikelihood) {
                    accepted = trial
                    break
                }
                scale /= 2
            }
            guard let next = accepted else {
                if step.allSatisfy({ abs($0) <= infTolerance }) {
                    converged = true
                } else {
                    failure = "step halving could not increase the log-likelihood at iteration \(iterations)"
                }
                break
            }
            previousLogLikelihood = current.logLikelihood
            beta = candidate
            current = next
        }

        let covariance = Matrix.inversePositiveDefinite(current.information, size: q)
        let zCrit = Normal.quantile(1 - (1 - confidence) / 2)
        for (k, column) in kept.enumerated() {
            let sd = screen.sd[column]
            let coef = beta[k] / sd
            let variance = covariance.map { $0[k * q + k] } ?? .nan
            let se = variance >= 0 ? variance.squareRoot() / sd : .nan
            let z = coef / se
            result.terms.append(CoxTerm(
                name: input.names[column], coef: coef, se: se, hazardRatio: exp(coef),
                ciLower: exp(coef - zCrit * se), ciUpper: exp(coef + zCrit * se), z: z,
                pValue: se.isFinite ? Normal.twoSidedP(z) : .nan))
        }
        result.logLikelihood = current.logLikelihood
        result.concordance = data.concordance(beta)
        result.iterations = iterations
        result.converged = converged
        if !diverging.isEmpty {
            let described = diverging.map { k -> String in
                let direction = beta[k] < 0 ? "-∞" : "+∞"
                return "'\(input.names[kept[k]])' (heading to \(direction))"
            }
            notes.append("coefficients do not converge: " + described.joined(separator: ", ")
                + "; a level with no events (or only events) makes its hazard ratio inestimable, "
                + "so pool or drop it")
        } else if let failure {
            notes.append(failure)
        }
        if covariance == nil {
            notes.append("the information matrix is not invertible: standard errors unavailable")
        }
        result.message = notes.isEmpty ? nil : notes.joined(separator: "; ")
        return result
    }

    // MARK: - Column screening

    private struct Screen {
        var kept: [Int]
        var dropped: [CoxDroppedTerm]
        var mean: [Double]
        var sd: [Double]
    }

    /// Drops constant columns, then, in column order, any column that is a linear combination of
    /// the columns kept before it (a sequential Cholesky of the correlation matrix of the centred
    /// design: a residual variance share below 1e-10 means collinear).
    private static func screenColumns(_ input: CoxInput, n: Int, p: Int) -> Screen {
        let x = input.covariates
        var mean = [Double](repeating: 0, count: p)
        var sd = [Double](repeating: 0, count: p)
        var constant = [Bool](repeating: true, count: p)
        for i in 0..<n {
            for j in 0..<p {
                let v = x[i * p + j]
                mean[j] += v
                if v != x[j] { constant[j] = false }
            }
        }
        for j in 0..<p { mean[j] /= Double(n) }
        // Cross-products of the centred columns (upper triangle is enough; filled symmetric below).
        var cross = [Double](repeating: 0, count: p * p)
        var centred = [Double](repeating: 0, count: p)
        for i in 0..<n {
            for j in 0..<p { centred[j] = x[i * p + j] - mean[j] }
            for a in 0..<p where !constant[a] {
                let ca = centred[a]
                for b in a..<p { cross[a * p + b] += ca * centred[b] }
            }
        }
        for a in 0..<p { for b in 0..<a { cross[a * p + b] = cross[b * p + a] } }
        // Sample standard deviation (n − 1), as lifelines normalises; the choice only scales β.
        let denominator = Double(max(n - 1, 1))
        for j in 0..<p { sd[j] = constant[j] ? 1 : (cross[j * p + j] / denominator).squareRoot() }

        var kept: [Int] = []
        var dropped: [CoxDroppedTerm] = []
        // Rows of L (lower Cholesky factor of the kept columns' correlation matrix), by kept index.
        var factor: [[Double]] = []
        for j in 0..<p {
            if constant[j] || cross[j * p + j] <= 0 {
                dropped.append(CoxDroppedTerm(name: input.names[j], reason: "constant: the same value in every row"))
                continue
            }
            let r = kept.map { k in cross[k * p + j] / (cross[k * p + k] * cross[j * p + j]).squareRoot() }
            var row = [Double](repeating: 0, count: kept.count)
            for a in 0..<kept.count {
                var s = r[a]
                for b in 0..<a { s -= factor[a][b] * row[b] }
                row[a] = s / factor[a][a]
            }
            let residual = 1 - row.reduce(0) { $0 + $1 * $1 }
            if residual < 1e-10 {
                // Coefficients of column j on the kept columns (correlation scale) name the partners.
                var coefficients = row
                for a in stride(from: kept.count - 1, through: 0, by: -1) {
                    var s = coefficients[a]
                    for b in (a + 1)..<max(a + 1, kept.count) { s -= factor[b][a] * coefficients[b] }
                    coefficients[a] = s / factor[a][a]
                }
                let partners = kept.indices.filter { abs(coefficients[$0]) > 1e-6 }.map { input.names[kept[$0]] }
                dropped.append(CoxDroppedTerm(
                    name: input.names[j],
                    reason: "collinear with " + (partners.isEmpty ? "earlier covariates" : partners.joined(separator: ", "))))
                continue
            }
            row.append(residual.squareRoot())
            factor.append(row)
            kept.append(j)
        }
        return Screen(kept: kept, dropped: dropped, mean: mean, sd: sd)
    }
}

/// The standardised kept covariates sorted by descending duration, with the tie groups, ready for
/// repeated evaluation of the Efron partial likelihood.
private struct SortedDesign {
    struct Evaluation {
        var logLikelihood: Double
        var gradient: [Double]
        /// −∇²ℓ, q×q row-major.
        var information: [Double]
    }

    let n: Int
    let q: Int
    /// Row-major n×q, rows in descending duration.
    let z: [Double]
    let durations: [Int32]
    let events: [Bool]
    /// Start offsets of runs of equal duration, plus n at the end.
    let groupStarts: [Int]
    /// Events in each run.
    let groupEvents: [Int]

    init(_ input: CoxInput, kept: [Int], mean: [Double], sd: [Double]) {
        let n = input.durations.count
        let p = input.names.count
        let q = kept.count
        let order = (0..<n).sorted { input.durations[$0] > input.durations[$1] }
        var z = [Double](repeating: 0, count: n * q)
        var durations = [Int32](repeating: 0, count: n)
        var events = [Bool](repeating: false, count: n)
        for (row, i) in order.enumerated() {
            durations[row] = input.durations[i]
            events[row] = input.events[i]
            for (k, j) in kept.enumerated() { z[row * q + k] = (input.covariates[i * p + j] - mean[j]) / sd[j] }
        }
        var starts: [Int] = []
        var counts: [Int] = []
        var row = 0
        while row < n {
            starts.append(row)
            var d = 0
            let t = durations[row]
            while row < n && durations[row] == t {
                if events[row] { d += 1 }
                row += 1
            }
            counts.append(d)
        }
        starts.append(n)
        self.n = n
        self.q = q
        self.z = z
        self.durations = durations
        self.events = events
        self.groupStarts = starts
        self.groupEvents = counts
    }

    /// η = z·β for every row.
    func linearPredictor(_ beta: [Double]) -> [Double] {
        var eta = [Double](repeating: 0, count: n)
        z.withUnsafeBufferPointer { z in
            for i in 0..<n {
                var s = 0.0
                for k in 0..<q { s += z[i * q + k] * beta[k] }
                eta[i] = s
            }
        }
        return eta
    }

    func concordance(_ beta: [Double]) -> Double {
        Concordance.harrell(durations: durations, events: events, riskScores: linearPredictor(beta))
    }

    /// ℓ, ∇ℓ and −∇²ℓ at β in one pass over the rows (already in descending duration), so each
    /// risk set is the previous one plus the current run.
    func evaluate(_ beta: [Double]) -> Evaluation {
        let eta = linearPredictor(beta)
        // e^{η − shift} keeps the largest weight at 1; the shift cancels in ℓ because each event
        // contributes one η and one log of a risk-set sum.
        let shift = eta.max() ?? 0
        let tri = q * (q + 1) / 2
        var ll = 0.0
        var gradient = [Double](repeating: 0, count: q)
        var info = [Double](repeating: 0, count: tri)
        var s0 = 0.0
        var s1 = [Double](repeating: 0, count: q)
        var s2 = [Double](repeating: 0, count: tri)
        var d1 = [Double](repeating: 0, count: q)
        var d2 = [Double](repeating: 0, count: tri)
        z.withUnsafeBufferPointer { z in
            s1.withUnsafeMutableBufferPointer { s1 in
            s2.withUnsafeMutableBufferPointer { s2 in
            d1.withUnsafeMutableBufferPointer { d1 in
            d2.withUnsafeMutableBufferPointer { d2 in
            gradient.withUnsafeMutableBufferPointer { gradient in
            info.withUnsafeMutableBufferPointer { info in
                for g in 0..<(groupStarts.count - 1) {
                    let d = groupEvents[g]
                    var d0 = 0.0
                    if d > 1 {
                        for k in 0..<q { d1[k] = 0 }
                        for k in 0..<tri { d2[k] = 0 }
                    }
                    for i in groupStarts[g]..<groupStarts[g + 1] {
                        let w = exp(eta[i] - shift)
                        let row = i * q
                        s0 += w
                        var idx = 0
                        for a in 0..<q {
                            let wa = w * z[row + a]
                            s1[a] += wa
                            for b in a..<q {
                                s2[idx] += wa * z[row + b]
                                idx += 1
                            }
                        }
                        guard events[i] else { continue }
                        ll += eta[i] - shift
                        for a in 0..<q { gradient[a] += z[row + a] }
                        d0 += w
                        // With a single event the Efron correction vanishes (l/d = 0 only).
                        if d > 1 {
                            var idx = 0
                            for a in 0..<q {
                                let wa = w * z[row + a]
                                d1[a] += wa
                                for b in a..<q {
                                    d2[idx] += wa * z[row + b]
                                    idx += 1
                                }
                            }
                        }
                    }
                    guard d > 0 else { continue }
                    // Σ_l over the Efron terms φ_l = s0 − (l/d)·d0, in closed-form sums so the
                    // group costs O(d + q²) rather than O(d·q²).
                    var a0 = 0.0, a1 = 0.0, b0 = 0.0, b1 = 0.0, b2 = 0.0
                    for l in 0..<d {
                        let f = Double(l) / Double(d)
                        let phi = s0 - f * d0
                        let inv = 1 / phi
                        ll -= log(phi)
                        a0 += inv
                        a1 += f * inv
                        b0 += inv * inv
                        b1 += f * inv * inv
                        b2 += f * f * inv * inv
                    }
                    if d > 1 {
                        var idx = 0
                        for a in 0..<q {
                            gradient[a] -= s1[a] * a0 - d1[a] * a1
                            for b in a..<q {
                                info[idx] += s2[idx] * a0 - d2[idx] * a1
                                    - (s1[a] * s1[b] * b0 - (s1[a] * d1[b] + d1[a] * s1[b]) * b1 + d1[a] * d1[b] * b2)
                                idx += 1
                            }
                        }
                    } else {
                        var idx = 0
                        for a in 0..<q {
                            gradient[a] -= s1[a] * a0
                            for b in a..<q {
                                info[idx] += s2[idx] * a0 - s1[a] * s1[b] * b0
                                idx += 1
                            }
                        }
                    }
                }
            }
            }
            }
            }
            }
            }
        }
        var full = [Double](repeating: 0, count: q * q)
        var idx = 0
        for a in 0..<q {
            for b in a..<q {
                full[a * q + b] = info[idx]
                full[b * q + a] = info[idx]
                idx += 1
            }
        }
        return Evaluation(logLikelihood: ll, gradient: gradient, information: full)
    }
}

/// Small dense symmetric positive-definite solves, q×q row-major.
private enum Matrix {
    /// The lower Cholesky factor, or nil when the matrix is not (numerically) positive definite.
    static func cholesky(_ m: [Double], size q: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: q * q)
        for i in 0..<q {
            for j in 0...i {
                var s = m[i * q + j]
                for k in 0..<j { s -= l[i * q + k] * l[j * q + k] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i * q + i] = s.squareRoot()
                } else {
                    l[i * q + j] = s / l[j * q + j]
                }
            }
        }
        return l
    }

    static func solve(lower l: [Double], _ b: [Double], size q: Int) -> [Double] {
        var y = b
        for i in 0..<q {
            var s = y[i]
            for k in 0..<i { s -= l[i * q + k] * y[k] }
            y[i] = s / l[i * q + i]
        }
        for i in stride(from: q - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<max(i + 1, q) { s -= l[k * q + i] * y[k] }
            y[i] = s / l[i * q + i]
        }
        return y
    }

    static func solvePositiveDefinite(_ m: [Double], _ b: [Double], size q: Int) -> [Double]? {
        guard let l = cholesky(m, size: q) else { return nil }
        return solve(lower: l, b, size: q)
    }

    static func inversePositiveDefinite(_ m: [Double], size q: Int) -> [Double]? {
        guard let l = cholesky(m, size: q) else { return nil }
        var inverse = [Double](repeating: 0, count: q * q)
        for j in 0..<q {
            var e = [Double](repeating: 0, count: q)
            e[j] = 1
            let column = solve(lower: l, e, size: q)
            for i in 0..<q { inverse[i * q + j] = column[i] }
        }
        return inverse
    }
}
