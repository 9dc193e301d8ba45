/// The survival rows of the converted customers, the population of cohort's curves and of
/// churn-attribution's tests: per row the days to first churn (or to as_of, censored), whether it
/// was a churn, and the customer's table index (docs/metrics.md#survival).
public struct SurvivalRows: Sendable {
    public var durations: [Int32] = []
    public var events: [Bool] = []
    /// Row r is customer `who[r]` of the table.
    public var who: [Int] = []

    /// The converted customers of `table`, in table order.
    public init(table: CustomerTable) {
        for i in 0..<table.count where table.converted(i) {
            durations.append(table.duration[i])
            events.append(table.churned[i])
            who.append(i)
        }
    }

    public var count: Int { who.count }
}
