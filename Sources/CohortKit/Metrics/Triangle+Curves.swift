extension TriangleAccumulator {
    /// The observed cells of channel slot `g` (`channels` for `(all)`) as one curve per non-empty
    /// cohort, in cohort order: the input of `RetentionProjection` and `CohortDrift`.
    public func curves(channel g: Int) -> [RetentionProjection.Curve] {
        let cells = grid.cells
        var out: [RetentionProjection.Curve] = []
        for c in 0..<grid.months {
            guard let base = grid.index(month: c, group: g) else { continue }
            let cohort = firstCohort + c
            guard cells[base].customers > 0 else { continue }
            var active: [Int] = []
            var mrr: [Int64] = []
            var k = 0
            while k <= maxOffset, cohort + k <= lastMonth {
                active.append(cells[base + k].active)
                mrr.append(cells[base + k].mrr)
                k += 1
            }
            out.append(
                RetentionProjection.Curve(
                    cohort: cohort, customers: cells[base].customers, active: active,
                    mrrStart: cells[base].mrrStart, mrr: mrr))
        }
        return out
    }
}
