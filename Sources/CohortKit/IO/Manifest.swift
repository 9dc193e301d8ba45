/// The record a stage leaves beside its outputs (`<stage>.manifest.json`): what it read, what it
/// wrote, with which settings, and how every input row was accounted for (docs/stages.md#manifest).
///
/// Manifests hold no wall-clock time, so two runs over the same inputs leave identical files.
public struct Manifest: Equatable {
    public struct Input: Equatable, Sendable {
        public var path: String
        public var bytes: Int
        /// For an upstream output checked by XXH64, the SHA-256 its stage recorded; otherwise the
        /// SHA-256 computed here.
        public var sha256: String
        /// The XXH64 computed while reading, for an upstream output whose manifest lists one
        /// (then the check this stage made); nil where the SHA-256 was computed here.
        public var xxh64: String? = nil
    }

    public struct Output: Equatable {
        public var name: String
        public var path: String
        public var schemaVersion: Int
        public var rows: Int
        public var sha256: String
        /// Size in bytes (nil in manifests written before sizes were recorded).
        public var bytes: Int? = nil
        /// XXH64 of the same bytes (nil in manifests written before it was recorded), which the
        /// next stage checks instead of computing the SHA-256 again.
        public var xxh64: String? = nil
    }

    /// The first and last date seen in one source's accepted rows (nil when it had none).
    public struct Coverage: Equatable, Sendable {
        public var source: String
        public var first: String?
        public var last: String?
    }

    /// Row accounting for one input: read = written + rejected + duplicates.
    public struct Reconciliation: Equatable {
        public var source: String
        public var read: Int
        public var written: Int
        public var rejected: Int
        public var duplicates: Int = 0
        public var balances: Bool { read == written + rejected + duplicates }
    }

    /// One of the most common reject reasons of a run (ingest only), with its first rejected row.
    public struct RejectReason: Equatable {
        public var source: String
        /// `field: reason group`, as in rejects.jsonl's `field` and `reason_group`.
        public var reason: String
        public var count: Int
        /// The raw text of the first row rejected for it.
        public var example: String
    }

    /// How many reject reasons ingest keeps in its manifest (the ones the report shows).
    public static let rejectReasonLimit = 10

    public var stage: String
    public var toolVersion: String = CohortKit.version
    public var config: JSONValue
    public var configDigest: String
    /// The resolved observation date of the run that wrote this manifest.
    public var asOf: String = ""
    public var inputs: [Input] = []
    public var outputs: [Output] = []
    public var reconciliation: [Reconciliation] = []
    /// Stage-specific counts (orphans, zero-MRR subscriptions, ...).
    public var counts: [(String, Int)] = []
    /// What the run found missing or suspicious: `warnings` holds the words printed on stderr,
    /// `warning_kinds` beside it each one's kind and values (null for one without).
    public var warnings: [DataWarning] = []
    /// Dates seen per source (ingest only).
    public var coverage: [Coverage] = []
    /// The most common reject reasons, most common first (ingest only: nil, and not written, for
    /// the other stages).
    public var rejectReasons: [RejectReason]? = nil

    public static func == (a: Manifest, b: Manifest) -> Bool {
        a.stage == b.stage && a.outputs == b.outputs && a.inputs == b.inputs && a.reconciliation == b.reconciliation
            && a.configDigest == b.configDigest && a.asOf == b.asOf && a.warnings == b.warnings
            && a.coverage == b.coverage && a.rejectReasons == b.rejectReasons && a.counts.map(\.0) == b.counts.map(\.0)
            && a.counts.map(\.1) == b.counts.map(\.1)
    }

    public static func fileName(_ stage: String) -> String { "\(stage).manifest.json" }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("stage", .string(stage)),
            ("tool_version", .string(toolVersion)),
            ("config", config),
            ("config_digest", .string(configDigest)),
            ("as_of", .string(asOf)),
            (
                "inputs",
                .array(
                    inputs.map {
                        .object(
                            [
                                ("path", .string($0.path)), ("bytes", .number(String($0.bytes))),
                                ("sha256", .string($0.sha256)),
                            ] + ($0.xxh64.map { [("xxh64", .string($0))] } ?? []))
                    })
            ),
            (
                "outputs",
                .array(
                    outputs.map {
                        .object(
                            [
                                ("name", .string($0.name)), ("path", .string($0.path)),
                                ("schema_version", .number(String($0.schemaVersion))),
                                ("rows", .number(String($0.rows))),
                                ("bytes", $0.bytes.map { .number(String($0)) } ?? .null),
                                ("sha256", .string($0.sha256)),
                            ] + ($0.xxh64.map { [("xxh64", .string($0))] } ?? []))
                    })
            ),
            (
                "reconciliation",
                .array(
                    reconciliation.map {
                        .object([
                            ("source", .string($0.source)), ("read", .number(String($0.read))),
                            ("written", .number(String($0.written))),
                            ("rejected", .number(String($0.rejected))), ("duplicates", .number(String($0.duplicates))),
                        ])
                    })
            ),
            ("counts", .object(counts.map { ($0.0, .number(String($0.1))) })),
            ("warnings", .array(warnings.map { .string($0.text) })),
        ]
        // Written only beside warnings, so a manifest without any keeps its earlier bytes.
        if !warnings.isEmpty { members.append(("warning_kinds", .array(warnings.map { $0.kind?.json ?? .null }))) }
        members += [
            (
                "coverage",
                .array(
                    coverage.map {
                        .object([
                            ("source", .string($0.source)), ("first", $0.first.map { .string($0) } ?? .null),
                            ("last", $0.last.map { .string($0) } ?? .null),
                        ])
                    })
            )
        ]
        if let rejectReasons {
            members.append(
                (
                    "reject_reasons",
                    .array(
                        rejectReasons.map {
                            .object([
                                ("source", .string($0.source)), ("reason", .string($0.reason)),
                                ("count", .number(String($0.count))), ("example", .string($0.example)),
                            ])
                        })
                ))
        }
        return .object(members)
    }

    /// Writes the manifest atomically into `dir`.
    public func write(toDirectory dir: String) throws {
        try AtomicFileWriter.write(json.serialized(pretty: true), to: "\(dir)/\(Manifest.fileName(stage))")
    }

    /// The recorded config section `name` (nil when this stage did not record it).
    public func configSection(_ name: String) -> JSONValue? {
        config.objectValue?.first { $0.0 == name }?.1
    }

    /// Reads a manifest; a missing or unreadable one is a data error telling which stage to run.
    public static func read(stage: String, directory dir: String) throws -> Manifest {
        let path = "\(dir)/\(fileName(stage))"
        guard FilePaths.exists(path) else {
            throw InputError.badSource(
                path: path, reason: "the \(stage) stage's manifest is missing",
                hint: "Run the \(stage) stage first (`make \(stage)`).")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(FilePaths.readAll(path))
        } catch let e as JSONParseError {
            throw InputError.malformedFile(path: path, line: e.line, reason: e.message)
        }
        func bad(_ why: String) -> InputError { .malformedFile(path: path, line: 1, reason: why) }
        guard let st = value["stage"]?.stringValue, let outs = value["outputs"]?.arrayValue else {
            throw bad("not a stage manifest")
        }
        var m = Manifest(
            stage: st, toolVersion: value["tool_version"]?.stringValue ?? "?", config: value["config"] ?? .null,
            configDigest: value["config_digest"]?.stringValue ?? "", asOf: value["as_of"]?.stringValue ?? "")
        for o in outs {
            guard let name = o["name"]?.stringValue, let p = o["path"]?.stringValue,
                let v = o["schema_version"]?.intValue,
                let rows = o["rows"]?.intValue
            else { throw bad("an output entry lacks name, path, schema_version or rows") }
            m.outputs.append(
                Output(
                    name: name, path: p, schemaVersion: v, rows: rows, sha256: o["sha256"]?.stringValue ?? "",
                    bytes: o["bytes"]?.intValue, xxh64: o["xxh64"]?.stringValue))
        }
        for i in value["inputs"]?.arrayValue ?? [] {
            m.inputs.append(
                Input(
                    path: i["path"]?.stringValue ?? "", bytes: i["bytes"]?.intValue ?? 0,
                    sha256: i["sha256"]?.stringValue ?? "", xxh64: i["xxh64"]?.stringValue))
        }
        for r in value["reconciliation"]?.arrayValue ?? [] {
            m.reconciliation.append(
                Reconciliation(
                    source: r["source"]?.stringValue ?? "", read: r["read"]?.intValue ?? 0,
                    written: r["written"]?.intValue ?? 0, rejected: r["rejected"]?.intValue ?? 0,
                    duplicates: r["duplicates"]?.intValue ?? 0))
        }
        m.counts = (value["counts"]?.objectValue ?? []).map { ($0.0, $0.1.intValue ?? 0) }
        let texts = (value["warnings"]?.arrayValue ?? []).compactMap(\.stringValue)
        // A manifest written before kinds were recorded (or whose kinds do not pair up with its
        // warnings) gives warnings known by their sentence alone.
        let kinds = value["warning_kinds"]?.arrayValue.flatMap { $0.count == texts.count ? $0 : nil }
        m.warnings = texts.enumerated().map { i, text in
            guard let kind = kinds.flatMap({ DataWarning.Kind(json: $0[i]) }), kind.english == text else {
                return DataWarning(text: text)
            }
            return DataWarning(kind)
        }
        m.coverage = (value["coverage"]?.arrayValue ?? []).map {
            Coverage(
                source: $0["source"]?.stringValue ?? "", first: $0["first"]?.stringValue, last: $0["last"]?.stringValue)
        }
        m.rejectReasons = value["reject_reasons"]?.arrayValue.map {
            $0.map {
                RejectReason(
                    source: $0["source"]?.stringValue ?? "", reason: $0["reason"]?.stringValue ?? "",
                    count: $0["count"]?.intValue ?? 0, example: $0["example"]?.stringValue ?? "")
            }
        }
        return m
    }

    /// The output named `name`, after checking its schema version is one this tool reads.
    public func output(_ name: String, supported: Int, manifestPath: String) throws -> Output {
        guard let o = outputs.first(where: { $0.name == name }) else {
            throw InputError.malformedFile(
                path: manifestPath, line: 1, reason: "the manifest lists no output named \(name)")
        }
        guard o.schemaVersion == supported else {
            throw InputError.unsupportedSchema(
                path: manifestPath, output: name, found: o.schemaVersion, supported: supported)
        }
        return o
    }

    public func count(_ key: String) -> Int { recordedCount(key) ?? 0 }

    /// Count `key`, or nil in a manifest written before the stage recorded it.
    public func recordedCount(_ key: String) -> Int? { counts.first { $0.0 == key }?.1 }
}
