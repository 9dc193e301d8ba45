import CFileIO
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
    /// When set, the design is given by pattern: subject i has the covariates of pattern
    /// `rowPattern[i]`, a row of `sparsePatterns` when that is set, else of `covariates`, which
    /// then holds one row per pattern (`covariates[k * p + j]` is covariate j of pattern k).
    /// Categorical designs have few patterns, so this spares building and scanning the n×p matrix.
    public var rowPattern: [Int32]?
    /// The patterns by their non-zero entries (a one-hot design holds one per dimension in a
    /// pattern, however many levels it has).
    public var sparsePatterns: SparseRows?

    public init(durations: [Int32], events: [Bool], covariates: [Double], names: [String]) {
        self.durations = durations
        self.events = events
        self.covariates = covariates
        self.names = names
    }

    /// A design given as distinct covariate rows (`patterns`, row-major, p values each) and the
    /// pattern of every subject.
    public init(durations: [Int32], events: [Bool], rowPattern: [Int32], patterns: [Double], names: [String]) {
        self.init(durations: durations, events: events, covariates: patterns, names: names)
        self.rowPattern = rowPattern
    }

    /// A design given as distinct covariate rows by their non-zero entries and the pattern of
    /// every subject.
    public init(durations: [Int32], events: [Bool], rowPattern: [Int32], sparsePatterns: SparseRows, names: [String]) {
        self.init(durations: durations, events: events, covariates: [], names: names)
        self.rowPattern = rowPattern
        self.sparsePatterns = sparsePatterns
    }

    /// Number of patterns of a design given by pattern.
    func patternCount(columns p: Int) -> Int {
        if let sparsePatterns { return sparsePatterns.count }
        return p == 0 ? (rowPattern?.max().map { Int($0) + 1 } ?? 0) : covariates.count / p
    }

    /// The patterns of a design given by pattern, by their non-zero entries.
    func patternRows(columns p: Int) -> SparseRows {
        sparsePatterns ?? SparseRows(dense: covariates, columns: p, rows: patternCount(columns: p))
    }

    /// Why the input cannot be read as a design of `p` columns, or nil.
    func shapeProblem(columns p: Int) -> String? {
        let n = durations.count
        guard let rowPattern else {
            guard events.count == n, covariates.count == n * p else {
                return "\(n) durations, \(events.count) event flags, "
                    + "\(covariates.count) covariate values for \(p) names (expected \(n * p))"
            }
            return nil
        }
        let patterns = patternCount(columns: p)
        if let sparsePatterns, let problem = sparsePatterns.problem(columns: p) {
            return "the sparse patterns: \(problem)"
        }
        guard events.count == n, rowPattern.count == n, sparsePatterns != nil || covariates.count == patterns * p,
            rowPattern.allSatisfy({ $0 >= 0 && Int($0) < patterns })
        else {
            return "\(n) durations, \(events.count) event flags, "
                + "\(rowPattern.count) row patterns, "
                + (sparsePatterns != nil ? "\(patterns) patterns" : "\(covariates.count) pattern values")
                + " for \(p) names (expected a whole number of patterns, each row's pattern among them)"
        }
        return nil
    }

    /// The first subject and covariate with a value that is not finite, or nil.
    func firstNonFinite(columns p: Int) -> (row: Int, column: Int)? {
        if let rowPattern {
            let patterns = patternRows(columns: p)
            guard let bad = patterns.values.firstIndex(where: { !$0.isFinite }) else { return nil }
            let k = patterns.starts.lastIndex { $0 <= bad }.map { min($0, patterns.count - 1) } ?? 0
            return (rowPattern.firstIndex { Int($0) == k } ?? 0, Int(patterns.columns[bad]))
        }
        guard let bad = covariates.firstIndex(where: { !$0.isFinite }) else { return nil }
        return (bad / p, bad % p)
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
    /// The covariates it is collinear with (empty: earlier covariates none of which stands out);
    /// nil when it is constant.
    public var collinearWith: [String]?

    public init(name: String, collinearWith: [String]?) {
        self.name = name
        self.collinearWith = collinearWith
    }

    /// Why it was left out, in English.
    public var reason: String {
        guard let with = collinearWith else { return "constant: the same value in every row" }
        return "collinear with " + (with.isEmpty ? "earlier covariates" : with.joined(separator: ", "))
    }
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
    /// What went wrong or was adjusted (dropped covariates, divergence, empty input), in order.
    public var notes: [CoxNote]
    /// The notes' English sentences joined with "; "; nil for a clean fit.
    public var message: String? { notes.isEmpty ? nil : notes.map(\.english).joined(separator: "; ") }
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
/// Subjects with the same duration, event flag and covariate pattern contribute identically, so
/// they are collapsed into one row weighted by their count before iterating: every sum below is
/// then a weighted sum, and a tie group's d counts subjects, not collapsed rows, which gives the
/// unweighted fit exactly. The risk-set sums are accumulated on the covariates as stored (raw, or
/// less their mean for a column most subjects hold a non-zero value in), touching only
/// a pattern's non-zero entries (a one-hot row has one per dimension); the information, a sum of
/// covariances, is summed on that scale and standardised once (see `WeightedDesign.evaluate`).
///
/// - Complexity: O(n·p + n log n) to collapse the n subjects into m weighted rows over P patterns
///   and O(P·p + P·s²) to screen the columns, then O(P·s² + m·s + T·q² + E·s·q) per iteration for
///   q kept covariates, s non-zero covariates per pattern, T distinct event times and E events in
///   tied event times (plus the q³ of the Newton solve).
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
        fit(input, confidence: confidence, maxIterations: maxIterations, tolerance: tolerance, collapse: true)
    }

    /// `fit`, optionally without collapsing identical subjects (every subject its own row of
    /// weight 1), which tests compare against.
    static func fit(
        _ input: CoxInput, confidence: Double, maxIterations: Int, tolerance: Double, collapse: Bool
    ) -> CoxResult {
        let n = input.durations.count
        let p = input.names.count
        var result = CoxResult(
            terms: [], n: n, events: 0, logLikelihood: 0, concordance: .nan, iterations: 0,
            converged: false, notes: [], dropped: [])

        if let problem = input.shapeProblem(columns: p) {
            result.notes = [.inputShape(problem)]
            return result
        }
        guard n > 0 else {
            result.notes = [.noSubjects]
            return result
        }
        result.events = input.events.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard confidence > 0, confidence < 1 else {
            result.notes = [.confidenceOutOfRange(confidence)]
            return result
        }
        if let bad = input.firstNonFinite(columns: p) {
            // With patterns, the first subject that has the bad pattern.
            result.notes = [.notFinite(covariate: input.names[bad.column], row: bad.row)]
            return result
        }
        guard result.events > 0 else {
            result.notes = [.noEvents]
            return result
        }

        let patterns = PatternTable(input, p: p, collapse: collapse)
        // Columns that cannot be estimated are set aside before iterating.
        let screen = screenColumns(patterns, input: input, n: n, p: p)
        result.dropped = screen.dropped
        let kept = screen.kept
        let q = kept.count

        let data = WeightedDesign(
            input, patterns: patterns, kept: kept, mean: screen.mean, sd: screen.sd, shift: screen.shift,
            collapse: collapse)
        var notes: [CoxNote] = []
        if !result.dropped.isEmpty { notes.append(.dropped(result.dropped)) }

        var beta = [Double](repeating: 0, count: q)
        var current = data.evaluate(beta)
        guard q > 0 else {
            result.logLikelihood = current.logLikelihood
            result.concordance = data.concordance(beta)
            result.converged = true
            notes.append(.noCovariates)
            result.notes = notes
            return result
        }

        var converged = false
        var diverging: [Int] = []
        var failure: CoxNote?
        var iterations = 0
        var previousLogLikelihood = -Double.infinity
        let infTolerance = tolerance.squareRoot()
        while true {
            guard let step = Matrix.solvePositiveDefinite(current.information, current.gradient, size: q) else {
                failure = .singularInformation(iteration: iterations)
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
                failure = .iterationLimit(maxIterations)
                break
            }
            iterations += 1
            var scale = 1.0
            var accepted: WeightedDesign.Evaluation?
            var candidate = beta
            for _ in 0..<40 {
                for j in 0..<q { candidate[j] = beta[j] + scale * step[j] }
                let trial = data.evaluate(candidate)
                if trial.logLikelihood.isFinite
                    && trial.logLikelihood >= current.logLikelihood - 1e-12 * abs(current.logLikelihood)
                {
                    accepted = trial
                    break
                }
                scale /= 2
            }
            guard let next = accepted else {
                if step.allSatisfy({ abs($0) <= infTolerance }) {
                    converged = true
                } else {
                    failure = .stepHalvingFailed(iteration: iterations)
                }
                break
            }
            previousLogLikelihood = current.logLikelihood
            beta = candidate
            current = next
        }

        // Only the variances are reported: the diagonal of the inverse information.
        let variances = Matrix.inverseDiagonalPositiveDefinite(current.information, size: q)
        let zCrit = Normal.quantile(1 - (1 - confidence) / 2)
        for (k, column) in kept.enumerated() {
            let sd = screen.sd[column]
            let coef = beta[k] / sd
            let variance = variances.map { $0[k] } ?? .nan
            let se = variance >= 0 ? variance.squareRoot() / sd : .nan
            let z = coef / se
            result.terms.append(
                CoxTerm(
                    name: input.names[column], coef: coef, se: se, hazardRatio: exp(coef),
                    ciLower: exp(coef - zCrit * se), ciUpper: exp(coef + zCrit * se), z: z,
                    pValue: se.isFinite ? Normal.twoSidedP(z) : .nan))
        }
        result.logLikelihood = current.logLikelihood
        result.concordance = data.concordance(beta)
        result.iterations = iterations
        result.converged = converged
        if !diverging.isEmpty {
            notes.append(
                .diverging(diverging.map { CoxDivergingTerm(name: input.names[kept[$0]], towardPlus: !(beta[$0] < 0)) })
            )
        } else if let failure {
            notes.append(failure)
        }
        if variances == nil {
            notes.append(.informationNotInvertible)
        }
        result.notes = notes
        return result
    }

    /// ℓ, ∇ℓ and −∇²ℓ (q×q row-major) at `beta` on the standardised scale of the kept columns,
    /// with or without collapsing identical subjects; nil when the input cannot be fitted.
    /// `rankOneBlock`: the event times whose information updates are applied together (tests
    /// compare 1, each time's at once, with the default); `prefetchPatterns`: the patterns from
    /// which rows' patterns are asked for ahead (tests compare never and always).
    static func evaluate(
        _ input: CoxInput, beta: [Double], collapse: Bool, rankOneBlock: Int? = nil, prefetchPatterns: Int? = nil
    )
        -> (logLikelihood: Double, gradient: [Double], information: [Double])?
    {
        let n = input.durations.count
        let p = input.names.count
        guard n > 0, input.events.count == n else { return nil }
        let patterns = PatternTable(input, p: p, collapse: collapse)
        let screen = screenColumns(patterns, input: input, n: n, p: p)
        guard beta.count == screen.kept.count else { return nil }
        let data = WeightedDesign(
            input, patterns: patterns, kept: screen.kept, mean: screen.mean, sd: screen.sd, shift: screen.shift,
            collapse: collapse)
        let e = data.evaluate(
            beta, block: max(1, rankOneBlock ?? WeightedDesign.rankOneBlock),
            prefetchPatterns: prefetchPatterns ?? WeightedDesign.prefetchPatterns)
        return (e.logLikelihood, e.gradient, e.information)
    }

    // MARK: - Column screening

    private struct Screen {
        var kept: [Int]
        var dropped: [CoxDroppedTerm]
        var mean: [Double]
        var sd: [Double]
        /// Subtracted from a column before sums of products: its mean when most subjects have a
        /// non-zero value in it, else 0 (see `screenColumns`).
        var shift: [Double]
    }

    /// Drops constant columns, then, in column order, any column that is a linear combination of
    /// the columns kept before it (a sequential Cholesky of the correlation matrix of the centred
    /// design: a residual variance share below 1e-10 means collinear). Sums run over the
    /// distinct patterns, each weighted by its number of subjects.
    private static func screenColumns(_ patterns: PatternTable, input: CoxInput, n: Int, p: Int) -> Screen {
        let x = patterns.rows
        var mean = [Double](repeating: 0, count: p)
        var sd = [Double](repeating: 0, count: p)
        // Cross-products of the centred columns from each pattern's non-zero entries: a one-hot
        // pattern has one per dimension, so this costs the patterns' non-zeros squared, not
        // patterns × p². With x' = x − r for a shift r per column,
        // Σ c·(x − μ)(x − μ)ᵀ = Σ c·x'·x'ᵀ − n·(μ − r)(μ − r)ᵀ, which loses about eps·(μ − r)²/σ²
        // relative: a column most subjects hold a non-zero in (a year, a count) is shifted by its
        // mean (r = μ, nothing lost), one that is zero for at least half of them keeps r = 0
        // ((μ − r)²/σ² ≤ 1 on 0-or-v data; one-hot levels other than the reference are such).
        var nonZeroWeight = [Double](repeating: 0, count: p)
        var nonZeroPatterns = [Int](repeating: 0, count: p)
        var lowest = [Double](repeating: .infinity, count: p)
        var highest = [Double](repeating: -.infinity, count: p)
        var usedPatterns = 0
        for k in 0..<patterns.count where patterns.subjects[k] > 0 {
            usedPatterns += 1
            let c = Double(patterns.subjects[k])
            for i in x.row(k) {
                let j = Int(x.columns[i])
                let v = x.values[i]
                mean[j] += c * v
                nonZeroWeight[j] += c
                nonZeroPatterns[j] += 1
                lowest[j] = min(lowest[j], v)
                highest[j] = max(highest[j], v)
            }
        }
        // A column is constant when every used pattern has the same value in it.
        var constant = [Bool](repeating: true, count: p)
        var shift = [Double](repeating: 0, count: p)
        var shifted: [Int] = []
        for j in 0..<p {
            mean[j] /= Double(n)
            constant[j] =
                nonZeroPatterns[j] == 0 || (nonZeroPatterns[j] == usedPatterns && lowest[j] == highest[j])
            if !constant[j] && 2 * nonZeroWeight[j] > Double(n) && mean[j] != 0 {
                shift[j] = mean[j]
                shifted.append(j)
            }
        }
        var cross = [Double](repeating: 0, count: p * p)
        var columns: [Int] = []
        var values: [Double] = []
        for k in 0..<patterns.count where patterns.subjects[k] > 0 {
            let c = Double(patterns.subjects[k])
            // The pattern's shifted values in column order: its non-zeros and every shifted column.
            columns.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            x.forEachShifted(k, shifted: shifted, shift: shift) { j, v in
                columns.append(j)
                values.append(v)
            }
            for i in columns.indices {
                let a = columns[i]
                let cv = c * values[i]
                for i2 in i..<columns.count { cross[a * p + columns[i2]] += cv * values[i2] }
            }
        }
        let count = Double(n)
        for a in 0..<p {
            for b in a..<p {
                cross[a * p + b] =
                    constant[a] || constant[b]
                    ? 0 : cross[a * p + b] - count * (mean[a] - shift[a]) * (mean[b] - shift[b])
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
                dropped.append(CoxDroppedTerm(name: input.names[j], collinearWith: nil))
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
                dropped.append(CoxDroppedTerm(name: input.names[j], collinearWith: partners))
                continue
            }
            row.append(residual.squareRoot())
            factor.append(row)
            kept.append(j)
        }
        return Screen(kept: kept, dropped: dropped, mean: mean, sd: sd, shift: shift)
    }
}

/// The distinct covariate rows of a design and each subject's row among them.
private struct PatternTable {
    /// Number of patterns.
    var count: Int { rows.count }
    /// The patterns' covariate values by their non-zero entries.
    let rows: SparseRows
    /// The pattern of every subject.
    let rowPattern: [Int32]
    /// Subjects per pattern.
    let subjects: [Int]

    /// Takes the input's patterns when it has them; otherwise finds the distinct rows of the dense
    /// design by their bit patterns (`FirstAppearanceTable`: first occurrence order). Without
    /// `collapse`, every subject is its own pattern.
    init(_ input: CoxInput, p: Int, collapse: Bool) {
        let n = input.durations.count
        if let given = input.rowPattern {
            let patterns = input.patternRows(columns: p)
            if collapse {
                rows = patterns
                rowPattern = given
            } else {
                var expanded = SparseRows()
                for i in 0..<n { expanded.appendRow(Int(given[i]), of: patterns) }
                rows = expanded
                rowPattern = (0..<n).map { Int32($0) }
            }
        } else if !collapse || p == 0 {
            rows = SparseRows(dense: collapse ? [] : input.covariates, columns: p, rows: collapse ? 1 : n)
            rowPattern = collapse ? [Int32](repeating: 0, count: n) : (0..<n).map { Int32($0) }
        } else {
            var table = FirstAppearanceTable(capacity: n)
            // The first subject of each pattern: its row of the dense design.
            var first: [Int] = []
            var rows = SparseRows()
            var rowPattern = [Int32](repeating: 0, count: n)
            input.covariates.withUnsafeBufferPointer { x in
                for i in 0..<n {
                    let row = i * p
                    var h = Hasher()
                    for j in 0..<p { h.combine(x[row + j].bitPattern) }
                    let (k, isNew) = table.number(hash: h.finalize()) { k in
                        for j in 0..<p where x[first[k] + j].bitPattern != x[row + j].bitPattern { return false }
                        return true
                    }
                    if isNew {
                        first.append(row)
                        for j in 0..<p { rows.append(column: j, value: x[row + j]) }
                        rows.endRow()
                    }
                    rowPattern[i] = k
                }
            }
            self.rows = rows
            self.rowPattern = rowPattern
        }
        var subjects = [Int](repeating: 0, count: rows.count)
        for k in rowPattern { subjects[Int(k)] += 1 }
        self.subjects = subjects
    }
}

/// The design collapsed to weighted rows (duration, event, pattern, subjects) sorted by
/// descending duration, with the tie groups, ready for repeated evaluation of the Efron partial
/// likelihood.
private struct WeightedDesign {
    struct Evaluation {
        var logLikelihood: Double
        var gradient: [Double]
        /// −∇²ℓ, q×q row-major.
        var information: [Double]
    }

    let q: Int
    /// Number of patterns.
    let patternCount: Int
    /// Per pattern, the range `nonZeroStart[k]..<nonZeroStart[k + 1]` of `nonZeroColumn` /
    /// `nonZeroValue`: its kept covariates that are not 0 once shifted (x' = x − shift; the raw
    /// value for the columns with no shift), in column order.
    let nonZeroStart: [Int]
    let nonZeroColumn: [Int32]
    let nonZeroValue: [Double]
    /// Means (of the shifted columns x − shift, see `Screen.shift`) and inverse standard
    /// deviations of the kept columns: the standardisation z = (x' − mean)·inverseSD.
    let mean: [Double]
    let inverseSD: [Double]
    /// Events per pattern, and Σ over events of z (constant in β).
    let patternEvents: [Double]
    let eventZSum: [Double]
    /// Whether any subject has the pattern (the shift of η takes the largest among these).
    let patternUsed: [Bool]

    /// Weighted rows in descending duration.
    let durations: [Int32]
    let events: [Bool]
    let pattern: [Int32]
    let weight: [Int]
    /// Start offsets of runs of equal duration, plus m at the end.
    let groupStarts: [Int]
    /// Events (subjects) in each run.
    let groupEvents: [Int]

    init(
        _ input: CoxInput, patterns: PatternTable, kept: [Int], mean fullMean: [Double], sd fullSD: [Double],
        shift fullShift: [Double],
        collapse: Bool
    ) {
        let n = input.durations.count
        let p = input.names.count
        let q = kept.count
        let pc = patterns.count
        self.q = q
        patternCount = pc
        // The sums run on x' = x − shift (zero shift for the sparse columns), so the mean the
        // standardisation subtracts is μ − shift: z = (x' − (μ − shift))/σ.
        let keptMean = kept.map { fullMean[$0] - fullShift[$0] }
        mean = keptMean
        inverseSD = kept.map { 1 / fullSD[$0] }
        var starts = [0]
        // Columns as 32-bit numbers: a million patterns of 33 covariates hold 33 million.
        var columns: [Int32] = []
        var nonZero: [Double] = []
        // The kept columns' positions (−1: dropped) and the shifted ones among them.
        var position = [Int](repeating: -1, count: p)
        for (c, j) in kept.enumerated() { position[j] = c }
        let shifted = kept.filter { fullShift[$0] != 0 }
        for k in 0..<pc {
            patterns.rows.forEachShifted(k, shifted: shifted, shift: fullShift) { j, v in
                let c = position[j]
                if c >= 0 && v != 0 {
                    columns.append(Int32(c))
                    nonZero.append(v)
                }
            }
            starts.append(columns.count)
        }
        nonZeroStart = starts
        nonZeroColumn = columns
        nonZeroValue = nonZero
        patternUsed = patterns.subjects.map { $0 > 0 }

        // One key per subject: duration, then pattern, then event; equal keys are identical
        // subjects and become one weighted row, in descending key order.
        let low = Int64(input.durations.min() ?? 0)
        let span = Int64(input.durations.max() ?? 0) - low + 1
        var durations: [Int32] = []
        var events: [Bool] = []
        var pattern: [Int32] = []
        var weight: [Int] = []
        var patternEvents = [Double](repeating: 0, count: pc)
        func append(_ key: UInt64, _ count: Int) {
            durations.append(Int32(truncatingIfNeeded: Int64(key >> 32) + low))
            let event = key & 1 == 1
            events.append(event)
            let k = Int32(truncatingIfNeeded: (key & 0xFFFF_FFFF) >> 1)
            pattern.append(k)
            weight.append(count)
            if event { patternEvents[Int(k)] += Double(count) }
        }
        let cells = span * Int64(pc) * 2
        if collapse && cells <= Int64(max(1 << 16, 4 * n)) {
            // Few (duration, pattern, event) cells: count the subjects per cell, no sort.
            var counts = [Int32](repeating: 0, count: Int(cells))
            let rp = patterns.rowPattern
            for i in 0..<n {
                let t = Int(Int64(input.durations[i]) - low)
                counts[(t * pc + Int(rp[i])) * 2 + (input.events[i] ? 1 : 0)] += 1
            }
            for cell in stride(from: Int(cells) - 1, through: 0, by: -1) where counts[cell] > 0 {
                let t = cell / (2 * pc)
                let k = (cell / 2) % pc
                let e = cell & 1
                append(UInt64(t) << 32 | UInt64(k) << 1 | UInt64(e), Int(counts[cell]))
            }
        } else {
            var keys = [UInt64](repeating: 0, count: n)
            for i in 0..<n {
                let t = UInt64(Int64(input.durations[i]) - low)
                keys[i] = t << 32 | UInt64(patterns.rowPattern[i]) << 1 | (input.events[i] ? 1 : 0)
            }
            if collapse {
                keys.sort(by: >)
            } else {
                // Each subject its own row (same order of durations).
                let order = (0..<n).sorted { keys[$0] >> 32 > keys[$1] >> 32 }
                keys = order.map { keys[$0] }
            }
            var i = 0
            while i < n {
                let key = keys[i]
                var j = i + 1
                if collapse { while j < n && keys[j] == key { j += 1 } }
                append(key, j - i)
                i = j
            }
        }
        // Σ over events of z = (Σ over events of x − μ·events)/σ, from the non-zero entries.
        var eventSum = [Double](repeating: 0, count: q)
        var totalEvents = 0.0
        for k in 0..<pc where patternEvents[k] > 0 {
            totalEvents += patternEvents[k]
            for i in starts[k]..<starts[k + 1] { eventSum[Int(columns[i])] += patternEvents[k] * nonZero[i] }
        }
        eventZSum = (0..<q).map { c in (eventSum[c] - keptMean[c] * totalEvents) / fullSD[kept[c]] }
        self.patternEvents = patternEvents
        (groupStarts, groupEvents) = Self.tieGroups(durations, events, weight)
        self.durations = durations
        self.events = events
        self.pattern = pattern
        self.weight = weight
    }

    /// The runs of equal duration among rows sorted by duration: each run's start offset (plus
    /// the row count at the end), and its events (the weights of its rows with an event).
    private static func tieGroups(
        _ durations: [Int32], _ events: [Bool], _ weight: [Int]
    ) -> (starts: [Int], events: [Int]) {
        let m = durations.count
        var starts: [Int] = []
        var counts: [Int] = []
        var row = 0
        while row < m {
            starts.append(row)
            var d = 0
            let t = durations[row]
            while row < m && durations[row] == t {
                if events[row] { d += weight[row] }
                row += 1
            }
            counts.append(d)
        }
        starts.append(m)
        return (starts, counts)
    }

    /// η = z·β for every pattern, from its non-zero stored covariates x' (with `mean` their mean):
    /// z·β = Σ_c (x'_c − μ_c)·β_c/σ_c = Σ_{x'_c ≠ 0} x'_c·β_c/σ_c − Σ_c μ_c·β_c/σ_c.
    func linearPredictor(_ beta: [Double]) -> [Double] {
        var gamma = [Double](repeating: 0, count: q)
        var offset = 0.0
        for c in 0..<q {
            gamma[c] = beta[c] * inverseSD[c]
            offset -= mean[c] * gamma[c]
        }
        var eta = [Double](repeating: 0, count: patternCount)
        for k in 0..<patternCount {
            var s = 0.0
            for i in nonZeroStart[k]..<nonZeroStart[k + 1] { s += nonZeroValue[i] * gamma[Int(nonZeroColumn[i])] }
            eta[k] = s + offset
        }
        return eta
    }

    func concordance(_ beta: [Double]) -> Double {
        let eta = linearPredictor(beta)
        return Concordance.counts(
            durations: durations, events: events, weights: weight,
            riskScores: pattern.map { eta[Int($0)] }
        ).index
    }

    /// Event times whose −b0·R1·R1ᵀ updates `evaluate` applies together.
    static let rankOneBlock = 32

    /// Patterns from which `evaluate` asks for each row's pattern ahead of it. (Measured: with
    /// a million patterns of 33 covariates the stage took 0.89x; the few thousand patterns of
    /// the usual designs are in cache already.)
    static let prefetchPatterns = 1 << 15

    /// Asks for `a[i]` to be brought into the cache (`i` within `a`).
    @inline(__always)
    private func prefetch<T>(_ a: [T], _ i: Int) {
        a.withUnsafeBufferPointer { if let p = $0.baseAddress { cfileio_prefetch(p + i) } }
    }

    /// ℓ, ∇ℓ and −∇²ℓ at β in one pass over the weighted rows (already in descending duration), so
    /// each risk set is the previous one plus the current run.
    ///
    /// For an event time with d events, risk-set sums R0 = Σ w·e^η, R1 = Σ w·e^η·x,
    /// R2 = Σ w·e^η·x·xᵀ, the same sums D0, E1, E2 over its events, and the Efron terms
    /// φ_l = R0 − (l/d)·D0 (l < d), the information adds
    ///
    ///     Σ_l [ (R2 − f_l·E2)/φ_l − (R1 − f_l·E1)(R1 − f_l·E1)ᵀ/φ_l² ],   f_l = l/d,
    ///     = a0·R2 − a1·E2 − b0·R1·R1ᵀ + b1·(R1·E1ᵀ + E1·R1ᵀ) − b2·E1·E1ᵀ
    ///
    /// with a0 = Σ 1/φ_l, a1 = Σ f_l/φ_l, b0 = Σ 1/φ_l², b1 = Σ f_l/φ_l², b2 = Σ f_l²/φ_l². Each term
    /// is a covariance, unchanged by shifting x, so the information is summed on the stored
    /// covariates x' (raw, or less their mean: see `Screen.shift`; the pieces are summed apart,
    /// so a column far from zero would lose about eps·μ²/σ² of them to cancellation, which the
    /// shift avoids) and scaled by 1/(σ_a·σ_b) once at the end. Its pieces cost:
    /// - Σ_t a0·R2 − a1·E2 is a sum over rows of w·x·xᵀ times the a0 of the event times the row is
    ///   at risk for (a suffix sum over the times) less its own time's a1 when it is an event: one
    ///   coefficient per pattern, then each pattern's non-zeros squared;
    /// - R1·R1ᵀ is dense: q²/2 per event time, the only dense step;
    /// - E1 holds only the covariates of the time's events, so the E1 terms cost q per one of them.
    /// The gradient is kept on the standardised scale: Σ_events z − Σ_t (a0·s1 − a1·d1), with
    /// s1 = (R1 − μ·R0)/σ and d1 = (E1 − μ·D0)/σ.
    func evaluate(
        _ beta: [Double], block: Int = Self.rankOneBlock, prefetchPatterns: Int = Self.prefetchPatterns
    ) -> Evaluation {
        let eta = linearPredictor(beta)
        // e^{η − shift} keeps the largest weight at 1; the shift cancels in ℓ because each event
        // contributes one η and one log of a risk-set sum.
        var shift = -Double.infinity
        for k in 0..<patternCount where patternUsed[k] { shift = max(shift, eta[k]) }
        if !shift.isFinite { shift = 0 }
        let expEta = eta.map { exp($0 - shift) }
        var ll = 0.0
        for k in 0..<patternCount where patternEvents[k] > 0 { ll += patternEvents[k] * (eta[k] - shift) }
        var gradient = eventZSum
        // −b0·R1·R1ᵀ and the patterns' Σ c·x·xᵀ, upper triangle of a q×q row-major matrix.
        var dense = [Double](repeating: 0, count: q * q)
        // G = Σ_t b1·R1·E1ᵀ (and halves of −b2·E1·E1ᵀ), stored by column: G[a][c] at c·q + a.
        // The information gets G + Gᵀ.
        var crossTerms = [Double](repeating: 0, count: q * q)
        // Per pattern: Σ over its rows of w·(a0 of the times they are at risk for − a1 of their own
        // time when they are events). The a0 part is added after the pass, from suffix sums of the
        // times' a0 (every term positive: a running total minus the part before a row's time
        // would cancel catastrophically when the first, smallest risk sets have huge a0).
        var coefficient = [Double](repeating: 0, count: patternCount)
        var groupA0 = [Double](repeating: 0, count: max(groupStarts.count - 1, 0))
        var r0 = 0.0
        var r1 = [Double](repeating: 0, count: q)
        var e1 = [Double](repeating: 0, count: q)
        // The columns E1 holds for the current time.
        var eventColumns: [Int] = []
        var marked = [Bool](repeating: false, count: q)
        let mu = mean
        let inv = inverseSD
        let n = q
        nonZeroColumn.withUnsafeBufferPointer { col in
            nonZeroValue.withUnsafeBufferPointer { val in
                r1.withUnsafeMutableBufferPointer { r1 in
                    e1.withUnsafeMutableBufferPointer { e1 in
                        dense.withUnsafeMutableBufferPointer { dense in
                            crossTerms.withUnsafeMutableBufferPointer { cross in
                                // The times' −b0·R1·R1ᵀ updates waiting to be applied: their b0 and
                                // R1. Applied one time after another, each update streamed the
                                // whole q×q triangle through memory (a 591-term model: 1.4 MB,
                                // past the core's cache, per event time); a block of times at once
                                // updates each row of it for every time of the block while the
                                // row is in cache. Each entry still subtracts the times' terms one
                                // after another in time order, so the sums are the same to the bit.
                                let blockB0 = UnsafeMutablePointer<Double>.allocate(capacity: block)
                                let blockR1 = UnsafeMutablePointer<Double>.allocate(capacity: block * n)
                                defer {
                                    blockB0.deallocate()
                                    blockR1.deallocate()
                                }
                                var queued = 0
                                // (The inner loops index through pointers: checked index
                                // arithmetic kept them from being vectorised.)
                                func applyQueued() {
                                    guard let base = dense.baseAddress else { return }
                                    for a in 0..<n {
                                        let row = base + a * n
                                        for t in 0..<queued {
                                            let rt = blockR1 + t * n
                                            let ra = blockB0[t] * rt[a]
                                            guard ra != 0 else { continue }
                                            for b in a..<n { row[b] -= ra * rt[b] }
                                        }
                                    }
                                    queued = 0
                                }
                                // Rows come in duration order, their patterns in no order: with
                                // many patterns (every customer one of its own), each row's
                                // pattern start, e^η and covariates are asked for ahead (a hint
                                // only: nothing is read through it), in two steps as the
                                // covariates' place is read from the pattern's start.
                                let rowCount = pattern.count
                                let farPatterns = patternCount >= prefetchPatterns
                                for g in 0..<(groupStarts.count - 1) {
                                    let d = groupEvents[g]
                                    var d0 = 0.0
                                    for i in groupStarts[g]..<groupStarts[g + 1] {
                                        if farPatterns {
                                            if i + 16 < rowCount {
                                                let ahead = Int(pattern[i + 16])
                                                prefetch(nonZeroStart, ahead)
                                                prefetch(expEta, ahead)
                                            }
                                            if i + 8 < rowCount, let c = col.baseAddress, let v = val.baseAddress {
                                                let at = nonZeroStart[Int(pattern[i + 8])]
                                                cfileio_prefetch(c + at)
                                                cfileio_prefetch(v + at)
                                            }
                                        }
                                        let k = Int(pattern[i])
                                        let w = Double(weight[i]) * expEta[k]
                                        r0 += w
                                        let lo = nonZeroStart[k]
                                        let hi = nonZeroStart[k + 1]
                                        for j in lo..<hi { r1[Int(col[j])] += w * val[j] }
                                        guard events[i] else { continue }
                                        d0 += w
                                        // With a single event the Efron correction vanishes (l/d = 0 only).
                                        guard d > 1 else { continue }
                                        for j in lo..<hi {
                                            let c = Int(col[j])
                                            if !marked[c] {
                                                marked[c] = true
                                                eventColumns.append(c)
                                            }
                                            e1[c] += w * val[j]
                                        }
                                    }
                                    guard d > 0 else { continue }
                                    // Σ_l over the Efron terms φ_l = R0 − (l/d)·D0, in closed-form sums so the
                                    // time costs O(d) for them rather than O(d·q²).
                                    var a0 = 0.0
                                    var a1 = 0.0
                                    var b0 = 0.0
                                    var b1 = 0.0
                                    var b2 = 0.0
                                    for l in 0..<d {
                                        let f = Double(l) / Double(d)
                                        let phi = r0 - f * d0
                                        let inv = 1 / phi
                                        ll -= log(phi)
                                        a0 += inv
                                        a1 += f * inv
                                        b0 += inv * inv
                                        b1 += f * inv * inv
                                        b2 += f * f * inv * inv
                                    }
                                    for a in 0..<n {
                                        let s1 = (r1[a] - mu[a] * r0) * inv[a]
                                        let d1 = (e1[a] - mu[a] * d0) * inv[a]
                                        gradient[a] -= s1 * a0 - d1 * a1
                                    }
                                    groupA0[g] = a0
                                    if d > 1 {
                                        for i in groupStarts[g]..<groupStarts[g + 1] where events[i] {
                                            let k = Int(pattern[i])
                                            coefficient[k] -= Double(weight[i]) * expEta[k] * a1
                                        }
                                    }
                                    // −b0·R1·R1ᵀ, upper triangle: queued, and applied a block of
                                    // times at once.
                                    if n > 0 {
                                        blockB0[queued] = b0
                                        (blockR1 + queued * n).initialize(from: r1.baseAddress!, count: n)
                                        queued += 1
                                        if queued == block { applyQueued() }
                                    }
                                    guard d > 1 else { continue }
                                    for c in eventColumns {
                                        let ec = b1 * e1[c]
                                        let column = cross.baseAddress! + c * n
                                        let r = r1.baseAddress!
                                        for a in 0..<n { column[a] += ec * r[a] }
                                        let half = 0.5 * b2 * e1[c]
                                        for c2 in eventColumns { column[c2] -= half * e1[c2] }
                                    }
                                    for c in eventColumns {
                                        e1[c] = 0
                                        marked[c] = false
                                    }
                                    eventColumns.removeAll(keepingCapacity: true)
                                }
                                applyQueued()
                                // A row is at risk at its own time and every shorter one: the times
                                // processed from its group on.
                                var suffix = 0.0
                                for g in stride(from: groupStarts.count - 2, through: 0, by: -1) {
                                    suffix += groupA0[g]
                                    guard suffix != 0 else { continue }
                                    for i in groupStarts[g]..<groupStarts[g + 1] {
                                        let k = Int(pattern[i])
                                        coefficient[k] += Double(weight[i]) * expEta[k] * suffix
                                    }
                                }
                                // Σ_t a0·R2 − a1·E2, pattern by pattern.
                                for k in 0..<patternCount {
                                    let ck = coefficient[k]
                                    guard ck != 0 else { continue }
                                    let lo = nonZeroStart[k]
                                    let hi = nonZeroStart[k + 1]
                                    for i in lo..<hi {
                                        let row = Int(col[i]) * n
                                        let cv = ck * val[i]
                                        for j in i..<hi { dense[row + Int(col[j])] += cv * val[j] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Raw to standardised scale, symmetric.
        var full = [Double](repeating: 0, count: q * q)
        for a in 0..<q {
            for b in a..<q {
                let v = (dense[a * q + b] + crossTerms[b * q + a] + crossTerms[a * q + b]) * (inv[a] * inv[b])
                full[a * q + b] = v
                full[b * q + a] = v
            }
        }
        return Evaluation(logLikelihood: ll, gradient: gradient, information: full)
    }
}

/// Small dense symmetric positive-definite solves, q×q row-major.
private enum Matrix {
    /// Σ a[i]·b[i] for i < n, in four interleaved partial sums (which the compiler can keep in
    /// vector registers; a single running sum is one long dependency chain).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var s0 = 0.0
        var s1 = 0.0
        var s2 = 0.0
        var s3 = 0.0
        var i = 0
        while i + 4 <= n {
            s0 += a[i] * b[i]
            s1 += a[i + 1] * b[i + 1]
            s2 += a[i + 2] * b[i + 2]
            s3 += a[i + 3] * b[i + 3]
            i += 4
        }
        while i < n {
            s0 += a[i] * b[i]
            i += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// The lower Cholesky factor, or nil when the matrix is not (numerically) positive definite.
    static func cholesky(_ m: [Double], size q: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: q * q)
        let ok = l.withUnsafeMutableBufferPointer { l in
            m.withUnsafeBufferPointer { m in
                for i in 0..<q {
                    let rowI = i * q
                    for j in 0...i {
                        let rowJ = j * q
                        let base = UnsafePointer(l.baseAddress!)
                        let s = m[rowI + j] - dot(base + rowI, base + rowJ, j)
                        if i == j {
                            guard s > 0, s.isFinite else { return false }
                            l[rowI + i] = s.squareRoot()
                        } else {
                            l[rowI + j] = s / l[rowJ + j]
                        }
                    }
                }
                return true
            }
        }
        return ok ? l : nil
    }

    static func solve(lower l: [Double], _ b: [Double], size q: Int) -> [Double] {
        var y = b
        l.withUnsafeBufferPointer { l in
            y.withUnsafeMutableBufferPointer { y in
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
            }
        }
        return y
    }

    static func solvePositiveDefinite(_ m: [Double], _ b: [Double], size q: Int) -> [Double]? {
        guard let l = cholesky(m, size: q) else { return nil }
        return solve(lower: l, b, size: q)
    }

    /// The diagonal of the inverse, nil when the matrix is not positive definite. With m = L·Lᵀ,
    /// m⁻¹ = L⁻ᵀ·L⁻¹, so (m⁻¹)_kk is the squared length of column k of L⁻¹, which forward
    /// substitution gives from L·y = e_k (zero above row k): q³/6 in all, not the q³ of the
    /// whole inverse.
    static func inverseDiagonalPositiveDefinite(_ m: [Double], size q: Int) -> [Double]? {
        guard let l = cholesky(m, size: q) else { return nil }
        var diagonal = [Double](repeating: 0, count: q)
        var y = [Double](repeating: 0, count: q)
        l.withUnsafeBufferPointer { l in
            y.withUnsafeMutableBufferPointer { y in
                for k in 0..<q {
                    var length = 0.0
                    for i in k..<q {
                        let row = i * q
                        let s = (i == k ? 1.0 : 0.0) - dot(l.baseAddress! + row + k, y.baseAddress! + k, i - k)
                        y[i] = s / l[row + i]
                        length += y[i] * y[i]
                    }
                    diagonal[k] = length
                }
            }
        }
        return diagonal
    }
}
