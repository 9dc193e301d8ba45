/// A row of the per cohort × channel tables (activation.jsonl, phases.jsonl): `cohort` a month's
/// raw value, or `Int32.min` for every cohort together; `channel` a channel number, or -1 for
/// `(all)`. Rows are counted by these numbers and named only when the few rows are written.
struct CohortChannelCell: Hashable {
    var cohort: Int32
    var channel: Int32

    /// Calls `body` with the three rows a customer of `cohort` and `channel` counts in: every
    /// cohort's `(all)`, its cohort's `(all)`, its cohort's channel.
    @inline(__always)
    static func each(cohort: Int32, channel: Int32, _ body: (CohortChannelCell) -> Void) {
        body(CohortChannelCell(cohort: Int32.min, channel: -1))
        body(CohortChannelCell(cohort: cohort, channel: -1))
        body(CohortChannelCell(cohort: cohort, channel: channel))
    }

    var isAll: Bool { channel < 0 }

    /// The rows' order: by cohort (every cohort together first), then `(all)`, then the channels
    /// by the bytes of their names (canonically equivalent spellings are different channels and
    /// never tie).
    static func precedes(_ a: CohortChannelCell, _ b: CohortChannelCell, names: [String]) -> Bool {
        if a.cohort != b.cohort { return a.cohort < b.cohort }
        if a.isAll != b.isAll { return a.isAll }
        return a.channelName(names).utf8Precedes(b.channelName(names))
    }

    /// nil for every cohort together.
    var month: Month? { cohort == Int32.min ? nil : Month(raw: cohort) }
    /// `(all)`, or the channel's name in `names`.
    func channelName(_ names: [String]) -> String { isAll ? "(all)" : names[Int(channel)] }
}
