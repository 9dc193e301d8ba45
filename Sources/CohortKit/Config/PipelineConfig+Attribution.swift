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
}
