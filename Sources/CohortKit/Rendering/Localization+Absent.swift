/// Why a section fed by an optional input is empty, in the report's language.
extension Localizer {
    /// "No data: no cancellations source is configured (sources.cancellations)."
    public func absentInputLine(_ why: AbsentInput, _ f: ReportFormatter) -> String {
        switch why {
        case .sourceNotConfigured(let s):
            return pick(
                "No data: no \(s) source is configured (sources.\(s)).",
                "データがありません。\(sourceName(s))のソースが設定されていません（sources.\(s)）。")
        case .sourceNotFound(let s):
            return pick(
                "No data: the optional \(s) file was not found (see the warnings under Data quality).",
                "データがありません。任意のソース\(sourceName(s))のファイルが見つかりませんでした（データ品質の警告を参照）。")
        case .sourceEmpty(let s, let read) where read == 0:
            return pick("No data: the \(s) file has no rows.", "データがありません。\(sourceName(s))のファイルに行がありません。")
        case .sourceEmpty(let s, let read):
            return pick(
                read == 1
                    ? "No data: the one row read from \(s) was not accepted (see Data quality)."
                    : "No data: none of the \(f.integer(read)) rows read from \(s) was accepted (see Data quality).",
                "データがありません。\(sourceName(s))から読み込んだ \(f.integer(read)) 行はどれも採用されませんでした（データ品質を参照）。")
        case .sourceAfterAsOf(let s, let accepted, let asOf):
            return pick(
                accepted == 1
                    ? "No data: the one row accepted from \(s) is dated after as_of (\(asOf))."
                    : "No data: each of the \(f.integer(accepted)) rows accepted from \(s) is dated after as_of (\(asOf)).",
                "データがありません。\(sourceName(s))から採用した \(f.integer(accepted)) 行はどれも基準日（\(f.date(asOf))）より後の日付です。")
        case .noActivationEvent:
            return pick(
                "No data: no activation event is configured (attribution.activation.event).",
                "データがありません。アクティベーションのイベントが設定されていません（attribution.activation.event）。")
        case .activationEventNotSeen(let event):
            return pick(
                "No data: no customer has a \"\(event)\" event (attribution.activation.event) in the events.",
                "データがありません。\(sourceName("events"))に、顧客の「\(event)」イベント（attribution.activation.event）がありません。")
        }
    }
}
