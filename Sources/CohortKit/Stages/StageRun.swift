#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run of a stage: opens its inputs (checking the producing stage's manifest and lineage),
/// collects its outputs, and commits them as a set: every temporary file written, flushed and
/// digested, the inputs verified, then each renamed into place, the manifest last. So `make` and
/// the next stage never see a fresh manifest over stale, partial or mixed outputs.
public final class StageRun {
    public let context: StageContext
    public private(set) var inputs: [Manifest.Input] = []
    private var outputs: [Manifest.Output] = []
    private var pending: [(name: String, writer: JSONLWriter)] = []
    private var pendingFiles: [(name: String, schemaVersion: Int, writer: AtomicFileWriter)] = []
    private var pendingJSON: [(name: String, path: String, text: String)] = []
    private var upstream: [String: Manifest] = [:]
    /// Manifests of stages further up the chain, read only to check what the upstream read.
    private var chain: [String: Manifest] = [:]
    /// What each upstream file read must be, by path: its stage, size and digests per its manifest.
    private var expected: [String: (stage: String, bytes: Int?, sha256: String, xxh64: String?)] = [:]
    /// The digests of the upstream files opened with `open`, by reader, computed while they are read.
    private var openDigests: [ObjectIdentifier: FileDigest] = [:]
    /// Printed on stderr as they are found, and recorded in the manifest.
    public private(set) var warnings: [DataWarning] = []
    /// Dates seen per source (set by ingest).
    public var coverage: [Manifest.Coverage] = []
    /// The most common reject reasons (set by ingest, read by the report from its manifest).
    public var rejectReasons: [Manifest.RejectReason]? = nil

    public init(_ context: StageContext) {
        self.context = context
    }

    public var config: PipelineConfig { context.config }

    /// Creates a stage's folders (recording the ones it made), removes temporaries that a killed
    /// earlier run of the stage left behind and releases the cached pages of the outputs this run
    /// replaces (`ReplacedOutputs`); run before the stage's body.
    static func prepare(_ context: StageContext) throws {
        let config = context.config
        var dirs = [context.outputDirectory]
        if context.description.name == "report" { dirs.append(config.reportsDir) }
        try PipelineFolders.create(dirs, config: config, writer: context.description.name)
        StaleTemporaries.remove(in: context.outputDirectory)
        ReplacedOutputs.releaseCache(of: context.description.writes.map { "\(context.outputDirectory)/\($0.file)" })
        if context.description.name == "report" {
            StaleTemporaries.remove(in: config.reportsDir, onlyFor: Set(ReportStage.reportFiles))
        }
    }

    /// Adds a warning: printed now (unless `--quiet`) and kept in the manifest.
    public func warn(_ warning: DataWarning) {
        warnings.append(warning)
        context.warn(warning.text)
    }

    /// Path of an upstream stage's output, after checking that stage's manifest lists it with a
    /// schema version this tool reads, that the upstream ran with this run's as_of and settings,
    /// and that the file has the size the manifest gives. Its digest is checked before commit.
    public func upstreamPath(_ stage: StageDescription, _ name: String) throws -> String {
        let dir = "\(config.workDir)/\(stage.name)"
        let manifest = try upstreamManifest(stage)
        guard let desc = stage.output(name) else { return "\(dir)/\(name)" }
        let out = try manifest.output(
            name, supported: desc.schemaVersion, manifestPath: upstreamManifestPath(stage))
        let path = "\(dir)/\(desc.file)"
        guard FilePaths.exists(path) else { throw InputError.missingFile(path: path) }
        if out.sha256.isEmpty || (out.bytes.map { $0 != FilePaths.size(path) } ?? true) {
            throw LineageError.inputChanged(path: path, stage: stage.name)
        }
        expected[path] = (stage.name, out.bytes, out.sha256, out.xxh64)
        return path
    }

    /// Where an upstream stage's manifest is, as messages name it.
    public func upstreamManifestPath(_ stage: StageDescription) -> String {
        "\(config.workDir)/\(stage.name)/\(Manifest.fileName(stage.name))"
    }

    /// The manifest of an upstream stage (read and lineage-checked once).
    public func upstreamManifest(_ stage: StageDescription) throws -> Manifest {
        if let m = upstream[stage.name] { return m }
        let dir = "\(config.workDir)/\(stage.name)"
        let m = try Manifest.read(stage: stage.name, directory: dir)
        try Lineage.check(m, manifestPath: upstreamManifestPath(stage), against: config)
        upstream[stage.name] = m
        do {
            try checkChain(m, stage)
        } catch {
            upstream[stage.name] = nil
            throw error
        }
        return m
    }

    /// Refuses `m` (the manifest of `stage`) when an input it recorded from a stage before it is
    /// not what that stage's manifest lists now, down the chain to ingest: this stage never
    /// combines outputs of two runs. A stage with no manifest has nothing to compare.
    private func checkChain(_ m: Manifest, _ stage: StageDescription) throws {
        let mixed = try Lineage.mixedInput(of: m) { producer -> Manifest? in
            if let known = upstream[producer.name] ?? chain[producer.name] { return known }
            let dir = "\(config.workDir)/\(producer.name)"
            guard FilePaths.exists("\(dir)/\(Manifest.fileName(producer.name))") else { return nil }
            let p = try Manifest.read(stage: producer.name, directory: dir)
            // Settings too, down the chain: cohort reads no ingest output, but what normalize
            // passes on was priced and read with ingest's currency and sources.
            try Lineage.check(p, manifestPath: "\(dir)/\(Manifest.fileName(producer.name))", against: config)
            chain[producer.name] = p
            try checkChain(p, producer)
            return p
        }
        if let mixed {
            throw LineageError.mixedRuns(
                manifest: upstreamManifestPath(stage), stage: stage.name, file: mixed.file, producer: mixed.producer,
                recorded: mixed.recorded, current: mixed.current)
        }
    }

    /// Opens an upstream JSONL output for streaming; its digest is recorded when `close` is called.
    public func open(_ stage: StageDescription, _ name: String) throws -> JSONLReader {
        let path = try upstreamPath(stage, name)
        let reader = try JSONLReader(path: path, progress: context.progress)
        openDigests[ObjectIdentifier(reader)] = startDigest(path)
        return reader
    }

    /// Records a fully read input in the manifest (a reader `open` did not make is digested
    /// now, so that it is checked all the same).
    public func close(_ reader: JSONLReader) {
        let digest = openDigests.removeValue(forKey: ObjectIdentifier(reader)) ?? startDigest(reader.path)
        recordInput(path: reader.path, bytes: reader.bytesRead, digest: digest)
    }

    /// Starts the digest of an upstream file: the XXH64 when its manifest lists one (the bytes
    /// are then the ones whose SHA-256 it lists), else the SHA-256.
    func startDigest(_ path: String) -> FileDigest {
        FileDigest(path: path, mode: context.digestMode, algorithm: expected[path]?.xxh64 == nil ? .sha256 : .xxh64)
    }

    /// Records an input with the digest computed while reading it: its SHA-256, or for an XXH64
    /// the SHA-256 the upstream manifest lists with it (`verifyInputs` compares the XXH64).
    func recordInput(path: String, bytes: Int, digest: FileDigest) {
        switch digest.algorithm {
        case .sha256: recordInput(path: path, bytes: bytes, sha256: digest.hex())
        case .xxh64:
            inputs.append(
                Manifest.Input(path: path, bytes: bytes, sha256: expected[path]?.sha256 ?? "", xxh64: digest.hex()))
        }
    }

    /// Reads the upstream JSONL file at `path` in `parts` (from `JSONLParts.split`), side by side
    /// on all cores unless `--threads 1`: `body` gets each part's index and reader, and the
    /// results come back in file order. An error names the file's own line; the file's digest is
    /// recorded as an input.
    public func readInParts<T>(_ path: String, _ parts: [JSONLParts.Part], _ body: (Int, JSONLReader) throws -> T)
        throws -> [T]
    {
        let digest = startDigest(path)
        let results = try JSONLParts.map(parts, parallel: context.threads > 1) { k, part in
            do {
                return try body(k, try JSONLReader(path: path, range: part.range, progress: context.progress))
            } catch {
                throw JSONLParts.rebase(error, path: path, part: part)
            }
        }
        recordInput(path: path, bytes: FilePaths.size(path) ?? 0, digest: digest)
        return results
    }

    /// As `readInParts(path, parts, body)` for upstream output `name` of `stage`, cut at line starts.
    public func readInParts<T>(_ stage: StageDescription, _ name: String, _ body: (Int, JSONLReader) throws -> T) throws
        -> [T]
    {
        let path = try upstreamPath(stage, name)
        return try readInParts(path, try parts(of: path), body)
    }

    /// `path` cut into parts to read side by side (`JSONLParts.split`, with this run's minimum
    /// part size); with `groupKey`, consecutive lines with one value of it stay in one part.
    public func parts(of path: String, groupKey: StaticString? = nil) throws -> [JSONLParts.Part] {
        try JSONLParts.split(path: path, groupKey: groupKey, minimumBytes: context.partMinimumBytes)
    }

    /// Records an input read by other means.
    public func recordInput(path: String, bytes: Int, sha256: String) {
        inputs.append(Manifest.Input(path: path, bytes: bytes, sha256: sha256))
    }

    /// Checks every upstream file read against its manifest, with the digests computed while
    /// reading it: the XXH64 where one was computed, else the SHA-256.
    public func verifyInputs() throws {
        for input in inputs {
            guard let e = expected[input.path] else { continue }
            let (listed, computed) = input.xxh64.map { (e.xxh64 ?? "", $0) } ?? (e.sha256, input.sha256)
            try Lineage.checkFile(
                path: input.path, stage: e.stage, expectedBytes: e.bytes, expectedDigest: listed,
                bytes: input.bytes, digest: computed)
        }
    }

    /// A writer for one of this stage's JSONL outputs.
    public func writer(_ name: String) throws -> JSONLWriter {
        guard let desc = context.description.output(name) else { preconditionFailure("undeclared output \(name)") }
        let w = try JSONLWriter(path: "\(context.outputDirectory)/\(desc.file)", digest: context.digestMode)
        pending.append((name, w))
        return w
    }

    /// A single-object JSON output (written on commit, with the others).
    public func writeJSON(_ name: String, _ value: JSONValue) {
        guard let desc = context.description.output(name) else { preconditionFailure("undeclared output \(name)") }
        pendingJSON.append((name, "\(context.outputDirectory)/\(desc.file)", value.serialized(pretty: true)))
    }

    /// A file outside the stage's folder (the reports), written to its temporary file now and
    /// renamed on commit with the stage's other outputs.
    public func writeFile(name: String, path: String, text: String, schemaVersion: Int = 1) throws {
        let w = try AtomicFileWriter(path: path, digest: context.digestMode)
        try w.write(Array(text.utf8))
        try w.finish()
        pendingFiles.append((name, schemaVersion, w))
    }

    /// Commits the outputs as a set: finishes every temporary file, verifies the inputs, renames
    /// every output into place, then writes the manifest. Returns the manifest's SHA-256.
    @discardableResult
    public func commit(reconciliation: [Manifest.Reconciliation] = [], counts: [(String, Int)] = []) throws -> String {
        for (name, path, text) in pendingJSON {
            try writeFile(
                name: name, path: path, text: text, schemaVersion: context.description.output(name)?.schemaVersion ?? 1)
        }
        pendingJSON = []
        for (_, w) in pending { try w.finish() }
        try verifyInputs()
        for (name, w) in pending {
            outputs.append(
                Manifest.Output(
                    name: name, path: w.path, schemaVersion: context.description.output(name)?.schemaVersion ?? 1,
                    rows: w.rows, sha256: w.sha256, bytes: w.bytes, xxh64: w.xxh64))
        }
        for (name, version, w) in pendingFiles {
            outputs.append(
                Manifest.Output(
                    name: name, path: w.path, schemaVersion: version, rows: 1, sha256: w.sha256, bytes: w.bytesWritten,
                    xxh64: w.xxh64))
        }
        // Paths as the configuration's folder sees them, not as this process's folder does.
        let recordedInputs = inputs.map { i -> Manifest.Input in
            var i = i
            i.path = config.recordedPath(i.path)
            return i
        }
        let recordedOutputs = outputs.map { o -> Manifest.Output in
            var o = o
            o.path = config.recordedPath(o.path)
            return o
        }
        var manifest = Manifest(
            stage: context.description.name, config: config.section(context.description.configSections),
            configDigest: config.digest, asOf: config.asOf.description, inputs: recordedInputs,
            outputs: recordedOutputs,
            reconciliation: reconciliation, counts: counts)
        manifest.warnings = warnings
        manifest.coverage = coverage
        manifest.rejectReasons = rejectReasons
        // The manifest's own temporary file is written before any rename, so a full disk stops the
        // stage with every previous output still whole.
        let manifestWriter = try AtomicFileWriter(
            path: "\(context.outputDirectory)/\(Manifest.fileName(context.description.name))")
        try manifestWriter.write(Array(manifest.json.serialized(pretty: true).utf8))
        try manifestWriter.finish()
        var renamed = 0
        // Every JSON Lines writer was finished above (its gathered rows written): the files are
        // renamed as they are.
        for w in pending.map(\.writer.file) + pendingFiles.map(\.writer) {
            try w.rename()
            renamed += 1
            if renamed == context.killAfterRenames { kill(getpid(), SIGKILL) }
        }
        try manifestWriter.rename()
        pending = []
        pendingFiles = []
        return manifestWriter.sha256
    }

    /// Abandons every output: previous files stay as they were.
    public func discard() {
        for (_, w) in pending { w.discard() }
        for (_, _, w) in pendingFiles { w.discard() }
        pending = []
        pendingFiles = []
        pendingJSON = []
    }
}
