/// Corrections of p-values for testing several hypotheses at once.
public enum MultipleTesting {
    /// Holm's step-down adjustment, as statsmodels' `multipletests(p, method: "holm")`.
    ///
    /// With the m p-values sorted ascending, `p(1) <= … <= p(m)`, the adjusted value of the i-th
    /// smallest is `min(1, max_{j <= i} (m - j + 1) · p(j))`. Output is in input order. Tied p-values
    /// get the same adjusted value whatever order they are sorted in, because of the running max.
    /// Example: `holm([0.01, 0.04, 0.03]) == [0.03, 0.06, 0.06]`.
    ///
    /// - Complexity: O(m log m).
    public static func holm(_ p: [Double]) -> [Double] {
        let m = p.count
        let order = p.indices.sorted { p[$0] < p[$1] }
        var adjusted = [Double](repeating: 0, count: m)
        var runningMax = 0.0
        for (rank, index) in order.enumerated() {
            runningMax = max(runningMax, Double(m - rank) * p[index])
            adjusted[index] = min(1, runningMax)
        }
        return adjusted
    }
}
