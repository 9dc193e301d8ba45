/// Ingest's reject reasons in the report's language.
extension Localizer {
    /// A reason of ingest's top reject reasons (`field: reason group`, docs/stages.md) as the
    /// report shows it: the field as written, the groups ingest writes in the report's language,
    /// any other text (a reader's message about an unreadable row) as written.
    func rejectReason(_ reason: String) -> String {
        guard locale == .ja else { return reason }
        guard let colon = reason.range(of: ": ") else { return Self.japaneseRejectGroup(reason) ?? reason }
        let field = String(reason[..<colon.lowerBound])
        let group = String(reason[colon.upperBound...])
        return field + ": " + (Self.japaneseRejectGroup(group) ?? group)
    }

    /// A source as the data-quality tables name it: its key in `sources` (what the reader finds in
    /// pipeline.json and in ingest's outputs), in Japanese after the source's Japanese name.
    func sourceName(_ key: String) -> String {
        guard locale == .ja, let name = Self.japaneseSourceNames[key] else { return key }
        return "\(name)（\(key)）"
    }

    static let japaneseSourceNames = [
        "customers": "顧客", "subscriptions": "契約", "cancellations": "解約", "events": "イベント",
    ]

    /// The Japanese text of a reject-reason group ingest writes; nil for any other text.
    static func japaneseRejectGroup(_ group: String) -> String? {
        if let fixed = japaneseRejectGroups[group] { return fixed }
        // Groups that name a field or a setting.
        func between(_ prefix: String, _ suffix: String) -> String? {
            guard group.hasPrefix(prefix), group.hasSuffix(suffix), group.count > prefix.count + suffix.count
            else { return nil }
            return String(group.dropFirst(prefix.count).dropLast(suffix.count))
        }
        if let f = between("", " contains an invisible or control character") { return "\(f) に不可視文字・制御文字が含まれる" }
        if let f = between("", " is empty") { return "\(f) が空" }
        if let f = between("duplicate ", " with different values") { return "\(f) が重複し、値が異なる" }
        if let format = between("not a date in format ", "") { return "日付の形式（\(format)）ではない" }
        if let rest = between("", " characters"), let cut = rest.range(of: " is longer than ") {
            return "\(rest[..<cut.lowerBound]) が \(rest[cut.upperBound...]) 文字を超える"
        }
        return nil
    }

    private static let japaneseRejectGroups: [String: String] = [
        "unknown customer (not in customers or subscriptions)": "顧客マスタにも契約にもない顧客",
        "outside the plausible dates (ingest.date_range)": "想定される日付の範囲外（ingest.date_range）",
        "end_date is before start_date": "end_date が start_date より前",
        "amount without a billing_period": "amount に billing_period がない",
        "expected month, quarter, year or a whole number of months": "請求期間が month・quarter・year・月数のいずれでもない",
        "neither mrr nor amount is given": "mrr も amount もない",
        "not a number": "数値ではない",
        "negative amount": "負の金額",
        "unknown currency: no rate in currency.rates": "未知の通貨（currency.rates にレートがない）",
        "MRR above the limit of 10^15 minor units": "MRR が上限（10^15 最小単位）を超える",
        DateFormat.noSuchDayGroup: "暦に存在しない日付",
    ]
}
