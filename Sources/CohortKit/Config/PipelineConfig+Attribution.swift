extension PipelineConfig {
    /// The keys of `attribution.reason_categories` (`pairs`, in file order) trimmed of leading
    /// and trailing spaces as ingest trims the data's reasons (spaces, tabs and the Unicode space
    /// separators): a key written `"too_expensive "` would otherwise never meet a reason, and its
    /// customers would be `(unmapped)` without a word. Reasons are looked up ignoring case
    /// (`ExitReasons.rows`), so two keys that are one reason once trimmed and in lower case
    /// (`Too_Expensive`, `too_expensive`) would leave the category to their order in the file:
    /// that is an error naming both as written, as is a key of only spaces, which no reason is.
    static func reasonCategories(_ pairs: [(String, String)], file: String) throws -> [(String, String)] {
        var seen: [String: String] = [:]
        return try pairs.map { key, category in
            let keyPath = "attribution.reason_categories.\(shownInMessage(key))"
            let reason = key.trimmingSpaces
            guard !reason.isEmpty else {
                throw ConfigError(
                    file: file, keyPath: keyPath,
                    message: "\"\(shownInMessage(key))\" is no reason: it is empty once trimmed of spaces",
                    hint:
                        "Remove it, or write the reason it stands for (a cancellation without a reason is counted under (no reason given))."
                )
            }
            let folded = reason.lowercased()
            if let first = seen[folded] {
                throw ConfigError(
                    file: file, keyPath: keyPath,
                    message:
                        "\"\(shownInMessage(key))\" is the same reason as \"\(shownInMessage(first))\": reasons are matched ignoring case and leading and trailing spaces",
                    hint: "Give each reason once, with the category its cancellations belong to.")
            }
            seen[folded] = key
            return (reason, category)
        }
    }

    /// `attribution.dimensions` as written, refusing a dimension listed twice: churn-attribution
    /// would write each of its segments, tests and Cox terms twice. Names are compared as
    /// `Dimensions.resolve` matches them to the customers' attribute names: as strings compare,
    /// case included (`Plan` and `plan` are two columns), with `channel` another name of
    /// `acquisition_channel`.
    static func dimensions(_ names: [String], file: String) throws -> [String] {
        var seen: [String: String] = [:]
        for name in names {
            let dimension = name == "channel" ? "acquisition_channel" : name
            if let first = seen[dimension] {
                let shown = shownInMessage(name)
                throw ConfigError(
                    file: file, keyPath: "attribution.dimensions",
                    message: Array(first.utf8) == Array(name.utf8)
                        ? "dimension \"\(shown)\" is listed twice"
                        : "dimension \"\(shown)\" is the same dimension as \"\(shownInMessage(first))\"",
                    hint:
                        "List each dimension once. Names are compared as they are matched to the customers' column names: exactly, case included (\"Plan\" and \"plan\" are two dimensions), with \"channel\" another name of \"acquisition_channel\"."
                )
            }
            seen[dimension] = name
        }
        return names
    }
}
