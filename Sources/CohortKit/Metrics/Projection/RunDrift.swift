/// Alerts between runs: cohort drift on cells that are new since the previous run, and headline
/// values that moved more than `report.drift_kpi_points` percentage points.
enum RunDrift {
    /// Keeps the cohort alerts whose cell the previous run had not seen.
    static func newCohortAlerts(_ alerts: [DriftAlertRow], previous: ReportHistory?) -> [DriftAlertRow] {
        guard let previous else { return alerts }
        return alerts.filter { a in (previous.newestOffset[ReportHistory.key(a.channel, a.cohort)] ?? -1) < a.offset }
    }

    /// Ratio KPIs that moved by more than `points` percentage points since `previous`; a value
    /// too thin to judge (`HeadlineKPI.thinBase`) is no alert, as it gets no verdict: a handful of
    /// customers moves it by tens of points.
    static func kpiMoves(_ kpis: [HeadlineKPI], previous: ReportHistory?, points: Double) -> [KPIMove] {
        guard let previous else { return [] }
        let before = Dictionary(previous.kpis, uniquingKeysWith: { a, _ in a })
        return kpis.compactMap { k in
            guard k.kind == .percent, k.thinBase == nil, let now = k.value, let then = before[k.id],
                abs(now - then) * 100 > points
            else {
                return nil
            }
            return KPIMove(id: k.id, before: then, after: now, previousAsOf: previous.asOf)
        }
    }
}
