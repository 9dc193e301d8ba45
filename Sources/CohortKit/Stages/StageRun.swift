/// One run of a stage: opens its inputs (checking the producing stage's manifest), collects its
/// outputs, and commits them atomically with the manifest last, so `make` never sees a fresh
/// manifest over stale or partial outputs.
public final class StageRun {
    public let context: StageContext
    public private(set) var inputs: [Manifest.Input] = []
    private var outputs: [Manifest.Output] = []
    private var pending: [(name: String, writer: JSONLWriter)] = []
    private var pendingJSON: [(name: String, path: String, text: String)] = []
    private var upstream: [String: Manifest] = [:]

    public init(_ context: StageContext) {
        self.context = context
        FileDigest.runsInBackground = context.threads > 1
    }

    public var config: PipelineConfig { context.config }

    /// Path of an upstream stage's output, after checking that stage's manifest lists it with a
    /// schema version this tool reads.
    public func upstreamPath(_ stage: StageDescription, _ name: String) throws -> String {
        let dir = "\(config.workDir)/\(stage.name)"
        let manifest: Manifest
        if let m = upstream[stage.name] {
            manifest = m
        } else {
            manifest = try Manifest.read(stage: stage.name, directory: dir)
            upstream[stage.name] = manifest
        }
        guard let desc = stage.output(name) else { return "\(dir)/\(name)" }
        _ = try manifest.output(name, supported: desc.schemaVersion, manifestPath: "\(dir)/\(Manifest.fileName(stage.name))")
        let path = "\(dir)/\(desc.file)"
        guard FilePaths.exists(path) else { throw InputError.missingFile(path: path) }
        return path
    }

    /// The manifest of an upstream stage (read once).
    public func upstreamManifest(_ stage: StageDescription) throws -> Manifest {
        if let m = upstream[stage.name] { return m }
        let m = try Manifest.read(stage: stage.name, directory: "\(config.workDir)/\(stage.name)")
        upstream[stage.name] = m
        return m
    }

    /// Opens an upstream JSONL output for streaming; its digest is recorded when `close` is called.
    public func open(_ stage: StageDescription, _ name: String) throws -> JSONLReader {
        try JSONLReader(path: upstreamPath(stage, name), computeDigest: true)
    }

    /// Records a fully read input in the manifest.
    public func close(_ reader: JSONLReader) {
        inputs.append(Manifest.Input(path: reader.path, bytes: reader.bytesRead, sha256: reader.digestHex() ?? ""))
    }

    /// Reads the upstream JSONL file at `path` in `parts` (from `JSONLParts.split`), side by side
    /// on all cores unless `--threads 1`: `body` gets each part's index and reader, and the
    /// results come back in file order. An error names the file's own line; the file's digest is
    /// recorded as an input.
    public func readInParts<T>(_ path: String, _ parts: [JSONLParts.Part], _ body: (Int, JSONLReader) throws -> T) throws -> [T] {
        let digest = FileDigest(path: path)
        let results = try JSONLParts.map(parts, parallel: context.threads > 1) { k, part in
            do {
                return try body(k, try JSONLReader(path: path, range: part.range))
            } catch {
                throw JSONLParts.rebase(error, path: path, part: part)
            }
        }
        recordInput(path: path, bytes: FilePaths.size(path) ?? 0, sha256: digest.hex())
        return results
    }

    /// As `readInParts(path, parts, body)` for upstream output `name` of `stage`, cut at line starts.
    public func readInParts<T>(_ stage: StageDescription, _ name: String, _ body: (Int, JSONLReader) throws -> T) throws -> [T] {
        let path = try upstreamPath(stage, name)
        return try readInParts(path, try JSONLParts.split(path: path), body)
    }

    /// Records an input read by other means.
    public func recordInput(path: String, bytes: Int, sha256: String) {
        inputs.append(Manifest.Input(path: path, bytes: bytes, sha256: sha256))
    }

    /// A writer for one of this stage's JSONL outputs.
    public func writer(_ name: String) throws -> JSONLWriter {
        guard let desc = context.description.output(name) else { preconditionFailure("undeclared output \(name)") }
        let w = try JSONLWriter(path: "\(context.outputDirectory)/\(desc.file)")
        pending.append((name, w))
        return w
    }

    /// A single-object JSON output (written on commit).
    public func writeJSON(_ name: String, _ value: JSONValue) {
        guard let desc = context.description.output(name) else { preconditionFailure("undeclared output \(name)") }
        pendingJSON.append((name, "\(context.outputDirectory)/\(desc.file)", value.serialized(pretty: true)))
    }

    /// Writes a file outside the stage's folder (the reports) atomically and lists it as an output.
    public func writeFile(name: String, path: String, text: String, schemaVersion: Int = 1) throws {
        try AtomicFileWriter.write(text, to: path)
        outputs.append(Manifest.Output(name: name, path: path, schemaVersion: schemaVersion, rows: 1, sha256: SHA256.hex(of: Array(text.utf8))))
    }

    /// Renames every output into place, then writes the manifest.
    public func commit(reconciliation: [Manifest.Reconciliation] = [], counts: [(String, Int)] = []) throws {
        for (name, w) in pending {
            try w.commit()
            outputs.append(Manifest.Output(name: name, path: w.path, schemaVersion: context.description.output(name)?.schemaVersion ?? 1,
                                           rows: w.rows, sha256: ""))
        }
        for (name, path, text) in pendingJSON {
            try AtomicFileWriter.write(text, to: path)
            outputs.append(Manifest.Output(name: name, path: path, schemaVersion: context.description.output(name)?.schemaVersion ?? 1,
                                           rows: 1, sha256: SHA256.hex(of: Array(text.utf8))))
        }
        pending = []
        pendingJSON = []
        let manifest = Manifest(stage: context.description.name, config: config.section(context.description.configSections),
                                configDigest: config.digest, inputs: inputs, outputs: outputs,
                                reconciliation: reconciliation, counts: counts)
        try manifest.write(toDirectory: context.outputDirectory)
    }

    /// Abandons every output: previous files stay as they were.
    public func discard() {
        for (_, w) in pending { w.discard() }
        pending = []
        pendingJSON = []
    }
}
