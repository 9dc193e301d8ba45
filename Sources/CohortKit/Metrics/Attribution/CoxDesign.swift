import Foundation

/// A fitted Cox model of churn-attribution with its design: column names and terms, covariate
/// patterns, and each customer's pattern (docs/metrics.md#cox-model).
public struct CoxFit: Sendable {
    public var result: CoxResult
    public var names: [String]
    public var terms: [(dimension: String, level: String, reference: String)]
    /// Covariate patterns of the design.
    public var patterns: Int { design.count }
    /// The design's columns as (dimension index, level), and its values by pattern (one-hot:
    /// a 1 in the column of each level the pattern holds, the references having none).
    public var columns: [(dim: Int, level: Int32)] = []
    public var design = SparseRows()
    /// Each converted customer's pattern, in the order of `who`.
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
            message: result.message, dimensions: dims.map(\.name), droppedTerms: result.droppedTerms)
    }
}

/// The Cox design of churn-attribution: one-hot columns of the dimensions, customers grouped by
/// covariate pattern, and the fit.
public enum CoxDesign {
    /// Builds the one-hot design of `dims` by covariate pattern and fits the Cox model to the
    /// survival rows `durations`/`events` (row r being customer `who[r]`).
    public static func fit(dims: [AttributionDimension], durations: [Int32], events: [Bool], who: [Int]) -> CoxFit {
        let started = DispatchTime.now().uptimeNanoseconds
        let (names, terms, columns) = self.columns(dims: dims, who: who)
        // The design by pattern: customers with the same level in every dimension share a row.
        let (rowPattern, patternLevels) = patterns(dims: dims, who: who)
        // Without dimensions every customer has the one empty pattern.
        let patternCount = dims.isEmpty ? (who.isEmpty ? 0 : 1) : patternLevels.count / dims.count
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
        let result = CoxPH.fit(
            CoxInput(durations: durations, events: events, rowPattern: rowPattern, sparsePatterns: x, names: names),
            confidence: 0.95)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return CoxFit(
            result: result, names: names, terms: terms, columns: columns, design: x,
            rowPattern: rowPattern, seconds: seconds)
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
    public static func patterns(dims: [AttributionDimension], who: [Int]) -> (rowPattern: [Int32], levels: [Int32]) {
        // Combine one dimension at a time: (pattern so far, level) -> pattern.
        var rowPattern = [Int32](repeating: 0, count: who.count)
        var levels: [[Int32]] = [[]]
        for d in dims {
            var nextLevels: [[Int32]] = []
            let width = d.levels.count + 1
            let slots = levels.count * width
            // A dense table of (pattern, level) slots while it is small, else a dictionary.
            var dense = [Int32](repeating: -1, count: slots <= 1 << 22 ? slots : 0)
            var sparse: [Int: Int32] = [:]
            for (r, i) in who.enumerated() {
                let key = Int(rowPattern[r]) * width + Int(d.level[i] + 1)
                let found = dense.isEmpty ? sparse[key] : (dense[key] >= 0 ? dense[key] : nil)
                if let k = found {
                    rowPattern[r] = k
                } else {
                    let k = Int32(nextLevels.count)
                    if dense.isEmpty { sparse[key] = k } else { dense[key] = k }
                    nextLevels.append(levels[Int(rowPattern[r])] + [d.level[i]])
                    rowPattern[r] = k
                }
            }
            levels = nextLevels
        }
        return (rowPattern, levels.flatMap { $0 })
    }
}
