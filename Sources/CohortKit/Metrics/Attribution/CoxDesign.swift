import Foundation

/// A fitted Cox model of churn-attribution with its design: column names and terms, covariate
/// patterns, and each customer's pattern (docs/metrics.md#cox-model).
public struct CoxFit: Sendable {
    public var result: CoxResult
    public var names: [String]
    public var terms: [(dimension: String, level: String, reference: String)]
    /// Levels nobody in them has left, whose customers the fit set aside (see `CoxDesign.fit`).
    public var setAside: [SetAsideLevel] = []
    /// Covariate patterns of the design.
    public var patterns: Int { design.count }
    /// The design's columns as (dimension index, level), and its values by pattern (one-hot:
    /// a 1 in the column of each level the pattern holds, the references having none).
    public var columns: [(dim: Int, level: Int32)] = []
    public var design = SparseRows()
    /// Each converted customer's pattern, in the order of `who`; −1 for a customer set aside.
    public var rowPattern: [Int32] = []
    /// Wall time of building the design and fitting, for the stderr summary only (manifests
    /// hold no times).
    public var seconds: Double

    /// One coefficient per design column (0 for a column the fit dropped), when the fit
    /// converged, gave a pattern to each of the `rows` customers and every coefficient is finite:
    /// otherwise the coefficients would not be estimates, and nothing is scored with them.
    public func usableCoefficients(rows: Int) -> [Double]? {
        guard result.converged, rowPattern.count == rows else { return nil }
        let coef = Dictionary(result.terms.map { ($0.name, $0.coef) }, uniquingKeysWith: { a, _ in a })
        let beta = names.map { coef[$0] ?? 0 }
        return beta.allSatisfy(\.isFinite) ? beta : nil
    }

    /// The rows of cox.jsonl: one per fitted term, in the fit's order.
    public var termRecords: [CoxTermRecord] {
        result.terms.compactMap { t in
            guard let k = names.firstIndex(of: t.name) else { return nil }
            return CoxTermRecord(
                dimension: terms[k].dimension, level: terms[k].level, reference: terms[k].reference, coef: t.coef,
                se: t.se, hazardRatio: t.hazardRatio, ciLower: t.ciLower, ciUpper: t.ciUpper, z: t.z,
                pValue: t.pValue)
        }
    }

    /// cox_model.json of this fit over `dims`.
    public func modelRecord(dims: [AttributionDimension]) -> CoxModelRecord {
        CoxModelRecord(
            n: result.n, events: result.events, logLikelihood: result.logLikelihood,
            concordance: result.concordance, iterations: result.iterations, converged: result.converged,
            message: result.message, notes: CoxNotes(result.notes), dimensions: dims.map(\.name),
            droppedTerms: result.droppedTerms,
            setAsideLevels: setAside.map(\.name), setAsideCustomers: rowPattern.filter { $0 < 0 }.count)
    }

    /// The Breslow baseline of the rows the model was fitted on (`durations`/`events` in the
    /// order of `rowPattern`), each weighted by its pattern's relative hazard.
    public func baseline(durations: [Int32], events: [Bool], patternHazard: [Double]) -> BreslowBaseline {
        guard setAside.isEmpty else {
            let rows = rowPattern.indices.filter { rowPattern[$0] >= 0 }
            return BreslowBaseline(
                durations: rows.map { durations[$0] }, events: rows.map { events[$0] },
                relativeHazard: rows.map { patternHazard[Int(rowPattern[$0])] })
        }
        return BreslowBaseline(
            durations: durations, events: events, relativeHazard: rowPattern.map { patternHazard[Int($0)] })
    }
}

/// A level of a dimension whose customers include no churn: set aside from the Cox fit, as its
/// hazard ratio heads to 0 (cox_model.json's `set_aside_levels`).
public struct SetAsideLevel: Equatable, Sendable {
    public var dimension: String
    public var level: String
    public var customers: Int
    /// The level as a term is named, `dimension=level`.
    public var name: String { "\(dimension)=\(level)" }

    public init(dimension: String, level: String, customers: Int) {
        self.dimension = dimension
        self.level = level
        self.customers = customers
    }
}

/// The Cox design of churn-attribution: one-hot columns of the dimensions, customers grouped by
/// covariate pattern, and the fit.
public enum CoxDesign {
    /// Builds the one-hot design of `dims` by covariate pattern and fits the Cox model to the
    /// survival rows `durations`/`events` (row r being customer `who[r]`).
    ///
    /// A level none of whose customers has churned (while others have) has no maximum: its
    /// coefficient heads to −∞ and the fit would not converge. As it does, its customers' weight
    /// in every risk set goes to 0, and they hold no events, so the partial likelihood of the other
    /// coefficients tends to the likelihood without them: those customers are set aside and the
    /// model fitted on the rest, which is that limit exactly (docs/metrics.md#cox-model).
    public static func fit(dims: [AttributionDimension], durations: [Int32], events: [Bool], who: [Int]) -> CoxFit {
        let started = DispatchTime.now().uptimeNanoseconds
        let setAside = levelsWithoutChurn(dims: dims, events: events, who: who)
        // The rows fitted: all, or those of customers in no set-aside level.
        var fitted: [Int]? = nil
        if !setAside.isEmpty {
            var aside = dims.map { [Bool](repeating: false, count: $0.levels.count) }
            for l in setAside { aside[l.dim][Int(l.level)] = true }
            fitted = who.indices.filter { r in
                !dims.indices.contains { d in
                    let level = dims[d].level[who[r]]
                    return level >= 0 && aside[d][Int(level)]
                }
            }
        }
        let fitWho = fitted.map { $0.map { who[$0] } } ?? who
        let (names, terms, columns) = self.columns(dims: dims, who: fitWho)
        // The design by pattern: customers with the same level in every dimension share a row.
        let (fitPattern, patternLevels) = patterns(dims: dims, who: fitWho)
        // Without dimensions every customer has the one empty pattern.
        let patternCount = dims.isEmpty ? (fitWho.isEmpty ? 0 : 1) : patternLevels.count / dims.count
        // Each dimension's column by level (−1: the reference, or a level without customers).
        var column = dims.map { [Int](repeating: -1, count: $0.levels.count) }
        for (c, col) in columns.enumerated() { column[col.dim][Int(col.level)] = c }
        // Columns run by dimension, so a pattern's columns come in ascending order.
        var x = SparseRows()
        for k in 0..<patternCount {
            for d in dims.indices {
                let level = Int(patternLevels[k * dims.count + d])
                if level >= 0, column[d][level] >= 0 { x.append(column: column[d][level], value: 1) }
            }
            x.endRow()
        }
        var result = CoxPH.fit(
            CoxInput(
                durations: fitted.map { $0.map { durations[$0] } } ?? durations,
                events: fitted.map { $0.map { events[$0] } } ?? events, rowPattern: fitPattern, sparsePatterns: x,
                names: names),
            confidence: 0.95)
        var rowPattern = fitPattern
        var levels: [SetAsideLevel] = []
        if let fitted {
            rowPattern = [Int32](repeating: -1, count: who.count)
            for (k, r) in fitted.enumerated() { rowPattern[r] = fitPattern[k] }
            levels = setAside.map {
                SetAsideLevel(
                    dimension: dims[$0.dim].name, level: dims[$0.dim].levels[Int($0.level)], customers: $0.customers)
            }
            result.notes.insert(.setAside(customers: who.count - fitted.count, levels: levels), at: 0)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return CoxFit(
            result: result, names: names, terms: terms, setAside: levels, columns: columns, design: x,
            rowPattern: rowPattern, seconds: seconds)
    }

    /// The levels, in dimension then level order, whose customers among `who` include no churn
    /// while the model has churn to fit: in dimensions with customers in two levels or more, and
    /// only when some customer churned (else the fit itself says there are no events).
    static func levelsWithoutChurn(dims: [AttributionDimension], events: [Bool], who: [Int]) -> [(
        dim: Int, level: Int32, customers: Int
    )] {
        guard events.contains(true) else { return [] }
        var found: [(dim: Int, level: Int32, customers: Int)] = []
        for (di, d) in dims.enumerated() {
            var customers = [Int](repeating: 0, count: d.levels.count)
            var churned = [Int](repeating: 0, count: d.levels.count)
            for (r, i) in who.enumerated() where d.level[i] >= 0 {
                customers[Int(d.level[i])] += 1
                if events[r] { churned[Int(d.level[i])] += 1 }
            }
            guard customers.filter({ $0 > 0 }).count > 1 else { continue }
            for l in d.levels.indices where customers[l] > 0 && churned[l] == 0 {
                found.append((di, Int32(l), customers[l]))
            }
        }
        return found
    }

    /// The one-hot columns of `dims` over the customers `who`: a column per level with customers
    /// except the reference, the level with the most customers (ties by name); a dimension with
    /// one level has none. Returns the columns' names (`dimension=level`), terms and (dimension
    /// index, level).
    public static func columns(dims: [AttributionDimension], who: [Int]) -> (
        names: [String], terms: [(dimension: String, level: String, reference: String)],
        columns: [(dim: Int, level: Int32)]
    ) {
        var names: [String] = []
        var terms: [(dimension: String, level: String, reference: String)] = []
        var columns: [(dim: Int, level: Int32)] = []
        for (di, d) in dims.enumerated() {
            var counts = [Int](repeating: 0, count: d.levels.count)
            for i in who where d.level[i] >= 0 { counts[Int(d.level[i])] += 1 }
            guard d.levels.count > 1 else { continue }
            let ref = d.levels.indices.max { (counts[$0], d.levels[$1]) < (counts[$1], d.levels[$0]) } ?? 0
            for l in d.levels.indices where l != ref && counts[l] > 0 {
                names.append("\(d.name)=\(d.levels[l])")
                terms.append((d.name, d.levels[l], d.levels[ref]))
                columns.append((di, Int32(l)))
            }
        }
        return (names, terms, columns)
    }

    /// Each customer's covariate pattern (its tuple of levels over `dims`, numbered in order of
    /// first appearance among `who`) and the patterns' levels, row-major by dimension.
    ///
    /// One pass over the customers with a table of the tuples met so far (`FirstAppearanceTable`,
    /// by a seeded hash of the tuple), each pattern held as its first customer, whose levels are
    /// the pattern's: the cost is customers x dimensions whatever the number of patterns (thirty
    /// attributes of thirty-five values make every customer a pattern of its own), and a pattern
    /// holds no array of its own.
    public static func patterns(dims: [AttributionDimension], who: [Int]) -> (rowPattern: [Int32], levels: [Int32]) {
        let n = who.count
        guard !dims.isEmpty else { return ([Int32](repeating: 0, count: n), []) }
        var rowPattern = [Int32](repeating: 0, count: n)
        // Per pattern: its first customer.
        var first: [Int] = []
        var table = FirstAppearanceTable(capacity: n)
        let levelArrays = dims.map(\.level)
        for (r, i) in who.enumerated() {
            var h = Hasher()
            for l in levelArrays { h.combine(l[i]) }
            let (k, isNew) = table.number(hash: h.finalize()) { k in
                let j = first[k]
                for l in levelArrays where l[i] != l[j] { return false }
                return true
            }
            if isNew { first.append(i) }
            rowPattern[r] = k
        }
        var levels = [Int32]()
        levels.reserveCapacity(first.count * dims.count)
        for i in first {
            for l in levelArrays { levels.append(l[i]) }
        }
        return (rowPattern, levels)
    }
}
